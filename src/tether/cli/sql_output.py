"""What the SQL-printing commands share (sqlflush, sqlsequencereset, flush): the statements,
computed from the models by the backend, and their printing wrapped in BEGIN;/COMMIT; as
Django's commands print them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def flush_statements(connection: Any) -> list[str]:
    """The statements that empty every table of the registered models the database has
    (django_migrations is kept), resetting their sequences."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return list(connection.ops.sql_flush(tables, reset_sequences=True, allow_cascade=False))


def sequence_reset_statements(connection: Any, models: Iterable[Any]) -> list[str]:
    """The statements that move the sequence of each model's automatic key past the largest
    key in use (none on backends whose counters follow inserted keys by themselves)."""
    from tether.models.fields import AutoFieldMixin

    pairs = []
    for model in models:
        key: Any = next(
            (f for f in model._meta.local_fields if isinstance(f, AutoFieldMixin)), None
        )
        if key is not None:
            pairs.append((model._meta.db_table, key.column))
    return list(connection.ops.sequence_reset_sql(pairs))


def print_sql(statements: list[str]) -> None:
    """Each statement ended by ';', between BEGIN; and COMMIT; (nothing when there is none)."""
    if not statements:
        return
    lines = [s if s.endswith(";") else f"{s};" for s in statements]
    print("\n".join(["BEGIN;", *lines, "COMMIT;"]))
