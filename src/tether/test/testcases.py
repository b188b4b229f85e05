"""Test case classes: SimpleTestCase, TransactionTestCase and TestCase, as django.test has them.

SimpleTestCase adds assertions and touches no database. TransactionTestCase makes sure the test
databases exist (see `runner`) and empties every table after each test. TestCase wraps the
class in one atomic block around `setUpTestData()` and each test in a nested one, both rolled
back, so tests are isolated without flushing. The transaction state itself belongs to
`tether.db.transaction`; this module only opens and rolls back blocks through it.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import inspect
import logging
import sys
import unittest
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from tether.db.connections import DEFAULT_DB_ALIAS, connections, share_thread_connections
from tether.db.transaction import Atomic
from tether.exceptions import ImproperlyConfigured
from tether.test import guards, runner
from tether.test.utils import CaptureQueriesContext

__all__ = [
    "SimpleTestCase",
    "TestCase",
    "TransactionTestCase",
    "skipIfDBFeature",
    "skipUnlessDBFeature",
]

logger = logging.getLogger("tether.test")
ALL_DATABASES = "__all__"


def _aliases(databases: Any) -> list[str]:
    """The aliases a `databases` attribute names, "__all__" meaning every configured one."""
    if databases == ALL_DATABASES:
        return list(connections)
    return sorted(databases)


def _check_declared(test_class: type, aliases: list[str]) -> None:
    """Django's error for a `databases` entry that names no configured alias."""
    configured = set(connections)
    for alias in aliases:
        if alias not in configured:
            raise ImproperlyConfigured(
                f"{test_class.__module__}.{test_class.__qualname__}.databases refers to "
                f"{alias!r} which is not defined in settings.DATABASES."
            )


