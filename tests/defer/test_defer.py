"""only() and defer(): Django 5.2's semantics, query counts, saving and async access."""

import asyncio

from tether.exceptions import FieldDoesNotExist, FieldError, SynchronousOnlyOperation
from tether.models import signals
from tether.test import TestCase, TransactionTestCase

from .models import Article, Author, Base, Child, Detail


class DeferTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann = Author.objects.create(name="ann", bio="long bio")
        cls.art = Article.objects.create(title="t1", body="b1", views=3, author=cls.ann)
        Detail.objects.create(article=cls.art, note="n1", extra="x1")

    def test_only_loads_pk_and_fields(self):
        with self.assertNumQueries(1):
            art = Article.objects.only("title").get()
        self.assertEqual(art.get_deferred_fields(), {"body", "views", "author_id"})
        self.assertEqual(art.pk, self.art.pk)
        with self.assertNumQueries(1):
            self.assertEqual(art.body, "b1")
        with self.assertNumQueries(0):
            self.assertEqual(art.body, "b1")
        self.assertEqual(art.get_deferred_fields(), {"views", "author_id"})

    def test_deferred_fk_loads_key_then_object(self):
        art = Article.objects.only("title").get()
        with self.assertNumQueries(2):
            self.assertEqual(art.author.name, "ann")

    def test_defer_and_clear(self):
        art = Article.objects.defer("body", "views").get()
        self.assertEqual(art.get_deferred_fields(), {"body", "views"})
        art = Article.objects.defer("body").defer(None).get()
        self.assertEqual(art.get_deferred_fields(), set())

    def test_chaining(self):
        qs = Article.objects
        cases = [
            (qs.only("title").only("body"), {"title", "views", "author_id"}),
            (qs.only("title", "body").defer("body"), {"body", "views", "author_id"}),
            (qs.only("title").defer("title"), set()),
            (qs.defer("body").only("body", "title"), {"body", "views", "author_id"}),
            (qs.defer("body").defer("views"), {"body", "views"}),
            (qs.only("pk"), {"title", "body", "views", "author_id"}),
            (qs.defer("author"), {"author_id"}),
        ]
        for queryset, deferred in cases:
            with self.subTest(queryset=queryset.query.deferred_loading):
                self.assertEqual(queryset.get().get_deferred_fields(), deferred)

    def test_pk_cannot_be_deferred(self):
        art = Article.objects.defer("id", "title").get()
        self.assertEqual(art.get_deferred_fields(), {"title"})

    def test_unknown_names(self):
        with self.assertRaisesMessage(FieldDoesNotExist, "Article has no field named 'nope'"):
            list(Article.objects.only("nope"))
        with self.assertRaisesMessage(FieldDoesNotExist, "Article has no field named 'nope'"):
            list(Article.objects.defer("nope"))
        with self.assertRaises(FieldError):
            list(Article.objects.only("title__x"))

    def test_select_related_conflicts(self):
        msg = (
            "Field Article.author cannot be both deferred and traversed using select_related "
            "at the same time."
        )
        with self.assertRaisesMessage(FieldError, msg):
            list(Article.objects.select_related("author").only("title"))
        with self.assertRaisesMessage(FieldError, msg):
            list(Article.objects.select_related("author").defer("author"))

    def test_select_related_only_related_fields(self):
        qs = Article.objects.select_related("author").only("title", "author__name")
        with self.assertNumQueries(1):
            art = qs.get()
            self.assertEqual(art.author.name, "ann")
        self.assertEqual(art.get_deferred_fields(), {"body", "views"})
        self.assertEqual(art.author.get_deferred_fields(), {"bio"})
        with self.assertNumQueries(1):
            self.assertEqual(art.author.bio, "long bio")

    def test_select_related_defer_related_field(self):
        qs = Article.objects.select_related("author").defer("author__bio", "body")
        art = qs.get()
        self.assertEqual(art.get_deferred_fields(), {"body"})
        self.assertEqual(art.author.get_deferred_fields(), {"bio"})

    def test_reverse_one_to_one_select_related(self):
        qs = Article.objects.select_related("detail").only("title", "detail__note")
        with self.assertNumQueries(1):
            art = qs.get()
            self.assertEqual(art.detail.note, "n1")
        self.assertEqual(art.detail.get_deferred_fields(), {"extra", "article_id"})

    def test_only_through_relation_without_select_related(self):
        art = Article.objects.only("author__name").get()
        self.assertEqual(art.get_deferred_fields(), {"title", "body", "views"})

    def test_values_ignores_deferral(self):
        rows = list(Article.objects.only("title").values("title", "body"))
        self.assertEqual(rows, [{"title": "t1", "body": "b1"}])
        with self.assertRaisesMessage(
            TypeError, "Cannot call defer() after .values() or .values_list()"
        ):
            Article.objects.values("title").defer("body")
        with self.assertRaisesMessage(TypeError, "Cannot pass None as an argument to only()."):
            Article.objects.only(None)

    def test_refresh_from_db(self):
        art = Article.objects.defer("body").get()
        Article.objects.update(title="changed", body="changed")
        with self.assertNumQueries(1):
            art.refresh_from_db()
        self.assertEqual(art.title, "changed")
        self.assertEqual(art.get_deferred_fields(), {"body"})
        with self.assertNumQueries(1):
            art.refresh_from_db(fields=["body", "views"])
        self.assertEqual(art.body, "changed")
        with self.assertNumQueries(0):
            art.refresh_from_db(fields=[])

    def test_save_writes_loaded_fields_only(self):
        seen = []

        def receiver(sender, update_fields, **kwargs):
            seen.append(update_fields)

        signals.pre_save.connect(receiver, sender=Article)
        self.addCleanup(signals.pre_save.disconnect, receiver, sender=Article)
        art = Article.objects.only("title").get()
        Article.objects.update(body="other")
        art.title = "new"
        with self.assertNumQueries(1):
            art.save()
        self.assertEqual(seen, [frozenset({"title"})])
        fresh = Article.objects.get()
        self.assertEqual((fresh.title, fresh.body), ("new", "other"))

    def test_save_explicit_update_fields_and_force_insert(self):
        art = Article.objects.only("title").get()
        art.title = "x"
        art.save(update_fields=["title"])
        self.assertEqual(Article.objects.get().title, "x")

    def test_inherited_only_defer(self):
        Child.objects.create(name="c", other="o", value=7)
        with self.assertNumQueries(1):
            child = Child.objects.only("name").get()
        self.assertEqual(child.get_deferred_fields(), {"id", "other", "value"})  # as Django
        with self.assertNumQueries(1):
            self.assertEqual(child.value, 7)
        child = Child.objects.defer("other").get()
        self.assertEqual(child.get_deferred_fields(), {"other"})
        child.name = "d"
        child.save()
        self.assertEqual(Base.objects.get().name, "d")
        self.assertEqual(Base.objects.get().other, "o")


class AsyncDeferTests(TransactionTestCase):
    def test_reading_a_deferred_field_in_async_code_raises(self):
        Article.objects.create(title="t", body="b")

        async def main():
            art = await Article.objects.only("title").aget()
            self.assertEqual(art.title, "t")
            with self.assertRaisesMessage(SynchronousOnlyOperation, "arefresh_from_db"):
                art.body  # noqa: B018
            await art.arefresh_from_db(fields=["body"])
            return art.body

        self.assertEqual(asyncio.run(main()), "b")
