"""Prefetching a single related object sends no ORDER BY (Django clears the ordering), while
a multi-valued relation keeps Meta.ordering."""

from __future__ import annotations

from tether.db import connection
from tether.models import Prefetch, prefetch_related_objects
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .models import Story, Writer


class SingleObjectOrderingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        writer = Writer.objects.create(name="w")
        Story.objects.create(headline="a", writer=writer)

    def last_sql(self, *lookups: object, objs: list) -> str:
        with CaptureQueriesContext(connection) as ctx:
            prefetch_related_objects(objs, *lookups)
        return ctx.captured_queries[-1]["sql"]

    def test_forward(self) -> None:
        self.assertNotIn("ORDER BY", self.last_sql("writer", objs=list(Story.objects.all())))
        sql = self.last_sql(
            Prefetch("writer", Writer.objects.order_by("-name")), objs=list(Story.objects.all())
        )
        self.assertNotIn("ORDER BY", sql)

    def test_reverse_many_keeps_ordering(self) -> None:
        self.assertIn("ORDER BY", self.last_sql("story_set", objs=list(Writer.objects.all())))
