"""Fields marked db_returning (the database computes their value at insert) are read back by
the INSERT itself where the backend can return columns, as Django's."""

import datetime

from tether.db import connection
from tether.test import TestCase, skipUnlessDBFeature
from tether.test.utils import CaptureQueriesContext

from .models import DbStamped, Plain, Stamped, StampKeyed


@skipUnlessDBFeature("can_return_columns_from_insert")
class DbReturningTests(TestCase):
    def test_create_reads_back_every_returning_column(self):
        with CaptureQueriesContext(connection) as captured:
            obj = Stamped.objects.create()
        qn = connection.ops.quote_name
        table = qn(Stamped._meta.db_table)
        self.assertIn(f"RETURNING {table}.{qn('id')}, {table}.{qn('created')}", captured[-1]["sql"])
        self.assertIsInstance(obj.created, datetime.datetime)
        self.assertEqual(Stamped.objects.get().created, obj.created)

    def test_returning_primary_key_not_an_integer(self):
        obj = StampKeyed.objects.create()
        self.assertIsInstance(obj.created, datetime.datetime)
        self.assertEqual(StampKeyed.objects.get().pk, obj.pk)

    def test_plain_insert_returns_its_key_qualified(self):
        with CaptureQueriesContext(connection) as captured:
            Plain.objects.create(name="p")
        qn = connection.ops.quote_name
        table = qn(Plain._meta.db_table)
        self.assertIn(f"RETURNING {table}.{qn('id')}", captured[-1]["sql"])

    @skipUnlessDBFeature("can_return_rows_from_bulk_insert")
    def test_bulk_create_reads_back_returning_columns(self):
        when = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
        objs = [Stamped(created=when), Stamped(pk=2**11, created=when), Stamped(created=when)]
        Stamped.objects.bulk_create(objs)
        for obj in objs:
            with self.subTest(obj=obj):
                self.assertTrue(obj.pk)
                self.assertEqual(obj.created, when)
        self.assertEqual(
            sorted(Stamped.objects.values_list("pk", flat=True)), sorted(o.pk for o in objs)
        )

    def test_db_default_read_back_by_create(self):
        obj = DbStamped.objects.create(label="a")
        self.assertIsInstance(obj.created, datetime.datetime)
