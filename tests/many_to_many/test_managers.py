"""Related managers on both sides: writes by instance or pk, errors, deletion, async twins."""

from __future__ import annotations

import asyncio

from tether.test import TestCase, TransactionTestCase

from .models import Article, Edition, Publication, Reader


class ManagerTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p1 = Publication.objects.create(title="The Python Journal")
        cls.p2 = Publication.objects.create(title="Science News")
        cls.p3 = Publication.objects.create(title="Science Weekly")
        cls.a1 = Article.objects.create(headline="Django lets you build web apps easily")
        cls.a2 = Article.objects.create(headline="NASA uses Python")

    def titles(self, article: Article) -> list[str]:
        return [p.title for p in article.publications.all()]

    def test_add_and_remove_by_pk(self) -> None:
        self.a1.publications.add(self.p1.pk, self.p2.pk)
        self.assertEqual(self.titles(self.a1), ["Science News", "The Python Journal"])
        self.a1.publications.remove(self.p2.pk)
        self.assertEqual(self.titles(self.a1), ["The Python Journal"])
        self.p3.article_set.add(self.a1.pk)
        self.assertEqual(self.titles(self.a1), ["Science Weekly", "The Python Journal"])

    def test_set_with_pks_and_instances(self) -> None:
        self.a1.publications.set([self.p1.pk, self.p2])
        self.assertEqual(self.titles(self.a1), ["Science News", "The Python Journal"])
        self.a1.publications.set([self.p3.pk])
        self.assertEqual(self.titles(self.a1), ["Science Weekly"])
        self.a1.publications.set([self.p3, self.p1], clear=True)
        self.assertEqual(self.titles(self.a1), ["Science Weekly", "The Python Journal"])
        self.a1.publications.set([])
        self.assertEqual(self.titles(self.a1), [])

    def test_set_keeps_links_it_does_not_change(self) -> None:
        self.a1.publications.set([self.p1, self.p2])
        through = Article.publications.through
        kept = through.objects.get(article=self.a1, publication=self.p1).pk
        self.a1.publications.set([self.p1, self.p3])
        self.assertEqual(through.objects.get(article=self.a1, publication=self.p1).pk, kept)

    def test_clear_from_both_sides(self) -> None:
        self.a1.publications.set([self.p1, self.p2])
        self.a2.publications.set([self.p2])
        self.p2.article_set.clear()
        self.assertEqual(self.titles(self.a1), ["The Python Journal"])
        self.assertEqual(self.titles(self.a2), [])
        self.a1.publications.clear()
        self.assertFalse(self.p1.article_set.exists())
        self.assertEqual(Publication.objects.count(), 3)

    def test_wrong_type_and_unsaved_target(self) -> None:
        with self.assertRaisesMessage(
            TypeError, "'Publication' instance expected, got <Article: NASA uses Python>"
        ):
            self.a1.publications.add(self.a2)
        with self.assertRaisesMessage(
            TypeError,
            "'Article' instance expected, got <Publication: Science News>",
        ):
            self.p1.article_set.add(self.p2)
        with self.assertRaisesMessage(ValueError, 'Cannot add "<Publication: Unsaved>"'):
            self.a1.publications.add(Publication(title="Unsaved"))
        self.assertEqual(self.titles(self.a1), [])

    def test_unsaved_source_on_both_sides(self) -> None:
        message = (
            '"<Publication: Draft>" needs to have a value for field "id" before this '
            "many-to-many relationship can be used."
        )
        with self.assertRaisesMessage(ValueError, message):
            Publication(title="Draft").article_set.all()
        with self.assertRaisesMessage(ValueError, '"<Article: Draft>" needs to have a value'):
            Article(headline="Draft").publications.set([self.p1])

    def test_direct_assignment_is_prohibited(self) -> None:
        with self.assertRaisesMessage(
            TypeError,
            "Direct assignment to the forward side of a many-to-many set is prohibited. "
            "Use publications.set() instead.",
        ):
            self.a1.publications = [self.p1]
        with self.assertRaisesMessage(
            TypeError,
            "Direct assignment to the reverse side of a many-to-many set is prohibited. "
            "Use article_set.set() instead.",
        ):
            self.p1.article_set = [self.a1]

    def test_create_get_or_create_update_or_create(self) -> None:
        created = self.a1.publications.create(title="Highlights for Children")
        self.assertEqual(list(created.article_set.all()), [self.a1])
        pub, made = self.a1.publications.get_or_create(title="Highlights for Children")
        self.assertEqual((pub, made), (created, False))
        pub, made = self.a2.publications.get_or_create(title="Brand New")
        self.assertTrue(made)
        self.assertEqual(list(pub.article_set.all()), [self.a2])
        pub, made = self.a2.publications.update_or_create(
            title="Brand New", defaults={"title": "Renamed"}
        )
        self.assertEqual((pub.title, made), ("Renamed", False))
        reader, made = self.a1.readers.get_or_create(name="Ann")
        self.assertTrue(made)
        self.assertEqual(list(reader.articles.all()), [self.a1])

    def test_related_name_and_query_name(self) -> None:
        ann = Reader.objects.create(name="Ann")
        ann.articles.add(self.a2)
        self.assertEqual(list(self.a2.readers.all()), [ann])
        self.assertEqual(list(Article.objects.filter(reader=ann)), [self.a2])
        self.assertFalse(hasattr(self.a2, "reader_set"))


