"""The driver adapter contract: the small set of methods the runners call.

A sync adapter and an async adapter implement the same names; the async ones are coroutines.
`module` is the DB-API module whose exception classes the runner maps to `tether.db`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class DriverAdapter(Protocol):
    module: Any

    def execute(self, sql: str, params: Sequence[Any], result: int) -> Any:
        """Run one statement; `result` is one of tether.db.core.requests' ROWS, ONE, ROWCOUNT,
        LASTROWID and chooses what is returned."""

    def executemany(self, sql: str, param_list: Sequence[Sequence[Any]]) -> int:
        """Run one statement once per parameter tuple and return the total rowcount."""

    def open_cursor(self, sql: str, params: Sequence[Any]) -> Any:
        """Run a SELECT whose rows are fetched later, a chunk at a time; return a handle."""

    def fetch_many(self, cursor: Any, size: int) -> list[Any]:
        """Up to `size` more rows of an open_cursor() handle; an empty list at the end."""

    def close_cursor(self, cursor: Any) -> None:
        """Let the handle go; never raises a database error."""

    def close(self) -> None:
        """Close the underlying connection."""

    def ping(self) -> bool:
        """Whether the server still answers on this connection (a health check); never
        raises a database error. Sync adapters only: an async connection lives for one task,
        and close_old_connections() reaches only the thread's connections."""
