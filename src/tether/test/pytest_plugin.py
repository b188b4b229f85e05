"""The pytest plugin (entry point `pytest11: tether`): test databases, the `db` fixtures and
the database blocker.

A test may use the database only when it asks for it, as with pytest-django: the `db` or
`transactional_db` fixture (directly or through another fixture), the `@pytest.mark.django_db`
mark (pytest-django's name, so ported suites run unchanged; `transaction=True` gives
`transactional_db`) or its own name `@pytest.mark.tether_db`, or a tether TransactionTestCase/
TestCase. Any other test that tries to connect gets pytest-django's RuntimeError ("Database
access not allowed, ..."), so it can never reach the configured (non-test) database.
`django_db_blocker`/`tether_db_blocker` unblock a wider-scoped fixture (`with
tether_db_blocker.unblock(): ...`).

`--reuse-db` keeps the test databases between runs (Django's --keepdb): an existing test
database is reused, only the missing tables are created, and nothing is dropped at the end.
Test databases are created lazily, by the first test allowed to use them, and destroyed when the
session ends. A session that never touches a database never creates one. Settings are the
project's business (`tether.configure` in a conftest); this plugin reads whatever is configured
at first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tether.db.connections import DEFAULT_DB_ALIAS, connections
from tether.test import guards, runner
from tether.test.blocker import DatabaseBlocker, blocker

_options = {"keepdb": False}
_MARKS = ("tether_db", "django_db")


def pytest_addoption(parser: Any) -> None:
    parser.addoption(
        "--reuse-db",
        action="store_true",
        default=False,
        help="keep the test databases between runs (create only the missing tables)",
    )


def pytest_configure(config: Any) -> None:
    _options["keepdb"] = bool(config.getoption("--reuse-db", default=False))
    if _options["keepdb"]:
        runner.default_keepdb = True
    for name in _MARKS:
        config.addinivalue_line(
            "markers",
            f"{name}(transaction=False, reset_sequences=False, databases=None, "
            "serialized_rollback=False, available_apps=None): let the test use the test "
            "database, in a transaction rolled back at its end (transaction=True: real "
            "commits, tables emptied after it).",
        )
    config.addinivalue_line(
        "markers",
        "no_lazy_fetch: every lazy fetch in the test (a relation, deferred field or related "
        "set its query did not load) raises FieldFetchBlocked.",
    )
    blocker.set_test_allowed(False)


def _mark_options(
    transaction: bool = False,
    reset_sequences: bool = False,
    databases: Any = None,
    serialized_rollback: bool = False,
    available_apps: Any = None,
) -> tuple[bool, bool, Any]:
    """pytest-django's mark arguments. serialized_rollback and available_apps change nothing
    here: tether has no data migrations to restore and no app registry to narrow."""
    return transaction, reset_sequences, databases


def _marker(node: Any) -> Any:
    for name in _MARKS:
        marker = node.get_closest_marker(name)
        if marker is not None:
            return marker
    return None


def _is_tether_test_case(item: Any) -> bool:
    from tether.test.testcases import TransactionTestCase

    cls = getattr(item, "cls", None)
    return isinstance(cls, type) and issubclass(cls, TransactionTestCase)


def _allowed(item: Any) -> bool:
    names = getattr(item, "fixturenames", ())
    return (
        "db" in names
        or "transactional_db" in names
        or _marker(item) is not None
        or _is_tether_test_case(item)
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: Any) -> None:
    # The state holds through the test's call and teardown (class and module teardowns run
    # in the last test's), until the next test's setup decides again.
    blocker.set_test_allowed(_allowed(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: Any) -> Any:
    """The `no_lazy_fetch` mark covers the test's body (not its fixtures, which may load
    data any way they like)."""
    if item.get_closest_marker("no_lazy_fetch") is None:
        return (yield)
    from tether.models.fetch_modes import no_lazy_fetch

    with no_lazy_fetch():
        return (yield)


def _declared(databases: Any) -> list[str]:
    """The aliases a test's mark names: "default" when it names none, as pytest-django."""
    if databases is None:
        return [DEFAULT_DB_ALIAS]
    if databases == "__all__":
        return list(connections)
    return sorted(databases)


def _ready(databases: Any = None) -> list[str]:
    """Set up the test databases the test declares, refuse the others while it runs, and
    return the aliases its transaction covers (a mirror's is its primary's)."""
    declared = _declared(databases)
    with blocker.unblocked():
        runner.ensure_test_databases(keepdb=_options["keepdb"], aliases=declared)
        runner.create_missing_tables()
    guards.forbid(set(connections) - set(declared), "the databases of its django_db mark")
    mirrors = runner.mirrors()
    return [alias for alias in declared if alias not in mirrors]


def _options_of(request: Any) -> tuple[bool, bool, Any]:
    marker = _marker(request.node)
    if marker is None:
        return False, False, None
    return _mark_options(*marker.args, **marker.kwargs)


@pytest.fixture(autouse=True)
def _tether_db_marker(request: Any) -> None:
    """The mark asks for the matching fixture (a tether test case manages its own)."""
    marker = _marker(request.node)
    if marker is None or _is_tether_test_case(request.node):
        return
    transaction, _reset, _databases = _mark_options(*marker.args, **marker.kwargs)
    request.getfixturevalue("transactional_db" if transaction else "db")


@pytest.fixture
def db(request: Any) -> Iterator[None]:
    """Database access for a plain test function, rolled back at its end (like TestCase)."""
    from tether.test.testcases import _enter_atomics, _rollback_atomics

    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        yield
        return
    atomics = _enter_atomics(_ready(_options_of(request)[2]))
    try:
        yield
    finally:
        _rollback_atomics(atomics)
        guards.permit(list(connections))


@pytest.fixture
def transactional_db(request: Any) -> Iterator[None]:
    """Database access with real commits; every table is emptied after the test."""
    _transaction, reset_sequences, databases = _options_of(request)
    aliases = _ready(databases)
    try:
        yield
    finally:
        guards.permit(list(connections))
        runner.flush_databases(aliases, reset_sequences=reset_sequences)


@pytest.fixture(scope="session")
def tether_db_blocker() -> DatabaseBlocker:
    """The blocker itself, for a wider-scoped fixture: `with tether_db_blocker.unblock():`."""
    return blocker


@pytest.fixture(scope="session")
def django_db_blocker(tether_db_blocker: DatabaseBlocker) -> DatabaseBlocker:
    """pytest-django's name for `tether_db_blocker`."""
    return tether_db_blocker


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: Any, exitstatus: Any) -> None:
    with blocker.unblocked():
        if runner.is_set_up():
            runner.teardown_test_databases()
