"""Test utilities that do not need a test case: capturing the queries a block sends.

`CaptureQueriesContext` turns the connection's query log on for the duration of a `with`
block and keeps the statements logged inside it. It knows nothing about test databases.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CaptureQueriesContext"]


class CaptureQueriesContext:
    """Record every statement `connection` sends inside the `with` block.

    After the block, `captured_queries` is the list of `{"sql": ..., "time": ...}` entries;
    `len(context)` counts them and `context[i]` gives one.
    """

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.initial_queries = 0
        self.final_queries: int | None = None
        self._saved_force_debug = False

    def __iter__(self) -> Any:
        return iter(self.captured_queries)

    def __getitem__(self, index: Any) -> Any:
        return self.captured_queries[index]

    def __len__(self) -> int:
        return len(self.captured_queries)

    @property
    def captured_queries(self) -> list[dict[str, str]]:
        log = list(self.connection.queries_log)
        end = self.final_queries if self.final_queries is not None else len(log)
        return log[self.initial_queries : end]

    def __enter__(self) -> CaptureQueriesContext:
        conn = self.connection
        self._saved_force_debug = conn.force_debug_cursor
        conn.force_debug_cursor = True
        # Open the connection first so that nothing it sends on connect is counted.
        conn.ensure_connection()
        self.initial_queries = len(conn.queries_log)
        self.final_queries = None
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        conn = self.connection
        conn.force_debug_cursor = self._saved_force_debug
        self.final_queries = len(conn.queries_log)