class AsyncTests(TransactionTestCase):
    """The a* twins run the same plans through the async runner (outside a test transaction)."""

    def test_async_twins(self) -> None:
        p1 = Publication.objects.create(title="The Python Journal")
        p2 = Publication.objects.create(title="Science News")
        p3 = Publication.objects.create(title="Science Weekly")
        a1 = Article.objects.create(headline="A")

        async def scenario() -> list[str]:
            await a1.publications.aadd(p1, p2)
            await a1.publications.aremove(p1)
            await a1.publications.aset([p2, p3])
            made = await a1.publications.acreate(title="Async Weekly")
            pub, created = await a1.publications.aget_or_create(title="Async Weekly")
            assert (pub, created) == (made, False)
            titles = [p.title async for p in a1.publications.all()]
            await a1.publications.aclear()
            return titles

        titles = asyncio.run(scenario())
        self.assertEqual(titles, ["Async Weekly", "Science News", "Science Weekly"])
        self.assertEqual(list(a1.publications.all()), [])


class DeletionTests(TransactionTestCase):
    def setUp(self) -> None:
        self.p1 = Publication.objects.create(title="The Python Journal")
        self.p2 = Publication.objects.create(title="Science News")
        self.a1 = Article.objects.create(headline="A")
        self.a2 = Article.objects.create(headline="B")
        self.a1.publications.set([self.p1, self.p2])
        self.a2.publications.set([self.p1])
        Reader.objects.create(name="Ann").articles.set([self.a1, self.a2])
        Edition.objects.create(publication=self.p1, number=1)

    def test_delete_target_side(self) -> None:
        self.assertEqual(
            self.p1.delete(),
            (
                4,
                {
                    "many_to_many.Edition": 1,
                    "many_to_many.Article_publications": 2,
                    "many_to_many.Publication": 1,
                },
            ),
        )
        self.assertEqual([p.title for p in self.a1.publications.all()], ["Science News"])

    def test_delete_source_side(self) -> None:
        self.assertEqual(
            self.a1.delete(),
            (
                4,
                {
                    "many_to_many.Article_publications": 2,
                    "many_to_many.Reader_articles": 1,
                    "many_to_many.Article": 1,
                },
            ),
        )
        self.assertEqual(list(self.p2.article_set.all()), [])

    def test_bulk_delete(self) -> None:
        deleted = Article.objects.all().delete()
        self.assertEqual(deleted[0], 7)
        self.assertEqual(
            sorted(deleted[1].items()),
            [
                ("many_to_many.Article", 2),
                ("many_to_many.Article_publications", 3),
                ("many_to_many.Reader_articles", 2),
            ],
        )
        self.assertEqual(Article.publications.through.objects.count(), 0)
        self.assertEqual(Publication.objects.count(), 2)
