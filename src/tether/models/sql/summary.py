"""aggregate() over rows the query must compute first: the aggregates read a derived table.

Rows that are grouped (annotate() with an aggregate), DISTINCT or sliced, and annotations an
aggregate cannot read in place (a window, a subquery, an aggregate), are computed by an inner
query; the aggregates then run over its result, `SELECT <aggregates> FROM (<inner>) subquery`,
as Django does. What the aggregates read of the inner rows becomes a column of the inner
select: an annotation by its own alias, any other column (of the model, of a join, one a
`filter=` condition compares) as `__colN`. The inner select keeps only those, its values()
names and, for DISTINCT, the model's columns, so that it still returns the same rows.
"""

from __future__ import annotations

from typing import Any

from tether.exceptions import FieldError
from tether.models.expressions import Col
from tether.models.sql.where import WhereNode


def _children(node: Any) -> list[Any]:
    """The nodes `node` renders: expression sources, WHERE children, `__in` list members."""
    if isinstance(node, WhereNode):
        return list(node.children)
    children = list(getattr(node, "get_source_expressions", list)())
    rhs = getattr(node, "rhs", None)
    if isinstance(rhs, list | tuple):
        children.extend(value for value in rhs if hasattr(value, "as_sql"))
    return [child for child in children if child is not None]


def _walk(node: Any) -> Any:
    yield node
    for child in _children(node):
        yield from _walk(child)


def _annotations_read(query: Any, node: Any) -> list[Any]:
    """The annotations of `query` that the resolved `node` reads (F() resolves to the
    annotation itself)."""
    own = {id(annotation): annotation for annotation in query.annotations.values()}
    return [own[id(child)] for child in _walk(node) if id(child) in own]


def _reads_in_place(annotation: Any) -> bool:
    """Whether an aggregate can read this annotation inside its own call: not an aggregate,
    a window or a subquery (which would need grouping by what it correlates with)."""
    if getattr(annotation, "contains_aggregate", False):
        return False
    if getattr(annotation, "contains_over_clause", False):
        return False
    return not getattr(annotation, "contains_subquery", False)


def needs_derived_table(query: Any, resolved: list[Any]) -> bool:
    """Whether aggregate() must read the query's rows as a derived table."""
    if query.group_by is not None or query.distinct or query.is_sliced:
        return True
    return any(
        not _reads_in_place(annotation)
        for node in resolved
        for annotation in _annotations_read(query, node)
    )


def _check_not_nested(alias_nodes: dict[int, str], node: Any) -> None:
    """An aggregate of this call may not aggregate another of the same call (Django's error)."""
    for child in _walk(node):
        if not getattr(child, "is_summary", False) or not hasattr(child, "filter"):
            continue
        for source in child.source_expressions:
            for inner in _walk(source):
                name = alias_nodes.get(id(inner))
                if name is not None:
                    raise FieldError(
                        f"Cannot compute {child.name}('{name}'): '{name}' is an aggregate"
                    )


class DerivedAggregation:
    """The inner query and the aggregates resolved against it, with how the outer SELECT
    reads the inner columns (`render_as_alias` of the compiler that renders the aggregates)."""

    def __init__(self, query: Any, aggregates: dict[str, Any]) -> None:
        inner = self.inner = query.clone()
        self.summaries: dict[str, Any] = {}
        alias_nodes: dict[int, str] = {}
        existing = dict(inner.annotations)
        for alias, expression in aggregates.items():
            resolved = expression.resolve_expression(inner, True, None, True)
            if not getattr(resolved, "contains_aggregate", False):
                raise TypeError(f"{alias} is not an aggregate expression")
            _check_not_nested(alias_nodes, resolved)
            # A later aggregate of the same call may name this one (Coalesce("total", 0)).
            inner.annotations[alias] = resolved
            alias_nodes[id(resolved)] = alias
            self.summaries[alias] = resolved
        inner.annotations = dict(existing)
        self._select_what_is_read(existing)
        inner.clear_ordering(force=False)
        # What only the model instances would use: no row locks, no related objects.
        inner.select_for_update = False
        inner.select_related = False

    def _select_what_is_read(self, existing: dict[str, Any]) -> None:
        inner = self.inner
        opts = inner.model._meta
        selected: list[str] = list(inner.values_select)
        if not selected:
            if inner.distinct:
                # DISTINCT compares whole rows: the model's columns stay in them.
                selected = [f.attname for f in opts.concrete_fields]
            elif inner.group_by is True:
                # Grouped by every selected column, which were the model's: by its key.
                inner.group_by = (opts.pk.name,)
        names = {id(node): name for name, node in existing.items()}
        refs: dict[int, str] = {}
        columns: dict[Any, str] = {}
        for summary in self.summaries.values():
            pending = [summary]
            while pending:
                node = pending.pop()
                name = names.get(id(node))
                if name is not None:
                    refs[id(node)] = name
                    if name not in selected:
                        selected.append(name)
                    continue
                if isinstance(node, Col) and node.alias in inner.alias_map:
                    name = columns.get(node.shape)
                    if name is None:
                        name = columns[node.shape] = f"__col{len(columns) + 1}"
                        inner.annotations[name] = node
                        selected.append(name)
                    refs[id(node)] = name
                    continue
                pending.extend(_children(node))
        if not selected:
            selected = [opts.pk.attname]
        inner.values_select = tuple(selected)
        inner.annotation_hidden = inner.annotation_hidden - set(selected)
        self.refs = refs
