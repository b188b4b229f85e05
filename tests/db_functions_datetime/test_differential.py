"""Extract, Trunc, Now and the date transforms and year lookups: the same results and errors
as Django 5.2, with use_tz off, on in UTC, on in a zone east of UTC, and with tzinfo=."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from tether.db import connection, transaction
from tether.models import functions
from tether.test import TestCase, override_config
from tether.utils import timezone

from .models import DTModel
from .twins import MOMENTS, django_outcomes, outcome, populate

EXTRACT_KINDS = ("year", "iso_year", "month", "day", "week", "week_day", "iso_week_day", "quarter")
TIME_KINDS = ("hour", "minute", "second")
TRUNC_KINDS = ("year", "quarter", "month", "week", "day", "hour", "minute", "second")
MINUS_FIVE = datetime.timezone(datetime.timedelta(hours=-5))
KOLKATA = "Asia/Kolkata"


def show(rows: Any) -> list[Any]:
    """Rows as text, so that a date-time's offset is compared too."""
    return [tuple(map(str, row)) if isinstance(row, tuple) else str(row) for row in rows]


def scenarios(m: dict[str, Any]) -> dict[str, Any]:
    DTModel, f, models = m["DTModel"], m["functions"], m["models"]
    rows = DTModel.objects.order_by("name")
    out: dict[str, Any] = {}
    for kind in (*EXTRACT_KINDS, *TIME_KINDS):
        out[f"extract {kind}"] = lambda kind=kind: show(
            rows.annotate(x=f.Extract("start_datetime", kind)).values_list("name", "x")
        )
        out[f"transform {kind}"] = lambda kind=kind: show(
            rows.values_list("name", f"start_datetime__{kind}")
        )
    for kind in EXTRACT_KINDS:
        out[f"extract date {kind}"] = lambda kind=kind: show(
            rows.annotate(x=f.Extract("start_date", kind)).values_list("x", flat=True)
        )
    for kind in TIME_KINDS:
        out[f"extract time {kind}"] = lambda kind=kind: show(
            rows.annotate(x=f.Extract("start_time", kind)).values_list("x", flat=True)
        )
    named = {
        "ExtractYear": "year",
        "ExtractIsoYear": "iso_year",
        "ExtractMonth": "month",
        "ExtractDay": "day",
        "ExtractWeek": "week",
        "ExtractWeekDay": "week_day",
        "ExtractIsoWeekDay": "iso_week_day",
        "ExtractQuarter": "quarter",
        "ExtractHour": "hour",
        "ExtractMinute": "minute",
        "ExtractSecond": "second",
    }
    for name in named:
        out[name] = lambda name=name: show(
            rows.annotate(x=getattr(f, name)("start_datetime")).values_list("x", flat=True)
        )
        out[f"{name} tzinfo"] = lambda name=name: show(
            rows.annotate(x=getattr(f, name)("start_datetime", tzinfo=MINUS_FIVE)).values_list(
                "x", flat=True
            )
        )
    for kind in TRUNC_KINDS:
        out[f"trunc {kind}"] = lambda kind=kind: show(
            rows.annotate(x=f.Trunc("start_datetime", kind)).values_list("name", "x")
        )
        out[f"trunc {kind} tzinfo"] = lambda kind=kind: show(
            rows.annotate(x=f.Trunc("start_datetime", kind, tzinfo=MINUS_FIVE)).values_list(
                "x", flat=True
            )
        )
    for kind in ("year", "quarter", "month", "week", "day"):
        out[f"trunc {kind} to date"] = lambda kind=kind: show(
            rows.annotate(
                x=f.Trunc("start_datetime", kind, output_field=models.DateField())
            ).values_list("x", flat=True)
        )
        out[f"trunc date {kind}"] = lambda kind=kind: show(
            rows.annotate(x=f.Trunc("start_date", kind)).values_list("x", flat=True)
        )
    for kind in TIME_KINDS:
        out[f"trunc {kind} to time"] = lambda kind=kind: show(
            rows.annotate(
                x=f.Trunc("start_datetime", kind, output_field=models.TimeField())
            ).values_list("x", flat=True)
        )
        out[f"trunc time {kind}"] = lambda kind=kind: show(
            rows.annotate(x=f.Trunc("start_time", kind)).values_list("x", flat=True)
        )
    for name in ("TruncYear", "TruncQuarter", "TruncMonth", "TruncWeek", "TruncDay"):
        out[name] = lambda name=name: show(
            rows.annotate(x=getattr(f, name)("start_datetime")).values_list("x", flat=True)
        )
    for name in ("TruncHour", "TruncMinute", "TruncSecond", "TruncDate", "TruncTime"):
        out[name] = lambda name=name: show(
            rows.annotate(x=getattr(f, name)("start_datetime")).values_list("x", flat=True)
        )
        out[f"{name} tzinfo"] = lambda name=name: show(
            rows.annotate(x=getattr(f, name)("start_datetime", tzinfo=MINUS_FIVE)).values_list(
                "x", flat=True
            )
        )
    out.update(dates_scenarios(m))
    out.update(filter_scenarios(m))
    out.update(error_scenarios(m))
    return out


