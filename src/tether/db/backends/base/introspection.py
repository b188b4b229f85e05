"""Introspection: which tables exist, for `migrate --run-syncdb` and the test database."""

from __future__ import annotations

from typing import Any

from tether.db.core.plans import fetch_all
from tether.db.core.run import run_plan


class BaseDatabaseIntrospection:
    # A query listing the user's table names in the current database.
    table_names_sql = ""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def table_names(self) -> list[str]:
        rows = run_plan(fetch_all(self.table_names_sql, ()), self.connection)
        return sorted(row[0] for row in rows)
