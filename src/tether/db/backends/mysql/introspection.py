"""MariaDB/MySQL introspection from information_schema: tables, columns, key and check
constraints and indexes of the current database (DATABASE())."""

from __future__ import annotations

from typing import Any

from tether.db.backends.base.introspection import (
    BaseDatabaseIntrospection,
    FieldInfo,
    constraint_entry,
)


class DatabaseIntrospection(BaseDatabaseIntrospection):
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
            "collation_name, column_comment FROM information_schema.columns "
            "WHERE table_schema = DATABASE() AND table_name = %s ORDER BY ordinal_position",
            (table_name,),
        )
        return [
            FieldInfo(name, type_, None, None, None, None, bool(null_ok), default, coll, comment)
            for name, type_, null_ok, default, coll, comment in rows
        ]

    def _is_autoincrement(self, table_name: str, info: FieldInfo) -> bool:
        rows = self._rows(
            "SELECT extra FROM information_schema.columns WHERE table_schema = DATABASE() "
            "AND table_name = %s AND column_name = %s",
            (table_name, info.name),
        )
        return bool(rows and "auto_increment" in (rows[0][0] or "").lower())

    def get_constraints(self, cursor: Any, table_name: str) -> dict[str, dict[str, Any]]:
        constraints: dict[str, dict[str, Any]] = {}
        column_names = {info.name for info in self.get_table_description(cursor, table_name)}
        rows = self._rows(
            "SELECT kc.constraint_name, kc.column_name, kc.referenced_table_name, "
            "kc.referenced_column_name, tc.constraint_type "
            "FROM information_schema.key_column_usage kc "
            "JOIN information_schema.table_constraints tc "
            "ON tc.constraint_schema = kc.constraint_schema "
            "AND tc.constraint_name = kc.constraint_name AND tc.table_name = kc.table_name "
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
        for (name,) in self._rows(
            "SELECT constraint_name FROM information_schema.table_constraints "
            "WHERE table_schema = DATABASE() AND table_name = %s AND constraint_type = 'CHECK'",
            (table_name,),
        ):
            # MariaDB names a column's own CHECK after the column.
            columns = [name] if name in column_names else []
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
                constraints[name]["index"] = True  # the index behind a key constraint
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
