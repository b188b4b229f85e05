"""Request values that plans yield and runners carry out.

A plan never touches a driver: it yields one of these small frozen values and receives the
result back from whichever runner drives it (sync or async). Each request knows which driver
method performs it, so the runners stay two short loops.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

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

    def perform(self, driver: Any) -> Any:
        return driver.close_cursor(self.handle)

    async def aperform(self, driver: Any) -> Any:
        return await driver.close_cursor(self.handle)


@dataclass(frozen=True, slots=True)
class Emit:
    """Not a database request: a value a streaming plan hands to its reader (iterate_plan)."""

    value: Any


Request = Execute | ExecuteMany | TransactionControl | OpenCursor | FetchMany | CloseCursor | Emit
