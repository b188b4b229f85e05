"""Request values that plans yield and runners carry out.

A plan never touches a driver: it yields one of these small frozen values and receives the
result back from whichever runner drives it (sync or async). Each request knows which driver
method performs it, so the runners stay two short loops.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from tether.db.core.workers import run_in_worker

# What an Execute sends back to the plan.
ROWS = 0  # a list of row tuples
ONE = 1  # the first row tuple, or None
ROWCOUNT = 2  # the number of rows the statement affected
LASTROWID = 3  # the id the statement inserted (backends without RETURNING)
# A `Described` (rows, description, rowcount, lastrowid): what a DB-API cursor would show,
# for connection.cursor() and raw(). Params None means "no parameter substitution at all".
DESCRIBED = 4


@dataclass(frozen=True, slots=True)
class Described:
    """The result of a DESCRIBED execution, fetched in full."""

    rows: list[Any]
    description: Any
    rowcount: int
    lastrowid: Any


@dataclass(frozen=True, slots=True)
class Execute:
    """Run one statement with bound parameters; `result` chooses what comes back."""

    sql: str
    params: Sequence[Any] = ()
    result: int = ROWS
    logged: ClassVar[bool] = True
    guarded: ClassVar[bool] = True  # refused while the transaction needs a rollback
    local: ClassVar[bool] = False  # True: performed without the database (no driver needed)

    def perform(self, driver: Any) -> Any:
        return driver.execute(self.sql, self.params, self.result)

    async def aperform(self, driver: Any) -> Any:
        return await driver.execute(self.sql, self.params, self.result)


@dataclass(frozen=True, slots=True)
class ExecuteMany:
    """Run one statement once per parameter tuple; the runner sends back the rowcount."""

    sql: str
    param_list: Sequence[Sequence[Any]]
    logged: ClassVar[bool] = True
    guarded: ClassVar[bool] = True
    local: ClassVar[bool] = False

    @property
    def params(self) -> Sequence[Any]:
        return self.param_list

    def perform(self, driver: Any) -> Any:
        return driver.executemany(self.sql, self.param_list)

    async def aperform(self, driver: Any) -> Any:
        return await driver.executemany(self.sql, self.param_list)


@dataclass(frozen=True, slots=True)
class TransactionControl:
    """BEGIN, COMMIT, ROLLBACK and the savepoint statements.

    All are logged, so assertNumQueries counts them as Django 5.2 does (Django logs BEGIN,
    COMMIT and ROLLBACK since 4.2, on every backend).
    """

    sql: str
    logged: bool = True
    params: ClassVar[tuple[()]] = ()
    guarded: ClassVar[bool] = False  # rolling back is how a broken transaction is repaired
    local: ClassVar[bool] = False

    def perform(self, driver: Any) -> Any:
        return driver.execute(self.sql, (), ROWCOUNT)

    async def aperform(self, driver: Any) -> Any:
        return await driver.execute(self.sql, (), ROWCOUNT)


@dataclass(frozen=True, slots=True)
class OpenCursor:
    """Run a SELECT whose rows are read a chunk at a time; the runner sends back a handle.

    PostgreSQL declares a server-side cursor (the rows stay on the server until fetched),
    SQLite steps its statement lazily, MySQL reads into the driver's buffer (see driver.py).
    """

    sql: str
    params: Sequence[Any] = ()
    logged: ClassVar[bool] = True
    guarded: ClassVar[bool] = True
    local: ClassVar[bool] = False

    def perform(self, driver: Any) -> Any:
        return driver.open_cursor(self.sql, self.params)

    async def aperform(self, driver: Any) -> Any:
        return await driver.open_cursor(self.sql, self.params)


@dataclass(frozen=True, slots=True)
class FetchMany:
    """Up to `size` more rows of an OpenCursor's handle (fewer, or none, at the end)."""

    handle: Any
    size: int
    logged: ClassVar[bool] = False
    guarded: ClassVar[bool] = True
    local: ClassVar[bool] = False

    def perform(self, driver: Any) -> Any:
        return driver.fetch_many(self.handle, self.size)

    async def aperform(self, driver: Any) -> Any:
        return await driver.fetch_many(self.handle, self.size)


