"""Plans driven by hand with a scripted fake runner: no database, no driver.

A plan is a generator of request values; the FakeRunner checks each request against a script
and sends back the scripted result, or throws the scripted tether.db exception into the plan,
exactly as the real runners do.
"""

import asyncio
import sqlite3
import unittest
from unittest import mock

from tether.conf import parse_database_url
from tether.db import DatabaseError, IntegrityError
from tether.db.connections import load_backend
from tether.db.core.requests import LASTROWID, ONE, ROWCOUNT, ROWS, Execute, TransactionControl
from tether.db.core.run import arun_plan, run_plan
from tether.db.transaction import atomic_plan
from tether.models.instance.persistence import save_plan
from tether.models.sql.compiler import SQLCompiler
from tether.test import TestCase

from .models import Widget

INSERT_SQL = 'INSERT INTO "core_widget" ("name", "size") VALUES (?, ?) RETURNING "core_widget"."id"'
SELECT = 'SELECT "core_widget"."id", "core_widget"."name", "core_widget"."size" FROM "core_widget"'


def fake_connection():
    """A real SQLite wrapper (ops, features, caches) that is never connected."""
    return load_backend("sqlite")(parse_database_url("sqlite://:memory:"), "fake")


class FakeRunner:
    """Drives a plan through a script of (expected request, result or exception)."""

    def __init__(self, testcase, script):
        self.testcase = testcase
        self.script = list(script)
        self.seen = []

    def run(self, plan):
        result = None
        throw = None
        while True:
            try:
                request = plan.throw(throw) if throw is not None else plan.send(result)
            except StopIteration as stop:
                self.testcase.assertEqual(self.script, [], "plan ended before the script did")
                return stop.value
            self.seen.append(request)
            self.testcase.assertTrue(self.script, f"unexpected request {request!r}")
            expected, outcome = self.script.pop(0)
            self.testcase.assertEqual(request, expected)
            result, throw = (
                (None, outcome) if isinstance(outcome, BaseException) else (outcome, None)
            )


class SavePlanTests(unittest.TestCase):
    def setUp(self):
        self.conn = fake_connection()

    def test_insert_reads_back_the_pk(self):
        w = Widget(name="a")
        insert = Execute(INSERT_SQL, ["a", 0], ONE)
        FakeRunner(self, [(insert, (7,))]).run(save_plan(w, self.conn, False, False, None))
        self.assertEqual(w.pk, 7)
        self.assertFalse(w._state.adding)
        self.assertEqual(w._state.db, "fake")

    def test_update_of_existing_row(self):
        w = Widget(id=3, name="b", size=2)
        w._state.adding = False
        update = Execute(
            'UPDATE "core_widget" SET "name" = ?, "size" = ? WHERE "id" = ?', ["b", 2, 3], ROWCOUNT
        )
        FakeRunner(self, [(update, 1)]).run(save_plan(w, self.conn, False, False, None))

    def test_update_that_matches_nothing_inserts(self):
        w = Widget(id=3, name="b", size=2)
        update = Execute(
            'UPDATE "core_widget" SET "name" = ?, "size" = ? WHERE "id" = ?', ["b", 2, 3], ROWCOUNT
        )
        insert = Execute(
            'INSERT INTO "core_widget" ("id", "name", "size") VALUES (?, ?, ?)',
            [3, "b", 2],
            ROWCOUNT,
        )
        FakeRunner(self, [(update, 0), (insert, 1)]).run(
            save_plan(w, self.conn, False, False, None)
        )
        self.assertEqual(w.pk, 3)

    def test_update_fields(self):
        w = Widget(id=3, name="b", size=2)
        update = Execute('UPDATE "core_widget" SET "size" = ? WHERE "id" = ?', [2, 3], ROWCOUNT)
        FakeRunner(self, [(update, 1)]).run(save_plan(w, self.conn, False, False, ["size"]))

    def test_force_update_without_match(self):
        w = Widget(id=3, name="b", size=2)
        update = Execute(
            'UPDATE "core_widget" SET "name" = ?, "size" = ? WHERE "id" = ?', ["b", 2, 3], ROWCOUNT
        )
        with self.assertRaisesRegex(DatabaseError, "Forced update did not affect any rows."):
            FakeRunner(self, [(update, 0)]).run(save_plan(w, self.conn, False, True, None))

    def test_insert_without_returning_uses_lastrowid(self):
        self.conn.features.can_return_columns_from_insert = False
        w = Widget(name="c")
        insert = Execute(
            'INSERT INTO "core_widget" ("name", "size") VALUES (?, ?)', ["c", 0], LASTROWID
        )
        FakeRunner(self, [(insert, 11)]).run(save_plan(w, self.conn, False, False, None))
        self.assertEqual(w.pk, 11)

    def test_error_thrown_into_plan_propagates(self):
        w = Widget(name="a")
        insert = Execute(INSERT_SQL, ["a", 0], ONE)
        with self.assertRaises(IntegrityError):
            FakeRunner(self, [(insert, IntegrityError("UNIQUE constraint failed"))]).run(
                save_plan(w, self.conn, False, False, None)
            )
        self.assertIsNone(w.pk)
        self.assertTrue(w._state.adding)