class SimpleTestCase(unittest.TestCase):
    """unittest.TestCase with Django's extra assertions; no database access expected."""

    databases: ClassVar[set[str] | frozenset[str] | str] = frozenset()
    # What a statement on an alias outside `databases` raises (Django's text per class).
    _disallowed_database_msg: ClassVar[str] = guards.SIMPLE_MESSAGE

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        declared = _aliases(cls.databases)
        if declared:
            _check_declared(cls, declared)
            runner.ensure_test_databases(aliases=declared)
            runner.create_missing_tables()
        # Statements on an alias the class did not declare fail, as in Django.
        where = f"{cls.__module__}.{cls.__qualname__}.databases"
        guards.forbid(set(connections) - set(declared), where, cls._disallowed_database_msg)

    @classmethod
    def tearDownClass(cls) -> None:
        try:
            super().tearDownClass()
        finally:
            guards.permit(set(connections) - set(_aliases(cls.databases)))

    # ---- hooks around each test ----------------------------------------------------------

    def _pre_setup(self) -> None:
        """Prepare the test; runs before setUp()."""

    def _post_teardown(self) -> None:
        """Clean up after the test; runs after tearDown() and the cleanups."""

    # Async test methods run in an event loop on the test's thread; TestCase shares the
    # thread's connection with them so they see its transaction.
    share_connection_with_async_tests = False

    def _callTestMethod(self, method: Any) -> None:  # noqa: N802 - unittest's hook name
        if not inspect.iscoroutinefunction(method):
            super()._callTestMethod(method)  # type: ignore[misc]
            return
        token = share_thread_connections.set(self.share_connection_with_async_tests)
        try:
            asyncio.run(method())
        finally:
            share_thread_connections.reset(token)

    def run(self, result: Any = None) -> Any:
        method = getattr(self, self._testMethodName)
        skipped = getattr(type(self), "__unittest_skip__", False) or getattr(
            method, "__unittest_skip__", False
        )
        if skipped:
            return super().run(result)
        if result is None:
            result = self.defaultTestResult()
        try:
            self._pre_setup()
        except Exception:
            result.addError(self, sys.exc_info())
            return result
        try:
            return super().run(result)
        finally:
            try:
                self._post_teardown()
            except Exception:
                result.addError(self, sys.exc_info())

    # ---- assertions ----------------------------------------------------------------------

    @contextmanager
    def _raises_message(
        self, checker: Callable[..., Any], attribute: str, expected: Any, message: str
    ) -> Iterator[Any]:
        with checker(expected) as context:
            yield context
        self.assertIn(message, str(getattr(context, attribute)))

    def assertNoLazyFetch(self) -> Any:  # noqa: N802 - unittest's naming
        """A context manager in which every lazy fetch (a relation, a deferred field, a
        related manager's set not loaded by the query) raises FieldFetchBlocked."""
        from tether.models.fetch_modes import no_lazy_fetch

        return no_lazy_fetch()

    def assertRaisesMessage(
        self,
        expected_exception: type[BaseException] | tuple[type[BaseException], ...],
        expected_message: str,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Like assertRaises, and the exception's text must contain `expected_message`.

        Use as a context manager, or pass the callable and its arguments.
        """
        context = self._raises_message(
            self.assertRaises, "exception", expected_exception, expected_message
        )
        if not args:
            return context
        func, *rest = args
        with context:
            func(*rest, **kwargs)
        return None

    def assertWarnsMessage(
        self, expected_warning: type[Warning], expected_message: str, *args: Any, **kwargs: Any
    ) -> Any:
        """Like assertWarns, and the warning's text must contain `expected_message`."""
        context = self._raises_message(
            self.assertWarns, "warning", expected_warning, expected_message
        )
        if not args:
            return context
        func, *rest = args
        with context:
            func(*rest, **kwargs)
        return None

    def assertQuerySetEqual(
        self,
        qs: Iterable[Any],
        values: Iterable[Any],
        transform: Callable[[Any], Any] | None = None,
        ordered: bool = True,
        msg: str | None = None,
    ) -> None:
        """Compare a queryset (or any iterable) with a list of values.

        `transform` is applied to each item first. With `ordered=False` the comparison
        ignores order (multisets); with `ordered=True` an unordered queryset may only be
        compared against at most one value.
        """
        expected = list(values)
        items: Iterable[Any] = qs if transform is None else map(transform, qs)
        if not ordered:
            self.assertDictEqual(Counter(items), Counter(expected), msg=msg)
            return
        if len(expected) > 1 and getattr(qs, "ordered", True) is False:
            raise ValueError(
                "Trying to compare non-ordered queryset against more than one ordered value."
            )
        self.assertEqual(list(items), expected, msg=msg)


class _AssertNumQueriesContext(CaptureQueriesContext):
    def __init__(self, test_case: unittest.TestCase, num: int, connection: Any) -> None:
        super().__init__(connection)
        self.test_case = test_case
        self.num = num

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        super().__exit__(exc_type, exc, tb)
        if exc_type is not None:
            return
        queries = self.captured_queries
        listing = "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(queries, start=1))
        self.test_case.assertEqual(
            len(queries),
            self.num,
            f"{len(queries)} queries executed, {self.num} expected\n"
            f"Captured queries were:\n{listing}",
        )


class TransactionTestCase(SimpleTestCase):
    """A test case that uses the test databases and empties every table after each test."""

    databases: ClassVar[set[str] | frozenset[str] | str] = frozenset({DEFAULT_DB_ALIAS})
    # Reset the tables' id sequences so that each test's first row gets id 1.
    reset_sequences: ClassVar[bool] = False
    # Fixture labels `tether loaddata` loads into each database before each test (once per
    # class for TestCase).
    fixtures: ClassVar[list[str] | None] = None

    _disallowed_database_msg: ClassVar[str] = guards.MESSAGE

    @classmethod
    def _databases_names(cls) -> list[str]:
        """The declared aliases the test machinery works on: a mirror's work (transactions,
        flushes, fixtures) is its primary's, as Django's include_mirrors=False."""
        mirrors = runner.mirrors()
        return [alias for alias in _aliases(cls.databases) if alias not in mirrors]

    def _pre_setup(self) -> None:
        super()._pre_setup()
        runner.create_missing_tables()
        if self.reset_sequences:
            runner.flush_databases(self._databases_names(), reset_sequences=True)
        self._load_fixtures()

    @classmethod
    def _load_fixtures(cls) -> None:
        if not cls.fixtures:
            return
        from tether.cli import call_command

        for alias in cls._databases_names():
            call_command("loaddata", *cls.fixtures, verbosity=0, database=alias)

    def _post_teardown(self) -> None:
        try:
            runner.flush_databases(self._databases_names(), reset_sequences=self.reset_sequences)
        finally:
            super()._post_teardown()

    def assertNumQueries(
        self,
        num: int,
        func: Callable[..., Any] | None = None,
        *args: Any,
        using: str = DEFAULT_DB_ALIAS,
        **kwargs: Any,
    ) -> Any:
        """Assert that exactly `num` statements are sent (BEGIN and SAVEPOINT included).

        Use as a context manager, or pass the callable and its arguments.
        """
        context = _AssertNumQueriesContext(self, num, connections[using])
        if func is None:
            return context
        with context:
            func(*args, **kwargs)
        return None


class _TestData:
    """A class attribute set by setUpTestData, deep-copied the first time each test reads it.

    Copies made for one test share a memo, so objects that refer to each other still do.
    Values that cannot be deep-copied are handed out as they are.
    """

    def __init__(self, name: str, data: Any) -> None:
        self.name = name
        self.data = data

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self.data
        memo = instance.__dict__.setdefault("_testdata_memo", {})
        try:
            value = copy.deepcopy(self.data, memo)
        except Exception:
            value = self.data
        instance.__dict__[self.name] = value  # later reads skip the descriptor
        return value

    def __repr__(self) -> str:
        return f"<_TestData {self.name}={self.data!r}>"


def _enter_atomics(aliases: list[str]) -> dict[str, Atomic]:
    atomics: dict[str, Atomic] = {}
    try:
        for alias in aliases:
            block = Atomic(alias, savepoint=True, durable=False)
            block._from_testcase = True
            block.__enter__()
            atomics[alias] = block
    except BaseException:
        _rollback_atomics(atomics)
        raise
    return atomics


def _rollback_atomics(atomics: dict[str, Atomic]) -> None:
    """Leave the blocks with a real rollback (ROLLBACK TO SAVEPOINT or ROLLBACK)."""
    for alias, block in reversed(list(atomics.items())):
        conn = connections[alias]
        conn.needs_rollback = True
        block.__exit__(None, None, None)


class TestCase(TransactionTestCase):
    """Each test runs in a transaction rolled back at its end; `setUpTestData` runs once."""

    share_connection_with_async_tests = True

    _class_atomics: ClassVar[dict[str, Atomic]] = {}
    _test_atomics: dict[str, Atomic]

    @classmethod
    def _transactions_supported(cls) -> bool:
        return all(
            connections[alias].features.supports_transactions for alias in cls._databases_names()
        )

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        if not cls._transactions_supported():
            return
        cls._class_atomics = _enter_atomics(cls._databases_names())
        before = dict(cls.__dict__)
        try:
            cls._load_fixtures()
            cls.setUpTestData()
        except BaseException:
            _rollback_atomics(cls._class_atomics)
            cls._class_atomics = {}
            super().tearDownClass()
            raise
        for name, value in list(cls.__dict__.items()):
            if name.startswith("__") or name == "_class_atomics":
                continue
            if value is not before.get(name, _MISSING):
                setattr(cls, name, _TestData(name, value))

    @classmethod
    def tearDownClass(cls) -> None:
        try:
            if cls.__dict__.get("_class_atomics"):
                atomics, cls._class_atomics = cls._class_atomics, {}
                _rollback_atomics(atomics)
        finally:
            super().tearDownClass()

    @classmethod
    def setUpTestData(cls) -> None:
        """Create the data shared by every test of the class (rolled back at the end)."""

    def _pre_setup(self) -> None:
        if not self._transactions_supported():
            super()._pre_setup()
            return
        # No DDL here: the class's transaction is open (MariaDB would commit it, the others
        # roll the new tables back with it). Tables exist from setUpClass on, as Django's.
        SimpleTestCase._pre_setup(self)
        self._test_atomics = _enter_atomics(self._databases_names())

    def _post_teardown(self) -> None:
        if not self._transactions_supported():
            super()._post_teardown()
            return
        try:
            _rollback_atomics(self.__dict__.pop("_test_atomics", {}))
        finally:
            SimpleTestCase._post_teardown(self)

    @classmethod
    @contextmanager
    def captureOnCommitCallbacks(
        cls, *, using: str = DEFAULT_DB_ALIAS, execute: bool = False
    ) -> Iterator[list[Callable[[], Any]]]:
        """Collect the on_commit callbacks registered in the block; run them if `execute`.

        Callbacks registered by executed callbacks are collected (and executed) too.
        """
        callbacks: list[Callable[[], Any]] = []
        conn = connections[using]
        seen = len(conn.run_on_commit)
        try:
            yield callbacks
        finally:
            while len(conn.run_on_commit) > seen:
                batch, seen = conn.run_on_commit[seen:], len(conn.run_on_commit)
                for _sids, func, robust in batch:
                    callbacks.append(func)
                    if execute:
                        _call(func, robust)


def _call(func: Callable[[], Any], robust: bool) -> None:
    if not robust:
        func()
        return
    try:
        func()
    except Exception as exc:
        logger.error("Error calling %s in on_commit() (%s).", func, exc, exc_info=True)


_MISSING = object()


# ---- feature-based skips -------------------------------------------------------------------


def _feature_connection(test_class: Any) -> Any:
    aliases = _aliases(getattr(test_class, "databases", {DEFAULT_DB_ALIAS}))
    alias = DEFAULT_DB_ALIAS if DEFAULT_DB_ALIAS in aliases or not aliases else aliases[0]
    return connections[alias]


class _LazyCondition:
    """Truthy when the class must be skipped; evaluated only when unittest asks."""

    def __init__(self, test_class: Any, condition: Callable[[Any], bool]) -> None:
        self.test_class = test_class
        self.condition = condition

    def __bool__(self) -> bool:
        return self.condition(_feature_connection(self.test_class))


def _feature_skip(condition: Callable[[Any], bool], reason: str) -> Callable[[Any], Any]:
    def decorator(test_item: Any) -> Any:
        if isinstance(test_item, type):
            if not issubclass(test_item, unittest.TestCase):
                raise TypeError("Feature skips decorate test methods or TestCase classes.")
            # Keep a skip inherited or set by an outer decorator.
            parent = getattr(test_item, "__unittest_skip__", False)
            lazy = _Either(parent, _LazyCondition(test_item, condition))
            setattr(test_item, "__unittest_skip__", lazy)  # noqa: B010
            if parent is not True:
                setattr(test_item, "__unittest_skip_why__", reason)  # noqa: B010
            return test_item

        @functools.wraps(test_item)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            if condition(_feature_connection(type(self))):
                raise unittest.SkipTest(reason)
            return test_item(self, *args, **kwargs)

        return wrapper

    return decorator


class _Either:
    def __init__(self, first: Any, second: Any) -> None:
        self.first, self.second = first, second

    def __bool__(self) -> bool:
        return bool(self.first) or bool(self.second)


def skipUnlessDBFeature(*features: str) -> Callable[[Any], Any]:
    """Skip the test (method or class) unless the database has every one of `features`."""
    return _feature_skip(
        lambda conn: not all(getattr(conn.features, f, False) for f in features),
        "Database doesn't support feature(s): {}".format(", ".join(features)),
    )


def skipIfDBFeature(*features: str) -> Callable[[Any], Any]:
    """Skip the test (method or class) if the database has any one of `features`."""
    return _feature_skip(
        lambda conn: any(getattr(conn.features, f, False) for f in features),
        "Database has feature(s) {}".format(", ".join(features)),
    )
