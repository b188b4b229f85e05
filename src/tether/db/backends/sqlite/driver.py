"""sqlite3 adapters: the sync one calls the connection directly; the async one runs the very
same connection on one dedicated worker thread, as aiosqlite does, so the event loop never
blocks on SQLite.

iterator() steps its statement with fetchmany(): SQLite produces rows as they are asked for
(as in Django, writes to the table being read show through: no isolation within a connection).

Connections run in sqlite3's autocommit mode (isolation_level=None): tether issues BEGIN,
COMMIT and the savepoint statements itself, so they are visible to the query log.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tether.db.backends.base.results import cursor_result
from tether.db.backends.sqlite import functions
from tether.db.core.requests import ONE
from tether.exceptions import ImproperlyConfigured

# URL options (docs/configuration.md); anything else is refused before connecting.
_OPTIONS = ("journal_mode", "mode", "timeout")
_MODES = {"ro", "rw", "rwc"}
_JOURNAL_MODES = {"delete", "truncate", "persist", "memory", "wal", "off"}
DEFAULT_TIMEOUT = 30.0


def connect_options(settings: Any) -> tuple[str | None, str | None, float]:
    """(mode, journal_mode, timeout) from the URL's options, checked."""
    options = settings.options
    unknown = set(options) - set(_OPTIONS)
    if unknown:
        raise ImproperlyConfigured(
            f"Unknown SQLite URL option(s) {', '.join(sorted(unknown))} in {settings.url!r}; "
            f"known: {', '.join(_OPTIONS)}."
        )
    mode = options.get("mode")
    if mode is not None and mode not in _MODES:
        raise ImproperlyConfigured(f"Invalid mode={mode!r} in {settings.url!r}: ro, rw or rwc.")
    journal = options.get("journal_mode")
    if journal is not None and journal.lower() not in _JOURNAL_MODES:
        raise ImproperlyConfigured(
            f"Invalid journal_mode={journal!r} in {settings.url!r}: one of "
            f"{', '.join(sorted(_JOURNAL_MODES))}."
        )
    try:
        timeout = float(options.get("timeout", DEFAULT_TIMEOUT))
    except ValueError:
        raise ImproperlyConfigured(
            f"Invalid timeout={options['timeout']!r} in {settings.url!r}: a number of seconds."
        ) from None
    return mode, journal and journal.lower(), timeout


def open_connection(settings: Any, alias: str) -> sqlite3.Connection:
    """Connect, leaving an existing file's journal mode as it is unless the URL says.

    A file that tether creates is put in WAL: readers then never block the writer, which
    threads and per-task async connections on one file need (tests and the async runner open
    several connections to one file). A write-protected file, or `?mode=ro`, is opened
    read-only and nothing that writes (no journal mode change) is sent to it.
    """
    mode, journal, timeout = connect_options(settings)
    name = settings.name
    if name == ":memory:":
        # One shared in-memory database per alias, so that every thread's connection sees it.
        target, uri, created = f"file:tether_memory_{alias}?mode=memory&cache=shared", True, False
    else:
        exists = os.path.exists(name) and os.path.getsize(name) > 0
        if mode is None and exists and not os.access(name, os.W_OK):
            mode = "ro"
        created = not exists and mode != "ro"
        if mode is not None:
            target, uri = f"{Path(name).absolute().as_uri()}?mode={mode}", True
        else:
            target, uri = name, False
    raw = sqlite3.connect(
        target, isolation_level=None, check_same_thread=False, uri=uri, timeout=timeout
    )
    try:
        _configure(raw, journal or ("wal" if created else None), read_only=mode == "ro")
    except BaseException:
        raw.close()
        raise
    return raw


def _configure(raw: sqlite3.Connection, journal: str | None, read_only: bool) -> None:
    raw.execute("PRAGMA foreign_keys = ON")
    if journal is not None:
        current = raw.execute(f"PRAGMA journal_mode = {journal}").fetchone()[0]
    else:
        current = raw.execute("PRAGMA journal_mode").fetchone()[0]
    if str(current).lower() == "wal" and not read_only:
        # Safe in WAL mode (a power loss may lose the last commits, never the file); in the
        # rollback journal modes SQLite's default FULL is kept.
        raw.execute("PRAGMA synchronous = NORMAL")
    raw.execute("PRAGMA legacy_alter_table = OFF")
    functions.register(raw)


def _execute(raw: sqlite3.Connection, sql: str, params: Sequence[Any], result: int) -> Any:
    cursor = raw.execute(sql, () if params is None else params)
    value = cursor_result(cursor, result)
    if result == ONE:
        cursor.close()  # the statement may have more rows: release it now
    return value


class SQLiteDriver:
    module = sqlite3

    def __init__(self, settings: Any, wrapper: Any) -> None:
        self.raw = open_connection(settings, wrapper.alias)

    def execute(self, sql: str, params: Sequence[Any], result: int) -> Any:
        return _execute(self.raw, sql, params, result)

    def executemany(self, sql: str, param_list: Sequence[Sequence[Any]]) -> int:
        return self.raw.executemany(sql, param_list).rowcount

    def open_cursor(self, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        return self.raw.execute(sql, params)

    def fetch_many(self, cursor: sqlite3.Cursor, size: int) -> list[Any]:
        return cursor.fetchmany(size)

    def close_cursor(self, cursor: sqlite3.Cursor) -> None:
        _close_quietly(cursor)

    def close(self) -> None:
        self.raw.close()

    def ping(self) -> bool:
        return True  # a file or memory: there is no server to lose


def _close_quietly(cursor: sqlite3.Cursor) -> None:
    try:
        cursor.close()
    except sqlite3.Error:
        pass


class AsyncSQLiteDriver:
    module = sqlite3

    def __init__(self, settings: Any, wrapper: Any) -> None:
        self.settings = settings
        self.alias = wrapper.alias
        self.raw: sqlite3.Connection | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tether-sqlite")

    async def _run(self, func: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._thread, func, *args)

    async def open(self) -> None:
        self.raw = await self._run(open_connection, self.settings, self.alias)

    async def execute(self, sql: str, params: Sequence[Any], result: int) -> Any:
        return await self._run(_execute, self.raw, sql, params, result)

    async def executemany(self, sql: str, param_list: Sequence[Sequence[Any]]) -> int:
        return await self._run(lambda: self.raw.executemany(sql, param_list).rowcount)  # type: ignore[union-attr]

    async def open_cursor(self, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        # The cursor lives on the worker thread, like the connection it belongs to.
        return await self._run(self.raw.execute, sql, params)  # type: ignore[union-attr]

    async def fetch_many(self, cursor: sqlite3.Cursor, size: int) -> list[Any]:
        return await self._run(cursor.fetchmany, size)  # type: ignore[no-any-return]

    async def close_cursor(self, cursor: sqlite3.Cursor) -> None:
        await self._run(_close_quietly, cursor)

    async def aclose(self) -> None:
        if self.raw is not None:
            await self._run(self.raw.close)
        self._thread.shutdown(wait=False)

    def close(self) -> None:
        self.close_soon()

    def close_soon(self) -> None:
        raw, self.raw = self.raw, None
        if raw is not None:
            self._thread.submit(raw.close)
        self._thread.shutdown(wait=False)
