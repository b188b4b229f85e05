"""INSERT statements: single rows, batches, RETURNING and conflict handling, cached by shape.

A batch goes either as a VALUES list (one `%s` per value) or, where the backend allows it
(`features.supports_unnest_bulk_insert`), columnar: one array parameter per column,
`INSERT INTO t (a, b) SELECT * FROM UNNEST(%s::ta[], %s::tb[])`, whose SQL is the same for
every number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tether.models.fields import NOT_PROVIDED

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
    columnar: bool = False,
) -> str:
    """The driver SQL of an INSERT of `num_rows` rows of `fields` (cached per shape).

    `columnar`: one array parameter per field (see unnest_types), whatever `num_rows` is.
    """
    key = (
        model,
        tuple(fields),
        -1 if columnar else num_rows,
        tuple(returning),
        on_conflict,
        tuple(update_fields),
        tuple(unique_fields),
    )
    cache = connection.caches.insert_sql
    sql = cache.get(key)
    if sql is None:
        sql = connection.ops.to_driver_sql(
            _render(
                connection,
                model,
                fields,
                num_rows,
                returning,
                on_conflict,
                update_fields,
                unique_fields,
                columnar,
            )
        )
        cache[key] = sql
    return sql  # type: ignore[no-any-return]


def unnest_types(connection: Any, fields: Sequence[Any]) -> list[str] | None:
    """The array element types of a columnar INSERT of `fields`, or None: VALUES rows then.

    Columnar needs the backend's support and a plain column type for every field; a field
    with a db_default keeps VALUES rows (its DEFAULT has no place in an array).
    """
    if not fields or not connection.features.supports_unnest_bulk_insert:
        return None
    key = tuple(fields)
    cache = connection.caches.unnest_types
    types = cache.get(key)
    if types is None:
        if any(getattr(f, "db_default", NOT_PROVIDED) is not NOT_PROVIDED for f in fields):
            types = False
        else:
            types = connection.ops.bulk_insert_unnest_types(fields) or False
        cache[key] = types
    return types or None


def columns_of(rows: list[list[Any]]) -> list[list[Any]] | None:
    """Rows of values as one list per column, or None when a column mixes value types (the
    driver sends an array of one type; the VALUES form takes any mix)."""
    columns = [list(column) for column in zip(*rows, strict=True)]
    for column in columns:
        kinds = set(map(type, column))
        if len(kinds) > 1 and len(kinds - {type(None)}) > 1:
            return None
    return columns


def _render(
    connection: Any,
    model: Any,
    fields: Sequence[Any],
    num_rows: int,
    returning: Sequence[Any],
    on_conflict: str | None,
    update_fields: Sequence[Any],
    unique_fields: Sequence[Any],
    columnar: bool = False,
) -> str:
    ops = connection.ops
    qn = ops.quote_name
    table = qn(model._meta.db_table)
    if fields and columnar:
        columns = ", ".join(qn(f.column) for f in fields)
        values = f"({columns}) " + ops.unnest_insert_sql(unnest_types(connection, fields) or ())
    elif fields:
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
        sql += " " + ops.return_insert_columns_sql(
            model._meta.db_table, [f.column for f in returning]
        )
    return sql
