"""Refuse database work on aliases a test case did not declare, as Django's test cases do.

A TransactionTestCase (and so a TestCase) names the aliases it uses in `databases`; while its
class runs, a statement sent on any other configured alias raises DatabaseOperationForbidden
with Django's message, so a router that sends a query somewhere unexpected fails the test
instead of touching a database the test did not prepare (or a real one). The gates sit in
`BaseDatabaseWrapper.alias_gates`, which the runners consult before each statement; the test
runner's own work (creating tables, flushing) runs `suspended()`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from tether.db.backends.base.wrapper import BaseDatabaseWrapper

__all__ = ["DatabaseOperationForbidden", "forbid", "permit", "suspended"]

MESSAGE = (
    "Database {operation} to {alias!r} are not allowed in this test. Add {alias!r} to "
    "{where} to ensure proper test isolation and silence this failure."
)
# SimpleTestCase's, which expects no database at all.
SIMPLE_MESSAGE = (
    "Database {operation} to {alias!r} are not allowed in SimpleTestCase subclasses. Either "
    "subclass TestCase or TransactionTestCase to ensure proper test isolation or add "
    "{alias!r} to {where} to silence this failure."
)

_state = threading.local()


class DatabaseOperationForbidden(AssertionError):
    """A test sent a statement to an alias it did not declare in `databases`."""


def _gate(alias: str, where: str, template: str) -> Callable[[], None]:
    message = template.format(operation="queries", alias=alias, where=where)

    def refuse() -> None:
        if not getattr(_state, "suspended", 0):
            raise DatabaseOperationForbidden(message)

    return refuse


def forbid(aliases: Iterable[str], where: str, template: str = MESSAGE) -> None:
    """Refuse statements on `aliases`; `where` says where to declare them
    ("tests.Case.databases", as Django's message has it)."""
    for alias in aliases:
        BaseDatabaseWrapper.alias_gates[alias] = _gate(alias, where, template)


def permit(aliases: Iterable[str]) -> None:
    for alias in aliases:
        BaseDatabaseWrapper.alias_gates.pop(alias, None)


@contextmanager
def suspended() -> Iterator[None]:
    """The test runner's own work on every test database (tables, flushes) passes."""
    _state.suspended = getattr(_state, "suspended", 0) + 1
    try:
        yield
    finally:
        _state.suspended -= 1
