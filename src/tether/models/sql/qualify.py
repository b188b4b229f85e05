"""Filtering on window functions: `annotate(r=Window(Rank(), ...)).filter(r=1)`.

SQL evaluates window functions after WHERE, so such a condition cannot sit in the query's own
WHERE. As Django 4.2+ does, the query is wrapped:

    SELECT "qualify"."col0", ..., "qualify"."r" FROM (
        SELECT <columns AS col0...>, <annotations AS their names>, <order terms AS __orderbyN>
        FROM ... WHERE <conditions without windows> GROUP BY ... HAVING ...
    ) "qualify" WHERE <conditions on windows, by alias> ORDER BY <aliases> LIMIT ...

Every part is compiled in the order it appears, so the SQL cache records the parameters in
placeholder order.
"""

from __future__ import annotations

from typing import Any

from tether.models.aggregates import contains_aggregate
from tether.models.expressions import BaseExpression, Col, OrderBy, Ref
from tether.models.lookups import Lookup, Transform
from tether.models.sql.ordering import ordering_cols
from tether.models.sql.where import WhereNode

HETEROGENEOUS = (
    "Heterogeneous disjunctive predicates against window functions are not implemented when "
    "performing conditional aggregation."
)


class QualifiedLeaf:
    """A condition of the outer query comparing an annotation read by its inner alias
    (`case_first_rank=True` where the annotation is a Case over a window). Its parameters at
    each execution are the leaf's own without those of the annotation, which the inner
    SELECT binds: recorded in the cached statement in place of the leaf's index."""

    def __init__(self, index: int) -> None:
        self.index = index

    def params(self, compiler: Any) -> list[Any]:
        leaf = compiler.query.param_leaves()[self.index]
        connection = compiler.connection
        own = leaf.get_params(compiler, connection)
        return own[len(leaf.lhs_params(compiler, connection)) :]  # type: ignore[no-any-return]


def contains_over_clause(node: Any) -> bool:
    """Whether a WHERE node (or a lookup) compares a window expression."""
    if getattr(node, "contains_over_clause", False):
        return True
    for side in ("lhs", "rhs"):
        value = getattr(node, side, None)
        if value is not None and getattr(value, "contains_over_clause", False):
            return True
    return any(contains_over_clause(child) for child in getattr(node, "children", ()))


def split_qualify(where: Any, grouped: bool, negated: bool = False) -> tuple[Any, Any]:
    """(conditions for the inner WHERE, conditions on windows for the outer one or None).

    A branch that must stay whole (an OR, or a negated AND) and compares a window moves out
    whole; its columns are then selected by the inner query too. When the query aggregates,
    such a branch may not also test plain columns (Django's NotImplementedError)."""
    if where is None or not contains_over_clause(where):
        return where, None
    inner_negated = negated ^ where.negated
    whole = where.connector == ("AND" if inner_negated else "OR")
    plain: list[Any] = []
    qualify: list[Any] = []
    for child in where.children:
        if isinstance(child, WhereNode):
            child_plain, child_qualify = split_qualify(child, grouped, inner_negated)
            plain += [child_plain] if child_plain is not None else []
            qualify += [child_qualify] if child_qualify is not None else []
        else:
            (qualify if contains_over_clause(child) else plain).append(child)
    if whole and qualify:
        if grouped and any(not contains_aggregate(part) for part in plain):
            raise NotImplementedError(HETEROGENEOUS)
        return None, where
    return _node(where, plain), _node(where, qualify)


def _node(like: Any, children: list[Any]) -> Any:
    if not children:
        return None
    node = WhereNode(connector=like.connector, negated=like.negated)
    node.children.extend(children)
    return node


def _columns(node: Any, skip: set[int], out: list[Any]) -> list[Any]:
    """The Cols a condition reads outside the annotations (which are selected anyway)."""
    if id(node) in skip:
        return out
    if isinstance(node, Col):
        out.append(node)
    elif isinstance(node, WhereNode):
        for child in node.children:
            _columns(child, skip, out)
    elif isinstance(node, BaseExpression):  # before Transform: a date function is both
        for source in node.get_source_expressions():
            _columns(source, skip, out)
    elif isinstance(node, Lookup | Transform):
        _columns(node.lhs, skip, out)
        rhs = getattr(node, "rhs", None)
        for value in rhs if isinstance(rhs, list | tuple) else [rhs]:
            _columns(value, skip, out)
    return out