@dataclass(frozen=True, slots=True)
class CloseCursor:
    """Let an OpenCursor's handle go (also after an error, or when the reader stops early)."""

    handle: Any
    logged: ClassVar[bool] = False
    guarded: ClassVar[bool] = False
    local: ClassVar[bool] = False

    def perform(self, driver: Any) -> Any:
        return driver.close_cursor(self.handle)

    async def aperform(self, driver: Any) -> Any:
        return await driver.close_cursor(self.handle)


# ---- effects that are not statements ------------------------------------------------------
# The runners perform these without touching the driver; what differs between sync and async
# is only how a user's code is called (directly, or awaited / run in a worker thread).


@dataclass(frozen=True, slots=True)
class Pause:
    """Wait a little before retrying (time.sleep, or asyncio.sleep under the async runner)."""

    seconds: float
    logged: ClassVar[bool] = False
    guarded: ClassVar[bool] = False
    local: ClassVar[bool] = True

    def perform(self) -> None:
        time.sleep(self.seconds)

    async def aperform(self) -> None:
        await asyncio.sleep(self.seconds)


@dataclass(frozen=True, slots=True)
class Send:
    """Send a signal: the sync runner calls `signal.send()`, the async one awaits `asend()`.

    So an `async def` receiver is awaited on the task's own loop under the a-methods, and
    run as Django 5 runs it (on an event loop of its own) under the sync methods. Its response
    list is what the plan gets back.
    """

    signal: Any
    sender: Any
    named: dict[str, Any]
    logged: ClassVar[bool] = False
    guarded: ClassVar[bool] = False
    local: ClassVar[bool] = True

    def perform(self) -> Any:
        return self.signal.send(sender=self.sender, **self.named)

    async def aperform(self) -> Any:
        return await self.signal.asend(sender=self.sender, **self.named)


@dataclass(frozen=True, slots=True)
class CallSync:
    """Call a user's synchronous code that runs queries itself (an overridden `save()`).

    The sync runner calls it in place. The async runner runs it in a worker thread that
    borrows the task's connections (`workers.run_in_worker`), so its queries run on the
    task's connection and inside its transaction, as Django's sync_to_async() would have them.
    """

    func: Callable[..., Any]
    kwargs: dict[str, Any]
    logged: ClassVar[bool] = False
    guarded: ClassVar[bool] = False
    local: ClassVar[bool] = True

    def perform(self) -> Any:
        return self.func(**self.kwargs)

    async def aperform(self) -> Any:
        return await run_in_worker(self.func, **self.kwargs)


@dataclass(frozen=True, slots=True)
class OnDatabase:
    """Run a plan on another alias's connection (a router sent part of the work elsewhere:
    a prefetch of a model read from a replica, the link rows of a through model that lives
    on another database) and hand its result back.

    `make(conn)` builds the plan for that connection. The alias is looked up when the
    request runs, so the sync runner uses the thread's connection and the async one the
    task's; errors of the inner plan are thrown into the outer one as any request's are. The
    runners carry it out (it names a connection, which this module knows nothing of).
    """

    alias: str
    make: Callable[[Any], Any]
    logged: ClassVar[bool] = False
    guarded: ClassVar[bool] = False
    local: ClassVar[bool] = False  # the runners perform it themselves (run.py)


def on_database(conn: Any, alias: str, make: Callable[[Any], Any]) -> Any:
    """Run `make(c)` on `alias`: in place when `conn` is that alias, else through
    OnDatabase. A plan helper: `rows = yield from on_database(conn, alias, make)`."""
    if conn is not None and conn.alias == alias:
        return (yield from make(conn))
    return (yield OnDatabase(alias, make))


@dataclass(frozen=True, slots=True)
class Emit:
    """Not a database request: a value a streaming plan hands to its reader (iterate_plan)."""

    value: Any


Request = (
    Execute
    | ExecuteMany
    | TransactionControl
    | OpenCursor
    | FetchMany
    | CloseCursor
    | Pause
    | Send
    | CallSync
    | OnDatabase
    | Emit
)
