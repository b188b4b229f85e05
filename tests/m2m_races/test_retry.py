"""retrying_atomic_plan: a lost lock race is retried at the transaction boundary, only when
tether owns the transaction; inside a caller's transaction the error propagates."""

from __future__ import annotations

import threading
import unittest
from collections.abc import Generator
from typing import Any

from tether.db import OperationalError, connection, connections, transaction
from tether.db.core.requests import ROWCOUNT, ROWS, Execute
from tether.db.core.run import run_plan
from tether.db.transaction import retrying_atomic_plan
from tether.test import TransactionTestCase
from tether.test.utils import CaptureQueriesContext

from .models import Tag


def transient_error() -> OperationalError:
    """An OperationalError whose driver cause the current backend calls a lost lock race."""
    vendor = connection.vendor
    if vendor == "postgresql":
        import psycopg

        cause: Exception = psycopg.errors.DeadlockDetected("deadlock detected")
    elif vendor == "mysql":
        import pymysql

        cause = pymysql.err.OperationalError(1213, "Deadlock found when trying to get lock")
    else:
        import sqlite3

        cause = sqlite3.OperationalError("database is locked")
    error = OperationalError(*cause.args)
    error.__cause__ = cause
    return error


class RetryTests(TransactionTestCase):
    def flaky(self, failures: int, attempts: list[int]) -> Any:
        def factory() -> Generator[Any, Any, str]:
            attempts.append(1)
            yield Execute("SELECT 1", (), ROWS)
            if len(attempts) <= failures:
                raise transient_error()
            return "done"

        return factory

    def test_transient_errors_are_recognised(self) -> None:
        self.assertTrue(connection.ops.is_transient_error(transient_error()))
        self.assertFalse(connection.ops.is_transient_error(OperationalError("no such table")))

    def test_retried_when_tether_owns_the_transaction(self) -> None:
        attempts: list[int] = []
        with CaptureQueriesContext(connection) as ctx:
            result = run_plan(retrying_atomic_plan(connection, self.flaky(2, attempts)), connection)
        self.assertEqual((result, len(attempts)), ("done", 3))
        statements = [q["sql"].split()[0] for q in ctx.captured_queries]
        self.assertEqual(
            statements, ["BEGIN", "SELECT", "ROLLBACK"] * 2 + ["BEGIN", "SELECT", "COMMIT"]
        )
        self.assertTrue(connection.get_autocommit())

    def test_gives_up_after_the_last_attempt(self) -> None:
        attempts: list[int] = []
        with self.assertRaises(OperationalError):
            run_plan(retrying_atomic_plan(connection, self.flaky(5, attempts), 3), connection)
        self.assertEqual(len(attempts), 3)

    def test_other_errors_are_not_retried(self) -> None:
        attempts: list[int] = []

        def factory() -> Generator[Any, Any, None]:
            attempts.append(1)
            yield Execute("SELECT 1", (), ROWS)
            raise OperationalError("something else")

        with self.assertRaises(OperationalError):
            run_plan(retrying_atomic_plan(connection, factory), connection)
        self.assertEqual(len(attempts), 1)

    def test_inside_a_callers_transaction_the_error_propagates(self) -> None:
        attempts: list[int] = []
        with self.assertRaises(OperationalError), transaction.atomic():
            run_plan(retrying_atomic_plan(connection, self.flaky(1, attempts)), connection)
        self.assertEqual(len(attempts), 1)

    @unittest.skipIf(connection.vendor == "sqlite", "BEGIN IMMEDIATE serializes SQLite writers")
    def test_a_real_deadlock_victim_is_retried(self) -> None:
        a, b = Tag.objects.create(name="a"), Tag.objects.create(name="b")
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []
        table = connection.ops.quote_name(Tag._meta.db_table)

        def update(pk: int) -> Execute:
            sql = connection.ops.to_driver_sql(f"UPDATE {table} SET name = name WHERE id = %s")
            return Execute(sql, [pk], ROWCOUNT)

        def work(first: int, second: int) -> None:
            conn = connections["default"]  # this thread's own connection
            tries: list[int] = []

            def factory() -> Generator[Any, Any, None]:
                tries.append(1)
                yield update(first)
                if len(tries) == 1:
                    barrier.wait(timeout=10)
                yield update(second)

            try:
                run_plan(retrying_atomic_plan(conn, factory), conn)
            except BaseException as exc:
                errors.append(exc)
            finally:
                conn.close()

        threads = [
            threading.Thread(target=work, args=(a.pk, b.pk)),
            threading.Thread(target=work, args=(b.pk, a.pk)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
