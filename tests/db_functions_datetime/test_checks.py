"""`tether check --database`: a warning when MariaDB's time zone tables are needed (use_tz on)
and empty; nothing when they are loaded, on the other backends, or with use_tz off."""

from __future__ import annotations

from unittest import mock

from tether.checks import run_checks
from tether.db import connection
from tether.test import TestCase, override_config


def warnings_for(databases: list[str] | None) -> list[str]:
    return [m.id for m in run_checks(tags=["database"], databases=databases)]


class TimeZoneTablesCheckTests(TestCase):
    def test_warns_only_when_the_tables_are_empty(self) -> None:
        with override_config(use_tz=True):
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")  # the features below ask an open connection
            expected = [] if connection.features.has_zoneinfo_database else ["tether.W001"]
            self.assertEqual(warnings_for(["default"]), expected)

    def test_message_and_hint(self) -> None:
        with (
            override_config(use_tz=True),
            mock.patch.object(type(connection.features), "has_zoneinfo_database", False),
        ):
            (message,) = run_checks(tags=["database"], databases=["default"])
        self.assertEqual(message.id, "tether.W001")
        self.assertIn("time zone tables of database 'default' are empty", message.msg)
        self.assertIn("mariadb-tzinfo-to-sql", message.hint)

    def test_silent_without_use_tz_or_without_databases(self) -> None:
        with mock.patch.object(type(connection.features), "has_zoneinfo_database", False):
            with override_config(use_tz=False):
                self.assertEqual(warnings_for(["default"]), [])
            with override_config(use_tz=True):
                self.assertEqual(warnings_for(None), [])

    def test_mariadb_feature_matches_convert_tz(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if connection.vendor != "mysql":
            self.assertIs(connection.features.has_zoneinfo_database, True)
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT CONVERT_TZ('2001-01-01 00:00:00', '+00:00', 'Europe/Paris')")
            converted = cursor.fetchone()[0]
        self.assertIs(connection.features.has_zoneinfo_database, converted is not None)
