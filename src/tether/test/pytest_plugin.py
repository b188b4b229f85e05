"""The pytest plugin (entry point `pytest11: tether`): test databases and the `db` fixtures.

`--reuse-db` keeps them between runs (Django's --keepdb): an existing test database is reused,
only the missing tables are created, and nothing is dropped at the end.
Test databases are created lazily, by the first TransactionTestCase/TestCase class or the first
test asking for `db` or `transactional_db`, and destroyed when the session ends. A session
that never touches a database never creates one. Settings are the project's business
(`tether.configure` in a conftest); this plugin reads whatever is configured at first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tether.db.connections import connections
from tether.test import runner

_options = {"keepdb": False}


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


def _ready() -> list[str]:
    runner.ensure_test_databases(keepdb=_options["keepdb"])
    runner.create_missing_tables()
    return list(connections)


@pytest.fixture
def db() -> Iterator[None]:
    """Database access for a plain test function, rolled back at its end (like TestCase)."""
    from tether.test.testcases import _enter_atomics, _rollback_atomics

    atomics = _enter_atomics(_ready())
    try:
        yield
    finally:
        _rollback_atomics(atomics)


@pytest.fixture
def transactional_db() -> Iterator[None]:
    """Database access with real commits; every table is emptied after the test."""
    aliases = _ready()
    try:
        yield
    finally:
        runner.flush_databases(aliases)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: Any, exitstatus: Any) -> None:
    if runner.is_set_up():
        runner.teardown_test_databases()
