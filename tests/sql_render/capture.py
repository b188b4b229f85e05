"""Helpers of the compile-only tests: never-connected connections of each dialect, and the
Query that a QuerySet call hands to its compiler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest

from tether.conf import parse_database_url
from tether.db.connections import load_backend
from tether.models.sql.query import Query

DIALECTS = {
    "sqlite": "sqlite://:memory:",
    "postgresql": "postgresql://u@render.invalid/db",
    "mysql": "mysql://u@render.invalid/db",
}


def render_connection(vendor: str) -> Any:
    """A wrapper of `vendor` that is never connected (MariaDB 11 for mysql)."""
    conn = load_backend(vendor)(parse_database_url(DIALECTS[vendor]), f"render_{vendor}")
    if vendor == "mysql":
        conn.server_info = "11.4.2-MariaDB"
    return conn


def first_step(plan: Any) -> Any:
    """Run a plan up to its first request (never performed): enough for a compile."""
    return next(plan)


class Captured(Exception):
    pass


def compiled_query(run: Callable[[], Any]) -> Query:
    """The Query that `run` hands to a compiler, taken before any SQL is sent."""
    seen: list[Query] = []

    def capture(self: Query, *args: Any, **kwargs: Any) -> Any:
        seen.append(self)
        raise Captured

    with mock.patch.object(Query, "get_compiler", capture), pytest.raises(Captured):
        run()
    return seen[0]
