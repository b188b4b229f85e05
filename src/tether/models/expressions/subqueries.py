"""Subquery, Exists and OuterRef: a query used as a value or a condition of another.

`Subquery(Book.objects.filter(author=OuterRef("pk")).values("title")[:1])` is a value of the
outer query; `Exists(...)` a condition. OuterRef("pk") names a column of the query around the
subquery: it stays a marker (ResolvedOuterRef) in the inner query until the subquery is
resolved against the outer one, which binds it (sql/subquery.py) and moves the inner aliases
out of the way. `OuterRef(OuterRef("pk"))` reaches two levels out.

A resolved subquery is a leaf of the outer statement for the SQL cache: its SQL comes from the
inner query's own cache entry and its parameters are the inner query's, collected at each
execution.
"""

from __future__ import annotations

from typing import Any

from tether.models.expressions import BaseExpression, Combinable, F


class OuterRef(F):
    """A reference to a field of the outer query, usable inside a subquery's filters."""

    contains_aggregate = False
    contains_over_clause = False

    def __init__(self, name: str | OuterRef) -> None:
        # OuterRef(OuterRef("x")): the outer query's outer query, one level per wrapping.
        super().__init__(name)  # type: ignore[arg-type]

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        if isinstance(self.name, type(self)):
            return self.name
        return ResolvedOuterRef(self.name)

    def relabeled_clone(self, change_map: dict[str, str]) -> OuterRef:
        return self

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return "tether.models.OuterRef", (self.name,), {}


class ResolvedOuterRef(F):
    """An OuterRef inside the query that holds it, waiting for the outer query."""

    contains_aggregate = False
    contains_over_clause = False
    possibly_multivalued = False

    def as_sql(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(
            "This queryset contains a reference to an outer query and may only be used in a "
            "subquery."
        )

    def resolve_expression(self, *args: Any, **kwargs: Any) -> ResolvedOuterRef:
        return self

    def relabeled_clone(self, change_map: dict[str, str]) -> ResolvedOuterRef:
        return self

    def get_group_by_cols(self) -> list[Any]:
        return []


def _selected_field(query: Any) -> Any:
    """The output field of the one column `query` selects."""
    name = query.values_select[0] if query.values_select else "pk"
    if name in query.annotations:
        return query.annotations[name].output_field
    opts = query.model._meta
    if name == "pk":
        return opts.pk
    path, field, targets, remaining = query.names_to_path(name.split("__"), opts)
    if field.is_relation and targets:
        field = targets[0]
    if remaining:  # values("pubdate__year"): the transform's type
        from tether.models.expressions import Col

        node: Any = Col("", field, field)
        for transform in remaining:
            node = query.try_transform(node, transform)
        return node.output_field
    return field


class Subquery(BaseExpression, Combinable):
    """A query as a value: `(SELECT ...)`."""

    template = "(%(subquery)s)"
    contains_aggregate = False  # type: ignore[assignment]
    contains_over_clause = False  # type: ignore[assignment]
    contains_subquery = True  # type: ignore[assignment]
    empty_result_set_value: Any = None
    subquery = True
    is_leaf = True
    # The statement kind the inner query renders as (SQLCompiler kinds).
    kind = "values"

    def __init__(self, queryset: Any, output_field: Any = None, **extra: Any) -> None:
        query = getattr(queryset, "query", queryset)
        self.query = query.clone()
        self.query.subquery = True
        self._prepare(self.query)
        self.extra = extra
        self.resolved = False
        super().__init__(output_field)

    @property
    def subquery_query(self) -> Any:
        """The inner query: the rewrites of sql/subquery.py descend into it."""
        return self.query

    @property
    def shape(self) -> Any:
        return (type(self), self.template, _hashable_extra(self.extra), self._shape_key())

    def _shape_key(self) -> Any:
        return self.query.shape_key(self.kind)

    def copy(self) -> Any:
        clone = super().copy()
        clone.query = self.query.clone()
        return clone

    def _resolve_output_field(self) -> Any:
        return _selected_field(self.query)

    def get_group_by_cols(self) -> list[Any]:
        """The outer columns it reads (grouping by them groups it too, as Django's); none for
        an uncorrelated subquery, which is the same on every row."""
        from tether.models.sql.subquery import external_cols

        cols = external_cols(self.query)
        if any(getattr(col, "possibly_multivalued", False) for col in cols):
            return [self]
        return cols

    def leaves(self, out: list[Any]) -> list[Any]:
        out.append(self)
        return out

    def relabeled_clone(self, change_map: dict[str, str]) -> Any:
        from tether.models.sql.subquery import relabel

        clone = self.copy()
        relabel(clone.query, change_map)
        return clone

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        from tether.models.sql.subquery import bump, resolve_outer_refs

        if self.resolved or query is None:
            return self
        c = self.copy()
        inner = c.query
        bump(inner, getattr(query, "subquery_depth", 0) + 1)
        resolve_outer_refs(inner, query, allow_joins, reuse)
        c.resolved = True
        return c

    def _prepare(self, inner: Any) -> None:
        """One selected column (the primary key unless values() chose one); no ordering
        unless a slice needs it."""
        if not inner.values_select:
            inner.values_select = (inner.model._meta.pk.name,)
        if not inner.is_sliced:
            inner.clear_ordering(force=True)

    # ---- compiling -----------------------------------------------------------------------

    def inner_sql(self, connection: Any) -> tuple[str, list[Any]]:
        """The inner statement with %s placeholders (from its own cache entry)."""
        from tether.models.sql.compiler import _from_driver_sql

        compiler = self.query.get_compiler(connection=connection, kind=self.kind)
        entry, params = compiler.compiled()
        return _from_driver_sql(entry.sql, connection), params

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        return self.inner_sql(connection)[1]

    def as_sql(
        self, compiler: Any, connection: Any, template: str | None = None, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        sql, params = self.inner_sql(connection)
        data = {**self.extra, **extra_context, "subquery": sql}
        return (template or data.get("template", self.template)) % data, params


def _hashable_extra(extra: dict[str, Any]) -> Any:
    return tuple(sorted((key, repr(value)) for key, value in extra.items()))


class Exists(Subquery):
    """`EXISTS(SELECT 1 ... LIMIT 1)`: a condition, usable in filter(), annotate(), order_by()."""

    template = "EXISTS(%(subquery)s)"
    kind = "exists"
    empty_result_set_value = False

    def _resolve_output_field(self) -> Any:
        from tether.models.fields import BooleanField

        return BooleanField()

    def _prepare(self, inner: Any) -> None:
        inner.clear_ordering(force=False)

    def select_format(self, compiler: Any, sql: str, params: list[Any]) -> tuple[str, list[Any]]:
        if not compiler.connection.features.supports_boolean_expr_in_select_clause:
            sql = f"CASE WHEN {sql} THEN 1 ELSE 0 END"
        return sql, params


__all__ = ["Exists", "OuterRef", "Subquery"]
