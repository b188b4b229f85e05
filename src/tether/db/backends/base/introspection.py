"""Introspection: what the database holds (tables, columns, constraints, relations, sequences),
read back for the schema editor, migrations and tests, with Django's method names and shapes.

Methods take Django's `cursor` first argument for compatibility; they read through the plan
runners of this connection (the cursor's own connection), so the cursor itself is not used.
"""

from __future__ import annotations

import re
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
        "is_autofield",
    ],
    defaults=(None, False),
)


def char_size(type_name: str) -> int | None:
    """The length of a character column type ("varchar(30)" -> 30), else None."""
    match = re.match(r"\s*[\w ]*char[\w ]*\((\d+)\)", type_name, re.I)
    return int(match.group(1)) if match else None


def column_info(
    name: str,
    type_name: str,
    null_ok: bool,
    default: Any,
    collation: str | None,
    comment: str | None,
    is_autofield: bool,
) -> FieldInfo:
    """A get_table_description() row (sizes of character types read from the type)."""
    return FieldInfo(
        name,
        type_name,
        char_size(type_name),
        None,
        None,
        None,
        null_ok,
        default,
        collation,
        comment,
        is_autofield,
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
    # The model field a column type maps to (get_field_type), by the type's name without size.
    data_types_reverse: dict[str, str] = {}
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

    def get_field_type(self, data_type: Any, description: FieldInfo) -> str:
        """The model field class name for a column (inspectdb), Django's mapping."""
        name = str(data_type).lower().split("(")[0].strip()
        field_type = self.data_types_reverse.get(name, "TextField")
        if description.is_autofield:
            return {
                "IntegerField": "AutoField",
                "BigIntegerField": "BigAutoField",
                "SmallIntegerField": "SmallAutoField",
            }.get(field_type, field_type)
        return field_type

    # ---- the models' side ----------------------------------------------------------------

    def get_migratable_models(self) -> list[Any]:
        from tether import apps as apps_module

        return [
            model
            for model in apps_module.apps.get_models()
            if model._meta.managed and not model._meta.proxy
        ]

    def django_table_names(
        self, only_existing: bool = False, include_views: bool = True
    ) -> list[str]:
        """The tables of the registered models (automatic many-to-many tables included),
        only those the database has when `only_existing`."""
        tables: set[str] = set()
        for model in self.get_migratable_models():
            tables.add(model._meta.db_table)
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if getattr(through, "_meta", None) is not None and through._meta.auto_created:
                    tables.add(through._meta.db_table)
        found = sorted(tables)
        if only_existing:
            existing = {self.identifier_converter(n) for n in self.table_names(None, include_views)}
            found = [t for t in found if self.identifier_converter(t) in existing]
        return found

    def installed_models(self, tables: Any) -> set[Any]:
        """The registered models whose table is among `tables`."""
        wanted = {self.identifier_converter(table) for table in tables}
        return {
            model
            for model in self.get_migratable_models()
            if self.identifier_converter(model._meta.db_table) in wanted
        }

    def sequence_list(self) -> list[dict[str, Any]]:
        """The sequences (auto-increment columns) of every registered model's table."""
        sequences: list[dict[str, Any]] = []
        existing = set(self.table_names())
        for model in self.get_migratable_models():
            if model._meta.db_table in existing:
                sequences.extend(self.get_sequences(None, model._meta.db_table))
        return sequences

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
            if info.is_autofield:
                return [{"table": table_name, "column": info.name, "name": None}]
        return []
