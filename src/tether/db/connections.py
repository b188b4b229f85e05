"""ConnectionHandler: aliases to DatabaseWrapper objects, one per thread (one per task in async).

Sync code gets the calling thread's wrapper. Code running inside an asyncio task gets a wrapper
of its own for that task, closed when the task finishes, so tasks never share a connection.
`close_all()` closes the caller's wrappers only, as Django's: a driver connection is used by
one thread at a time, and closing it under another thread breaks that thread's statement.
"""

from __future__ import annotations

import asyncio
import contextvars
import importlib
import threading
import weakref
from collections.abc import Callable
from functools import partial
from typing import Any

from tether.conf import DatabaseSettings, parse_database_url, settings
from tether.db.core.workers import borrowed, install_lookup
from tether.exceptions import ImproperlyConfigured

DEFAULT_DB_ALIAS = "default"

_BACKENDS = {
    "sqlite": "tether.db.backends.sqlite.wrapper",
    "postgresql": "tether.db.backends.postgresql.wrapper",
    "mysql": "tether.db.backends.mysql.wrapper",
}


# Set by tether.test.TestCase around an async test: tasks then use the thread's connection, so
# they see (and roll back with) the test's transaction, as Django's async tests do.
share_thread_connections: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "tether_share_thread_connections", default=False
)


class ConnectionDoesNotExist(ImproperlyConfigured, KeyError):
    """An alias that no database setting names."""


def load_backend(vendor: str) -> Any:
    try:
        module = importlib.import_module(_BACKENDS[vendor])
    except ImportError as exc:
        extra = {"postgresql": "postgresql", "mysql": "mysql"}.get(vendor, vendor)
        raise ImproperlyConfigured(
            f"The {vendor} backend needs its driver: pip install 'tether-orm[{extra}]' ({exc})"
        ) from exc
    return module.DatabaseWrapper


class ConnectionHandler:
    def __init__(self) -> None:
        self._local = threading.local()
        self._task_connections: weakref.WeakKeyDictionary[Any, dict[str, Any]] = (
            weakref.WeakKeyDictionary()
        )
        self._overrides: dict[str, DatabaseSettings] = {}
        self._all_created: weakref.WeakSet[Any] = weakref.WeakSet()
        self._lock = threading.Lock()

    def settings_for(self, alias: str) -> DatabaseSettings:
        if alias in self._overrides:
            return self._overrides[alias]
        try:
            url = settings.databases[alias]
        except KeyError:
            raise ConnectionDoesNotExist(f"The connection '{alias}' doesn't exist.") from None
        return parse_database_url(url)

    def override(self, alias: str, database: DatabaseSettings | None) -> None:
        """Point `alias` at other settings (the test database); None restores the configured."""
        if database is None:
            self._overrides.pop(alias, None)
        else:
            self._overrides[alias] = database
        self.reset()

    def _create(self, alias: str, is_async: bool, owner: int | None = None) -> Any:
        """A new wrapper; `owner` is the thread it belongs to when not the calling one."""
        database = self.settings_for(alias)
        wrapper = load_backend(database.vendor)(database, alias, is_async=is_async)
        if owner is not None:
            wrapper._thread_ident = owner
        with self._lock:
            self._all_created.add(wrapper)
        return wrapper

    def _current_task(self) -> Any:
        """The asyncio task whose own connections the caller uses, else None (the thread's)."""
        loop = asyncio._get_running_loop()
        if loop is not None and not share_thread_connections.get():
            return asyncio.current_task(loop)
        return None

    def __getitem__(self, alias: str) -> Any:
        lender = borrowed()
        if lender is not None:
            return lender.connection(alias)
        task = self._current_task()
        if task is not None:
            return self._for_task(task, alias)
        return self._for_thread(self._local.__dict__, alias)

    def _for_thread(self, cache: dict[str, Any], alias: str, owner: int | None = None) -> Any:
        try:
            return cache[alias]
        except KeyError:
            wrapper = cache[alias] = self._create(alias, is_async=False, owner=owner)
            return wrapper

    def callers_lookup(self) -> Callable[[str], Any]:
        """`connections[alias]` as the calling code sees it, for a worker thread to borrow.

        A wrapper the worker makes through it belongs to the calling thread (the loop's),
        which is where its statements run (workers.py)."""
        lender = borrowed()
        if lender is not None:
            return lender.connection
        owner = threading.get_ident()
        task = self._current_task()
        if task is not None:
            return partial(self._for_task, task, owner=owner)
        return partial(self._for_thread, self._local.__dict__, owner=owner)

    def _for_task(self, task: Any, alias: str, owner: int | None = None) -> Any:
        per_task = self._task_connections.get(task)
        if per_task is None:
            per_task = self._task_connections[task] = {}
            task.add_done_callback(_close_task_connections(per_task))
        wrapper = per_task.get(alias)
        if wrapper is None:
            wrapper = per_task[alias] = self._create(alias, is_async=True, owner=owner)
        return wrapper

    def __iter__(self) -> Any:
        return iter(settings.databases)

    def all(self, initialized_only: bool = False) -> list[Any]:
        """The caller's wrappers of every alias (`initialized_only`: those created already)."""
        if not initialized_only:
            return [self[alias] for alias in settings.databases]
        task = self._current_task()
        if task is not None:
            return list(self._task_connections.get(task, {}).values())
        return list(self._local.__dict__.values())

    def every_wrapper(self) -> list[Any]:
        """Every wrapper of every thread and task still alive (for cache invalidation only:
        another thread's connection is never used or closed from here)."""
        with self._lock:
            return list(self._all_created)

    def close_all(self) -> None:
        """Close the calling thread's (inside a task: the task's) connections, as Django."""
        for wrapper in self.all(initialized_only=True):
            wrapper.close()

    def reset(self) -> None:
        """Close the caller's connections and forget every thread's; used when the settings
        change. Other threads' wrappers are left to them (closed when garbage collected)."""
        self.close_all()
        self._local = threading.local()


def close_old_connections(**kwargs: Any) -> None:
    """Close the calling thread's connections that the server dropped or that outlived their
    alias's conn_max_age, as Django does on each request's start and end: call it around a
    unit of work (a job, a message) in a long-running process. With the default conn_max_age
    (0) every connection outside an atomic block is closed; the next statement opens a new
    one. Accepts and ignores signal arguments, so it can be connected as a receiver."""
    for wrapper in connections.all(initialized_only=True):
        if not wrapper.is_async:  # a task's connection closes with its task
            wrapper.close_if_unusable_or_obsolete()


def _close_task_connections(per_task: dict[str, Any]) -> Any:
    def close(_task: Any) -> None:
        for wrapper in per_task.values():
            wrapper.close_from_callback()
        per_task.clear()

    return close


connections = ConnectionHandler()
install_lookup(connections.callers_lookup)
# configure() closes the open connections: the next query uses the new settings.
settings.on_configure.append(connections.reset)


class _DefaultConnectionProxy:
    """`tether.db.connection`: the default alias's wrapper for the calling thread or task."""

    def __getattr__(self, item: str) -> Any:
        return getattr(connections[DEFAULT_DB_ALIAS], item)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(connections[DEFAULT_DB_ALIAS], name, value)

    def __eq__(self, other: object) -> bool:
        return connections[DEFAULT_DB_ALIAS] == other

    def __repr__(self) -> str:
        return repr(connections[DEFAULT_DB_ALIAS])

    __hash__ = object.__hash__


connection = _DefaultConnectionProxy()
