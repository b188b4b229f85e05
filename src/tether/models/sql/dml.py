"""INSERT statements: single rows, batches, RETURNING and conflict handling, cached by shape."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

IGNORE = "ignore"
UPDATE = "update"


def insert_sql(
    connection: Any,
    model: Any,
    fields: Sequence[Any],
    num_rows: int,
    returning: Sequence[Any] = (),
    on_conflict: str | None = None,
    update_fields: Sequence[Any] = (),
    unique_fields: Sequence[Any] = (),
) -> str:
    """The driver SQL of an INSERT of `num_rows` rows of `fields` (cached per shape)."""
    key = ("insert", model, tuple(fields), num_rows, tuple(returning), on_conflict,
           tuple(update_fields), tuple(unique_fields))
    cache = connection.sql_cache
    sql = cache.get(key)
    if sql is None:
        sql = connection.ops.to_driver_sql(
            _render(connection, model, fields, num_rows, returning, on_conflict, update_fields, unique_fields)
        )
        cache[key] = sql
    return sql  # type: ignore[no-any-return]


def _render(
    connection: Any,
    model: Any,
    fields: Sequence[Any],
    num_rows: int,
    returning: Sequence[Any],
    on_conflict: str | None,
    update_fields: Sequence[Any],
    unique_fields: Sequence[Any],
) -> str:
    ops = connection.ops
    qn = ops.quote_name
    table = qn(model._meta.db_table)
    if fields:
        columns = ", ".join(qn(f.column) for f in fields)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        values = f"({columns}) VALUES " + ", ".join([row] * num_rows)
    else:
        values = ops.empty_insert_sql(model, num_rows)
    sql = f"{ops.insert_statement(on_conflict)} {table} {values}"
    if on_conflict == IGNORE:
        sql += " " + ops.ignore_conflicts_suffix_sql(
            [f.column for f in unique_fields], pk_column=model._meta.pk.column
        )
    elif on_conflict == UPDATE:
        sql += " " + ops.on_conflict_update_sql(
            [f.column for f in unique_fields], [f.column for f in update_fields]
        )
    if returning:
        sql += " " + ops.return_insert_columns_sql([f.column for f in returning])
    return sql
