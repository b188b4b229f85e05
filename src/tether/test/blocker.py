"""The pytest plugin's database blocker: no connection opens unless the running test asked for
the database (pytest-django's rule and error text, so ported suites behave the same).

While blocked, `BaseDatabaseWrapper.connect_gate` raises before any connection opens, and the
calling thread's open connections are closed, so a test can neither open one nor reuse one
left open by an earlier test. The plugin's own work (creating, flushing and dropping the test
databases) runs under `unblock()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from tether.db.backends.base.wrapper import BaseDatabaseWrapper
from tether.db.connections import connections

MESSAGE = (
    'Database access not allowed, use the "django_db" mark, or the "db" or '
    '"transactional_db" fixtures to enable it.'
)


def _refuse() -> NoReturn:
    __tracebackhide__ = True
    raise RuntimeError(MESSAGE)


class DatabaseBlocker:
    """`django_db_blocker` / `tether_db_blocker`: block(), unblock() (each undone by restore()
    or by leaving its `with`), over the state the plugin sets for each test."""

    def __init__(self) -> None:
        self._test_allowed = True
        self._overrides: list[bool] = []  # explicit block()/unblock(), innermost last

    @property
    def is_blocked(self) -> bool:
        return BaseDatabaseWrapper.connect_gate is _refuse

    def _apply(self) -> None:
        blocked = self._overrides[-1] if self._overrides else not self._test_allowed
        if blocked and not self.is_blocked:
            connections.close_all()  # nothing left open for the test to reuse
        BaseDatabaseWrapper.connect_gate = _refuse if blocked else None

    def set_test_allowed(self, allowed: bool) -> None:
        """The running test's own right (the plugin decides it at each test's setup)."""
        self._test_allowed = allowed
        self._apply()

    def block(self) -> _Restore:
        self._overrides.append(True)
        self._apply()
        return _Restore(self)

    def unblock(self) -> _Restore:
        self._overrides.append(False)
        self._apply()
        return _Restore(self)

    def restore(self) -> None:
        self._overrides.pop()
        self._apply()

    @contextmanager
    def unblocked(self) -> Iterator[None]:
        with self.unblock():
            yield


class _Restore:
    """What block()/unblock() return: usable as a context manager, as pytest-django's."""

    def __init__(self, blocker: DatabaseBlocker) -> None:
        self.blocker = blocker

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        self.blocker.restore()


blocker = DatabaseBlocker()
