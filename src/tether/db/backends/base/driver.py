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

    def close(self) -> None:
        """Close the underlying connection."""
