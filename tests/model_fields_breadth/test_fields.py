"""Round trips and behaviour of the breadth fields on every backend."""

from __future__ import annotations

import datetime
import uuid

from tether.db import DataError, IntegrityError, connection, transaction
from tether.test import TestCase, skipUnlessDBFeature

from .models import Doc, Everything, Medal, Small, Stamped, WithDbDefault, Year


class RoundTripTests(TestCase):
    def test_every_field_round_trips(self):
        values = dict(
            time=datetime.time(10, 11, 12, 500),
            duration=datetime.timedelta(days=-2, seconds=5, microseconds=7),
            uuid=uuid.uuid4(),
            data={"a": {"b": [1, 2.5, {"c": "x"}]}, "n": None, "t": True, "s": "héllo"},
            blob=b"\x00\xff\x10",
            email="someone@example.com",
            slug="a-slug_1",
            url="https://example.org/path?q=1",
            ip="2001:db8::1",
            medal=Medal.SILVER,
            year=Year.FRESHMAN,
        )
        obj = Everything.objects.create(**values)
        fetched = Everything.objects.get(pk=obj.pk)
        for name, value in values.items():
            self.assertEqual(getattr(fetched, name), value, name)
        self.assertIsInstance(fetched.uuid, uuid.UUID)
        self.assertIsInstance(fetched.blob, bytes)

    def test_nulls(self):
        obj = Everything.objects.create()
        fetched = Everything.objects.get(pk=obj.pk)
        for name in ("time", "duration", "uuid", "data", "blob", "ip", "medal"):
            self.assertIsNone(getattr(fetched, name), name)

    def test_json_scalars_and_lists(self):
        for value in ([1, "two", None], "text", 3, 2.5, True, False, {"nested": {"deep": [[]]}}):
            doc = Doc.objects.create(value=value)
            self.assertEqual(Doc.objects.get(pk=doc.pk).value, value)

    def test_uuid_lookups(self):
        a, b = uuid.uuid4(), uuid.uuid4()
        Everything.objects.create(uuid=a)
        Everything.objects.create(uuid=b)
        self.assertEqual(Everything.objects.filter(uuid=a).count(), 1)
        self.assertEqual(Everything.objects.filter(uuid=str(b)).count(), 1)
        self.assertEqual(Everything.objects.filter(uuid__in=[a, b]).count(), 2)

    def test_duration_comparisons(self):
        Everything.objects.create(duration=datetime.timedelta(hours=1))
        Everything.objects.create(duration=datetime.timedelta(days=1))
        self.assertEqual(
            Everything.objects.filter(duration__gt=datetime.timedelta(hours=2)).count(), 1
        )

    def test_time_comparisons(self):
        Everything.objects.create(time=datetime.time(9))
        Everything.objects.create(time=datetime.time(17, 30))
        self.assertEqual(Everything.objects.filter(time__gte=datetime.time(12)).count(), 1)

    def test_ip_ipv4(self):
        Everything.objects.create(ip="192.168.0.1")
        self.assertEqual(Everything.objects.get(ip="192.168.0.1").ip, "192.168.0.1")


class ChoicesTests(TestCase):
    def test_enums(self):
        self.assertEqual(Medal.choices, [(1, "Gold medal"), (2, "Silver"), (3, "Bronze")])
        self.assertEqual(Year.choices, [("FR", "Freshman"), ("SR", "Senior")])
        self.assertEqual(Year.labels, ["Freshman", "Senior"])
        self.assertEqual(Medal.values, [1, 2, 3])
        self.assertEqual(Year.names, ["FRESHMAN", "SENIOR"])
        self.assertEqual(Medal.GOLD.label, "Gold medal")
        self.assertEqual(str(Year.SENIOR), "SR")
        self.assertEqual(Year.SENIOR, "SR")
        self.assertIn("FR", Year)
        self.assertEqual(Medal(2), Medal.SILVER)

    def test_get_display(self):
        obj = Everything.objects.create(medal=Medal.GOLD, year="SR")
        obj = Everything.objects.get(pk=obj.pk)
        self.assertEqual(obj.get_medal_display(), "Gold medal")
        self.assertEqual(obj.get_year_display(), "Senior")
        obj.medal = 99
        self.assertEqual(obj.get_medal_display(), 99)


class AutoNowTests(TestCase):
    def test_auto_now_and_auto_now_add(self):
        obj = Stamped.objects.create(name="a")
        self.assertIsNotNone(obj.created)
        self.assertEqual(obj.day, obj.created.date())
        created, updated = obj.created, obj.updated
        obj.name = "b"
        obj.save()
        fetched = Stamped.objects.get(pk=obj.pk)
        self.assertEqual(fetched.created, created)
        self.assertGreaterEqual(fetched.updated, updated)
        self.assertIsNotNone(fetched.created.tzinfo)

    def test_time_auto_now_is_the_time_of_day_and_moves_on_save(self):
        obj = Stamped.objects.create(name="t")
        self.assertIsInstance(obj.clock, datetime.time)
        self.assertEqual(Stamped.objects.get(pk=obj.pk).clock, obj.clock)
        stale = datetime.time(0, 0)
        obj.clock = stale
        obj.save()
        self.assertNotEqual(obj.clock, stale)
        self.assertFalse(Stamped._meta.get_field("clock").editable)

    def test_not_editable(self):
        field = Stamped._meta.get_field("created")
        self.assertFalse(field.editable)
        self.assertTrue(field.blank)


class DbDefaultTests(TestCase):
    def test_value_read_back_after_insert(self):
        obj = WithDbDefault.objects.create()
        self.assertEqual(obj.rank, 42)
        self.assertEqual(obj.label, "hello")
        self.assertEqual(WithDbDefault.objects.get(pk=obj.pk).rank, 42)

    def test_explicit_value_wins(self):
        obj = WithDbDefault.objects.create(rank=7, label="x")
        fetched = WithDbDefault.objects.get(pk=obj.pk)
        self.assertEqual((fetched.rank, fetched.label), (7, "x"))

    def test_default_clause_in_create_table(self):
        with connection.schema_editor(collect_sql=True) as editor:
            editor.create_model(WithDbDefault)
        sql = " ".join(editor.collected_sql)
        self.assertIn("DEFAULT (42)", sql)
        self.assertIn("DEFAULT ('hello')", sql)


class IntegerRangeTests(TestCase):
    def test_small_auto_field(self):
        obj = Small.objects.create(small=-5, positive=1, positive_small=2, positive_big=2**40)
        fetched = Small.objects.get(pk=obj.pk)
        self.assertEqual((fetched.small, fetched.positive_big), (-5, 2**40))
        self.assertIsInstance(obj.pk, int)

    @skipUnlessDBFeature("supports_column_check_constraints")
    def test_positive_fields_refuse_negatives(self):
        for name in ("positive", "positive_small", "positive_big"):
            # MariaDB's unsigned columns refuse the value as out of range (DataError, as in Django).
            with (
                self.subTest(name),
                self.assertRaises((IntegrityError, DataError)),
                transaction.atomic(),
            ):
                Small.objects.create(**{name: -1})

    def test_check_constraint_sql(self):
        with connection.schema_editor(collect_sql=True) as editor:
            editor.create_model(Small)
        sql = " ".join(editor.collected_sql)
        if connection.features.supports_column_check_constraints:
            self.assertIn(">= 0", sql)
