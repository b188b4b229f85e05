"""SimpleTestCase assertions, feature skips, and raw-SQL checks of the transaction handling."""

from __future__ import annotations

import unittest

import pytest

from tether.db import connections, transaction
from tether.test import (
    SimpleTestCase,
    TestCase,
    TransactionTestCase,
    runner,
    skipIfDBFeature,
    skipUnlessDBFeature,
)

from .sql import execute, fetch, quote


class FakeQuerySet(list):
    def __init__(self, items, ordered):
        super().__init__(items)
        self.ordered = ordered


class AssertRaisesMessageTests(SimpleTestCase):
    def test_context_manager(self):
        with self.assertRaisesMessage(ValueError, "bad thing"):
            raise ValueError("a bad thing happened")

    def test_callable(self):
        def boom(a, b=None):
            raise KeyError(f"{a}-{b}")

        self.assertRaisesMessage(KeyError, "1-2", boom, 1, b=2)

    def test_wrong_message_fails(self):
        with self.assertRaises(AssertionError):
            with self.assertRaisesMessage(ValueError, "expected"):
                raise ValueError("something else")

    def test_no_exception_fails(self):
        with self.assertRaises(AssertionError):
            with self.assertRaisesMessage(ValueError, "x"):
                pass


class AssertQuerySetEqualTests(SimpleTestCase):
    def test_ordered(self):
        self.assertQuerySetEqual(FakeQuerySet([1, 2], ordered=True), [1, 2])
        with self.assertRaises(AssertionError):
            self.assertQuerySetEqual(FakeQuerySet([1, 2], ordered=True), [2, 1])

    def test_transform(self):
        self.assertQuerySetEqual(FakeQuerySet(["a", "b"], True), ["A", "B"], transform=str.upper)

    def test_unordered(self):
        self.assertQuerySetEqual(FakeQuerySet([1, 2, 2], False), [2, 1, 2], ordered=False)
        with self.assertRaises(AssertionError):
            self.assertQuerySetEqual(FakeQuerySet([1, 2], False), [1, 2, 2], ordered=False)

    def test_unordered_queryset_against_ordered_values(self):
        msg = "Trying to compare non-ordered queryset against more than one ordered value."
        with self.assertRaisesMessage(ValueError, msg):
            self.assertQuerySetEqual(FakeQuerySet([1, 2], ordered=False), [1, 2])
        # One value (or none) is fine, and so is any plain iterable.
        self.assertQuerySetEqual(FakeQuerySet([1], ordered=False), [1])
        self.assertQuerySetEqual(iter([1, 2]), [1, 2])


class FeatureSkipMethodTests(TestCase):
    @skipUnlessDBFeature("supports_transactions")
    def test_has_feature_runs(self):
        self.ran = True

    @skipUnlessDBFeature("supports_transactions", "no_such_feature")
    def test_missing_feature_skips(self):
        self.fail("should have been skipped")

    @skipIfDBFeature("supports_transactions")
    def test_if_feature_skips(self):
        self.fail("should have been skipped")

    @skipIfDBFeature("no_such_feature")
    def test_if_missing_feature_runs(self):
        pass


@skipUnlessDBFeature("no_such_feature")
class SkippedClassTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        raise AssertionError("a skipped class must not be set up")

    def test_never_runs(self):
        self.fail("should have been skipped")


class InheritsSkipTests(SkippedClassTests):
    pass


@skipIfDBFeature("no_such_feature")
class RunsDespiteSkipIfTests(TestCase):
    def test_runs(self):
        pass


@pytest.mark.tether_db  # runs database test cases inside it
class FeatureSkipReportTests(SimpleTestCase):
    databases = {"default"}  # the cases it runs use the database

    def _run(self, case):
        result = unittest.TestResult()
        unittest.TestSuite([case]).run(result)
        return result

    def test_messages(self):
        result = self._run(FeatureSkipMethodTests("test_missing_feature_skips"))
        self.assertEqual(
            [reason for _, reason in result.skipped],
            ["Database doesn't support feature(s): supports_transactions, no_such_feature"],
        )
        result = self._run(FeatureSkipMethodTests("test_if_feature_skips"))
        self.assertEqual(
            [reason for _, reason in result.skipped],
            ["Database has feature(s) supports_transactions"],
        )

    def test_class_skip(self):
        result = self._run(SkippedClassTests("test_never_runs"))
        self.assertEqual(len(result.skipped), 1)
        self.assertEqual(result.errors + result.failures, [])
        self.assertIn("no_such_feature", result.skipped[0][1])
        self.assertEqual(len(self._run(InheritsSkipTests("test_never_runs")).skipped), 1)
        result = self._run(RunsDespiteSkipIfTests("test_runs"))
        self.assertEqual((result.testsRun, result.skipped), (1, []))


