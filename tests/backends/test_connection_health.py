"""Persistent connections and health checks per alias (issue 18, item 4), as Django's
CONN_MAX_AGE and CONN_HEALTH_CHECKS: URL options `conn_max_age` (seconds; 0, the default, closes
the connection at the next close_old_connections(); `none` keeps it open) and
`conn_health_checks`, and `tether.db.close_old_connections()` to call where Django's request
signals would (at the end and start of a unit of work)."""

from __future__ import annotations

import unittest
from typing import Any
from unittest import mock

from backends.test_reconnect import backend_pid, kill
from concurrency.models import Counter
from tether.conf import parse_database_url
from tether.db import OperationalError, close_old_connections, connection, connections, transaction
from tether.exceptions import ImproperlyConfigured
from tether.test import SimpleTestCase, TransactionTestCase

_SERVER = connection.vendor in ("postgresql", "mysql")


def _wrapper(alias: str, query: str) -> Any:
    """A wrapper of the test database with these URL options."""
    base = connections["default"].settings_dict
    separator = "&" if "?" in base.url else "?"
    settings = parse_database_url(base.url + separator + query)
    return type(connections["default"])(settings.with_name(base.name), alias)


class OptionTests(SimpleTestCase):
    def test_parsed_from_the_url_and_kept_from_the_driver(self) -> None:
        settings = parse_database_url(
            "postgresql://u@h/db?conn_max_age=60&conn_health_checks=true&sslmode=disable"
        )
        self.assertEqual(settings.conn_max_age, 60)
        self.assertIs(settings.conn_health_checks, True)
        self.assertEqual(settings.options, {"sslmode": "disable"})
        settings = parse_database_url("sqlite:///x.db?conn_max_age=none")
        self.assertIsNone(settings.conn_max_age)
        self.assertEqual(settings.options, {})
        default = parse_database_url("mysql://root@h/db")
        self.assertEqual((default.conn_max_age, default.conn_health_checks), (0, False))

    def test_bad_values_are_refused(self) -> None:
        for query, message in (
            ("conn_max_age=soon", "conn_max_age must be a number of seconds or 'none'"),
            ("conn_max_age=-1", "conn_max_age must be a number of seconds or 'none'"),
            ("conn_health_checks=maybe", "conn_health_checks must be true or false"),
        ):
            with self.subTest(query), self.assertRaisesMessage(ImproperlyConfigured, message):
                parse_database_url(f"postgresql://u@h/db?{query}")


@unittest.skipUnless(_SERVER, "an in-memory SQLite test database is never closed")
class MaxAgeTests(TransactionTestCase):
    def test_default_closes_at_close_old_connections(self) -> None:
        before = backend_pid()
        close_old_connections()
        self.assertIsNone(connection.driver)
        self.assertNotEqual(backend_pid(), before)  # the next statement opens a new one

    def test_a_connection_inside_atomic_is_left_alone(self) -> None:
        with transaction.atomic():
            before = backend_pid()
            close_old_connections()
            self.assertEqual(backend_pid(), before)

    def test_none_keeps_the_connection(self) -> None:
        conn = _wrapper("forever", "conn_max_age=none")
        try:
            before = backend_pid(conn)
            conn.close_if_unusable_or_obsolete()
            self.assertEqual(backend_pid(conn), before)
        finally:
            conn.close()

    def test_seconds_keep_it_until_they_pass(self) -> None:
        conn = _wrapper("aged", "conn_max_age=60")
        try:
            with mock.patch("tether.db.backends.base.wrapper.monotonic", return_value=1000.0):
                before = backend_pid(conn)
            with mock.patch("tether.db.backends.base.wrapper.monotonic", return_value=1059.0):
                conn.close_if_unusable_or_obsolete()
            self.assertEqual(backend_pid(conn), before)
            with mock.patch("tether.db.backends.base.wrapper.monotonic", return_value=1060.0):
                conn.close_if_unusable_or_obsolete()
            self.assertIsNone(conn.driver)
            self.assertNotEqual(backend_pid(conn), before)
        finally:
            conn.close()


@unittest.skipUnless(_SERVER, "needs a server that can drop a client's connection")
class HealthCheckTests(TransactionTestCase):
    def test_a_dropped_connection_is_replaced_before_the_next_statement(self) -> None:
        conn = _wrapper("checked", "conn_max_age=none&conn_health_checks=true")
        try:
            before = backend_pid(conn)
            kill(before)
            conn.close_if_unusable_or_obsolete()  # the start of the next unit of work
            self.assertNotEqual(backend_pid(conn), before)  # no error: checked, then replaced
        finally:
            conn.close()

    def test_checked_once_per_unit_of_work(self) -> None:
        conn = _wrapper("checked_once", "conn_max_age=none&conn_health_checks=true")
        try:
            before = backend_pid(conn)
            conn.close_if_unusable_or_obsolete()
            with mock.patch.object(type(conn.driver), "ping", autospec=True) as ping:
                ping.return_value = True
                backend_pid(conn)
                backend_pid(conn)
            self.assertEqual(ping.call_count, 1)
            self.assertEqual(backend_pid(conn), before)
        finally:
            conn.close()

    def test_without_checks_the_first_statement_fails(self) -> None:
        conn = _wrapper("unchecked", "conn_max_age=none")
        try:
            before = backend_pid(conn)
            kill(before)
            conn.close_if_unusable_or_obsolete()
            with self.assertRaises(OperationalError):
                backend_pid(conn)
            self.assertNotEqual(backend_pid(conn), before)
        finally:
            conn.close()

    def test_close_old_connections_uses_the_models(self) -> None:
        Counter.objects.create(key="a")
        close_old_connections()
        self.assertEqual(Counter.objects.count(), 1)


@unittest.skipUnless(connection.vendor == "sqlite", "SQLite files")
class SQLiteFileTests(TransactionTestCase):
    def test_a_file_connection_is_closed_and_a_memory_one_kept(self) -> None:
        import tempfile
        from pathlib import Path

        from backends.test_reconnect import _one

        with tempfile.TemporaryDirectory() as folder:
            settings = parse_database_url(f"sqlite:///{Path(folder) / 'health.db'}")
            conn = type(connections["default"])(settings, "health_file")
            try:
                _one(conn, "SELECT 1")
                conn.close_if_unusable_or_obsolete()
                self.assertIsNone(conn.driver)
            finally:
                conn.close()
        memory = type(connections["default"])(
            parse_database_url("sqlite://:memory:"), "health_memory"
        )
        try:
            _one(memory, "CREATE TABLE kept (x INTEGER)")
            memory.close_if_unusable_or_obsolete()
            self.assertEqual(_one(memory, "SELECT COUNT(*) FROM kept")[0], 0)
        finally:
            memory.close()
