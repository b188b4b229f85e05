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


Request = Execute | ExecuteMany | TransactionControl
