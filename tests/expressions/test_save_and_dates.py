"""Expressions assigned to fields before save(), and date/duration arithmetic in F().

Django 5.2 (checked in-process): save() writes the expression's SQL, the attribute keeps the
expression until refresh_from_db(); an F() cannot be inserted; DateField/DateTimeField plus or
minus a DurationField (or a timedelta) is a DateTimeField.
"""

import datetime

from tether.db import connection
from tether.models import DurationField, ExpressionWrapper, F, Value
from tether.models.expressions import CombinedExpression
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .models import Moment

UTC = datetime.UTC
WHEN = datetime.datetime(2024, 1, 31, 12, tzinfo=UTC)
DAY = datetime.date(2024, 1, 31)
HOUR = datetime.timedelta(hours=1)


class SaveExpressionTests(TestCase):
    def setUp(self):
        self.m = Moment.objects.create(count=1, when=WHEN, day=DAY, length=HOUR)

    def test_update_uses_the_expression(self):
        self.m.count = F("count") + 1
        with CaptureQueriesContext(connection) as ctx:
            self.m.save()
        self.assertEqual(len(ctx.captured_queries), 1)
        self.assertIn("UPDATE", ctx.captured_queries[0]["sql"])
        self.assertIsInstance(self.m.count, CombinedExpression)
        self.m.refresh_from_db()
        self.assertEqual(self.m.count, 2)

    def test_update_fields_and_refresh_one_field(self):
        self.m.count = F("count") * 10
        self.m.save(update_fields=["count"])
        self.assertIsInstance(self.m.count, CombinedExpression)
        self.m.refresh_from_db(fields=["count"])
        self.assertEqual(self.m.count, 10)

    def test_value_expression_inserted(self):
        other = Moment(count=Value(5) + 2)
        other.save()
        self.assertIsInstance(other.count, CombinedExpression)
        self.assertEqual(Moment.objects.get(pk=other.pk).count, 7)

    def test_f_cannot_be_inserted(self):
        with self.assertRaisesMessage(
            ValueError, "F() expressions can only be used to update, not to insert."
        ):
            Moment(count=F("count") + 2).save()

    def test_save_date_arithmetic(self):
        self.m.when = F("when") + datetime.timedelta(days=1)
        self.m.save()
        self.m.refresh_from_db()
        self.assertEqual(self.m.when, WHEN + datetime.timedelta(days=1))


class DateArithmeticTests(TestCase):
    def setUp(self):
        self.m = Moment.objects.create(when=WHEN, day=DAY, length=HOUR)
        Moment.objects.create()

    def annotated(self, expression):
        rows = Moment.objects.annotate(x=expression).order_by("pk").values_list("x", flat=True)
        return list(rows)

    def test_update(self):
        Moment.objects.filter(pk=self.m.pk).update(
            when=F("when") + datetime.timedelta(days=1),
            day=F("day") + datetime.timedelta(days=1),
            length=F("length") + datetime.timedelta(minutes=30),
        )
        self.m.refresh_from_db()
        self.assertEqual(self.m.when, datetime.datetime(2024, 2, 1, 12, tzinfo=UTC))
        self.assertEqual(self.m.day, datetime.date(2024, 2, 1))
        self.assertEqual(self.m.length, datetime.timedelta(hours=1, minutes=30))

    def test_annotate(self):
        self.assertEqual(
            self.annotated(F("when") + datetime.timedelta(days=2)),
            [datetime.datetime(2024, 2, 2, 12, tzinfo=UTC), None],
        )
        self.assertEqual(
            self.annotated(F("when") + F("length")),
            [datetime.datetime(2024, 1, 31, 13, tzinfo=UTC), None],
        )
        self.assertEqual(
            self.annotated(F("when") - datetime.timedelta(hours=2, microseconds=5)),
            [datetime.datetime(2024, 1, 31, 9, 59, 59, 999995, tzinfo=UTC), None],
        )
        self.assertEqual(
            self.annotated(datetime.timedelta(days=1) + F("when")),
            [datetime.datetime(2024, 2, 1, 12, tzinfo=UTC), None],
        )

    def test_date_plus_duration_is_a_datetime(self):
        # PostgreSQL's date + interval is a timestamp without time zone: naive, as in Django.
        tz = None if connection.vendor == "postgresql" else UTC
        self.assertEqual(
            self.annotated(F("day") + datetime.timedelta(days=2)),
            [datetime.datetime(2024, 2, 2, tzinfo=tz), None],
        )

    def test_duration_arithmetic(self):
        self.assertEqual(
            self.annotated(F("length") + datetime.timedelta(minutes=1)),
            [datetime.timedelta(hours=1, minutes=1), None],
        )
        self.assertEqual(
            self.annotated(ExpressionWrapper(F("length") * 2, output_field=DurationField())),
            [datetime.timedelta(hours=2), None],
        )

    def test_filter(self):
        found = Moment.objects.filter(when__gt=F("when") - datetime.timedelta(hours=2))
        self.assertEqual([m.pk for m in found], [self.m.pk])
        self.assertFalse(Moment.objects.filter(when__lt=F("when") - F("length")).exists())