class GetOrCreatePlanTests(unittest.TestCase):
    def setUp(self):
        self.conn = fake_connection()
        self.get = Execute(f'{SELECT} WHERE "core_widget"."name" = ? LIMIT ?', ["a", 21], ROWS)
        self.insert = Execute(INSERT_SQL, ["a", 3], ONE)
        self.begin = TransactionControl("BEGIN IMMEDIATE")
        self.commit = TransactionControl("COMMIT")
        self.rollback = TransactionControl("ROLLBACK")

    def plan(self):
        return Widget.objects.all()._get_or_create_plan(self.conn, {"size": 3}, {"name": "a"})

    def test_found(self):
        obj, created = FakeRunner(self, [(self.get, [(1, "a", 9)])]).run(self.plan())
        self.assertFalse(created)
        self.assertEqual((obj.pk, obj.name, obj.size), (1, "a", 9))
        self.assertFalse(obj._state.adding)

    def test_created_in_a_transaction(self):
        script = [(self.get, []), (self.begin, None), (self.insert, (5,)), (self.commit, None)]
        obj, created = FakeRunner(self, script).run(self.plan())
        self.assertTrue(created)
        self.assertEqual((obj.pk, obj.size), (5, 3))
        self.assertFalse(self.conn.in_atomic_block)
        self.assertTrue(self.conn.autocommit)

    def test_integrity_error_retries_the_get(self):
        script = [
            (self.get, []),
            (self.begin, None),
            (self.insert, IntegrityError("UNIQUE constraint failed: core_widget.name")),
            (self.rollback, None),
            (self.get, [(8, "a", 1)]),
        ]
        obj, created = FakeRunner(self, script).run(self.plan())
        self.assertFalse(created)
        self.assertEqual(obj.pk, 8)
        self.assertFalse(self.conn.in_atomic_block)

    def test_integrity_error_reraised_when_still_missing(self):
        error = IntegrityError("NOT NULL constraint failed")
        script = [
            (self.get, []),
            (self.begin, None),
            (self.insert, error),
            (self.rollback, None),
            (self.get, []),
        ]
        with self.assertRaises(IntegrityError) as ctx:
            FakeRunner(self, script).run(self.plan())
        self.assertIs(ctx.exception, error)

    def test_multiple_objects(self):
        with self.assertRaisesRegex(Widget.MultipleObjectsReturned, "it returned 2!"):
            FakeRunner(self, [(self.get, [(1, "a", 0), (2, "a", 0)])]).run(self.plan())


