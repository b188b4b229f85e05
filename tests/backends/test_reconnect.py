"""Failures at the transaction boundary (issue 4, item 3).

A connection the server dropped (PostgreSQL pg_terminate_backend, MariaDB KILL) is found and
replaced at the next transaction boundary and never in the middle of a transaction: inside an
atomic block the error propagates, the block's later statements are refused and the connection
is replaced once the block exits. An error inside a savepoint leaves the outer transaction
usable; a pooled connection whose server side died is discarded, not handed out again.
"""

from __future__ import annotations

import unittest
from typing import Any

from concurrency.models import Counter
from tether.conf import parse_database_url
from tether.db import (
    IntegrityError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from tether.db.core.requests import ONE, ROWCOUNT, Execute
from tether.db.core.run import run_plan
from tether.db.errors import TransactionManagementError
from tether.test import TransactionTestCase

_SERVER = connection.vendor in ("postgresql", "mysql")
_PID_SQL = {"postgresql": "SELECT pg_backend_pid()", "mysql": "SELECT CONNECTION_ID()"}


def _one(conn: Any, sql: str, params: list[Any] | None = None) -> Any:
    def plan() -> Any:
        return (yield Execute(conn.ops.to_driver_sql(sql), params or [], ONE))

    return run_plan(plan(), conn)


def backend_pid(conn: Any = None) -> int:
    conn = conn or connections["default"]
    return int(_one(conn, _PID_SQL[conn.vendor])[0])


def kill(pid: int) -> None:
    """Drop connection `pid` from the server side, through a connection of its own."""
    base = connections["default"]
    killer = type(base)(base.settings_dict, "killer")
    try:
        if base.vendor == "postgresql":
            _one(killer, "SELECT pg_terminate_backend(%s)", [pid])
        else:

            def plan() -> Any:
                return (yield Execute(f"KILL {int(pid)}", [], ROWCOUNT))

            run_plan(plan(), killer)
    finally:
        killer.close()


@unittest.skipUnless(_SERVER, "needs a server that can drop a client's connection")
class DroppedConnectionTests(TransactionTestCase):
    def test_replaced_at_the_next_begin(self) -> None:
        before = backend_pid()
        kill(before)
        with transaction.atomic():  # BEGIN finds the connection dead: runs again on a new one
            Counter.objects.create(key="a")
        self.assertNotEqual(backend_pid(), before)
        self.assertEqual(Counter.objects.get().key, "a")

    def test_replaced_after_a_failed_statement_outside_a_transaction(self) -> None:
        before = backend_pid()
        kill(before)
        with self.assertRaises(OperationalError):
            Counter.objects.count()  # may have run: not repeated behind the caller's back
        self.assertFalse(connection.is_usable)
        self.assertEqual(Counter.objects.count(), 0)
        self.assertNotEqual(backend_pid(), before)

    def test_never_replaced_inside_a_transaction(self) -> None:
        before = backend_pid()
        with transaction.atomic():
            Counter.objects.create(key="x")
            kill(before)
            with self.assertRaises(OperationalError):
                Counter.objects.create(key="y")
            with self.assertRaises(TransactionManagementError):
                Counter.objects.count()  # refused: the block is marked unusable
            with self.assertRaises(TransactionManagementError):
                with transaction.atomic():
                    Counter.objects.create(key="z")
        self.assertTrue(connection.get_autocommit())
        self.assertEqual(Counter.objects.count(), 0)  # nothing of the block was committed
        self.assertNotEqual(backend_pid(), before)


class SavepointTests(TransactionTestCase):
    def test_an_error_in_a_savepoint_leaves_the_transaction_usable(self) -> None:
        with transaction.atomic():
            Counter.objects.create(key="a")
            with self.assertRaises(IntegrityError), transaction.atomic():
                Counter.objects.create(key="a")
            Counter.objects.create(key="b")
        self.assertEqual(sorted(Counter.objects.values_list("key", flat=True)), ["a", "b"])


@unittest.skipUnless(connection.vendor == "postgresql", "psycopg_pool is PostgreSQL's")
class PoolTests(TransactionTestCase):
    def pooled(self, alias: str) -> Any:
        base = connections["default"].settings_dict
        settings = parse_database_url(base.url.split("?")[0] + "?pool=true&pool_max_size=1")
        return type(connections["default"])(settings.with_name(base.name), alias)

    def test_a_dropped_pooled_connection_is_discarded(self) -> None:
        first = self.pooled("pooled_a")
        pid = backend_pid(first)
        kill(pid)
        with self.assertRaises(OperationalError):
            backend_pid(first)
        first.close()
        second = self.pooled("pooled_b")  # the pool (max 1) must hand out a live connection
        try:
            self.assertNotEqual(backend_pid(second), pid)
        finally:
            second.close()

    def test_a_pooled_connection_is_returned_without_a_transaction(self) -> None:
        first = self.pooled("pooled_c")
        run_plan(transaction.enter_atomic(first), first)  # BEGIN on the pooled connection
        backend_pid(first)
        raw = first.driver.raw
        first.close()  # mid-transaction: rolled back before it goes back to the pool
        import psycopg

        self.assertEqual(raw.info.transaction_status, psycopg.pq.TransactionStatus.IDLE)