def _order_terms(compiler: Any) -> list[tuple[Any, bool, Any, Any]]:
    """(node or annotation name, descending, nulls_first, nulls_last) of the ordering."""
    query = compiler.query
    if query.order_by:
        ordering = list(query.order_by)
    elif query.default_ordering and query.group_by is None:
        ordering = list(query.model._meta.ordering or ())
    else:
        ordering = []
    flip = not query.standard_ordering
    terms: list[tuple[Any, bool, Any, Any]] = []
    for item in ordering:
        if not isinstance(item, str):
            if not isinstance(item, OrderBy):
                item = OrderBy(item)
            if flip:
                item = item.reverse_ordering()
            terms.append((item.expression, item.descending, item.nulls_first, item.nulls_last))
            continue
        if item == "?":
            terms.append(("?", False, None, None))
            continue
        descending = item.startswith("-")
        name = item.lstrip("-")
        if name in query.annotations:
            terms.append((name, descending != flip, None, None))
            continue
        for col, col_descending in ordering_cols(compiler, name, descending, set()):
            terms.append((col, col_descending != flip, None, None))
    return terms


def render_qualified(
    compiler: Any, cols: list[Any], names: list[str], plain: Any, having: Any, qualify: Any
) -> str:
    """The wrapped SELECT (without FOR UPDATE) of a query filtering on window expressions."""
    query = compiler.query
    qn = compiler.quote_name
    annotations = query.annotations
    selected: list[tuple[Any, str]] = []
    for index, (col, name) in enumerate(zip(cols, names, strict=True)):
        is_annotation = name in annotations and annotations[name] is col
        selected.append((col, name if is_annotation else f"col{index}"))
    outer_names = [alias for _, alias in selected]
    # Annotations the SELECT leaves out (alias(), values() without them): a condition or
    # the ordering may name them.
    for name, annotation in annotations.items():
        if name not in outer_names:
            selected.append((annotation, name))
    order_aliases: list[tuple[str, bool, Any, Any]] = []
    column_alias = {
        (col.alias, col.target.column): alias for col, alias in selected if isinstance(col, Col)
    }
    outer_refs = {id(annotations[name]): name for name in annotations}
    for col in _columns(qualify, set(outer_refs), []):
        key = (col.alias, col.target.column)
        if key not in column_alias:
            column_alias[key] = f"__qual{len(column_alias)}"
            selected.append((col, column_alias[key]))
        outer_refs[id(col)] = column_alias[key]
    for node, descending, nulls_first, nulls_last in _order_terms(compiler):
        if node == "?":
            order_aliases.append(("?", False, None, None))
            continue
        if isinstance(node, str):
            alias = node
        elif isinstance(node, Col) and (node.alias, node.target.column) in column_alias:
            alias = column_alias[(node.alias, node.target.column)]
        else:
            alias = f"__orderby{len(order_aliases)}"
            selected.append((node, alias))
        order_aliases.append((alias, descending, nulls_first, nulls_last))
    parts = []
    for node, alias in selected:
        sql, _ = compiler.compile(node)
        parts.append(f"{sql} AS {qn(alias)}")
    from_mark = len(compiler._used)
    where = compiler._compile_clause(plain, "WHERE")
    group_by = compiler._group_by_sql(compiler._group_by_source(cols))
    having_sql = compiler._compile_clause(having, "HAVING")
    distinct = "DISTINCT " if query.distinct else ""
    inner = (
        f"SELECT {distinct}{', '.join(parts)} FROM {compiler._from_sql(from_mark)}{where}"
        f"{group_by}"
        f"{having_sql}"
    )
    # The outer conditions read the window annotations by their inner alias.
    compiler.render_as_alias = outer_refs
    try:
        outer_where = compiler._compile_clause(qualify, "WHERE")
    finally:
        compiler.render_as_alias = None
    order = []
    for alias, descending, nulls_first, nulls_last in order_aliases:
        if alias == "?":
            order.append(compiler.connection.ops.random_function_sql)
            continue
        term = OrderBy(Ref(alias, None), descending, nulls_first, nulls_last)
        order.append(compiler.compile(term)[0])
    order_sql = " ORDER BY " + ", ".join(order) if order else ""
    outer_cols = ", ".join(f"{qn('qualify')}.{qn(alias)}" for alias in outer_names)
    return (
        f"SELECT {outer_cols} FROM ({inner}) {qn('qualify')}{outer_where}{order_sql}"
        f"{compiler._limit_sql()}"
    )
