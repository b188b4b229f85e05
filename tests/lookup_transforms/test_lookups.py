"""regex/iregex, the date and time transforms (in the current time zone), JSON lookups and
register_lookup, on every backend."""

from __future__ import annotations

import datetime
import zoneinfo

from tether import models
from tether.db import NotSupportedError, connection
from tether.test import TestCase
from tether.utils import timezone

from .models import Event

UTC = datetime.UTC


class RegexTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for name in ("alpha", "Beta", "gamma42", "it's"):
            Event.objects.create(name=name)

    def names(self, **kwargs):
        return sorted(Event.objects.filter(**kwargs).values_list("name", flat=True))

    def test_regex(self):
        self.assertEqual(self.names(name__regex=r"^[a-z]+$"), ["alpha"])
        self.assertEqual(self.names(name__regex=r"\d+"), ["gamma42"])
        self.assertEqual(self.names(name__regex=r"^b"), [])

    def test_iregex(self):
        self.assertEqual(self.names(name__iregex=r"^b"), ["Beta"])
        self.assertEqual(self.names(name__iregex=r"A$"), ["Beta", "alpha"])

    def test_regex_with_quote(self):
        self.assertEqual(self.names(name__regex=r"'s$"), ["it's"])

    def test_exclude_regex(self):
        self.assertEqual(self.names(), sorted(["alpha", "Beta", "gamma42", "it's"]))
        self.assertEqual(len(Event.objects.exclude(name__regex=r"a")), 1)


class DateTransformTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # 2024-12-31 23:30 UTC is 2025-01-01 00:30 in Paris (winter: UTC+1).
        Event.objects.create(
            name="new year",
            when=datetime.datetime(2024, 12, 31, 23, 30, 15, tzinfo=UTC),
            day=datetime.date(2024, 12, 31),
            at=datetime.time(23, 30, 15),
        )
        Event.objects.create(
            name="summer",
            when=datetime.datetime(2021, 7, 15, 8, 5, 59, tzinfo=UTC),
            day=datetime.date(2021, 7, 15),
            at=datetime.time(8, 5, 59),
        )

    def names(self, **kwargs):
        return sorted(Event.objects.filter(**kwargs).values_list("name", flat=True))

    def test_date_field_transforms(self):
        self.assertEqual(self.names(day__year=2024), ["new year"])
        self.assertEqual(self.names(day__month=7), ["summer"])
        self.assertEqual(self.names(day__day=31), ["new year"])
        self.assertEqual(self.names(day__quarter=3), ["summer"])
        self.assertEqual(self.names(day__week_day=3), ["new year"])  # a Tuesday: Sunday=1
        self.assertEqual(self.names(day__iso_week_day=4), ["summer"])  # a Thursday
        self.assertEqual(self.names(day__week=1), ["new year"])  # ISO week 1 of 2025
        self.assertEqual(self.names(day__iso_year=2025), ["new year"])
        self.assertEqual(self.names(day__year__gte=2022), ["new year"])
        self.assertEqual(self.names(day__year__in=[2021, 2020]), ["summer"])

    def test_time_field_transforms(self):
        self.assertEqual(self.names(at__hour=23), ["new year"])
        self.assertEqual(self.names(at__minute=5), ["summer"])
        self.assertEqual(self.names(at__second=59), ["summer"])

    def test_datetime_transforms_in_utc(self):
        self.assertEqual(self.names(when__year=2024), ["new year"])
        self.assertEqual(self.names(when__month=12), ["new year"])
        self.assertEqual(self.names(when__hour=8), ["summer"])
        self.assertEqual(self.names(when__minute=30), ["new year"])
        self.assertEqual(self.names(when__second=15), ["new year"])
        self.assertEqual(self.names(when__date=datetime.date(2024, 12, 31)), ["new year"])
        self.assertEqual(self.names(when__date__gt=datetime.date(2022, 1, 1)), ["new year"])
        self.assertEqual(self.names(when__time=datetime.time(8, 5, 59)), ["summer"])

    def test_datetime_transforms_follow_the_current_time_zone(self):
        with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
            self.assertEqual(self.names(when__year=2025), ["new year"])
            self.assertEqual(self.names(when__month=1), ["new year"])
            self.assertEqual(self.names(when__day=1), ["new year"])
            self.assertEqual(self.names(when__hour=0), ["new year"])
            self.assertEqual(self.names(when__hour=10), ["summer"])  # summer time: UTC+2
            self.assertEqual(self.names(when__date=datetime.date(2025, 1, 1)), ["new year"])
            self.assertEqual(self.names(when__week_day=4), ["new year"])  # Wednesday
        with timezone.override("America/New_York"):
            self.assertEqual(self.names(when__hour=18), ["new year"])
        # Back to the default (UTC) outside the block, with the same cached SQL.
        self.assertEqual(self.names(when__year=2024), ["new year"])

    def test_unsupported_transform(self):
        from tether.exceptions import FieldError

        with self.assertRaisesMessage(FieldError, "Unsupported lookup 'hour' for DateField"):
            list(Event.objects.filter(day__hour=1))


class JSONLookupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Event.objects.create(
            name="a", data={"k": "Value", "n": 1, "l": [1, {"x": "y"}], "o": {"p": None}}
        )
        Event.objects.create(name="b", data={"k": "other", "n": 10, "o": {"p": 2}})
        Event.objects.create(name="c", data=[1, 2])
        Event.objects.create(name="d", data=None)

    def names(self, **kwargs):
        return sorted(Event.objects.filter(**kwargs).values_list("name", flat=True))

    def test_key_transforms(self):
        self.assertEqual(self.names(data__k="Value"), ["a"])
        self.assertEqual(self.names(data__n=10), ["b"])
        self.assertEqual(self.names(data__n__gt=2), ["b"])
        self.assertEqual(self.names(data__n__lte=2), ["a"])
        self.assertEqual(self.names(data__l__1__x="y"), ["a"])
        self.assertEqual(self.names(data__0=1), ["c"])
        self.assertEqual(self.names(data__o__p=None), ["a"])
        self.assertEqual(self.names(data__o={"p": 2}), ["b"])
        self.assertEqual(self.names(data__k__in=["Value", "other"]), ["a", "b"])

    def test_key_text_lookups(self):
        self.assertEqual(self.names(data__k__icontains="alu"), ["a"])
        self.assertEqual(self.names(data__k__startswith="oth"), ["b"])
        self.assertEqual(self.names(data__k__iexact="value"), ["a"])
        self.assertEqual(self.names(data__k__regex=r"^V"), ["a"])

    def test_key_isnull(self):
        self.assertEqual(self.names(data__k__isnull=False), ["a", "b"])
        self.assertEqual(self.names(data__l__isnull=True, data__isnull=False), ["b", "c"])

    def test_has_key_family(self):
        self.assertEqual(self.names(data__has_key="l"), ["a"])
        self.assertEqual(self.names(data__has_keys=["k", "n"]), ["a", "b"])
        self.assertEqual(self.names(data__has_keys=["k", "l"]), ["a"])
        self.assertEqual(self.names(data__has_any_keys=["l", "zzz"]), ["a"])
        self.assertEqual(self.names(data__o__has_key="p"), ["a", "b"])

    def test_whole_document_exact(self):
        self.assertEqual(self.names(data=[1, 2]), ["c"])
        self.assertEqual(self.names(data__isnull=True), ["d"])

    def test_contains_and_contained_by(self):
        if connection.vendor == "sqlite":
            with self.assertRaisesMessage(NotSupportedError, "contains lookup is not supported"):
                list(Event.objects.filter(data__contains={"k": "Value"}))
            return
        self.assertEqual(self.names(data__contains={"k": "Value"}), ["a"])
        self.assertEqual(self.names(data__contains={"o": {"p": 2}}), ["b"])
        self.assertEqual(
            self.names(data__contained_by={"k": "other", "n": 10, "o": {"p": 2}, "more": 1}), ["b"]
        )

    def test_hostile_keys_are_bound(self):
        key = "'; DROP TABLE x; --"
        Event.objects.create(name="e", data={key: "v"})
        self.assertEqual(self.names(**{f"data__{key}": "v"}), ["e"])
        self.assertEqual(self.names(data__has_key=key), ["e"])


class Reverse(models.Transform):
    lookup_name = "tether_reverse"
    function = "REVERSE"

    def as_sqlite(self, compiler, connection):
        # SQLite has no REVERSE(): reverse short strings with a recursive substring trick is
        # overkill for a test; compare UPPER() instead, registered under the same name.
        sql, params = compiler.compile(self.lhs)
        return f"UPPER({sql})", params


class NotEqual(models.Lookup):
    lookup_name = "ne"

    def as_sql(self, compiler, connection):
        lhs = self.process_lhs(compiler, connection)
        return f"{lhs} <> %s", self.get_params(compiler, connection)


class RegisterLookupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Event.objects.create(name="abc")
        Event.objects.create(name="xyz")

    def test_custom_lookup(self):
        models.CharField.register_lookup(NotEqual)
        try:
            self.assertEqual(
                list(Event.objects.filter(name__ne="abc").values_list("name", flat=True)), ["xyz"]
            )
        finally:
            models.CharField._unregister_lookup(NotEqual)
        from tether.exceptions import FieldError

        with self.assertRaises(FieldError):
            list(Event.objects.filter(name__ne="abc"))

    def test_custom_transform_as_decorator(self):
        registered = models.CharField.register_lookup(Reverse)
        self.assertIs(registered, Reverse)
        try:
            expected = "ABC" if connection.vendor == "sqlite" else "cba"
            names = Event.objects.filter(name__tether_reverse=expected).values_list(
                "name", flat=True
            )
            self.assertEqual(list(names), ["abc"])
            names = Event.objects.filter(name__tether_reverse__startswith=expected[0])
            self.assertEqual(len(names), 1)
        finally:
            models.CharField._unregister_lookup(Reverse)

    def test_decorator_form(self):
        @models.TextField.register_lookup
        class Shout(models.Lookup):
            lookup_name = "shout"

            def as_sql(self, compiler, connection):
                lhs = self.process_lhs(compiler, connection)
                return f"UPPER({lhs}) = %s", self.get_params(compiler, connection)

        try:
            self.assertIn("shout", models.TextField().get_lookups())
            self.assertNotIn("shout", models.IntegerField().get_lookups())
        finally:
            models.TextField._unregister_lookup(Shout)
