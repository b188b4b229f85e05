"""Aggregates over two multi-valued relations: Django's multiplied numbers, warned about, or
the right ones on request (`QuerySet.separate_aggregates()`).

One SELECT that joins two multi-valued relations (a many-to-many, a reverse foreign key) has a
row for every pair of their rows, so an aggregate over one of them counts each of its rows once
per row of the other: Django's documented result, which tether keeps by default. Where that
really changes a number (a repetition-sensitive aggregate, i.e. neither distinct nor Min/Max,
next to an aggregate over a relation off its own path) annotate() and aggregate() warn with
MultipliedAggregateWarning. Under separate_aggregates() each aggregate over a multi-valued
relation is computed in its own correlated subquery instead, which joins only its own path.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from typing import Any

from tether.db.errors import NotSupportedError
from tether.exceptions import FieldError
from tether.models.aggregates import Aggregate, Max, Min
from tether.models.expressions import F
from tether.models.expressions.subqueries import OuterRef, Subquery
from tether.models.lookups import IsNull
from tether.models.query_utils import Q
from tether.models.sql.constants import LOOKUP_SEP

Path = tuple[str, ...]
Entry = tuple[str, Path, bool]


class MultipliedAggregateWarning(UserWarning):
    """An aggregate whose value Django (and tether by default) multiplies by the rows of
    another multi-valued relation the same query aggregates over."""


# ---- which relation an aggregate goes through --------------------------------------------


def aggregates_in(expression: Any) -> Iterator[Any]:
    """The Aggregate nodes of an (unresolved) annotation, outermost first."""
    if isinstance(expression, Aggregate):
        yield expression
        return
    for child in getattr(expression, "get_source_expressions", list)():
        if child is not None:
            yield from aggregates_in(child)


def _names(expression: Any) -> Iterator[str]:
    """The field paths an expression names: its F()s (not OuterRef) and its Q keys."""
    if isinstance(expression, Q):
        for child in expression.children:
            if isinstance(child, tuple):
                yield child[0]
            else:
                yield from _names(child)
        return
    if isinstance(expression, F) and not isinstance(expression, OuterRef):
        yield expression.name
        return
    for child in getattr(expression, "get_source_expressions", list)():
        if child is not None:
            yield from _names(child)


def multi_valued_path(query: Any, aggregate: Any) -> Path | None:
    """The names up to the last multi-valued relation the aggregate reaches, () for none:
    Count("tags") is ("tags",), Sum("books__tags__id") ("books", "tags"), Sum("pages") ().
    None when a name resolves to nothing yet (resolving it later reports the error)."""
    longest: Path = ()
    opts = query.model._meta
    for name in _names(aggregate):
        parts = name.split(LOOKUP_SEP)
        if parts[0] in query.annotations:
            continue
        hops = 0
        for end in range(1, len(parts) + 1):
            try:
                path = query.names_to_path(parts[:end], opts, fail_on_missing=False)[0]
            except FieldError:
                if end == 1:
                    return None
                break  # a transform or lookup after the field
            if any(info.m2m for info in path[hops:]):
                longest = max(longest, tuple(parts[:end]), key=len)
            hops = len(path)
    return longest


def repetition_sensitive(aggregate: Any) -> bool:
    """Whether repeating a row changes the aggregate (distinct ones and Min/Max it does not)."""
    return not getattr(aggregate, "distinct", False) and not isinstance(aggregate, Min | Max)


def aggregate_paths(query: Any, annotations: dict[str, Any]) -> tuple[Entry, ...]:
    """(label, multi-valued path, repetition-sensitive) of every aggregate in `annotations`."""
    entries = []
    for alias, expression in annotations.items():
        for aggregate in aggregates_in(expression):
            path = multi_valued_path(query, aggregate)
            if path is not None:
                entries.append((f"{alias}={aggregate!r}", path, repetition_sensitive(aggregate)))
    return tuple(entries)


def check_multiplied(before: tuple[Entry, ...], added: tuple[Entry, ...]) -> None:
    """Warn for each repetition-sensitive aggregate that another one multiplies (one of the
    two among those just `added`): an aggregate whose path is no prefix of its own path joins
    rows its own path does not have."""
    entries = before + added
    for label, own, sensitive in entries:
        if not sensitive:
            continue
        for other_label, other, _ in entries:
            if other[: len(own)] == own[: len(other)] and len(other) <= len(own):
                continue
            if not any(label == e[0] or other_label == e[0] for e in added):
                continue
            warnings.warn(
                f"{label} is multiplied by the rows of {LOOKUP_SEP.join(other)!r}, which the "
                f"same query joins for {other_label} (Django's result). Call "
                f"separate_aggregates() before annotate()/aggregate() to compute each aggregate "
                f"over a multi-valued relation in its own subquery.",
                MultipliedAggregateWarning,
                stacklevel=_caller_level(),
            )
            break


def _caller_level() -> int:
    """The stacklevel of the first frame outside tether (the user's annotate() call)."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("tether."):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


# ---- the rewrite ---------------------------------------------------------------------------


def separated(queryset: Any, expression: Any, group: tuple[str, ...] | None) -> Any:
    """`expression` with each aggregate over a multi-valued relation replaced by a correlated
    subquery. `group` is None when rows are grouped by primary key (annotate() on model
    rows): the subquery gives the aggregate of that row. Otherwise it names the values()
    fields rows are grouped by: the subquery computes the aggregate over the group's rows
    (those the query's filters let through)."""
    query = queryset._query
    if isinstance(expression, Aggregate):
        if not multi_valued_path(query, expression):
            return expression
        return _subquery(queryset, expression, group)
    children = getattr(expression, "get_source_expressions", None)
    if children is None or not any(True for _ in aggregates_in(expression)):
        return expression
    copy = expression.copy()
    copy.set_source_expressions(
        [None if child is None else separated(queryset, child, group) for child in children()]
    )
    return copy


def _subquery(queryset: Any, aggregate: Any, group: tuple[str, ...] | None) -> Any:
    rows = rows_of_groups(queryset, group)
    grouped = rows.values("pk") if group is None else rows.values(*group)
    return Subquery(grouped.annotate(_separate=aggregate).values("_separate"))


def rows_of_groups(queryset: Any, group: tuple[str, ...] | None) -> Any:
    """A fresh QuerySet of the model's rows in the outer row's group: the row itself (by
    primary key) when `group` is None, else the rows the outer query's filters let through
    whose `group` fields equal the outer row's (all of them for `()`)."""
    # A new QuerySet of the same class: none of the outer query's state.
    rows: Any = type(queryset)(model=queryset.model, using=queryset._db).order_by()
    if group is None:
        return rows.filter(pk=OuterRef("pk"))
    if queryset._query.where.children:
        rows = rows.filter(pk__in=_keys(queryset))
    for name in group:
        if name in queryset._query.annotations:
            raise NotSupportedError(
                f"separate_aggregates() cannot group by the annotation {name!r}."
            )
        # NULL groups too: IS NOT DISTINCT FROM, written portably.
        same: Any = {name: OuterRef(name)}
        both_null: Any = {f"{name}__isnull": True}
        rows = rows.filter(Q(**same) | (Q(**both_null) & Q(IsNull(OuterRef(name), True))))
    return rows


def _keys(queryset: Any) -> Any:
    """The primary keys of the rows the query's filters let through, as a subquery."""
    keys = queryset._clone()
    query = keys._query
    query.annotations = {}
    query.annotation_hidden = frozenset()
    query.group_by = None
    query.values_select = ()
    keys._fields = None
    return keys.order_by().values("pk")