def dates_scenarios(m: dict[str, Any]) -> dict[str, Any]:
    objects = m["DTModel"].objects
    out: dict[str, Any] = {}
    for kind in ("year", "month", "week", "day"):
        out[f"dates {kind}"] = lambda kind=kind: show(objects.dates("start_date", kind))
        out[f"dates of datetime {kind} desc"] = lambda kind=kind: show(
            objects.dates("start_datetime", kind, order="DESC")
        )
    for kind in ("year", "month", "week", "day", "hour", "minute", "second"):
        out[f"datetimes {kind}"] = lambda kind=kind: show(objects.datetimes("start_datetime", kind))
    out["datetimes tzinfo"] = lambda: show(
        objects.datetimes("start_datetime", "day", "DESC", tzinfo=MINUS_FIVE)
    )
    out["datetimes filtered"] = lambda: show(
        objects.filter(name__in=["a", "b"]).datetimes("start_datetime", "hour")
    )
    out["dates count"] = lambda: objects.dates("start_datetime", "day").count()
    out["dates bad kind"] = lambda: objects.dates("start_date", "hour")
    out["dates bad order"] = lambda: objects.dates("start_date", "day", order="up")
    out["datetimes bad kind"] = lambda: objects.datetimes("start_datetime", "quarter")
    out["datetimes bad order"] = lambda: objects.datetimes("start_datetime", "day", "asc")
    out["dates of time"] = lambda: list(objects.dates("start_time", "day"))
    out["dates of text"] = lambda: list(objects.dates("name", "day"))
    return out


def filter_scenarios(m: dict[str, Any]) -> dict[str, Any]:
    DTModel, f, models = m["DTModel"], m["functions"], m["models"]
    rows = DTModel.objects.order_by("name")

    def names(**filters: Any) -> Any:
        return lambda: show(rows.filter(**filters).values_list("name", flat=True))

    return {
        "year exact": names(start_datetime__year=2015),
        "year gt": names(start_datetime__year__gt=2015),
        "year gte": names(start_datetime__year__gte=2016),
        "year lt": names(start_datetime__year__lt=2016),
        "year lte": names(start_datetime__year__lte=2015),
        "year in": names(start_datetime__year__in=[2016]),
        "year of date": names(start_date__year=2016),
        "iso year": names(start_datetime__iso_year=2015),
        "iso year of date gt": names(start_date__iso_year__gt=2015),
        "year from expression": names(start_datetime__year=f.ExtractYear("end_datetime") - 1),
        "month": names(start_datetime__month=6),
        "day": names(start_datetime__day__gte=15),
        "week day": names(start_datetime__week_day=2),
        "quarter": names(start_datetime__quarter=4),
        "hour": names(start_datetime__hour__lt=12),
        "date": names(start_datetime__date=datetime.date(2015, 6, 16)),
        "time": names(start_datetime__time__gte=datetime.time(20)),
        "time hour": names(start_time__hour=14),
        "now": names(start_datetime__lt=f.Now()),
        "now annotate": lambda: (
            rows.annotate(n=f.Now()).filter(end_datetime__lt=models.F("n")).count()
        ),
        "order by trunc": lambda: show(
            rows.filter(start_datetime__isnull=False)
            .order_by(f.TruncMonth("start_datetime").desc(), "name")
            .values_list("name", flat=True)
        ),
        "group by trunc": lambda: show(
            DTModel.objects.filter(start_datetime__isnull=False)
            .annotate(m=f.TruncYear("start_datetime"))
            .values("m")
            .annotate(c=models.Count("id"))
            .order_by("m")
            .values_list("m", "c")
        ),
        "extract in filter of annotation": lambda: show(
            rows.annotate(h=f.ExtractHour("start_datetime"))
            .filter(h__gte=14)
            .values_list("name", "h")
        ),
    }


