"""Raw SQL helpers for the tests that must not depend on the models layer."""

from __future__ import annotations

from typing import Any

from tether.db import connections
from tether.db.core.requests import ROWCOUNT, ROWS, Execute
from tether.db.core.run import run_plan


def _plan(sql: str, params: tuple[Any, ...], result: int) -> Any:
    return (yield Execute(sql, params, result))


def execute(sql: str, params: tuple[Any, ...] = (), using: str = "default") -> int:
    conn = connections[using]
    return run_plan(_plan(conn.ops.to_driver_sql(sql), params, ROWCOUNT), conn)  # type: ignore[no-any-return]


def fetch(sql: str, params: tuple[Any, ...] = (), using: str = "default") -> list[tuple[Any, ...]]:
    conn = connections[using]
    return list(run_plan(_plan(conn.ops.to_driver_sql(sql), params, ROWS), conn))


def quote(name: str, using: str = "default") -> str:
    return connections[using].ops.quote_name(name)  # type: ignore[no-any-return]
