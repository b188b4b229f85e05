"""The deletion helpers Django's tests call directly: Collector(using=alias) and
ops.bulk_batch_size() with lists, as Django's signatures take them."""

from __future__ import annotations

from tether.db import connection
from tether.models.deletion import Collector
from tether.test import TestCase


class DjangoSignatureTests(TestCase):
    def test_collector_by_alias(self) -> None:
        collector = Collector(using="default")
        self.assertEqual(collector.using, "default")
        self.assertEqual(collector.conn.alias, connection.alias)
        self.assertEqual(Collector("default").using, "default")

    def test_bulk_batch_size_takes_lists(self) -> None:
        objs = [object()] * 3
        self.assertEqual(
            connection.ops.bulk_batch_size(["pk"], objs), connection.ops.bulk_batch_size(1, 3)
        )
        self.assertEqual(connection.ops.bulk_batch_size([], objs), 3)