class AtomicPlanTests(unittest.TestCase):
    def setUp(self):
        self.conn = fake_connection()
        self.stmt = Execute("UPDATE t SET x = 1", (), ROWCOUNT)

    def inner(self, fail=False):
        count = yield self.stmt
        if fail:
            raise ValueError("inner failed")
        return count

    def test_commit(self):
        script = [
            (TransactionControl("BEGIN IMMEDIATE"), None),
            (self.stmt, 4),
            (TransactionControl("COMMIT"), None),
        ]
        self.assertEqual(FakeRunner(self, script).run(atomic_plan(self.conn, self.inner())), 4)

    def test_rollback_on_error(self):
        script = [
            (TransactionControl("BEGIN IMMEDIATE"), None),
            (self.stmt, 4),
            (TransactionControl("ROLLBACK"), None),
        ]
        with self.assertRaisesRegex(ValueError, "inner failed"):
            FakeRunner(self, script).run(atomic_plan(self.conn, self.inner(fail=True)))
        self.assertFalse(self.conn.in_atomic_block)

    def nested(self, fail):
        outer = yield self.stmt
        try:
            yield from atomic_plan(self.conn, self.inner(fail))
        except ValueError:
            pass
        return outer

    def test_nested_uses_savepoints(self):
        seen = []
        plan = atomic_plan(self.conn, self.nested(fail=True))
        result = None
        while True:
            try:
                request = plan.send(result)
            except StopIteration as stop:
                self.assertEqual(stop.value, 1)
                break
            seen.append(request.sql)
            result = 1
        self.assertTrue(seen[2].startswith("SAVEPOINT "), seen)
        sid = seen[2].split()[1]
        self.assertEqual(
            seen,
            [
                "BEGIN IMMEDIATE",
                "UPDATE t SET x = 1",
                f"SAVEPOINT {sid}",
                "UPDATE t SET x = 1",
                f"ROLLBACK TO SAVEPOINT {sid}",
                f"RELEASE SAVEPOINT {sid}",
                "COMMIT",
            ],
        )

    def test_savepoint_false_inside_atomic_adds_no_statement(self):
        outer = atomic_plan(self.conn, self._with_inner_no_savepoint())
        script = [
            (TransactionControl("BEGIN IMMEDIATE"), None),
            (self.stmt, 2),
            (TransactionControl("COMMIT"), None),
        ]
        self.assertEqual(FakeRunner(self, script).run(outer), 2)

    def _with_inner_no_savepoint(self):
        return (yield from atomic_plan(self.conn, self.inner(), savepoint=False))


class QuerySetPlanTests(unittest.TestCase):
    def setUp(self):
        self.conn = fake_connection()

    def test_fetch_plan_builds_instances(self):
        qs = Widget.objects.filter(size__gt=1).order_by("-size")
        fetch = Execute(
            f'{SELECT} WHERE "core_widget"."size" > ? ORDER BY "core_widget"."size" DESC', [1], ROWS
        )
        objs = FakeRunner(self, [(fetch, [(2, "b", 5), (1, "a", 3)])]).run(
            qs._fetch_plan(self.conn)
        )
        self.assertEqual([(o.pk, o.name, o.size) for o in objs], [(2, "b", 5), (1, "a", 3)])
        self.assertTrue(all(o._state.db == "fake" and not o._state.adding for o in objs))

    def test_fetch_plan_of_empty_in_sends_nothing(self):
        objs = FakeRunner(self, []).run(Widget.objects.filter(pk__in=[])._fetch_plan(self.conn))
        self.assertEqual(objs, [])

    def test_values_list_plan(self):
        qs = Widget.objects.values_list("name", flat=True)
        fetch = Execute('SELECT "core_widget"."name" FROM "core_widget"', [], ROWS)
        self.assertEqual(
            FakeRunner(self, [(fetch, [("x",), ("y",)])]).run(qs._fetch_plan(self.conn)), ["x", "y"]
        )

    def test_count_plan(self):
        count = Execute(
            'SELECT COUNT(*) AS "__count" FROM "core_widget" WHERE "core_widget"."size" = ?',
            [3],
            ONE,
        )
        plan = Widget.objects.filter(size=3)._scalar_plan(self.conn, "count")
        self.assertEqual(FakeRunner(self, [(count, (4,))]).run(plan), 4)

    def test_sliced_fetch_has_limit_params(self):
        qs = Widget.objects.order_by("pk")[2:5]
        fetch = Execute(f'{SELECT} ORDER BY "core_widget"."id" ASC LIMIT ? OFFSET ?', [3, 2], ROWS)
        self.assertEqual(FakeRunner(self, [(fetch, [])]).run(qs._fetch_plan(self.conn)), [])


