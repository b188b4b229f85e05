"""use_tz and time_zone as Django's USE_TZ and TIME_ZONE: aware datetimes stored in UTC and
read back aware, naive ones warned about and read in the default time zone, use_tz=False
storing naive values as they are, and date transforms in the current time zone. The same
expectations hold on every backend."""

from __future__ import annotations

import datetime
import warnings
import zoneinfo

from tether.db import connection
from tether.test import TestCase, override_config
from tether.utils import timezone

from .models import Event

UTC = datetime.UTC
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NAIVE = datetime.datetime(2011, 9, 1, 13, 20, 30)


def stored_value(pk: int) -> datetime.datetime:
    """The column as the database holds it, read around the ORM, as naive UTC."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT dt FROM timezones_event WHERE id = %s", [pk])
        value = cursor.fetchone()[0]
    if isinstance(value, str):  # SQLite
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is not None:  # PostgreSQL, session in UTC
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


class UseTzTests(TestCase):
    def test_aware_datetime_stored_in_utc_and_read_back_aware(self):
        aware = NAIVE.replace(tzinfo=PARIS)  # 11:20:30 UTC
        event = Event.objects.create(dt=aware)
        self.assertEqual(stored_value(event.pk), datetime.datetime(2011, 9, 1, 11, 20, 30))
        fetched = Event.objects.get(pk=event.pk)
        self.assertEqual(fetched.dt, aware)
        self.assertEqual(fetched.dt.utcoffset(), datetime.timedelta(0))
        self.assertEqual(fetched.dt.replace(tzinfo=None), datetime.datetime(2011, 9, 1, 11, 20, 30))

    def test_aware_with_microseconds_and_lookups(self):
        aware = datetime.datetime(2011, 9, 1, 13, 20, 30, 405060, tzinfo=UTC)
        event = Event.objects.create(dt=aware)
        self.assertEqual(Event.objects.get(pk=event.pk).dt, aware)
        self.assertEqual(Event.objects.filter(dt=aware.astimezone(PARIS)).count(), 1)
        self.assertEqual(
            Event.objects.filter(dt__gt=aware - datetime.timedelta(seconds=1)).count(), 1
        )

    def test_naive_datetime_warns_and_uses_default_time_zone(self):
        with self.assertWarnsMessage(
            RuntimeWarning,
            "DateTimeField Event.dt received a naive datetime (2011-09-01 13:20:30) while time "
            "zone support is active.",
        ):
            event = Event.objects.create(dt=NAIVE)
        self.assertEqual(stored_value(event.pk), NAIVE)  # default time zone is UTC
        self.assertEqual(Event.objects.get(pk=event.pk).dt, NAIVE.replace(tzinfo=UTC))

    def test_naive_datetime_in_other_default_time_zone(self):
        with override_config(time_zone="Europe/Paris"):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                event = Event.objects.create(dt=NAIVE)
            self.assertEqual(len(caught), 1)
            self.assertIs(caught[0].category, RuntimeWarning)
            self.assertEqual(stored_value(event.pk), datetime.datetime(2011, 9, 1, 11, 20, 30))
            self.assertEqual(Event.objects.get(pk=event.pk).dt, NAIVE.replace(tzinfo=PARIS))

    def test_naive_in_filter_warns(self):
        Event.objects.create(dt=NAIVE.replace(tzinfo=UTC))
        with self.assertWarnsMessage(RuntimeWarning, "received a naive datetime"):
            self.assertEqual(Event.objects.filter(dt=NAIVE).count(), 1)

    def test_now_is_aware(self):
        self.assertEqual(timezone.now().utcoffset(), datetime.timedelta(0))


class DateTransformTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # 23:30 UTC on Sept 1st is 01:30 on Sept 2nd in Paris.
        cls.late = Event.objects.create(
            name="late", dt=datetime.datetime(2011, 9, 1, 23, 30, tzinfo=UTC)
        )
        cls.early = Event.objects.create(
            name="early", dt=datetime.datetime(2011, 9, 1, 8, 0, tzinfo=UTC)
        )

    def names(self, **lookup):
        return sorted(Event.objects.filter(**lookup).values_list("name", flat=True))

    def test_in_utc(self):
        self.assertEqual(self.names(dt__date=datetime.date(2011, 9, 1)), ["early", "late"])
        self.assertEqual(self.names(dt__hour=23), ["late"])
        self.assertEqual(self.names(dt__day=2), [])

    def test_current_time_zone_override(self):
        with timezone.override(PARIS):
            self.assertEqual(self.names(dt__date=datetime.date(2011, 9, 2)), ["late"])
            self.assertEqual(self.names(dt__date=datetime.date(2011, 9, 1)), ["early"])
            self.assertEqual(self.names(dt__hour=1), ["late"])
            self.assertEqual(self.names(dt__hour=10), ["early"])
            self.assertEqual(self.names(dt__day=2), ["late"])

    def test_default_time_zone_setting(self):
        with override_config(time_zone="Europe/Paris"):
            self.assertEqual(self.names(dt__date=datetime.date(2011, 9, 2)), ["late"])
            self.assertEqual(self.names(dt__hour=1), ["late"])
        self.assertEqual(self.names(dt__hour=23), ["late"])


class NoTzTests(TestCase):
    def test_naive_stored_and_returned_as_is(self):
        with override_config(use_tz=False):
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                event = Event.objects.create(dt=NAIVE)
                fetched = Event.objects.get(pk=event.pk)
            self.assertEqual(fetched.dt, NAIVE)
            self.assertIsNone(fetched.dt.tzinfo)
            self.assertEqual(Event.objects.filter(dt=NAIVE).count(), 1)
            self.assertEqual(Event.objects.filter(dt__hour=13).count(), 1)
            self.assertEqual(Event.objects.filter(dt__date=NAIVE.date()).count(), 1)

    def test_aware_rejected_or_converted(self):
        aware = NAIVE.replace(tzinfo=PARIS)
        sqlite_message = (
            "SQLite backend does not support timezone-aware datetimes when USE_TZ is False."
        )
        with override_config(use_tz=False):
            if connection.vendor == "sqlite":
                with self.assertRaisesMessage(ValueError, sqlite_message):
                    Event.objects.create(dt=aware)
            elif connection.vendor == "mysql":
                with self.assertRaisesMessage(
                    ValueError,
                    "MySQL backend does not support timezone-aware datetimes when USE_TZ is False.",
                ):
                    Event.objects.create(dt=aware)
            else:
                # PostgreSQL, as Django: stored as the instant, read back naive in time_zone.
                event = Event.objects.create(dt=aware)
                self.assertEqual(
                    Event.objects.get(pk=event.pk).dt, datetime.datetime(2011, 9, 1, 11, 20, 30)
                )

    def test_switching_back_takes_effect(self):
        with override_config(use_tz=False):
            Event.objects.create(dt=NAIVE)
            self.assertIsNone(Event.objects.get().dt.tzinfo)
        self.assertEqual(Event.objects.get().dt, NAIVE.replace(tzinfo=UTC))
        with override_config(use_tz=False):
            self.assertIsNone(Event.objects.get().dt.tzinfo)

    def test_now_is_naive(self):
        with override_config(use_tz=False):
            self.assertIsNone(timezone.now().tzinfo)
