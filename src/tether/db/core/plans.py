"""Small building blocks for plans: one statement, one row, a rowcount."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

from tether.db.core.requests import LASTROWID, ONE, ROWCOUNT, ROWS, Execute


def fetch_all(sql: str, params: Sequence[Any]) -> Generator[Execute, Any, list[tuple[Any, ...]]]:
    return (yield Execute(sql, params, ROWS))  # type: ignore[no-any-return]


def fetch_one(sql: str, params: Sequence[Any]) -> Generator[Execute, Any, tuple[Any, ...] | None]:
    return (yield Execute(sql, params, ONE))  # type: ignore[no-any-return]


def rowcount(sql: str, params: Sequence[Any]) -> Generator[Execute, Any, int]:
    return (yield Execute(sql, params, ROWCOUNT))  # type: ignore[no-any-return]


def last_row_id(sql: str, params: Sequence[Any]) -> Generator[Execute, Any, int]:
    return (yield Execute(sql, params, LASTROWID))  # type: ignore[no-any-return]
