"""SQLite database files and their URL options (issue 10, item 7).

An existing file's journal mode is left as it is unless the URL asks (`?journal_mode=`); a
file tether creates is put in WAL; `?mode=ro` (and a write-protected file) opens read-only
without any PRAGMA that writes; `?timeout=` is the busy timeout; any other option is refused
with ImproperlyConfigured before connecting. Each test uses an alias of its own pointing at a
file in a temporary directory, so they run beside any backend.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import tempfile
import time
import unittest
from collections.abc import Iterator
from typing import Any

import pytest

from tether.conf import settings
from tether.db import OperationalError, connections
from tether.exceptions import ImproperlyConfigured
from tether.test import SimpleTestCase
from tether.test.utils import override_config


def make_file(path: str, journal_mode: str = "delete") -> None:
    """A database file made by someone else: one table, one row, the given journal mode."""
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute(f"PRAGMA journal_mode = {journal_mode}")
    raw.execute("CREATE TABLE t (v integer)")
    raw.execute("INSERT INTO t VALUES (1)")
    raw.close()


def journal_mode(path: str) -> str:
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(raw.execute("PRAGMA journal_mode").fetchone()[0]).lower()
    finally:
        raw.close()


class SQLiteFileTests(SimpleTestCase):
    @pytest.fixture(autouse=True)
    def _own_files(self, tether_db_blocker: Any) -> Iterator[None]:
        """These tests use database files of their own, no test database: unblocked."""
        with tether_db_blocker.unblock():
            yield

    def setUp(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="tether-sqlite-files-")
        self.addCleanup(shutil.rmtree, self.folder, True)
        self.path = os.path.join(self.folder, "db.sqlite3")

    def use(self, query: str = "") -> object:
        """Point alias "file" at self.path with `query`, for the rest of the test."""
        url = f"sqlite:///{self.path}{'?' + query if query else ''}"
        override = override_config(databases=dict(settings.databases, file=url))
        override.enable()
        self.addCleanup(override.disable)
        self.addCleanup(lambda: connections["file"].close())
        return connections["file"]

    def query(self, sql: str) -> list[tuple[object, ...]]:
        with connections["file"].cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def test_an_existing_files_journal_mode_is_left_alone(self) -> None:
        make_file(self.path, "delete")
        self.use()
        self.query("INSERT INTO t VALUES (2)")
        self.assertEqual(self.query("SELECT count(*) FROM t"), [(2,)])
        self.assertEqual(journal_mode(self.path), "delete")

    def test_journal_mode_from_the_url(self) -> None:
        make_file(self.path, "delete")
        self.use("journal_mode=wal")
        self.assertEqual(self.query("SELECT count(*) FROM t"), [(1,)])
        self.assertEqual(journal_mode(self.path), "wal")

    def test_a_file_tether_creates_uses_wal(self) -> None:
        self.use()
        self.query("CREATE TABLE t (v integer)")
        self.assertEqual(journal_mode(self.path), "wal")

    def test_read_only_mode_reads_and_refuses_writes(self) -> None:
        make_file(self.path, "delete")
        self.use("mode=ro")
        self.assertEqual(self.query("SELECT v FROM t"), [(1,)])
        with self.assertRaises(OperationalError) as ctx:
            self.query("INSERT INTO t VALUES (2)")
        self.assertIsInstance(ctx.exception.__cause__, sqlite3.OperationalError)
        self.assertIn("readonly", str(ctx.exception))
        self.assertEqual(journal_mode(self.path), "delete")

    def test_read_only_mode_on_a_wal_file(self) -> None:
        make_file(self.path, "wal")
        self.use("mode=ro")
        self.assertEqual(self.query("SELECT v FROM t"), [(1,)])

    @unittest.skipIf(os.geteuid() == 0, "root may write to a write-protected file")
    def test_a_write_protected_file_can_be_read(self) -> None:
        make_file(self.path, "delete")
        os.chmod(self.path, stat.S_IRUSR)
        self.addCleanup(os.chmod, self.path, stat.S_IRUSR | stat.S_IWUSR)
        self.use()
        self.assertEqual(self.query("SELECT v FROM t"), [(1,)])
        self.assertEqual(journal_mode(self.path), "delete")

    def test_timeout_is_the_busy_timeout(self) -> None:
        make_file(self.path, "delete")
        self.use("timeout=0.2")
        self.query("SELECT 1")  # connected before the lock is taken
        holder = sqlite3.connect(self.path, isolation_level=None)
        self.addCleanup(holder.close)
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with self.assertRaises(OperationalError) as ctx:
            self.query("INSERT INTO t VALUES (3)")
        self.assertTrue(0.15 < time.monotonic() - started < 10)  # waited 0.2 s, not 30
        self.assertIn("locked", str(ctx.exception))
        holder.execute("ROLLBACK")

    def test_bad_options_are_refused_before_connecting(self) -> None:
        cases = {
            "colour=blue": "Unknown SQLite URL option(s) colour",
            "timeout=soon": "Invalid timeout",
            "journal_mode=fast": "Invalid journal_mode",
            "mode=rx": "Invalid mode",
        }
        for query, message in cases.items():
            with self.subTest(query=query):
                self.use(query)
                with self.assertRaisesMessage(ImproperlyConfigured, message):
                    self.query("SELECT 1")
                self.assertFalse(os.path.exists(self.path))
