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
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tether.db.backends.base.results import cursor_result
from tether.db.backends.sqlite import functions
from tether.db.core.requests import ONE


def open_connection(settings: Any, alias: str) -> sqlite3.Connection:
    name = settings.name
    if name == ":memory:":
        # One shared in-memory database per alias, so that every thread's connection sees it.
        target, uri = f"file:tether_memory_{alias}?mode=memory&cache=shared", True
    else:
        target, uri = name, False
    raw = sqlite3.connect(
        target, isolation_level=None, check_same_thread=False, uri=uri, timeout=30.0
    )
    raw.execute("PRAGMA foreign_keys = ON")
    if name != ":memory:":
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA synchronous = NORMAL")
    raw.execute("PRAGMA legacy_alter_table = OFF")
    functions.register(raw)
    return raw


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
