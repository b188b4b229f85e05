"""A query used inside another: its aliases moved out of the outer query's way, its OuterRef()s
bound to the outer query's columns.

A subquery's aliases get a prefix by nesting depth (U at depth 1, V at 2, ...), so they never
collide with the tables of the queries around it, and the SQL text (the cache key) is the same
for every query of the same shape. Trees are rewritten copy-on-write: a node is copied only
when something below it changes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from tether.models.expressions import BaseExpression, Col
from tether.models.lookups import Lookup
from tether.models.sql.where import WhereNode

Rewrite = Callable[[Any], Any]


def rewrite(node: Any, fn: Rewrite) -> Any:
    """`node` with `fn` applied top-down: fn returns a replacement, or None to descend."""
    replaced = fn(node)
    if replaced is not None:
        return replaced
    if isinstance(node, WhereNode):
        children = [rewrite(child, fn) for child in node.children]
        if all(a is b for a, b in zip(children, node.children, strict=True)):
            return node
        clone = WhereNode(connector=node.connector, negated=node.negated)
        clone.children = children
        return clone
    if isinstance(node, Lookup):
        lhs, rhs = rewrite(node.lhs, fn), _rewrite_value(node.rhs, fn)
        if lhs is node.lhs and rhs is node.rhs:
            return node
        lookup = copy.copy(node)
        lookup.lhs, lookup.rhs = lhs, rhs
        lookup.shape = (type(lookup), lhs.shape, lookup.rhs_shape())
        return lookup
    if isinstance(node, BaseExpression):
        sources = node.get_source_expressions()
        new = [None if s is None else rewrite(s, fn) for s in sources]
        if all(a is b for a, b in zip(new, sources, strict=True)):
            return node
        clone = node.copy()
        clone.set_source_expressions(new)
        return clone
    return node


def _rewrite_value(value: Any, fn: Rewrite) -> Any:
    if isinstance(value, list | tuple):
        items = [_rewrite_value(v, fn) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if hasattr(value, "resolve_expression") or hasattr(value, "as_sql"):
        return rewrite(value, fn)
    return value


def rewrite_query(query: Any, fn: Rewrite) -> None:
    """Apply `fn` to the WHERE tree and the annotations of `query`, in place."""
    query.where = rewrite(query.where, fn)
    query.annotations = {name: rewrite(a, fn) for name, a in query.annotations.items()}


def each_part(query: Any, fn: Callable[[Any], None]) -> None:
    """Apply `fn` to a clone of each part of a compound `query` (union(), ...), in place."""
    if query.combined_queries:
        parts = [part.clone() for part in query.combined_queries]
        for part in parts:
            fn(part)
        query.combined_queries = tuple(parts)


def prefix_for(depth: int) -> str:
    return chr(ord("T") + depth) if depth < 7 else f"S{depth}X"


def bump(query: Any, depth: int) -> None:
    """Rename the aliases of `query` (a clone it owns) for nesting depth `depth`, its nested
    subqueries' for the depths below; Cols of nested subqueries that point at this query's
    aliases follow."""

    def nested(node: Any) -> Any:
        inner = getattr(node, "subquery_query", None)
        if inner is None:
            return None
        clone = node.copy()
        clone.query = inner.clone()
        bump(clone.query, depth + 1)
        return clone

    rewrite_query(query, nested)
    each_part(query, lambda part: bump(part, depth))
    prefix = prefix_for(depth)
    change_map = {alias: f"{prefix}{index}" for index, alias in enumerate(query.alias_map)}
    relabel(query, change_map)
    query.alias_prefix = prefix


def relabel(query: Any, change_map: dict[str, str]) -> None:
    """Rename aliases of `query` (and every Col naming them, nested subqueries included)."""

    def col(node: Any) -> Any:
        if isinstance(node, Col):
            return node.relabeled_clone(change_map) if node.alias in change_map else node
        inner = getattr(node, "subquery_query", None)
        if inner is not None:
            clone = node.copy()
            clone.query = inner.clone()
            rewrite_query(clone.query, col)
            return clone
        return None

    query.alias_map = {
        change_map.get(alias, alias): table.relabeled_clone(change_map)
        for alias, table in query.alias_map.items()
    }
    query.alias_refcount = {
        change_map.get(alias, alias): count for alias, count in query.alias_refcount.items()
    }
    query.table_map = {
        table: [change_map.get(alias, alias) for alias in aliases]
        for table, aliases in query.table_map.items()
    }
    query.used_aliases = {change_map.get(alias, alias) for alias in query.used_aliases}
    rewrite_query(query, col)
    each_part(query, lambda part: relabel(part, change_map))


def external_cols(query: Any) -> list[Any]:
    """The columns of outer queries that `query` (bound to them) reads, nested subqueries
    included, each once."""
    aliases: set[str] = set()
    cols: list[Any] = []

    def collect(node: Any) -> Any:
        if isinstance(node, Col):
            cols.append(node)
            return node
        inner = getattr(node, "subquery_query", None)
        if inner is not None:
            walk(inner)
            return node
        return None  # descend: nothing is replaced, so nothing is copied

    def walk(part: Any) -> None:
        aliases.update(part.alias_map)
        rewrite(part.where, collect)
        for annotation in part.annotations.values():
            rewrite(annotation, collect)

    walk(query)
    unique: dict[Any, Any] = {}
    for col in cols:
        if col.alias not in aliases:
            unique.setdefault(col.shape, col)
    return list(unique.values())


def resolve_outer_refs(query: Any, outer: Any, allow_joins: bool, reuse: Any) -> None:
    """Bind the ResolvedOuterRefs of `query` (and of its nested subqueries) to `outer`'s
    columns; an OuterRef(OuterRef(...)) still unresolved moves one level out."""
    from tether.models.expressions import resolve_field_ref
    from tether.models.expressions.subqueries import OuterRef, ResolvedOuterRef

    def bind(node: Any) -> Any:
        if isinstance(node, ResolvedOuterRef):
            resolved = resolve_field_ref(outer, node.name, allow_joins, reuse)
            if getattr(resolved, "contains_over_clause", False):
                from tether.db.errors import NotSupportedError

                raise NotSupportedError(
                    f"Referencing outer query window expression is not supported: {node.name}."
                )
            return resolved
        if isinstance(node, OuterRef):
            return node.resolve_expression(outer)
        inner = getattr(node, "subquery_query", None)
        if inner is not None:
            clone = node.copy()
            clone.query = inner.clone()
            rewrite_query(clone.query, bind)
            return clone
        return None

    rewrite_query(query, bind)
    each_part(query, lambda part: resolve_outer_refs(part, outer, allow_joins, reuse))
