"""Writes whose DELETE is served from the connection's SQL cache, and distinct().count().

remove(), clear() and set() bind their values into a DELETE whose SQL is built once per shape:
a second call must give the same statement, the same links and the same counts as the first,
on both sides (symmetrical relations: tests/m2m_recursive); a through model with delete
receivers keeps the collector. distinct().count() across a relation counts DISTINCT primary
keys (the same rows).
"""

from __future__ import annotations

import re
from typing import Any

from tether.db import connection
from tether.models import signals
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .models import Article, Publication


def _deletes(captured: Any) -> list[str]:
    """The DELETE statements, their values (logged inline) masked."""
    sqls = [q["sql"] for q in captured.captured_queries]
    return [re.sub(r"\b\d+\b", "N", sql) for sql in sqls if sql.startswith("DELETE")]


class CachedDeleteTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.pubs = [Publication.objects.create(title=f"p{i}") for i in range(6)]
        cls.arts = [Article.objects.create(headline=f"a{i}") for i in range(3)]

    def ids(self, article: Article) -> list[int]:
        return sorted(article.publications.values_list("pk", flat=True))

    def test_set_twice_same_statement(self) -> None:
        a, b = self.arts[0], self.arts[1]
        p = self.pubs
        a.publications.set(p[:4])
        b.publications.set(p[:4])
        with CaptureQueriesContext(connection) as first:
            a.publications.set([p[0], p[1], p[4]])
        with CaptureQueriesContext(connection) as second:
            b.publications.set([p[1], p[0], p[5]])
        self.assertEqual(self.ids(a), sorted(x.pk for x in (p[0], p[1], p[4])))
        self.assertEqual(self.ids(b), sorted(x.pk for x in (p[0], p[1], p[5])))
        self.assertEqual(len(first.captured_queries), len(second.captured_queries))
        self.assertEqual(len(_deletes(first)), 1)
        self.assertEqual(_deletes(first), _deletes(second))

    def test_remove_and_clear_both_sides(self) -> None:
        a, b = self.arts[0], self.arts[1]
        p = self.pubs
        for article in (a, b):
            article.publications.set(p[:3])
        a.publications.remove(p[0], p[1].pk)
        b.publications.remove(p[1].pk, p[0])  # the cached statement
        self.assertEqual(self.ids(a), [p[2].pk])
        self.assertEqual(self.ids(b), [p[2].pk])
        p[2].article_set.remove(a)
        p[2].article_set.remove(b.pk)
        self.assertEqual(self.ids(a), [])
        self.assertEqual(self.ids(b), [])
        for article in (a, b):
            article.publications.set(p[3:])
        p[3].article_set.clear()
        p[4].article_set.clear()
        self.assertEqual(self.ids(a), [p[5].pk])
        a.publications.clear()
        b.publications.clear()
        self.assertEqual((self.ids(a), self.ids(b)), ([], []))

    def test_delete_receivers_keep_the_collector(self) -> None:
        # As Django: receivers make the collector read the rows first; an auto-created through
        # model's rows are deleted without sending the signal to them.
        through = Article.publications.through
        seen: list[Any] = []

        def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
            seen.append(instance)

        a = self.arts[2]
        a.publications.set(self.pubs[:2])
        a.publications.remove(self.pubs[0])  # fills the cache without receivers
        signals.post_delete.connect(receiver, sender=through)
        try:
            with CaptureQueriesContext(connection) as captured:
                a.publications.remove(self.pubs[1])
            a.publications.set(self.pubs[2:3])
        finally:
            signals.post_delete.disconnect(receiver, sender=through)
        sqls = [q["sql"] for q in captured.captured_queries]
        self.assertEqual([sql.split()[0] for sql in sqls], ["SELECT", "DELETE"])
        self.assertEqual(seen, [])
        self.assertEqual(self.ids(a), [self.pubs[2].pk])

    def test_distinct_count_counts_keys(self) -> None:
        for article in self.arts:
            article.publications.set(self.pubs[:3])
        queryset = Article.objects.filter(publications__title__startswith="p").distinct()
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(queryset.count(), 3)
        sql = captured.captured_queries[-1]["sql"]
        self.assertIn("SELECT DISTINCT", sql)
        self.assertNotIn("headline", sql)
        self.assertEqual(len(list(queryset)), 3)
        annotated = queryset.values("headline")
        self.assertEqual(annotated.count(), 3)
