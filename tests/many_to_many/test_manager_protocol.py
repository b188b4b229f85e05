"""The parts of the many-to-many manager that Django's own tests and third-party code use
besides add()/remove(): counting through the link table alone and the prefetch protocol."""

from unittest import mock

from tether.db import connection
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .models import Article, Publication


class LinkTableShortcutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p1 = Publication.objects.create(title="Science News")
        cls.p2 = Publication.objects.create(title="Science Weekly")
        cls.article = Article.objects.create(headline="Django lets you build web apps")
        cls.article.publications.add(cls.p1, cls.p2)
        cls.lonely = Article.objects.create(headline="No publication")

    def test_count_and_exists_read_the_link_table_only(self):
        for call, expected in (
            (lambda a: a.publications.count(), 2),
            (lambda a: a.publications.exists(), True),
        ):
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(call(self.article), expected)
            self.assertEqual(len(ctx.captured_queries), 1)
            self.assertNotIn("JOIN", ctx.captured_queries[0]["sql"])
        self.assertEqual(self.lonely.publications.count(), 0)
        self.assertFalse(self.lonely.publications.exists())

    def test_without_foreign_keys_the_join_stays(self):
        with (
            mock.patch.object(connection.features, "supports_foreign_keys", False),
            CaptureQueriesContext(connection) as ctx,
        ):
            self.assertEqual(self.article.publications.count(), 2)
        self.assertIn("JOIN", ctx.captured_queries[0]["sql"])

    def test_reverse_side(self):
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.p1.article_set.count(), 1)
        self.assertNotIn("JOIN", ctx.captured_queries[0]["sql"])

    def test_prefetched_count_sends_nothing(self):
        article = Article.objects.prefetch_related("publications").get(pk=self.article.pk)
        with self.assertNumQueries(0):
            self.assertEqual(article.publications.count(), 2)


class AsyncLinkTableShortcutTests(TestCase):
    async def test_acount_and_aexists(self):
        p1 = await Publication.objects.acreate(title="The Python Journal")
        article = await Article.objects.acreate(headline="Async")
        await article.publications.aadd(p1)
        self.assertEqual(await article.publications.acount(), 1)
        self.assertTrue(await article.publications.aexists())


class PrefetchProtocolTests(TestCase):
    def test_get_prefetch_querysets(self):
        p1 = Publication.objects.create(title="A")
        p2 = Publication.objects.create(title="B")
        a1 = Article.objects.create(headline="one")
        a2 = Article.objects.create(headline="two")
        a1.publications.add(p1, p2)
        a2.publications.add(p2)
        articles = list(Article.objects.order_by("pk"))
        queryset, rel_key, instance_key, single, cache_name, is_descriptor = (
            a1.publications.get_prefetch_querysets(articles)
        )
        self.assertEqual((single, cache_name, is_descriptor), (False, "publications", False))
        pairs = sorted((rel_key(pub), pub.title) for pub in queryset)
        self.assertEqual(pairs, [(a1.pk, "A"), (a1.pk, "B"), (a2.pk, "B")])
        self.assertEqual([instance_key(a) for a in articles], [a1.pk, a2.pk])

    def test_wrong_number_of_querysets(self):
        msg = "querysets argument of get_prefetch_querysets() should have a length of 1."
        article = Article.objects.create(headline="x")
        with self.assertRaisesMessage(ValueError, msg):
            article.publications.get_prefetch_querysets(
                instances=[article],
                querysets=[Publication.objects.all(), Publication.objects.all()],
            )
