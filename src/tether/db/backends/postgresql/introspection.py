"""PostgreSQL introspection from pg_catalog: the tables, views and columns of the current schema,
constraints from pg_constraint, indexes from pg_index, identity columns as sequences."""

from __future__ import annotations

from typing import Any

from tether.db.backends.base.introspection import (
    BaseDatabaseIntrospection,
    FieldInfo,
    column_info,
    constraint_entry,
)


class DatabaseIntrospection(BaseDatabaseIntrospection):
    data_types_reverse = {
        "boolean": "BooleanField",
        "bytea": "BinaryField",
        "bigint": "BigIntegerField",
        "smallint": "SmallIntegerField",
        "integer": "IntegerField",
        "text": "TextField",
        "real": "FloatField",
        "double precision": "FloatField",
        "inet": "GenericIPAddressField",
        "character": "CharField",
        "character varying": "CharField",
        "date": "DateField",
        "time without time zone": "TimeField",
        "timestamp without time zone": "DateTimeField",
        "timestamp with time zone": "DateTimeField",
        "interval": "DurationField",
        "numeric": "DecimalField",
        "uuid": "UUIDField",
        "jsonb": "JSONField",
    }
    table_names_sql = (
        "SELECT c.relname FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
    )
    table_list_sql = (
        "SELECT c.relname, CASE WHEN c.relkind IN ('v', 'm') THEN 'v' ELSE 't' END, "
        "obj_description(c.oid, 'pg_class') FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = current_schema() "
        "ORDER BY c.relname"
    )

    def get_table_description(self, cursor: Any, table_name: str) -> list[FieldInfo]:
        rows = self._rows(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, "
            "pg_get_expr(ad.adbin, ad.adrelid), co.collname, col_description(c.oid, a.attnum), "
            "a.attidentity "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
            "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
            "AND co.collname <> 'default' "
            "WHERE c.relname = %s AND n.nspname = current_schema() "
            "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            (table_name,),
        )
        return [
            column_info(
                name,
                type_,
                null_ok,
                default,
                collation,
                comment,
                bool(identity) or str(default or "").startswith("nextval("),
            )
            for name, type_, null_ok, default, collation, comment, identity in rows
        ]

    def get_sequences(
        self, cursor: Any, table_name: str, table_fields: Any = ()
    ) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT s.relname, a.attname FROM pg_class s "
            "JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass "
            "AND d.refclassid = 'pg_class'::regclass "
            "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
            "JOIN pg_class t ON t.oid = d.refobjid "
            "JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE s.relkind = 'S' AND t.relname = %s AND n.nspname = current_schema()",
            (table_name,),
        )
        return [{"name": name, "table": table_name, "column": column} for name, column in rows]

    def get_constraints(self, cursor: Any, table_name: str) -> dict[str, dict[str, Any]]:
        constraints: dict[str, dict[str, Any]] = {}
        rows = self._rows(
            "SELECT con.conname, con.contype, "
            "ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, pos) "
            "JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num "
            "ORDER BY k.pos), "
            "ft.relname, "
            "(SELECT fa.attname FROM pg_attribute fa WHERE fa.attrelid = con.confrelid "
            "AND fa.attnum = con.confkey[1]) "
            "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "LEFT JOIN pg_class ft ON ft.oid = con.confrelid "
            "WHERE c.relname = %s AND n.nspname = current_schema()",
            (table_name,),
        )
        for name, kind, columns, to_table, to_column in rows:
            constraints[name] = constraint_entry(
                columns,
                primary_key=kind == "p",
                unique=kind in ("p", "u"),
                foreign_key=(to_table, to_column) if kind == "f" else None,
                check=kind == "c",
                index=kind in ("p", "u"),
            )
        index_rows = self._rows(
            "SELECT i.relname, ix.indisunique, ix.indisprimary, am.amname, "
            "ARRAY(SELECT CASE WHEN k.num = 0 THEN NULL ELSE a.attname END "
            "FROM unnest(ix.indkey) WITH ORDINALITY k(num, pos) "
            "LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.num "
            "WHERE k.pos <= ix.indnkeyatts ORDER BY k.pos), "
            "ARRAY(SELECT CASE WHEN (o.opt & 1) = 1 THEN 'DESC' ELSE 'ASC' END "
            "FROM unnest(ix.indoption) WITH ORDINALITY o(opt, pos) ORDER BY o.pos), "
            "pg_get_indexdef(ix.indexrelid) "
            "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid "
            "JOIN pg_class c ON c.oid = ix.indrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_am am ON am.oid = i.relam "
            "WHERE c.relname = %s AND n.nspname = current_schema()",
            (table_name,),
        )
        for name, unique, primary, method, columns, orders, definition in index_rows:
            if name in constraints:
                continue
            constraints[name] = constraint_entry(
                [column for column in columns if column is not None] or ["__expression__"],
                primary_key=primary,
                unique=unique,
                index=True,
                type_="idx" if method == "btree" else method,
                orders=orders if method == "btree" else [],
                definition=definition,
            )
        return constraints
