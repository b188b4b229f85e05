"""DTModel declared for Django 5.2 (test-only), the sample rows, and a runner giving each
scenario's outcome on Django (in-process, on the backend tether runs on but MariaDB:
seeds/django_server.py) with use_tz on or off and a current time zone."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from seeds.django_apps import configure_django, install_app
from seeds.django_server import django_alias

# UTC instants: a summer afternoon, an evening that is the next day east of UTC, the last
# hours of a year (the next year in Melbourne, still the old ISO year), and a leap day.
MOMENTS = {
    "a": datetime.datetime(2015, 6, 15, 14, 30, 50, 321),
    "b": datetime.datetime(2015, 6, 15, 23, 30, 1, 999999),
    "c": datetime.datetime(2015, 12, 31, 22, 5, 0),
    "d": datetime.datetime(2016, 2, 29, 0, 0, 30),
}

Scenarios = Callable[[dict[str, Any]], dict[str, Callable[[], Any]]]


def populate(model: Any, use_tz: bool) -> None:
    for name, moment in MOMENTS.items():
        stamp = moment.replace(tzinfo=datetime.UTC) if use_tz else moment
        model.objects.create(
            name=name,
            start_datetime=stamp,
            end_datetime=stamp + datetime.timedelta(days=400, hours=5),
            start_date=moment.date(),
            start_time=moment.time(),
            duration=datetime.timedelta(days=400, hours=5),
        )
    model.objects.create(name="z")


def _alias() -> str:
    """Django's alias for these scenarios: on the backend tether runs on, except MariaDB.
    Django converts from the named zone 'UTC' there, NULL unless the server's time zone
    tables are loaded (tether converts from '+00:00'); there Django answers from SQLite."""
    from tether.db import connection

    return "default" if connection.vendor == "mysql" else django_alias("db_functions_datetime")


@cache
def django_model() -> Any:
    configure_django()
    install_app("db_functions_datetime")
    from django.db import connections, models

    class DTModel(models.Model):
        name = models.CharField(max_length=32)
        start_datetime = models.DateTimeField(null=True)
        end_datetime = models.DateTimeField(null=True)
        start_date = models.DateField(null=True)
        start_time = models.TimeField(null=True)
        duration = models.DurationField(null=True)

        class Meta:
            app_label = "db_functions_datetime"
            ordering = ["name"]

    with connections[_alias()].schema_editor() as editor:
        editor.create_model(DTModel)
    return DTModel


def django_namespace() -> dict[str, Any]:
    from django.db import models
    from django.db.models import functions

    return {"models": models, "functions": functions, "DTModel": django_model()}


@contextmanager
def django_settings(use_tz: bool, zone: str | None) -> Iterator[None]:
    from django.test.utils import override_settings
    from django.utils import timezone

    with override_settings(USE_TZ=use_tz), timezone.override(zone):
        yield


def django_outcomes(scenarios: Scenarios, use_tz: bool, zone: str | None) -> dict[str, Any]:
    from django.db import transaction

    m = django_namespace()
    alias = _alias()
    results: dict[str, Any] = {}
    with django_settings(use_tz, zone), transaction.atomic(using=alias):
        populate(m["DTModel"], use_tz)
        for name, scenario in scenarios(m).items():
            with transaction.atomic(using=alias):
                results[name] = outcome(scenario)
                if results[name][0] != "ok":  # PostgreSQL aborts the transaction
                    transaction.set_rollback(True, using=alias)
        transaction.set_rollback(True, using=alias)
    return results


def outcome(func: Callable[[], Any]) -> Any:
    """("ok", value) or (exception class name, message): comparable across the two ORMs."""
    try:
        return ("ok", func())
    except Exception as exc:
        return (type(exc).__name__, str(exc))
