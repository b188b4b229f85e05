"""QuerySet methods that compute over rows: annotate(), alias() and aggregate().

A mixin of QuerySet, split out to keep the QuerySet class small; it relies on QuerySet's
plumbing (_clone, _conn, _query) and, like every QuerySet method, runs plans.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, Self

from tether.db.core.requests import ONE, Execute
from tether.db.core.twins import Job, twins
from tether.exceptions import EmptyResultSet, FieldError
from tether.models.query.iterables import (
    ValuesIterable,
)
from tether.models.sql.query import check_alias

if TYPE_CHECKING:
    from tether.models.sql.query import Query

Plan = Generator[Any, Any, Any]


def _default_alias(expression: Any, kind: str = "annotations") -> str:
    try:
        return expression.default_alias  # type: ignore[no-any-return]
    except (AttributeError, TypeError):
        raise TypeError(f"Complex {kind} require an alias") from None


def _nested(sql: str, conn: Any) -> str:
    from tether.models.sql.compiler import _from_driver_sql

    return _from_driver_sql(sql, conn)


def _selectable(inner: Any, name: str) -> bool:
    """Whether selecting the model's field `name` in `inner` leaves its rows as they are:
    no join, and no change to what it groups by or keeps distinct."""
    opts = inner.model._meta
    if name != "pk" and name not in {f.name for f in opts.concrete_fields}:
        return False
    if isinstance(inner.group_by, tuple) and name not in inner.group_by:
        return False
    return not (inner.distinct and inner.values_select and name not in inner.values_select)


class AggregateMixin:
    """annotate(), alias() and aggregate() (and aaggregate())."""

    # Provided by QuerySet.
    model: Any
    _query: Query
    _fields: tuple[str, ...] | None
    _clone: Callable[[], Self]
    _conn: Callable[[], Any]

    def _annotate(self, args: tuple[Any, ...], kwargs: dict[str, Any], select: bool) -> Self:
        self._not_support_combined_queries("annotate" if select else "alias")  # type: ignore[attr-defined]
        annotations = dict(kwargs)
        for arg in args:
            alias = _default_alias(arg)
            if alias in annotations:
                raise ValueError(
                    f"The named annotation '{alias}' conflicts with the default name for another "
                    f"annotation."
                )
            annotations[alias] = arg
        clone = self._clone()
        if self._fields is None:
            names = {f.name for f in self.model._meta.get_fields()}
            names.update(f.attname for f in self.model._meta.concrete_fields)
        else:  # after values(), only the selected names clash, as in Django
            names = set(self._fields)
        for alias, expression in annotations.items():
            if alias in names:
                raise ValueError(f"The annotation '{alias}' conflicts with a field on the model.")
            if not hasattr(expression, "resolve_expression"):
                raise TypeError(f"QuerySet.annotate() received non-expression(s): {expression!r}.")
            clone._query.add_annotation(alias, expression, select=select)
            if select and clone._fields is not None and alias not in clone._query.values_select:
                clone._query.values_select = (*clone._query.values_select, alias)
        return clone

    def annotate(self, *args: Any, **kwargs: Any) -> Self:
        """Add a computed value (an aggregate over related rows, an expression) to each result."""
        return self._annotate(args, kwargs, select=True)

    def alias(self, *args: Any, **kwargs: Any) -> Self:
        """Like annotate(), usable in filter()/order_by() but not selected."""
        return self._annotate(args, kwargs, select=False)

    def _aggregate_plan(self, conn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Plan:
        aggregates = dict(kwargs)
        for arg in args:
            aggregates[_default_alias(arg, "aggregates")] = arg
        for alias, expression in aggregates.items():
            if not getattr(expression, "contains_aggregate", False):
                raise TypeError(f"{alias} is not an aggregate expression")
        for alias in aggregates:
            check_alias(alias)
        if self._query.group_by is not None or self._query.distinct or self._query.is_sliced:
            return (yield from self._aggregate_over_subquery_plan(conn, aggregates))
        query = self._query.clone()
        query.clear_ordering(force=True)
        for alias, expression in aggregates.items():
            query.add_annotation(alias, expression)
        query.group_by = None
        query.aggregate_names = tuple(aggregates)
        compiler = query.get_compiler(connection=conn, kind="aggregate")
        try:
            entry, params = compiler.compiled()
        except EmptyResultSet:
            # Over no rows: an aggregate's default, else what the expression is there (a
            # Coalesce of an aggregate and a value gives the value).
            return {
                alias: getattr(e, "empty_result_set_value", None)
                if getattr(e, "default", None) is None
                else e.default
                for alias, e in aggregates.items()
            }
        row = yield Execute(entry.sql, params, ONE)
        return ValuesIterable.build([row], entry, conn.alias, self.model)[0]

    def _aggregate_over_subquery_plan(self, conn: Any, aggregates: dict[str, Any]) -> Plan:
        """aggregate() over annotate()d (grouped), distinct or sliced rows: wrap them."""
        inner = self._query.clone()
        referenced = []
        from tether.models.expressions import F

        for index, expression in enumerate(aggregates.values()):
            sources: list[Any] = getattr(expression, "source_expressions", [])
            source = sources[0].name if len(sources) == 1 and type(sources[0]) is F else None
            if (
                source is not None
                and source not in inner.annotations
                and _selectable(inner, source)
            ):
                # A column of the model's own: the inner query selects it under an alias.
                alias = f"__col{index + 1}"
                inner.add_annotation(alias, F(source))
                if inner.values_select:
                    inner.values_select = (*inner.values_select, alias)
                source = alias
            if source is None or source not in inner.annotations:
                raise FieldError(
                    "aggregate() over grouped, distinct or sliced rows supports aggregates of "
                    f"annotations only, got {expression!r}."
                )
            referenced.append(source)
        inner.clear_ordering(force=False)
        compiler = inner.get_compiler(connection=conn)
        try:
            entry, params = compiler.compiled()
        except EmptyResultSet:
            return {alias: e.default for alias, e in aggregates.items()}
        qn = conn.ops.quote_name
        parts = []
        for (alias, expression), source in zip(aggregates.items(), referenced, strict=True):
            distinct = "DISTINCT " if expression.distinct else ""
            parts.append(f"{expression.function}({distinct}{qn(source)}) AS {qn(alias)}")
        inner_sql = _nested(entry.sql, conn)
        sql = conn.ops.to_driver_sql(f"SELECT {', '.join(parts)} FROM ({inner_sql}) subquery")
        row = yield Execute(sql, params, ONE)
        result = {}
        for (alias, expression), value in zip(aggregates.items(), row, strict=True):
            if value is not None:
                # Resolved as a summary over the inner query: the output type of its source.
                summary = expression.resolve_expression(inner.clone(), summarize=True)
                for converter in summary.get_db_converters(conn):
                    value = converter(value)
            result[alias] = expression.default if value is None else value
        return result

    def _aggregate_job(self, *args: Any, **kwargs: Any) -> Job:
        conn = self._conn()
        return Job(conn, self._aggregate_plan(conn, args, kwargs))

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        aggregate, aaggregate = twins(
            _aggregate_job, "aggregate", "A dict of aggregate values over the whole QuerySet."
        )
