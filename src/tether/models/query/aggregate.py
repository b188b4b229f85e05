"""QuerySet methods that compute over rows: annotate(), alias() and aggregate().

A mixin of QuerySet, split out to keep the QuerySet class small; it relies on QuerySet's
plumbing (_clone, _conn, _query) and, like every QuerySet method, runs plans.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any, Self

from tether.db.core.requests import ONE, Execute
from tether.db.core.twins import Job, twins
from tether.db.errors import NotSupportedError
from tether.exceptions import EmptyResultSet
from tether.models.aggregates import Aggregate
from tether.models.expressions.raw import ExtraWhere
from tether.models.query.iterables import (
    ValuesIterable,
)
from tether.models.query.separate import (
    Entry,
    aggregate_paths,
    check_multiplied,
    multi_valued_path,
    rows_of_groups,
    separated,
)
from tether.models.query_utils import FilteredRelation
from tether.models.sql.compiler import Compiled
from tether.models.sql.query import check_alias
from tether.models.sql.summary import DerivedAggregation, needs_derived_table
from tether.models.sql.where import WhereNode

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


def check_expressions(method: str, values: tuple[Any, ...]) -> None:
    """Django's TypeError for arguments of annotate()/aggregate() that are no expressions."""
    invalid = sorted(str(value) for value in values if not hasattr(value, "resolve_expression"))
    if invalid:
        raise TypeError(f"QuerySet.{method}() received non-expression(s): {', '.join(invalid)}.")


def _group_of(query: Query) -> tuple[str, ...] | None:
    """What annotate() groups rows by: None for each model row, else the values() names."""
    group = query.group_by if isinstance(query.group_by, tuple) else query.values_select
    if not group or query.model._meta.pk.attname in group or query.model._meta.pk.name in group:
        return None
    return tuple(group)


def _over_no_rows(aggregates: dict[str, Any]) -> dict[str, Any]:
    """aggregate() over no rows: each aggregate's value for an empty set (its default, 0 for
    a count, the value a Coalesce falls back to), without a query."""
    return {
        alias: getattr(e, "empty_result_set_value", None)
        if getattr(e, "default", None) is None
        else e.default
        for alias, e in aggregates.items()
    }


