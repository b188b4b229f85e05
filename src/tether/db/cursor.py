"""`connection.cursor()`: Django's cursor API over tether's plan runners.

Every statement goes through `run_plan`, so it is logged like any ORM query (when debug is on
or inside CaptureQueriesContext) and driver errors arrive as `tether.db` exceptions. Parameters
use `%s` placeholders on every backend (SQLite's `?` is written for it); with `params=None`
the SQL is sent as is, without placeholder processing, as Django's cursor does. Results are
fetched in full when the statement runs and then handed out by fetchone/fetchmany/fetchall.
This module knows nothing about models or queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from tether.db.core.requests import DESCRIBED, Described, Execute, ExecuteMany
from tether.db.core.run import run_plan
from tether.db.errors import InterfaceError, NotSupportedError


def _one(request: Any) -> Any:
    return (yield request)


def driver_statement(connection: Any, sql: str, params: Any) -> tuple[str, Any]:
    """The SQL and parameters the driver receives for `%s`-style `sql` and `params`."""
    if params is None:
        return sql, None
    if isinstance(params, Mapping):
        if connection.ops.placeholder == "%s":
            return sql, dict(params)
        return _NAMED.sub(_to_named, sql), dict(params)  # SQLite's :name style
    return connection.ops.to_driver_sql(sql), tuple(params)


_NAMED = re.compile(r"%\((\w+)\)s|%%")


def _to_named(match: re.Match[str]) -> str:
    return f":{match.group(1)}" if match.group(1) else "%"


class CursorWrapper:
    """A DB-API style cursor bound to one tether connection wrapper."""

    arraysize = 1

    def __init__(self, connection: Any) -> None:
        self.db = connection
        self._rows: list[Any] = []
        self._position = 0
        self._closed = False
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: Any = None

    # ---- executing -----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise InterfaceError("Cursor already closed")

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Any:
        """Run `sql` with `params` bound (placeholders `%s`, or `%(name)s` with a dict)."""
        self._check_open()
        driver_sql, driver_params = driver_statement(self.db, sql, params)
        result: Described = run_plan(_one(Execute(driver_sql, driver_params, DESCRIBED)), self.db)
        self._rows = list(result.rows)
        self._position = 0
        self.description = result.description
        self.rowcount = result.rowcount
        self.lastrowid = result.lastrowid
        return self

    def executemany(self, sql: str, param_list: Sequence[Sequence[Any]]) -> Any:
        """Run `sql` once per parameter sequence."""
        self._check_open()
        param_list = [tuple(params) for params in param_list]
        driver_sql = self.db.ops.to_driver_sql(sql)
        self.rowcount = run_plan(_one(ExecuteMany(driver_sql, param_list)), self.db)
        self._rows, self._position, self.description = [], 0, None
        return self

    def callproc(
        self,
        procname: str,
        params: Sequence[Any] | None = None,
        kparams: Mapping[str, Any] | None = None,
    ) -> Any:
        """Call a stored procedure (a function on PostgreSQL, through SELECT); its rows are
        then fetched as a statement's. Returns `params`, as the drivers' callproc does."""
        self._check_open()
        if kparams is not None:
            raise NotSupportedError(
                "Keyword parameters for callproc are not supported on this database backend."
            )
        template = self.db.features.callproc_sql
        if template is None:
            raise NotSupportedError(f"{self.db.vendor} has no stored procedures (callproc).")
        args = list(params or ())
        placeholders = ", ".join(["%s"] * len(args))
        sql = template.format(name=self.db.ops.quote_name(procname), args=placeholders)
        self.execute(sql, args)
        return params

    @property
    def connection(self) -> Any:
        """The driver's own connection (sqlite3, psycopg, PyMySQL), as Django's cursor gives."""
        return self.db.ensure_connection().raw

    # ---- fetching ------------------------------------------------------------------------

    def fetchone(self) -> Any:
        self._check_open()
        if self._position >= len(self._rows):
            return None
        row = self._rows[self._position]
        self._position += 1
        return tuple(row)

    def fetchmany(self, size: int | None = None) -> list[Any]:
        self._check_open()
        size = self.arraysize if size is None else size
        rows = self._rows[self._position : self._position + size]
        self._position += len(rows)
        return [tuple(row) for row in rows]

    def fetchall(self) -> list[Any]:
        self._check_open()
        rows = self._rows[self._position :]
        self._position = len(self._rows)
        return [tuple(row) for row in rows]

    def __iter__(self) -> Iterator[Any]:
        while True:
            row = self.fetchone()
            if row is None:
                return
            yield row

    # ---- life cycle ----------------------------------------------------------------------

    def close(self) -> None:
        self._closed = True
        self._rows = []

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> CursorWrapper:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<CursorWrapper alias={self.db.alias!r}>"
