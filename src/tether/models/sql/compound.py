"""Compound statements: union(), intersection() and difference() rendered as UNION [ALL],
INTERSECT and EXCEPT of their parts (`Query.combined_queries`).

Each part is rendered by a compiler of its own that shares the outer compiler's leaf records,
so the SQL cache records the parts' parameters in placeholder order. The compound's ORDER BY
names result columns by position (the parts' column names may differ), and its LIMIT follows.
A part's own LIMIT (where the backend allows one inside a compound) is recorded as a
`PartLimit`, read again from the part at every execution of the cached statement.
"""

from __future__ import annotations

from typing import Any

from tether.db.errors import DatabaseError, NotSupportedError
from tether.exceptions import EmptyResultSet, FieldDoesNotExist
from tether.models.sql.constants import ORDER_DIR

NO_MATCH = "ORDER BY term does not match any column in the result set."


def prepare(query: Any, kind: str) -> Any:
    """A clone of the compound `query` whose parts are ready to render: a part that selects
    nothing of its own selects what the compound's values() names, plus the hidden columns
    the compound sorts by; its ordering expressions are resolved; and exists() of a union
    selects only a constant from each part (as Django's)."""
    clone = query.clone()
    sort_columns = _sort_columns(query)
    if sort_columns:
        terms = list(query.order_by)
        for index, _, alias in sort_columns:
            _, descending, nulls, _ = _order_term(terms[index])
            terms[index] = SortTerm(alias, descending, nulls)
        clone.order_by = tuple(terms)
        if query.values_select:
            clone.values_select = (*query.values_select, *(a for _, _, a in sort_columns))
    parts = []
    for part in query.combined_queries:
        if sort_columns:
            part = part.clone()
            for _, source, alias in sort_columns:
                part.add_sort_annotation(alias, source)
            if part.values_select or query.values_select:
                selected = part.values_select or query.values_select
                part.values_select = (*selected, *(a for _, _, a in sort_columns))
        if query.values_select and not part.values_select:
            part = part.clone()
            part.values_select = query.values_select
        if kind == "exists" and query.combinator == "union" and not part.combinator:
            part = part.clone()
            part.clear_ordering(force=True)
            if part.group_by is None:  # grouped rows keep their columns (HAVING reads them)
                part.select_constant()
        part = prepare(part, kind) if part.combinator else part.with_resolved_ordering()
        parts.append(part)
    clone.combined_queries = tuple(parts)
    return clone


SORT_PREFIX = "__orderbycol"


class SortTerm:
    """An ordering term of a prepared compound: a result column by name."""

    __slots__ = ("name", "descending", "nulls")

    def __init__(self, name: str, descending: bool, nulls: str) -> None:
        self.name, self.descending, self.nulls = name, descending, nulls

    def __repr__(self) -> str:  # the ordering shape of the SQL cache key
        return f"SortTerm({self.name!r}, {self.descending}, {self.nulls!r})"


def _result_names(query: Any) -> tuple[str, ...]:
    """The names of the compound's result columns, as its first part selects them."""
    if query.values_select:
        return tuple(query.values_select)
    part = query.combined_queries[0]
    if part.combinator:
        return _result_names(part)
    if part.values_select:
        return tuple(part.values_select)
    columns = [f.attname for f in part.model._meta.concrete_fields]
    return (*columns, *(n for n in part.annotations if n not in part.annotation_hidden))


def _sort_columns(query: Any) -> list[tuple[int, Any, str]]:
    """(ordering term index, field name or expression, hidden column alias) for the terms
    no result column holds: as Django, each part then selects them too, unless a part chose
    its own columns with values() (then _column raises Django's DatabaseError)."""
    if any(part.values_select or part.combinator for part in query.combined_queries):
        return []
    names = _result_names(query)
    missing: list[tuple[int, Any, str]] = []
    for index, item in enumerate(query.order_by):
        if item == "?":
            continue
        name, _, _, source = _order_term(item)
        if name is None or _position(query, name, names) is None:
            missing.append((index, source, f"{SORT_PREFIX}{len(names) + len(missing) + 1}"))
    return missing


def sort_only(names: tuple[str, ...]) -> int:
    """How many trailing result columns are there only to sort by."""
    return sum(1 for name in names if name.startswith(SORT_PREFIX))


class PartLimit:
    """The LIMIT/OFFSET values of one part (by its path of indices from the outermost
    compound), bound again at each execution of the cached statement."""

    __slots__ = ("path",)

    def __init__(self, path: tuple[int, ...]) -> None:
        self.path = path

    def params(self, compiler: Any) -> list[Any]:
        query = compiler.query
        for index in self.path:
            query = query.combined_queries[index]
        _, params = compiler.connection.ops.limit_offset_sql(query.low_mark, query.high_mark)
        return params  # type: ignore[no-any-return]


def _check_parts(query: Any, features: Any) -> None:
    combinator = query.combinator
    if not getattr(features, f"supports_select_{combinator}", False):
        raise NotSupportedError(f"{combinator} is not supported on this database backend.")
    if features.supports_slicing_ordering_in_compound:
        return
    for part in query.combined_queries:
        if part.is_sliced:
            raise DatabaseError("LIMIT/OFFSET not allowed in subqueries of compound statements.")
        if part.ordered_effectively:
            raise DatabaseError("ORDER BY not allowed in subqueries of compound statements.")