class TestDatabaseTests(TransactionTestCase):
    def test_not_the_configured_database(self):
        conn = connections["default"]
        configured = runner.test_database_settings("default")
        self.assertIsNotNone(configured)
        self.assertEqual(conn.settings_dict, configured)
        from tether.conf import parse_database_url, settings

        original = parse_database_url(settings.databases["default"])
        self.assertNotEqual(conn.settings_dict.name, original.name)
        if conn.vendor == "sqlite":
            self.assertIn("tether-test-", conn.settings_dict.name)
        else:
            self.assertEqual(conn.settings_dict.name, "test_" + original.name)


class RawTableMixin:
    table = "test_support_raw"

    @classmethod
    def create_raw_table(cls):
        execute(f"CREATE TABLE {quote(cls.table)} (v integer)")

    @classmethod
    def drop_raw_table(cls):
        execute(f"DROP TABLE {quote(cls.table)}")

    def values(self):
        return [row[0] for row in fetch(f"SELECT v FROM {quote(self.table)} ORDER BY v")]

    def insert(self, value):
        execute(f"INSERT INTO {quote(self.table)} (v) VALUES (%s)", (value,))


class AssertNumQueriesTests(RawTableMixin, TransactionTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.create_raw_table()

    @classmethod
    def tearDownClass(cls):
        cls.drop_raw_table()
        super().tearDownClass()

    def test_context_manager_counts(self):
        with self.assertNumQueries(2):
            self.insert(1)
            self.values()
        with self.assertNumQueries(0):
            pass

    def test_callable(self):
        self.assertNumQueries(1, self.insert, 5)
        self.assertNumQueries(1, self.values, using="default")

    def test_transaction_statements_counted_like_django(self):
        # BEGIN, SAVEPOINT, INSERT, RELEASE SAVEPOINT and COMMIT: Django 5.2 logs all five.
        with self.assertNumQueries(5):
            with transaction.atomic():
                with transaction.atomic():
                    self.insert(2)

    def test_failure_message(self):
        with self.assertRaises(AssertionError) as cm:
            with self.assertNumQueries(1):
                self.insert(3)
                self.values()
        message = str(cm.exception)
        self.assertTrue(message.startswith("2 != 1 : 2 queries executed, 1 expected\n"), message)
        self.assertIn("Captured queries were:\n1. INSERT INTO", message)
        self.assertIn("\n2. SELECT v FROM", message)

    def test_exception_in_block_is_not_masked(self):
        with self.assertRaises(ZeroDivisionError):
            with self.assertNumQueries(5):
                1 / 0  # noqa: B018


class RawRollbackTests(RawTableMixin, TestCase):
    """Each test's rows are rolled back; the class-level rows stay for every test."""

    @classmethod
    def setUpClass(cls):
        # DDL commits implicitly on MySQL: create the table before the class transaction.
        runner.ensure_test_databases()
        cls.create_raw_table()
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        execute(f"INSERT INTO {quote(cls.table)} (v) VALUES (100)")

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.drop_raw_table()

    def test_a(self):
        self.assertEqual(self.values(), [100])
        self.insert(1)
        self.assertEqual(self.values(), [1, 100])

    def test_b(self):
        self.assertEqual(self.values(), [100])
        self.insert(2)
        self.assertEqual(self.values(), [2, 100])

    def test_in_transaction(self):
        conn = connections["default"]
        self.assertTrue(conn.in_atomic_block)
        self.assertEqual(len(conn.atomic_blocks), 2)

    def test_durable_atomic_allowed_in_test(self):
        with transaction.atomic(durable=True):
            self.insert(3)
        self.assertEqual(self.values(), [3, 100])

    def test_durable_nested_in_user_atomic_refused(self):
        with self.assertRaisesMessage(RuntimeError, "durable"):
            with transaction.atomic():
                with transaction.atomic(durable=True):
                    pass


class OnCommitTests(TestCase):
    def test_capture_without_execute(self):
        calls = []
        with self.captureOnCommitCallbacks() as callbacks:
            transaction.on_commit(lambda: calls.append("a"))
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(calls, [])

    def test_execute_includes_nested_callbacks(self):
        calls = []

        def outer():
            calls.append("outer")
            transaction.on_commit(lambda: calls.append("inner"))

        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            transaction.on_commit(outer)
        self.assertEqual(calls, ["outer", "inner"])
        self.assertEqual(len(callbacks), 2)
        self.assertIs(callbacks[0], outer)

    def test_only_block_callbacks(self):
        transaction.on_commit(lambda: None)
        with self.captureOnCommitCallbacks() as callbacks:
            pass
        self.assertEqual(callbacks, [])

    def test_rolled_back_savepoint_discards(self):
        with self.captureOnCommitCallbacks() as callbacks:
            try:
                with transaction.atomic():
                    transaction.on_commit(lambda: None)
                    raise ValueError
            except ValueError:
                pass
        self.assertEqual(callbacks, [])

    def test_robust_callback_error_logged(self):
        def broken():
            raise OSError("nope")

        with self.assertLogs("tether.test", "ERROR"):
            with self.captureOnCommitCallbacks(execute=True):
                transaction.on_commit(broken, robust=True)