class AggregateMixin:
    """annotate(), alias() and aggregate() (and aaggregate())."""

    # Provided by QuerySet.
    model: Any
    _query: Query
    _fields: tuple[str, ...] | None
    _clone: Callable[[], Self]
    _conn: Callable[[], Any]
    _db: str | None

    # separate_aggregates(): each aggregate over a multi-valued relation in its own subquery.
    _separate_aggregates = False
    # (label, multi-valued path, repetition-sensitive) of the aggregates the query joins for:
    # what tells whether a new one multiplies or is multiplied (separate.py).
    _aggregate_paths: tuple[Entry, ...] = ()

    def separate_aggregates(self) -> Self:
        """Compute each aggregate over a multi-valued relation that later annotate() and
        aggregate() calls add in its own correlated subquery, so that two such relations do
        not multiply each other's rows (Django's documented result, the default)."""
        if any(path for _, path, _ in self._aggregate_paths):
            raise TypeError(
                "separate_aggregates() must be called before annotate() adds an aggregate over "
                "a multi-valued relation."
            )
        clone = self._clone()
        clone._separate_aggregates = True
        return clone

    def _annotate(self, args: tuple[Any, ...], kwargs: dict[str, Any], select: bool) -> Self:
        self._not_support_combined_queries("annotate" if select else "alias")  # type: ignore[attr-defined]
        # Django names annotate() for alias() too.
        check_expressions("annotate", (*args, *kwargs.values()))
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
        if self._separate_aggregates:
            group = _group_of(clone._query)
            grouped = {alias: separated(clone, e, group) for alias, e in annotations.items()}
            if clone._query.group_by is None and any(
                grouped[alias] is not e for alias, e in annotations.items()
            ):
                # Still one row per group, as the aggregates' GROUP BY made it.
                query = clone._query
                query.group_by = tuple(query.values_select) if query.values_select else True
            annotations = grouped
        added = aggregate_paths(clone._query, annotations)
        clone._aggregate_paths = (*self._aggregate_paths, *added)
        if self._fields is None:
            names = {f.name for f in self.model._meta.get_fields()}
            names.update(f.attname for f in self.model._meta.concrete_fields)
        else:  # after values(), only the selected names clash, as in Django
            names = set(self._fields)
        for alias, expression in annotations.items():
            if alias in names:
                raise ValueError(f"The annotation '{alias}' conflicts with a field on the model.")
            if isinstance(expression, FilteredRelation):
                clone._query.add_filtered_relation(expression, alias)
                continue
            clone._query.add_annotation(expression, alias, select=select)
            if select and clone._fields is not None and alias not in clone._query.values_select:
                clone._query.values_select = (*clone._query.values_select, alias)
        if not self._separate_aggregates:  # once they resolved: an error comes alone
            check_multiplied(self._aggregate_paths, added)
        return clone

    def annotate(self, *args: Any, **kwargs: Any) -> Self:
        """Add a computed value (an aggregate over related rows, an expression) to each result."""
        return self._annotate(args, kwargs, select=True)

    def alias(self, *args: Any, **kwargs: Any) -> Self:
        """Like annotate(), usable in filter()/order_by() but not selected."""
        return self._annotate(args, kwargs, select=False)

    def _aggregate_plan(self, conn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Plan:
        check_expressions("aggregate", (*args, *kwargs.values()))
        aggregates = dict(kwargs)
        for arg in args:
            aggregates[_default_alias(arg, "aggregates")] = arg
        for alias in aggregates:
            check_alias(alias)
        if not aggregates:
            return {}
        derived = needs_derived_table(self._query, [])
        if self._separate_aggregates:
            if derived:
                return (yield from self._plain_aggregate_plan(conn, aggregates))
            return (yield from self._separate_aggregate_plan(conn, aggregates))
        added = aggregate_paths(self._query, aggregates)
        result = yield from self._plain_aggregate_plan(conn, aggregates)
        # Over annotate()d rows aggregate() reads a derived table: no joins of theirs.
        check_multiplied(() if derived else self._aggregate_paths, added)
        return result

    def _plain_aggregate_plan(self, conn: Any, aggregates: dict[str, Any]) -> Plan:
        query = self._query.clone()
        wrap = needs_derived_table(query, [])
        if not wrap:
            query.clear_ordering(force=True)
            for alias, expression in aggregates.items():
                # One at a time: a later aggregate may name an earlier one.
                query.add_annotation(expression, alias)
                if not getattr(query.annotations[alias], "contains_aggregate", False):
                    raise TypeError(f"{alias} is not an aggregate expression")
            wrap = needs_derived_table(
                self._query, [query.annotations[alias] for alias in aggregates]
            )
        if wrap:
            return (yield from self._aggregate_over_subquery_plan(conn, aggregates))
        query.group_by = None
        query.aggregate_names = tuple(aggregates)
        compiler = query.get_compiler(connection=conn, kind="aggregate")
        try:
            entry, params = compiler.compiled()
        except EmptyResultSet:
            empty = _over_no_rows(aggregates)
            if NotImplemented not in empty.values():
                return empty
            # An expression without a value for no rows (RawSQL, a hand-made aggregate): the
            # database computes it, over rows no condition lets through (as Django does).
            query.where = WhereNode()
            query.where.add(ExtraWhere(["1 = 0"], ()), "AND")
            entry, params = query.get_compiler(connection=conn, kind="aggregate").compiled()
        row = yield Execute(entry.sql, params, ONE)
        return ValuesIterable.build([row], entry, conn.alias, self.model)[0]

    def _separate_aggregate_plan(self, conn: Any, aggregates: dict[str, Any]) -> Plan:
        """aggregate() under separate_aggregates(): each aggregate over a multi-valued
        relation over the query's rows alone, then the others as usual."""
        apart = {
            alias: expression
            for alias, expression in aggregates.items()
            if multi_valued_path(self._query, expression)
        }
        for alias, expression in apart.items():
            if not isinstance(expression, Aggregate):
                raise NotSupportedError(
                    f"separate_aggregates() cannot compute {alias!r}: aggregate() computes an "
                    f"aggregate over a multi-valued relation on its own, not inside an expression."
                )
        result: dict[str, Any] = {}
        rest = {alias: e for alias, e in aggregates.items() if alias not in apart}
        if rest:
            result.update((yield from self._plain_aggregate_plan(conn, rest)))
        rows = rows_of_groups(self, ())
        for alias, expression in apart.items():
            result.update((yield from rows._aggregate_plan(conn, (), {alias: expression})))
        return {alias: result[alias] for alias in aggregates}

    def _aggregate_over_subquery_plan(self, conn: Any, aggregates: dict[str, Any]) -> Plan:
        """aggregate() over annotate()d (grouped), distinct or sliced rows: wrap them."""
        derived = DerivedAggregation(self._query, aggregates)
        try:
            entry, params = derived.inner.get_compiler(connection=conn).compiled()
        except EmptyResultSet:
            return _over_no_rows(aggregates)
        outer = derived.inner.get_compiler(connection=conn)
        outer.render_as_alias = derived.refs
        parts = []
        outer_params: list[Any] = []
        converters = []
        for index, expression in enumerate(derived.summaries.values()):
            sql, expression_params = outer.compile(expression)
            parts.append(sql)
            outer_params.extend(expression_params)
            funcs = expression.get_db_converters(conn)
            if funcs:
                converters.append((index, tuple(funcs)))
        # The aggregates are read back by position: the outer SELECT names none of them.
        sql = f"SELECT {', '.join(parts)} FROM ({_nested(entry.sql, conn)}) subquery"
        result = Compiled(
            conn.ops.to_driver_sql(sql),
            columns=tuple(derived.summaries.values()),
            converters=tuple(converters),
            names=tuple(derived.summaries),
        )
        row = yield Execute(result.sql, [*outer_params, *params], ONE)
        return ValuesIterable.build([row], result, conn.alias, self.model)[0]

    def _aggregate_job(self, *args: Any, **kwargs: Any) -> Job:
        conn = self._conn()
        return Job(conn, self._aggregate_plan(conn, args, kwargs))

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        aggregate, aaggregate = twins(
            _aggregate_job, "aggregate", "A dict of aggregate values over the whole QuerySet."
        )
