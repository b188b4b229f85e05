"""Meta.ordering is left out of GROUP BY queries, as in Django 3.1+."""

from __future__ import annotations

from tether.db import connection
from tether.models import Count
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .models import Publication


class GroupedOrderingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        Publication.objects.create(title="Zeta")
        Publication.objects.create(title="Alpha")

    def test_annotate_with_an_aggregate_drops_meta_ordering(self) -> None:
        queryset = Publication.objects.annotate(n=Count("article"))
        self.assertFalse(queryset.ordered)
        with CaptureQueriesContext(connection) as captured:
            list(queryset)
        self.assertNotIn("ORDER BY", captured[0]["sql"])

    def test_explicit_order_by_is_kept(self) -> None:
        queryset = Publication.objects.annotate(n=Count("article")).order_by("-title")
        self.assertTrue(queryset.ordered)
        self.assertEqual([p.title for p in queryset], ["Zeta", "Alpha"])

    def test_plain_queries_keep_meta_ordering(self) -> None:
        self.assertEqual([p.title for p in Publication.objects.all()], ["Alpha", "Zeta"])