class SQLCacheTests(unittest.TestCase):
    def setUp(self):
        self.conn = fake_connection()

    def test_same_shape_compiles_once(self):
        calls = []
        original = SQLCompiler._render

        def counting(compiler, leaves):
            calls.append(compiler.kind)
            return original(compiler, leaves)

        SQLCompiler._render = counting
        try:
            first = (
                Widget.objects.filter(name="a", size__gt=1)
                .query.get_compiler(connection=self.conn)
                .compiled()
            )
            second = (
                Widget.objects.filter(name="b", size__gt=7)
                .query.get_compiler(connection=self.conn)
                .compiled()
            )
            other = (
                Widget.objects.filter(name="b").query.get_compiler(connection=self.conn).compiled()
            )
        finally:
            SQLCompiler._render = original
        self.assertEqual(len(calls), 2)  # the third query has another shape
        self.assertIs(first[0], second[0])
        self.assertEqual((first[1], second[1]), (["a", 1], ["b", 7]))
        self.assertEqual(other[1], ["b"])
        self.assertEqual(len(self.conn.caches.statements), 2)

    def test_in_lists_of_different_length_are_different_shapes(self):
        a = Widget.objects.filter(pk__in=[1, 2]).query.get_compiler(connection=self.conn).compiled()
        b = (
            Widget.objects.filter(pk__in=[1, 2, 3])
            .query.get_compiler(connection=self.conn)
            .compiled()
        )
        c = Widget.objects.filter(pk__in=[4, 5]).query.get_compiler(connection=self.conn).compiled()
        self.assertEqual(a[0].sql.count("?"), 2)
        self.assertEqual(b[0].sql.count("?"), 3)
        self.assertEqual((a[1], b[1], c[1]), ([1, 2], [1, 2, 3], [4, 5]))

    def test_update_plan_sql_cached(self):
        w = Widget(id=1, name="a")
        w._state.adding = False
        update = Execute(
            'UPDATE "core_widget" SET "name" = ?, "size" = ? WHERE "id" = ?', ["a", 0, 1], ROWCOUNT
        )
        FakeRunner(self, [(update, 1)]).run(save_plan(w, self.conn, False, False, None))
        size = len(self.conn.caches)
        w.name = "z"
        update2 = Execute(update.sql, ["z", 0, 1], ROWCOUNT)
        FakeRunner(self, [(update2, 1)]).run(save_plan(w, self.conn, False, False, None))
        self.assertEqual(len(self.conn.caches), size)


class FakeDriver:
    """Stands in for the sqlite3 adapter to check the runners' error wrapping."""

    module = sqlite3

    def __init__(self, error=None):
        self.error = error
        self.calls = []

    def execute(self, sql, params, result):
        self.calls.append((sql, tuple(params), result))
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        return [(1,)]


class AsyncFakeDriver(FakeDriver):
    async def execute(self, sql, params, result):
        return FakeDriver.execute(self, sql, params, result)


class RunnerTests(unittest.TestCase):
    def plan(self):
        try:
            rows = yield Execute("SELECT 1", (), ROWS)
        except IntegrityError as exc:
            return ("caught", exc)
        return rows

    def test_sync_runner_sends_results(self):
        conn = fake_connection()
        conn.driver = FakeDriver()
        self.assertEqual(run_plan(self.plan(), conn), [(1,)])
        self.assertEqual(conn.driver.calls, [("SELECT 1", (), ROWS)])

    def test_driver_error_thrown_into_plan_as_tether_error(self):
        conn = fake_connection()
        original = sqlite3.IntegrityError("boom")
        conn.driver = FakeDriver(error=original)
        outcome, error = run_plan(self.plan(), conn)
        self.assertEqual(outcome, "caught")
        self.assertIsInstance(error, IntegrityError)
        self.assertIs(error.__cause__, original)

    def test_async_runner_drives_the_same_plan(self):
        conn = load_backend("sqlite")(
            parse_database_url("sqlite://:memory:"), "fake", is_async=True
        )
        original = sqlite3.IntegrityError("boom")
        conn.driver = AsyncFakeDriver(error=original)
        outcome, error = asyncio.run(arun_plan(self.plan(), conn))
        self.assertEqual(outcome, "caught")
        self.assertIs(error.__cause__, original)
        conn.driver = AsyncFakeDriver()
        self.assertEqual(asyncio.run(arun_plan(self.plan(), conn)), [(1,)])

    def test_unhandled_error_propagates(self):
        conn = fake_connection()
        conn.driver = FakeDriver(error=sqlite3.OperationalError("no such table: t"))

        def plan():
            return (yield Execute("SELECT * FROM t", (), ROWS))

        from tether.db import OperationalError

        with self.assertRaisesRegex(OperationalError, "no such table: t"):
            run_plan(plan(), conn)


class SQLCacheOnDatabaseTests(TestCase):
    def test_repeated_query_skips_compilation(self):
        Widget.objects.create(name="a", size=1)
        Widget.objects.create(name="b", size=2)
        list(Widget.objects.filter(name="warm-up", size__lt=100))
        calls = []
        original = SQLCompiler._render

        def counting(compiler, leaves):
            calls.append(compiler.kind)
            return original(compiler, leaves)

        with mock.patch.object(SQLCompiler, "_render", counting):
            self.assertEqual([w.name for w in Widget.objects.filter(name="a", size__lt=100)], ["a"])
            self.assertEqual([w.name for w in Widget.objects.filter(name="b", size__lt=5)], ["b"])
        self.assertEqual(calls, [])
