"""QuerySet.explain(): the database's plan for the query, as Django 5.2 returns it.

The backend writes the prefix (`ops.explain_query_prefix`), which accepts only the formats
and option names it lists: no caller string reaches the SQL. Each row of the database's answer
becomes one line, its columns joined by spaces (JSON documents re-serialized with json.dumps).
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from tether.db.core.requests import ROWS, Execute
from tether.db.core.twins import Job, twins
from tether.exceptions import EmptyResultSet

Plan = Generator[Any, Any, Any]

# An option name as Django accepts it before the backend checks it against its list.
OPTION_NAME = re.compile(r"[\w\-]+")


def _column_text(value: Any, json_format: bool) -> str:
    if not json_format:
        return str(value)
    if isinstance(value, str | bytes):
        value = json.loads(value)  # the driver hands the document over as text
    return json.dumps(value)


class ExplainMixin:
    """explain() and aexplain() for QuerySet (which provides _query, _fields and _conn)."""

    _query: Any
    _fields: Any

    def _explain_plan(self, conn: Any, format: str | None, options: dict[str, Any]) -> Plan:
        prefix = conn.ops.explain_query_prefix(format, **options)
        kind = "values" if self._fields is not None else "select"
        try:
            entry, params = self._query.get_compiler(connection=conn, kind=kind).compiled()
        except EmptyResultSet:
            return ""
        rows = yield Execute(f"{prefix} {entry.sql}", params, ROWS)
        json_format = bool(format) and format.lower() == "json"  # type: ignore[union-attr]
        return "\n".join(" ".join(_column_text(c, json_format) for c in row) for row in rows)

    def _explain_job(self, *, format: str | None = None, **options: Any) -> Job:
        for name in options:
            if not OPTION_NAME.fullmatch(name) or "--" in name:
                raise ValueError(f"Invalid option name: {name!r}.")
        conn = self._conn()  # type: ignore[attr-defined]
        return Job(conn, self._explain_plan(conn, format, options))

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        explain, aexplain = twins(
            _explain_job, "explain", "The database's execution plan for this query, as text."
        )


__all__ = ["ExplainMixin"]
