"""Expressions the query layer compiles: column references and plain values.

Each node compiles with `as_sql(compiler, connection) -> (sql, params)` and describes its
structure with `shape`, a hashable value that excludes parameter values, so that compiled SQL
can be cached by shape (F and friends arrive with the relations issue).
"""

from __future__ import annotations

from typing import Any


class Col:
    """A column of a table alias: `"alias"."column"`."""

    contains_aggregate = False

    __slots__ = ("alias", "target", "output_field", "shape")

    def __init__(self, alias: str, target: Any, output_field: Any = None) -> None:
        self.alias = alias
        self.target = target
        self.output_field = output_field if output_field is not None else target
        self.shape = ("col", alias, target.column)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        qn = compiler.quote_name
        return f"{qn(self.alias)}.{qn(self.target.column)}", []

    def relabeled_clone(self, change_map: dict[str, str]) -> Col:
        return Col(change_map.get(self.alias, self.alias), self.target, self.output_field)

    def get_db_converters(self, connection: Any) -> list[Any]:
        return self.output_field.get_db_converters(connection)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"Col({self.alias}, {self.target})"
