"""MariaDB/MySQL introspection from information_schema: tables, columns, key and check
constraints and indexes of the current database (DATABASE())."""

from __future__ import annotations

import re
from typing import Any

from tether.db.backends.base.introspection import (
    BaseDatabaseIntrospection,
    FieldInfo,
    column_info,
    constraint_entry,
)


class DatabaseIntrospection(BaseDatabaseIntrospection):
    data_types_reverse = {
        "tinyint": "IntegerField",
        "smallint": "SmallIntegerField",
        "mediumint": "IntegerField",
        "int": "IntegerField",
        "integer": "IntegerField",
        "bigint": "BigIntegerField",
        "decimal": "DecimalField",
        "double": "FloatField",
        "float": "FloatField",
        "char": "CharField",
        "varchar": "CharField",
        "text": "TextField",
        "mediumtext": "TextField",
        "longtext": "TextField",
        "blob": "TextField",
        "longblob": "TextField",
        "date": "DateField",
        "datetime": "DateTimeField",
        "timestamp": "DateTimeField",
        "time": "TimeField",
        "json": "JSONField",
        "uuid": "UUIDField",
    }
    table_names_sql = (
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'"
    )
    table_list_sql = (
        "SELECT table_name, CASE WHEN table_type = 'VIEW' THEN 'v' ELSE 't' END, "
        "table_comment FROM information_schema.tables WHERE table_schema = DATABASE() "
        "ORDER BY table_name"
    )

    def get_table_description(self, cursor: Any, table_name: str) -> list[FieldInfo]:
        rows = self._rows(
            "SELECT column_name, column_type, is_nullable = 'YES', column_default, "
            "collation_name, column_comment, extra FROM information_schema.columns "
            "WHERE table_schema = DATABASE() AND table_name = %s ORDER BY ordinal_position",
            (table_name,),
        )
        return [
            column_info(
                name, type_, bool(null_ok), default, coll, comment, "auto_increment" in extra
            )
            for name, type_, null_ok, default, coll, comment, extra in rows
        ]

    def first_column_indexes(self, table_name: str, column: str) -> list[str]:
        """Names of the indexes led by `column`, the foreign keys' own ones included (which
        get_constraints() reports as foreign keys only)."""
        rows = self._rows(
            "SELECT index_name FROM information_schema.statistics WHERE table_schema = DATABASE()"
            " AND table_name = %s AND column_name = %s AND seq_in_index = 1",
            (table_name, column),
        )
        return [name for (name,) in rows]

    def get_field_type(self, data_type: Any, description: FieldInfo) -> str:
        field_type = super().get_field_type(data_type, description)
        if "unsigned" in str(data_type).lower() and field_type in (
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
        ):
            return "Positive" + field_type
        return field_type

    def get_constraints(self, cursor: Any, table_name: str) -> dict[str, dict[str, Any]]:
        constraints: dict[str, dict[str, Any]] = {}
        column_names = {info.name for info in self.get_table_description(cursor, table_name)}
        unnamed = 0
        rows = self._rows(
            "SELECT kc.constraint_name, kc.column_name, kc.referenced_table_name, "
            "kc.referenced_column_name, tc.constraint_type "
            "FROM information_schema.key_column_usage kc "
            "JOIN information_schema.table_constraints tc "
            "ON tc.constraint_schema = kc.constraint_schema "
            "AND tc.constraint_name = kc.constraint_name AND tc.table_name = kc.table_name "
            "AND tc.constraint_type <> 'CHECK' "
            "WHERE kc.table_schema = DATABASE() AND kc.table_name = %s "
            "ORDER BY kc.ordinal_position",
            (table_name,),
        )
        for name, column, to_table, to_column, kind in rows:
            entry = constraints.setdefault(
                name,
                constraint_entry(
                    [],
                    primary_key=kind == "PRIMARY KEY",
                    unique=kind in ("PRIMARY KEY", "UNIQUE"),
                    foreign_key=(to_table, to_column) if to_table else None,
                ),
            )
            entry["columns"].append(column)
        for name, clause in self._rows(
            "SELECT constraint_name, check_clause FROM information_schema.check_constraints "
            "WHERE constraint_schema = DATABASE() AND table_name = %s",
            (table_name,),
        ):
            mentioned = set(re.findall(r"`((?:[^`]|``)*)`|\b(\w+)\b", clause or ""))
            words = {quoted or bare for quoted, bare in mentioned}
            columns = sorted(column_names & words)
            if columns == [name]:
                # A column's own CHECK, which MariaDB names after the column (as it does the
                # column's UNIQUE key): Django's name for an unnamed constraint.
                unnamed += 1
                name = f"__unnamed_constraint_{unnamed}__"
            constraints[name] = constraint_entry(columns, check=True)
        index_rows = self._rows(
            "SELECT index_name, column_name, non_unique, index_type, collation "
            "FROM information_schema.statistics WHERE table_schema = DATABASE() "
            "AND table_name = %s ORDER BY index_name, seq_in_index",
            (table_name,),
        )
        from_indexes: set[str] = set()
        for name, column, non_unique, kind, collation in index_rows:
            if name in constraints and name not in from_indexes:
                # The index behind a key constraint (a foreign key's own index, which InnoDB
                # names after the constraint, stays a foreign key only).
                if not constraints[name]["foreign_key"]:
                    constraints[name]["index"] = True
                continue
            if name not in constraints:
                from_indexes.add(name)
                constraints[name] = constraint_entry(
                    [],
                    unique=not int(non_unique),
                    index=True,
                    type_="idx" if kind == "BTREE" else kind.lower(),
                )
            constraints[name]["columns"].append(column)
            constraints[name]["orders"].append("DESC" if collation == "D" else "ASC")
        if "PRIMARY" in constraints:
            constraints["PRIMARY"]["primary_key"] = True
        return constraints
