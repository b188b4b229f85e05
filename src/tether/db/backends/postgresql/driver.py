"""psycopg 3 adapters: `PostgresDriver` (psycopg.Connection) and `AsyncPostgresDriver`
(psycopg.AsyncConnection), the only code that talks to libpq.

Connections run in autocommit mode: tether issues BEGIN, COMMIT and the savepoint statements
itself. Parameters are bound client-side by default (ClientCursor, as Django does), so a `%s`
may appear anywhere a literal may, even in DDL; `?server_side_binding=true` switches to
server-side binding. iterator() reads through a named (server-side) cursor, WITH HOLD outside
a transaction, as Django does; `?disable_server_side_cursors=true` (Django's
DISABLE_SERVER_SIDE_CURSORS, for transaction-pooling bouncers) reads with fetchmany() on a
client-side cursor instead. `?pool=true` borrows connections from a process-wide psycopg_pool
ConnectionPool (one per connection target) in sync code; a borrowed connection is returned
clean: an open transaction is rolled back, a broken connection is discarded. In async code
it keeps a task's connection, clean, for the next task of the same event loop (async_pool.py);
without it each task opens and closes its own.

This module knows nothing of SQL generation or of the transaction state; see wrapper.py.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import itertools
import threading
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg.client_cursor import ClientCursorMixin
from psycopg.pq import Conninfo, TransactionStatus
from psycopg.types.string import TextLoader

from tether.conf import settings as tether_settings
from tether.db.backends.base.results import acursor_result, cursor_result
from tether.db.backends.postgresql.async_pool import LoopPool, loop_pool
from tether.exceptions import ImproperlyConfigured

# URL query options that are tether's own; every other option goes to libpq as is.
_OWN_OPTIONS = {
    "pool",
    "pool_min_size",
    "pool_max_size",
    "pool_timeout",
    "server_side_binding",
    "disable_server_side_cursors",
}
_TRUE = {"1", "true", "yes", "on"}


def _flag(options: dict[str, str], name: str) -> bool:
    return options.get(name, "").lower() in _TRUE


@functools.cache
def _libpq_options() -> frozenset[str]:
    """The connection keywords this libpq knows (sslmode, sslrootcert, connect_timeout,
    application_name, ...)."""
    return frozenset(o.keyword.decode() for o in Conninfo.get_defaults())


def _check_options(settings: Any) -> None:
    """ImproperlyConfigured naming any URL option that neither tether nor libpq knows (libpq
    checks the values of its own; _pool_args those of the pool)."""
    unknown = set(settings.options) - _OWN_OPTIONS - _libpq_options()
    if unknown:
        raise ImproperlyConfigured(
            f"Unknown PostgreSQL URL option(s) {', '.join(sorted(unknown))} in {settings.url!r}; "
            f"tether's own: {', '.join(sorted(_OWN_OPTIONS))}, else a libpq connection keyword."
        )


def connect_kwargs(settings: Any) -> dict[str, Any]:
    """psycopg.connect() keyword arguments for `settings` (a tether DatabaseSettings)."""
    _check_options(settings)
    kwargs: dict[str, Any] = {"dbname": settings.name}
    if settings.user:
        kwargs["user"] = settings.user
    if settings.password:
        kwargs["password"] = settings.password
    if settings.host:
        kwargs["host"] = settings.host
    if settings.port:
        kwargs["port"] = settings.port
    for key, value in settings.options.items():
        if key not in _OWN_OPTIONS:
            kwargs[key] = value
    kwargs["autocommit"] = True
    return kwargs


def _session_time_zone() -> str:
    return "UTC" if tether_settings.use_tz else tether_settings.time_zone


class ClientServerCursor(ClientCursorMixin, psycopg.ServerCursor):  # type: ignore[misc]
    """A named cursor whose parameters are bound client-side, as every other statement's
    (psycopg's ServerCursor binds server-side); Django's ServerSideCursor does the same."""


class AsyncClientServerCursor(ClientCursorMixin, psycopg.AsyncServerCursor):  # type: ignore[misc]
    pass


# Named cursors' names: unique within the process, so within every connection.
_cursor_names = itertools.count(1)


def _cursor_name() -> str:
    return f"_tether_curs_{next(_cursor_names)}"


def _prepare(raw: Any, server_side: bool) -> None:
    """Per-connection setup that needs no round trip: cursor class and type loaders."""
    if not server_side:
        is_async = isinstance(raw, psycopg.AsyncConnection)
        raw.cursor_factory = psycopg.AsyncClientCursor if is_async else psycopg.ClientCursor
        raw.server_cursor_factory = AsyncClientServerCursor if is_async else ClientServerCursor
    # JSON comes back as text, as on the other backends: JSONField decodes it itself.
    raw.adapters.register_loader("jsonb", TextLoader)
    raw.adapters.register_loader("json", TextLoader)
    # inet/cidr as the server spells them (GenericIPAddressField values are strings).
    raw.adapters.register_loader("inet", TextLoader)
    raw.adapters.register_loader("cidr", TextLoader)


def _time_zone_sql(raw: Any) -> str | None:
    """The statement that sets the session time zone, or None when it is already right."""
    wanted = _session_time_zone()
    if raw.info.parameter_status("TimeZone") in (wanted, wanted.encode()):
        return None
    return "SELECT set_config('TimeZone', %s, false)"


def configure_sync(raw: psycopg.Connection[Any]) -> None:
    sql = _time_zone_sql(raw)
    if sql:
        raw.execute(sql, (_session_time_zone(),))


async def configure_async(raw: psycopg.AsyncConnection[Any]) -> None:
    sql = _time_zone_sql(raw)
    if sql:
        await raw.execute(sql, (_session_time_zone(),))


def _description(cursor: Any) -> Any:
    """psycopg's Column objects as plain DB-API 7-tuples (they are sequences already)."""
    if cursor.description is None:
        return None
    return [tuple(column) for column in cursor.description]


# ---- pools -------------------------------------------------------------------------------

_pool_lock = threading.Lock()
_sync_pools: dict[tuple[Any, ...], Any] = {}


def _pool_key(settings: Any) -> tuple[Any, ...]:
    options = tuple(sorted(settings.options.items()))
    return (settings.host, settings.port, settings.name, settings.user, options)


def _pool_sizes(settings: Any) -> tuple[int, int, float]:
    """(min_size, max_size, timeout) of the URL's pool options."""
    options = settings.options
    try:
        min_size = int(options.get("pool_min_size", 1))
        max_size = int(options.get("pool_max_size", max(min_size, 10)))
        timeout = float(options.get("pool_timeout", 30))
    except ValueError as exc:
        raise ImproperlyConfigured(f"Invalid pool option in {settings.url!r}: {exc}") from exc
    return min_size, max_size, timeout


def _pool_args(settings: Any) -> dict[str, Any]:
    min_size, max_size, timeout = _pool_sizes(settings)
    kwargs = connect_kwargs(settings)
    return {"min_size": min_size, "max_size": max_size, "timeout": timeout, "kwargs": kwargs}


def _sync_pool(settings: Any) -> Any:
    from psycopg_pool import ConnectionPool

    key = _pool_key(settings)
    with _pool_lock:
        pool = _sync_pools.get(key)
        if pool is None:
            if not _sync_pools:
                atexit.register(close_pools)
            pool = ConnectionPool(configure=configure_sync, open=True, **_pool_args(settings))
            _sync_pools[key] = pool
    return pool


def close_pools() -> None:
    """Close every synchronous pool (async pools close with their event loop)."""
    with _pool_lock:
        pools = list(_sync_pools.values())
        _sync_pools.clear()
    for pool in pools:
        pool.close()


def _needs_reset(raw: Any) -> bool:
    return raw.info.transaction_status != TransactionStatus.IDLE


def _close_quietly(cursor: Any) -> None:
    """Close a cursor; a failure (an aborted transaction, a dropped connection) is left to the
    statement that caused it or to the next one, never raised over the reader's own error."""
    try:
        cursor.close()
    except psycopg.Error:
        pass


async def _aclose_quietly(cursor: Any) -> None:
    try:
        await cursor.close()
    except psycopg.Error:
        pass


# ---- adapters ----------------------------------------------------------------------------


class PostgresDriver:
    """Synchronous adapter over one psycopg.Connection (owned, or borrowed from a pool)."""

    module = psycopg

    def __init__(self, settings: Any, wrapper: Any) -> None:
        self._pool = _sync_pool(settings) if _flag(settings.options, "pool") else None
        if self._pool is not None:
            self.raw = self._pool.getconn()
        else:
            self.raw = psycopg.Connection.connect(**connect_kwargs(settings))
            configure_sync(self.raw)
        _prepare(self.raw, _flag(settings.options, "server_side_binding"))
        self.server_side_cursors = not _flag(settings.options, "disable_server_side_cursors")
        wrapper.server_version = self.raw.info.server_version

    def execute(self, sql: str, params: Sequence[Any], result: int) -> Any:
        return cursor_result(
            self.raw.execute(sql, params), result, returning_id=True, describe=_description
        )

    def open_cursor(self, sql: str, params: Sequence[Any]) -> Any:
        raw = self.raw
        if not self.server_side_cursors:
            return raw.execute(sql, params)
        # WITH HOLD outside a transaction: the cursor outlives DECLARE's implicit commit.
        hold = raw.info.transaction_status == TransactionStatus.IDLE
        cursor = raw.cursor(_cursor_name(), scrollable=False, withhold=hold)
        try:
            cursor.execute(sql, params)
        except BaseException:
            _close_quietly(cursor)
            raise
        return cursor

    def fetch_many(self, cursor: Any, size: int) -> list[Any]:
        return cursor.fetchmany(size)

    def close_cursor(self, cursor: Any) -> None:
        _close_quietly(cursor)

    def executemany(self, sql: str, param_list: Sequence[Sequence[Any]]) -> int:
        with self.raw.cursor() as cursor:
            cursor.executemany(sql, param_list)
            return cursor.rowcount

    def refresh_time_zone(self) -> None:
        """Set the session time zone again after use_tz or time_zone changed."""
        configure_sync(self.raw)

    def ping(self) -> bool:
        try:
            self.raw.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    def close(self) -> None:
        raw, pool = self.raw, self._pool
        if pool is None:
            raw.close()
            return
        if not raw.closed and _needs_reset(raw):
            try:
                raw.execute("ROLLBACK")
            except psycopg.Error:
                raw.close()  # the pool discards a closed connection
        pool.putconn(raw)


class AsyncPostgresDriver:
    """Asynchronous adapter over one psycopg.AsyncConnection (owned, or from a pool)."""

    module = psycopg

    def __init__(self, settings: Any, wrapper: Any) -> None:
        self.settings = settings
        self.wrapper = wrapper
        self.raw: Any = None
        self._pool: LoopPool | None = None
        self._closing: set[asyncio.Task[Any]] = set()

    async def open(self) -> None:
        settings = self.settings
        raw = None
        if _flag(settings.options, "pool"):
            # The running loop's idle connections (async_pool.py), never a pool object that
            # outlives its loop.
            self._pool = await loop_pool(_pool_key(settings), _pool_sizes(settings)[1])
            raw = self._pool.take()
        if raw is None:
            raw = await psycopg.AsyncConnection.connect(**connect_kwargs(settings))
            await configure_async(raw)
            _prepare(raw, _flag(settings.options, "server_side_binding"))
        self.server_side_cursors = not _flag(settings.options, "disable_server_side_cursors")
        self.wrapper.server_version = raw.info.server_version
        self.raw = raw

    async def execute(self, sql: str, params: Sequence[Any], result: int) -> Any:
        return await acursor_result(
            await self.raw.execute(sql, params), result, returning_id=True, describe=_description
        )

    async def open_cursor(self, sql: str, params: Sequence[Any]) -> Any:
        raw = self.raw
        if not self.server_side_cursors:
            return await raw.execute(sql, params)
        hold = raw.info.transaction_status == TransactionStatus.IDLE
        cursor = raw.cursor(_cursor_name(), scrollable=False, withhold=hold)
        try:
            await cursor.execute(sql, params)
        except BaseException:
            await _aclose_quietly(cursor)
            raise
        return cursor

    async def fetch_many(self, cursor: Any, size: int) -> list[Any]:
        return await cursor.fetchmany(size)  # type: ignore[no-any-return]

    async def close_cursor(self, cursor: Any) -> None:
        await _aclose_quietly(cursor)

    async def executemany(self, sql: str, param_list: Sequence[Sequence[Any]]) -> int:
        async with self.raw.cursor() as cursor:
            await cursor.executemany(sql, param_list)
            return int(cursor.rowcount)

    async def aclose(self) -> None:
        raw, self.raw = self.raw, None
        if raw is None:
            return
        if self._pool is not None and not raw.closed:
            if _needs_reset(raw):
                try:
                    await raw.execute("ROLLBACK")
                except psycopg.Error:
                    pass  # broken: give() refuses it and it is closed below
            if self._pool.give(raw):
                return
        await raw.close()

    def close(self) -> None:
        self.close_soon()

    def close_soon(self) -> None:
        """Close without awaiting (a task's done callback): scheduled on the running loop,
        else the socket is closed at once and a pooled connection is left to the pool."""
        if self.raw is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raw, self.raw = self.raw, None
            raw.pgconn.finish()
            return
        task = loop.create_task(self.aclose())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)
