"""Introspection: what the database holds (tables, columns, constraints, relations, sequences),
read back for the schema editor, migrations and tests, with Django's method names and shapes.

Methods take Django's `cursor` first argument for compatibility; they read through the plan
runners of this connection (the cursor's own connection), so the cursor itself is not used.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from typing import Any

from tether.db.core.plans import fetch_all
from tether.db.core.run import run_plan

# Django's named tuples: get_table_list() rows and get_table_description() rows.
TableInfo = namedtuple("TableInfo", ["name", "type", "comment"])
FieldInfo = namedtuple(
    "FieldInfo",
    [
        "name",
        "type_code",
        "display_size",
        "internal_size",
        "precision",
        "scale",
        "null_ok",
        "default",
        "collation",
        "comment",
    ],
)


def constraint_entry(
    columns: Sequence[str],
    *,
    primary_key: bool = False,
    unique: bool = False,
    foreign_key: tuple[str, str] | None = None,
    check: bool = False,
    index: bool = False,
    type_: str | None = None,
    orders: Sequence[str] = (),
    definition: str | None = None,
) -> dict[str, Any]:
    """One value of get_constraints()'s dict, with Django's keys."""
    return {
        "columns": list(columns),
        "primary_key": primary_key,
        "unique": unique,
        "foreign_key": foreign_key,
        "check": check,
        "index": index,
        "type": type_,
        "orders": list(orders),
        "definition": definition,
        "options": None,
    }


class BaseDatabaseIntrospection:
    # A query listing the user's table names in the current database.
    table_names_sql = ""
    # get_table_list(): (name, 't' or 'v', comment) rows of tables and views.
    table_list_sql = ""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        ops = self.connection.ops
        return list(run_plan(fetch_all(ops.to_driver_sql(sql), tuple(params)), self.connection))

    def identifier_converter(self, name: str) -> str:
        """A name as the database reports it (Oracle upper-cases; the others keep it)."""
        return name

    def table_names(self, cursor: Any = None, include_views: bool = False) -> list[str]:
        """The sorted names of the tables (and views when asked) of the current database."""
        if not include_views:
            return sorted(row[0] for row in self._rows(self.table_names_sql))
        return sorted(info.name for info in self.get_table_list(cursor))

    def get_table_list(self, cursor: Any = None) -> list[TableInfo]:
        return [TableInfo(*row) for row in self._rows(self.table_list_sql)]

    def get_table_description(self, cursor: Any, table_name: str) -> list[FieldInfo]:
        raise NotImplementedError

    def get_constraints(self, cursor: Any, table_name: str) -> dict[str, dict[str, Any]]:
        raise NotImplementedError

    def get_relations(self, cursor: Any, table_name: str) -> dict[str, tuple[str, str]]:
        """{column: (referenced column, referenced table)} of the table's foreign keys."""
        relations = {}
        for info in self.get_constraints(cursor, table_name).values():
            if info["foreign_key"] and len(info["columns"]) == 1:
                table, column = info["foreign_key"]
                relations[info["columns"][0]] = (column, table)
        return relations

    def get_primary_key_columns(self, cursor: Any, table_name: str) -> list[str] | None:
        for info in self.get_constraints(cursor, table_name).values():
            if info["primary_key"]:
                return list(info["columns"])
        return None

    def get_primary_key_column(self, cursor: Any, table_name: str) -> str | None:
        columns = self.get_primary_key_columns(cursor, table_name)
        return columns[0] if columns else None

    def get_sequences(
        self, cursor: Any, table_name: str, table_fields: Sequence[Any] = ()
    ) -> list[dict[str, Any]]:
        """[{'table', 'column', 'name'}] of the table's auto-increment columns."""
        for info in self.get_table_description(cursor, table_name):
            if self._is_autoincrement(table_name, info):
                return [{"table": table_name, "column": info.name, "name": None}]
        return []

    def _is_autoincrement(self, table_name: str, info: FieldInfo) -> bool:
        return False
