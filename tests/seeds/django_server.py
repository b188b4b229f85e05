"""Where Django answers the differential scenarios: the backend tether runs the suite on.

On SQLite that is Django's in-memory SQLite database (its `default`). On PostgreSQL and
MariaDB it is a database of Django's own on the same server (`<tether's test database>_django`,
made afresh for each run and dropped at exit) under the alias `twin`, which a router sends the
models of the apps that asked for it to: so that a function whose answer is the database's
own (MariaDB's 4-place division, PostgreSQL's ASCII('')) and Django's per-backend errors
(NotSupportedError where the backend lacks a feature) are compared with Django on that
backend.
"""

from __future__ import annotations

import atexit
from functools import cache
from typing import Any

TWIN = "twin"
ENGINES = {"postgresql": "django.db.backends.postgresql", "mysql": "django.db.backends.mysql"}


class TwinRouter:
    """Reads and writes of the models of `app_labels` go to the twin database."""

    app_labels: set[str] = set()

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return TWIN if model._meta.app_label in self.app_labels else None

    db_for_write = db_for_read


def django_alias(app_label: str) -> str:
    """The Django alias the scenarios of `app_label` run on (Django is configured already)."""
    from tether.db import connection

    if connection.vendor == "sqlite":
        return "default"
    _twin()
    TwinRouter.app_labels.add(app_label)
    return TWIN


@cache
def _twin() -> None:
    from tether.db import connection

    if connection.vendor == "mysql":
        _pymysql_as_mysqldb()
    _add_twin(connection.vendor, connection.settings_dict)


def _pymysql_as_mysqldb() -> None:
    """Django's MySQL backend imports mysqlclient (MySQLdb) and checks its version; PyMySQL,
    tether's driver, stands in for it (test-only)."""
    import pymysql

    pymysql.version_info = (2, 2, 1, "final", 0)
    pymysql.install_as_MySQLdb()


def _add_twin(vendor: str, tether_settings: Any) -> None:
    from django.conf import settings
    from django.db import connections, router

    name = f"{tether_settings.name}_django"
    config = {
        "ENGINE": ENGINES[vendor],
        "NAME": name,
        "USER": tether_settings.user or "",
        "PASSWORD": tether_settings.password or "",
        "HOST": tether_settings.host or "",
        "PORT": str(tether_settings.port or ""),
    }
    databases = {"default": dict(settings.DATABASES["default"]), TWIN: config}
    connections.settings[TWIN] = connections.configure_settings(databases)[TWIN]
    twin = connections[TWIN]
    quoted = twin.ops.quote_name(name)
    with twin._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    atexit.register(_drop, quoted)
    if vendor == "postgresql":  # SHA1 and the like are pgcrypto's DIGEST(), as tether's
        with twin.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    router.routers.append(TwinRouter())


def _drop(quoted: str) -> None:
    from django.db import connections

    twin = connections[TWIN]
    twin.close()
    with twin._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