def error_scenarios(m: dict[str, Any]) -> dict[str, Any]:
    DTModel, f, models = m["DTModel"], m["functions"], m["models"]

    def run(**annotations: Any) -> Any:
        return lambda: len(list(DTModel.objects.annotate(**annotations)))

    return {
        "extract without lookup name": lambda: f.Extract("start_datetime"),
        "extract of text": run(x=f.Extract("name", "hour")),
        "extract time of date": run(x=f.Extract("start_date", "second")),
        "extract tzinfo of date": run(x=f.Extract("start_date", "year", tzinfo=MINUS_FIVE)),
        "extract duration date part": run(x=f.Extract("duration", "year")),
        "trunc to integer": run(
            x=f.Trunc("start_datetime", "year", output_field=models.IntegerField())
        ),
        "trunc of text": run(x=f.Trunc("name", "year", output_field=models.DateTimeField())),
        "trunc date to second": run(x=f.Trunc("start_date", "second")),
        "trunc date to datetime": run(
            x=f.Trunc("start_date", "month", output_field=models.DateTimeField())
        ),
        "trunc time to month": run(x=f.Trunc("start_time", "month")),
        "trunc time to datetime": run(
            x=f.Trunc("start_time", "second", output_field=models.DateTimeField())
        ),
        "trunc hour of date": run(x=f.TruncHour("start_date")),
        "trunc tzinfo of date": run(x=f.TruncDay("start_date", tzinfo=MINUS_FIVE)),
    }


def tether_namespace() -> dict[str, Any]:
    from tether import models

    return {"models": models, "functions": functions, "DTModel": DTModel}


def zone_tables_loaded() -> bool:
    """Whether MariaDB can convert to named zones (its time zone tables are filled)."""
    if connection.vendor != "mysql":
        return True
    with connection.cursor() as cursor:
        # Not a SELECT from mysql.time_zone_name: those tables take no savepoints.
        cursor.execute("SELECT CONVERT_TZ('2000-01-01 00:00:00', '+00:00', 'UTC')")
        return cursor.fetchone()[0] is not None


class DateFunctionDifferentialTests(TestCase):
    def compare(self, use_tz: bool, zone: str | None) -> None:
        expected = django_outcomes(scenarios, use_tz, zone)
        with override_config(use_tz=use_tz), timezone.override(zone):
            populate(DTModel, use_tz)
            for name, scenario in scenarios(tether_namespace()).items():
                with self.subTest(name), transaction.atomic():
                    self.assertEqual(outcome(scenario), expected[name])

    def test_use_tz_off(self) -> None:
        self.compare(False, None)

    def test_use_tz_utc(self) -> None:
        self.compare(True, "UTC")

    def test_use_tz_east_of_utc(self) -> None:
        if not zone_tables_loaded():
            self.skipTest("MariaDB's time zone tables are empty")
        self.compare(True, "Australia/Melbourne")

    def test_use_tz_named_zone_by_offset(self) -> None:
        self.compare(True, KOLKATA if zone_tables_loaded() else None)


class DurationExtractTests(TestCase):
    """Extract from a DurationField needs a native interval type (PostgreSQL), as in Django."""

    def test_extract_duration(self) -> None:
        populate(DTModel, use_tz=True)
        rows = DTModel.objects.filter(name="a")
        annotated = rows.annotate(
            d=functions.Extract("duration", "day"),
            h=functions.Extract("duration", "hour"),
            s=functions.ExtractSecond("duration"),
        )
        if not connection.features.has_native_duration_field:
            with self.assertRaisesMessage(
                ValueError, "Extract requires native DurationField database support."
            ):
                list(annotated)
            return
        self.assertEqual(list(annotated.values_list("d", "h", "s")), [(400, 5, 0)])


class AsyncDatesTests(TestCase):
    async def test_dates_and_datetimes_iterate_asynchronously(self) -> None:
        await DTModel.objects.acreate(
            name="a", start_datetime=datetime.datetime(2015, 6, 15, 14, tzinfo=datetime.UTC)
        )
        await DTModel.objects.acreate(name="b", start_date=datetime.date(2016, 2, 29))
        dates = [d async for d in DTModel.objects.dates("start_date", "month")]
        self.assertEqual(dates, [datetime.date(2016, 2, 1)])
        stamps = [d async for d in DTModel.objects.datetimes("start_datetime", "hour")]
        self.assertEqual(stamps, [datetime.datetime(2015, 6, 15, 14, tzinfo=datetime.UTC)])
        self.assertEqual(await DTModel.objects.dates("start_date", "year").acount(), 1)


class SampleRowsTests(TestCase):
    def test_moments_cover_a_day_and_a_year_boundary(self) -> None:
        melbourne = zoneinfo.ZoneInfo("Australia/Melbourne")
        local = {
            k: v.replace(tzinfo=datetime.UTC).astimezone(melbourne) for k, v in MOMENTS.items()
        }
        self.assertNotEqual(local["b"].date(), MOMENTS["b"].date())
        self.assertEqual(local["c"].year, 2016)