def compound_body(compiler: Any) -> tuple[str, Any]:
    """The parts joined by the set operator, and the first rendered part's entry (its
    columns and converters describe the result)."""
    query = compiler.query
    if query.is_empty():  # none() of a compound
        raise EmptyResultSet
    features = compiler.connection.features
    _check_parts(query, features)
    combinator = query.combinator
    path = getattr(compiler, "compound_path", ())
    used = compiler._used
    pieces: list[str] = []
    first = None
    last_limited = False
    for index, part in enumerate(query.combined_queries):
        sub = part.get_compiler(connection=compiler.connection, kind="values")
        sub._leaf_ids, sub._used, sub.compound_path = compiler._leaf_ids, used, (*path, index)
        mark = len(used)
        try:
            entry = sub._render_select()
        except EmptyResultSet:
            del used[mark:]
            # An empty part leaves a union, and a difference once its first part is there.
            if combinator == "union" or (combinator == "difference" and pieces):
                continue
            raise
        if part.is_sliced and compiler._leaf_ids is not None:
            used.append(PartLimit((*path, index)))
        sql = entry.sql
        if features.supports_slicing_ordering_in_compound:
            sql = f"({sql})"
        elif part.combinator:
            sql = (
                f"({sql})"
                if features.supports_parentheses_in_compound
                else f"SELECT * FROM ({sql})"
            )
        pieces.append(sql)
        first = first or entry
        last_limited = part.is_sliced or part.ordered_effectively
    if not pieces:
        raise EmptyResultSet
    if len(pieces) == 1 and features.supports_slicing_ordering_in_compound and last_limited:
        # One part left (the others empty) with its own ORDER BY/LIMIT: "(... LIMIT 1)
        # LIMIT 1" is refused, a derived table is not.
        pieces[0] = f"SELECT * FROM {pieces[0]} {compiler.quote_name('subquery')}"
    operator = compiler.connection.ops.set_operators[combinator]
    if query.combinator_all and combinator == "union":
        operator += " ALL"
    return f" {operator} ".join(pieces), first


def render_select(compiler: Any) -> tuple[str, Any, tuple[str, ...]]:
    """The compound statement with its ORDER BY and LIMIT, the first rendered part's entry
    (how the rows read back) and the result's column names."""
    query = compiler.query
    body, first = compound_body(compiler)
    names = tuple(query.values_select) if query.values_select else first.names
    return f"{body}{_order_sql(compiler, names)}{compiler._limit_sql()}", first, names


def _order_sql(compiler: Any, names: tuple[str, ...]) -> str:
    query = compiler.query
    if not query.order_by:
        return ""
    ops = compiler.connection.ops
    flip = 0 if query.standard_ordering else 1
    pieces = []
    for item in query.order_by:
        if item == "?":
            pieces.append(ops.random_function_sql)
            continue
        name, descending, nulls, _ = _order_term(item)
        if name is None:
            raise DatabaseError(NO_MATCH)
        if flip and nulls:
            nulls = "FIRST" if nulls == "LAST" else "LAST"
        sql = f"{_column(query, name, names)} {ORDER_DIR['DESC' if descending else 'ASC'][flip]}"
        if nulls:
            if not compiler.connection.features.supports_order_by_nulls_modifier:
                raise NotSupportedError(
                    "Ordering a combined query with nulls_first or nulls_last is not supported "
                    "on this database backend."
                )
            sql += f" NULLS {nulls}"
        pieces.append(sql)
    return " ORDER BY " + ", ".join(pieces)


def _order_term(item: Any) -> tuple[str | None, bool, str, Any]:
    """(column name or None for an expression, descending, "FIRST"/"LAST"/"", what to
    select for it: the name or the expression) of one ordering term of a compound."""
    if isinstance(item, str):
        name = item.lstrip("-")
        return name, item.startswith("-"), "", name
    if isinstance(item, SortTerm):
        return item.name, item.descending, item.nulls, item.name
    descending, nulls = False, ""
    if hasattr(item, "descending"):  # OrderBy
        descending = item.descending
        nulls = "FIRST" if item.nulls_first else "LAST" if item.nulls_last else ""
        item = item.expression
    if type(item).__name__ == "F":  # a column by name (F itself: its subclasses are not)
        return item.name, descending, nulls, item.name
    return None, descending, nulls, item


def _column(query: Any, name: str, names: tuple[str, ...]) -> int:
    """The result column (1-based) that `name` orders by, or Django's DatabaseError."""
    position = _position(query, name, names)
    if position is None:
        raise DatabaseError(NO_MATCH)
    return position


def _position(query: Any, name: str, names: tuple[str, ...]) -> int | None:
    """The result column (1-based) that `name` orders by, None if none holds it."""
    if name in names:
        return names.index(name) + 1
    if not query.values_select:
        opts = query.model._meta
        try:
            field = opts.pk if name == "pk" else opts.get_field(name)
        except FieldDoesNotExist:
            field = None
        attname = getattr(field, "attname", None)
        if attname in names:
            return names.index(attname) + 1
    return None
