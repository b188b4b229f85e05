"""RawSQL: a piece of SQL with its own bound parameters, usable in filter() and as a value.

`RawSQL("SELECT ... WHERE x = %s", [value], output_field=BooleanField())` compiles to the SQL in
parentheses with `value` bound; it is a leaf (the compiler collects its parameters for every
execution of a cached statement). Conditional when its output field is a BooleanField, so it
can stand alone in filter().

QuerySet.extra()'s fragments are raw SQL too: ExtraSelect (a named select column) and
ExtraWhere (WHERE conditions); their values are bound parameters as RawSQL's are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tether.models.expressions import Expression


class RawSQL(Expression):
    is_leaf = True

    def __init__(self, sql: str, params: Sequence[Any], output_field: Any = None) -> None:
        if output_field is None:
            from tether.models.fields import Field

            output_field = Field()
        self.sql = sql
        self.params = tuple(params)
        super().__init__(output_field=output_field)

    @property
    def shape(self) -> Any:
        return ("raw", self.sql, len(self.params))

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> RawSQL:
        return self

    def leaves(self, out: list[Any]) -> list[Any]:
        out.append(self)
        return out

    def get_group_by_cols(self) -> list[Any]:
        return [self]

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        return list(self.params)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return f"({self.sql})", list(self.params)

    def relabeled_clone(self, change_map: dict[str, str]) -> RawSQL:
        return self

    def __repr__(self) -> str:
        return f"RawSQL({self.sql}, {self.params!r})"


class ExtraSelect(RawSQL):
    """A column of extra(select=...): selected under its name, before the model's columns
    in values() without names (as Django's)."""

    @property
    def shape(self) -> Any:
        return ("extra select", self.sql, len(self.params))


class ExtraWhere:
    """extra(where=[...], params=[...]): the fragments ANDed, each in parentheses."""

    is_leaf = True
    contains_aggregate = False
    contains_over_clause = False

    def __init__(self, sqls: Sequence[str], params: Sequence[Any]) -> None:
        self.sqls = tuple(str(sql) for sql in sqls)
        self.params = tuple(params)
        self.shape = ("extra where", self.sqls, len(self.params))

    def leaves(self, out: list[Any]) -> list[Any]:
        out.append(self)
        return out

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        return list(self.params)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return " AND ".join(f"({sql})" for sql in self.sqls), list(self.params)

    def relabeled_clone(self, change_map: dict[str, str]) -> ExtraWhere:
        return self  # the fragments name tables, not the query's aliases

    def clone(self) -> ExtraWhere:
        return self
