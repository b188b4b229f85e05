"""The WHERE tree: AND/OR/XOR nodes over lookup leaves, with Django's empty/full rules.

A child that can match nothing raises EmptyResultSet; one that matches everything raises
FullResultSet; a node combines its children's outcomes (and flips them when negated), so
`filter(pk__in=[])` never reaches the database.
"""

from __future__ import annotations

from typing import Any

from tether.exceptions import EmptyResultSet, FullResultSet
from tether.utils.tree import Node

AND = "AND"
OR = "OR"
XOR = "XOR"


class WhereNode(Node):
    default = AND
    is_leaf = False
    contains_aggregate = False
    # A Q resolved as an expression (annotate(), ExpressionWrapper(Q(...))): its SQL is always
    # parenthesised, so that it can be compared (`(a < 1) = (b < 2)` on PostgreSQL).
    resolved = False

    @property
    def contains_over_clause(self) -> bool:
        """Whether a condition compares a window expression (`When(rank=1)`): such a condition
        is evaluated outside the query that computes the window (sql/qualify.py)."""
        return any(
            getattr(node, "contains_over_clause", False)
            for child in self.children
            for node in (child, getattr(child, "lhs", None), getattr(child, "rhs", None))
        )

    @property
    def shape(self) -> Any:
        children = tuple(child.shape for child in self.children)
        return (self.connector, self.negated, self.resolved, children)

    def leaves(self, out: list[Any] | None = None) -> list[Any]:
        """Every parameter-carrying leaf, in a fixed pre-order (used by the SQL cache)."""
        if out is None:
            out = []
        for child in self.children:
            if child.is_leaf:
                out.append(child)
            else:
                child.leaves(out)
        return out

    def get_db_converters(self, connection: Any) -> list[Any]:
        """A condition selected as a value (`annotate(x=Q(...))`) reads back as a BooleanField
        does: SQLite and MariaDB send 0/1."""
        from tether.models.fields import BooleanField

        return BooleanField().get_db_converters(connection)  # type: ignore[no-any-return]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.connector == AND:
            full_needed, empty_needed = len(self.children), 1
        else:
            full_needed, empty_needed = 1, len(self.children)
        if self.connector == XOR and not connection.features.__dict__.get(
            "supports_logical_xor", False
        ):
            return self._xor_as_or(compiler, connection)
        result: list[str] = []
        params: list[Any] = []
        for child in self.children:
            try:
                sql, child_params = compiler.compile(child)
            except EmptyResultSet:
                empty_needed -= 1
            except FullResultSet:
                full_needed -= 1
            else:
                if sql:
                    result.append(sql)
                    params.extend(child_params)
                else:
                    full_needed -= 1
            if empty_needed == 0:
                if self.negated:
                    raise FullResultSet
                raise EmptyResultSet
            if full_needed == 0:
                if self.negated:
                    raise EmptyResultSet
                raise FullResultSet
        sql = f" {self.connector} ".join(result)
        if not sql:
            raise FullResultSet
        if self.negated:
            sql = f"NOT ({sql})"
        elif len(result) > 1 or self.resolved:
            sql = f"({sql})"
        return sql, params

    def _xor_as_or(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        # a XOR b XOR ... is true when an odd number of children are true.
        parts = []
        params: list[Any] = []
        for child in self.children:
            sql, child_params = compiler.compile(child)
            parts.append(f"CASE WHEN {sql} THEN 1 ELSE 0 END")
            params.extend(child_params)
        sql = f"({' + '.join(parts)}) %% 2 = 1"
        return (f"NOT ({sql})" if self.negated else sql), params

    def clone(self) -> WhereNode:
        clone = WhereNode(connector=self.connector, negated=self.negated)
        clone.resolved = self.resolved
        clone.children = [c.clone() if isinstance(c, WhereNode) else c for c in self.children]
        return clone

    def relabeled_clone(self, change_map: dict[str, str]) -> WhereNode:
        clone = WhereNode(connector=self.connector, negated=self.negated)
        clone.resolved = self.resolved
        for child in self.children:
            clone.children.append(child.relabeled_clone(change_map))
        return clone


class NothingNode:
    """A leaf that matches nothing (QuerySet.none())."""

    is_leaf = False
    shape = ("nothing",)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        raise EmptyResultSet

    def leaves(self, out: list[Any] | None = None) -> list[Any]:
        return out if out is not None else []

    def relabeled_clone(self, change_map: dict[str, str]) -> NothingNode:
        return self
