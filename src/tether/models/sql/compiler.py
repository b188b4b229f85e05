"""SQLCompiler: a Query to (sql, params) for one connection, with SQL cached by query shape.

Rendering asks the backend's operations (and `as_<vendor>` methods) for every vendor difference.
The first compile of a query shape renders the full SQL and records which parameter leaves it
used; later queries of that shape reuse the text and only collect their leaves' values.

The node protocol (every node a Query holds: WHERE children, annotations, ordering terms,
selected columns, joins; docs/architecture.md says the same with examples)
----------------------------------------------------------------------------------------------
1. `shape`: a hashable value made of the node's class, its fixed structure and its children's
   shapes, never of parameter values. Equal shapes must render equal SQL on one connection: a
   value that changes the text (None rendered as NULL, the length of an IN list, a JSON path
   spelled into the SQL) belongs in the shape.
2. `as_sql(compiler, connection) -> (sql, params)`, with `%s` placeholders. Children are
   rendered with `compiler.compile(child)`, never `child.as_sql(...)`, so that the compiler sees
   every leaf; a vendor variant is an `as_<vendor>(compiler, connection)` method.
3. A node without placeholders of its own (Col, a join) has `is_leaf = False` and
   `leaves(out)` returning `out` unchanged.
4. A *leaf* has `is_leaf = True` and `get_params(compiler, connection)`, which returns exactly
   the params its `as_sql` returns, in placeholder order, without rendering SQL. What a leaf
   renders inside itself (a lookup's right-hand Value, a transform of its left-hand side) is
   its own: those parameters come from its get_params, not from separate leaves.
5. A *composite* (WhereNode, CombinedExpression, OrderBy) has `is_leaf = False`, adds no
   placeholders of its own and lists its children's leaves with `leaves(out)`, in placeholder
   order (node_params relies on it); it compiles a child through compiler.compile once for
   every place the child's SQL appears in its own (the compiler records each compile).
   A node with children *and* trailing placeholders of its own (an aggregate's `default`) is a
   leaf whose `leaves(out)` appends its children's leaves and then itself, and whose get_params
   returns only its own trailing parameters: the compiler records a leaf when its compile returns.
6. `Query.shape_key(kind)` is derived from the query's declared state (`Query.STATE`: every
   attribute and what the key reads for it), and `Query.param_leaves()` lists the
   leaves of its update values, annotations, WHERE tree and ordering in one fixed order. The
   cache entry
   records the indices of the leaves compiled while rendering (`Compiled.used_leaves`, in
   placeholder order); a later query of the same shape binds `leaves[i].get_params(...)` for
   them. Ordering expressions are resolved before the key is taken
   (`Query.with_resolved_ordering`), so their joins and leaves are the query's; a transform
   named in values() is made while rendering and recorded by how to make it again
   (`RenderedTransform`).
7. Nobody outside this module predicts parameter order: code that binds values to a cached
   statement itself asks `SQLCompiler.placeholder_leaves()` which leaves fill the placeholders.

tests/sql_render/test_node_protocol.py renders every node kind and checks these rules.
"""

from __future__ import annotations

from typing import Any

from tether.conf import settings
from tether.db.backends.base.caches import STATEMENTS_LIMIT
from tether.exceptions import EmptyResultSet, FieldError, FullResultSet
from tether.models.expressions import Col, ExpressionWrapper
from tether.models.sql import compound
from tether.models.sql.constants import LOOKUP_SEP, MULTI, ORDER_DIR, SINGLE
from tether.models.sql.filters import unresolved_name_error
from tether.models.sql.for_update import check_in_transaction, for_update_sql
from tether.models.sql.lineage import parent_aliases
from tether.models.sql.ordering import ordering_cols, ordering_terms
from tether.models.sql.qualify import (
    QualifiedLeaf,
    contains_over_clause,
    render_qualified,
    split_qualify,
)
from tether.models.sql.select_mask import loaded_fields
from tether.models.sql.write_statements import WriteStatementsMixin
from tether.utils.timezone import current_zone_is_utc


class Compiled:
    """One cached statement: its driver SQL and what is needed to fill and read it."""

    __slots__ = (
        "sql",
        "used_leaves",
        "columns",
        "converters",
        "empty",
        "names",
        "klass_info",
        "main_width",
        "by_name",
        "sort_only",
    )

    def __init__(
        self,
        sql: str = "",
        used_leaves: tuple[Any, ...] = (),
        columns: Any = (),
        converters: Any = (),
        empty: bool = False,
        names: Any = (),
    ) -> None:
        self.sql = sql
        self.used_leaves = used_leaves
        self.columns = columns
        self.converters = converters
        self.empty = empty
        self.names = names
        # select_related: the related objects each row builds (related_select.RelatedKlass)
        # and how many leading columns belong to the queried model.
        self.klass_info: Any = ()
        self.main_width = 0
        # ModelIterable's (name, index, converters) per converted column, worked out once.
        self.by_name: Any = None
        # Trailing columns selected only so that SELECT DISTINCT can sort by them.
        self.sort_only = 0


class RenderedTransform:
    """A transform of a column named in values() or order_by() ("pub_date__year", "data__key").

    It is built while the statement renders, so it is not one of the query's parameter leaves:
    the cached statement keeps it and compiles it again at each execution for its parameters
    (a time zone, a JSON path), in the order its placeholders appear.
    """

    is_leaf = True

    def __init__(self, node: Any, alias_name: str = "") -> None:
        self.node = node
        self.alias_name = alias_name
        self.shape = getattr(node, "shape", None)

    @property
    def output_field(self) -> Any:
        return self.node.output_field

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return compiler.compile(self.node)  # type: ignore[no-any-return]

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        return list(compiler.compile(self.node)[1])

    def params(self, compiler: Any) -> list[Any]:
        """Its parameters at a later execution of the cached statement."""
        return compiler.compile(self.node)[1]  # type: ignore[no-any-return]

    def get_db_converters(self, connection: Any) -> list[Any]:
        node = self.node
        if hasattr(node, "get_db_converters"):
            return node.get_db_converters(connection)  # type: ignore[no-any-return]
        return node.output_field.get_db_converters(connection)  # type: ignore[no-any-return]


class Param:
    """A value already prepared for the database, bound to one placeholder (the plain values
    of update()'s SET clause)."""

    is_leaf = True
    contains_aggregate = False
    shape = ("param",)

    __slots__ = ("field", "value")

    def __init__(self, field: Any, value: Any) -> None:
        self.field = field
        self.value = value

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        return [self.field.get_db_prep_save(self.value, connection)]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return "%s", self.get_params(compiler, connection)

    def leaves(self, out: list[Any]) -> list[Any]:
        out.append(self)
        return out


class JoinParams:
    """A join's fixed ON values (a generic relation's content type id): recorded where the
    FROM clause's placeholders sit, sent again with every execution of the statement."""

    __slots__ = ("values",)

    def __init__(self, values: list[Any]) -> None:
        self.values = tuple(values)

    def params(self, compiler: Any) -> list[Any]:
        return list(self.values)


class SQLCompiler(WriteStatementsMixin):
    def __init__(self, query: Any, connection: Any, kind: str = "select") -> None:
        self.query = query
        self.connection = connection
        self.kind = kind
        self.quote_name = connection.ops.quote_name
        # While rendering: id of each parameter leaf -> its index in query.param_leaves(); and
        # the leaves compiled so far.
        self._leaf_ids: dict[int, Any] | None = None
        self._used: list[Any] = []
        self._vendor_method = "as_" + connection.vendor
        # {id(node): select alias}: nodes rendered as a reference to an inner query's column
        # (the outer WHERE of a query filtering on window expressions, sql/qualify.py).
        self.render_as_alias: dict[int, str] | None = None

    def __repr__(self) -> str:
        model = getattr(self.query.model, "__qualname__", None)
        return (
            f"<{type(self).__qualname__} model={model} connection={self.connection!r} "
            f"using={self.connection.alias!r}>"
        )

    # ---- node dispatch -------------------------------------------------------------------

    def compile(self, node: Any) -> tuple[str, list[Any]]:
        if self.render_as_alias is not None and id(node) in self.render_as_alias:
            return self.quote_name(self.render_as_alias[id(node)]), []
        method = getattr(node, self._vendor_method, None)
        mark = len(self._used)
        try:
            if method is not None:
                sql, params = method(self, self.connection)
            else:
                sql, params = node.as_sql(self, self.connection)
        except (EmptyResultSet, FullResultSet):
            # The node renders nothing: forget the leaves it rendered before it found out.
            del self._used[mark:]
            raise
        if getattr(node, "is_leaf", False):
            # A leaf's get_params() returns every parameter of its SQL, those of the nodes
            # inside it (an annotation a lookup compares) included: they are not recorded.
            del self._used[mark:]
        if self._leaf_ids is not None and getattr(node, "is_leaf", False):
            index = self._leaf_ids.get(id(node))
            if index is not None and self._reads_lhs_by_alias(node):
                self._used.append(QualifiedLeaf(index))
            elif index is not None:
                self._used.append(index)
            elif isinstance(node, RenderedTransform):
                self._used.append(node)
        return sql, params

    def _reads_lhs_by_alias(self, node: Any) -> bool:
        aliased = self.render_as_alias
        if aliased is None:
            return False
        lhs = getattr(node, "lhs", None)
        # A Q annotation is compared through the ExpressionWrapper that makes it a boolean.
        while isinstance(lhs, ExpressionWrapper) and id(lhs) not in aliased:
            lhs = lhs.expression
        return lhs is not None and id(lhs) in aliased

    # ---- the cache -----------------------------------------------------------------------

    def compiled(self) -> tuple[Compiled, list[Any]]:
        """The cached statement for this query's shape and this query's parameters."""
        query = self.query
        if query.combinator:
            query = self.query = compound.prepare(query, self.kind)
        else:
            query = self.query = query.with_resolved_ordering()
        # Converters chosen at render time may depend on use_tz (SQLite's datetime parser),
        # and MariaDB's date functions convert from UTC only when the current zone is not it.
        use_tz = settings.use_tz
        key = (query.shape_key(self.kind), use_tz, use_tz and current_zone_is_utc())
        cache = self.connection.caches.statements
        leaves = query.param_leaves()
        entry = cache.get(key)
        if entry is None:
            entry = self._render(leaves)
            if len(cache) >= STATEMENTS_LIMIT:
                cache.clear()
            cache[key] = entry
        if entry.empty:
            raise EmptyResultSet
        if query.select_for_update and self.kind in ("select", "values"):
            check_in_transaction(self.connection, query)
        params: list[Any] = []
        for index in entry.used_leaves:
            if index.__class__ is int:
                params.extend(leaves[index].get_params(self, self.connection))
            else:  # a node made while rendering (RenderedTransform) or a QualifiedLeaf
                params.extend(index.params(self))
        # count() and exists() of a slice wrap the sliced SELECT, LIMIT placeholders and all.
        if self.kind in ("select", "values", "count", "exists") and query.is_sliced:
            params.extend(self._limit_params())
        return entry, params

    def execute_sql(self, result_type: str = MULTI) -> Any:
        """Run the statement (Django's compiler API, for a Query built by hand: Q.check()):
        SINGLE returns the first row or None, MULTI the rows; values as the driver's."""
        from tether.db.core.requests import ONE, ROWS, Execute
        from tether.db.core.run import run_plan

        if result_type not in (SINGLE, MULTI):
            raise ValueError(f"Unknown result type {result_type!r}")
        try:
            entry, params = self.compiled()
        except EmptyResultSet:
            return None if result_type == SINGLE else []
        request = Execute(entry.sql, params, ONE if result_type == SINGLE else ROWS)
        return run_plan(_one_request(request), self.connection)

    def placeholder_leaves(self) -> tuple[Compiled, list[Any], list[Any]]:
        """compiled(), and the parameter leaves that fill the statement's placeholders, in
        order: for code that binds its own values to a cached statement (m2m deletes), so
        that it reads the order from here instead of predicting it."""
        entry, params = self.compiled()
        leaves = self.query.param_leaves()
        return (
            entry,
            params,
            [i if i.__class__ is not int else leaves[i] for i in entry.used_leaves],
        )

    def as_sql(self) -> tuple[str, list[Any]]:
        entry, params = self.compiled()
        return entry.sql, params

    def _render(self, leaves: list[Any]) -> Compiled:
        self._leaf_ids = {id(leaf): i for i, leaf in enumerate(leaves)}
        self._used = []
        query = self.query
        # Joins that rendering adds (an ordering's, a relation's column) serve this statement
        # only: afterwards they count as unused, so that a later order_by(), values() or
        # combination of the same query does not keep them.
        refcounts = dict(query.alias_refcount)
        try:
            entry = getattr(self, f"_render_{self.kind}")()
        except EmptyResultSet:
            return Compiled(empty=True)
        finally:
            self._leaf_ids = None
            query.alias_refcount = {alias: refcounts.get(alias, 0) for alias in query.alias_map}
        entry.sql = self.connection.ops.to_driver_sql(entry.sql)
        # In the order the leaves were rendered, which is the order of their placeholders.
        entry.used_leaves = tuple(self._used)
        return entry

    # ---- pieces --------------------------------------------------------------------------

    def _limit_params(self) -> list[int]:
        query = self.query
        _, params = self.connection.ops.limit_offset_sql(query.low_mark, query.high_mark)
        return params

    def _limit_sql(self) -> str:
        query = self.query
        if not query.is_sliced:
            return ""
        sql, _ = self.connection.ops.limit_offset_sql(query.low_mark, query.high_mark)
        return " " + sql

    def _from_sql(self, mark: int) -> str:
        """The FROM clause. It is rendered last (other clauses may add joins), so the values
        of the joins' ON clauses are recorded at `mark`, where their placeholders sit."""
        query = self.query
        query.base_table_alias()
        parts = []
        fixed: list[Any] = []
        for alias, table in query.alias_map.items():
            if not query.alias_refcount.get(alias) and table.join_type is not None:
                continue
            sql, params = self.compile(table)
            if params:
                fixed.append(JoinParams(params))
            parts.append(sql)
        for table in dict.fromkeys(query.extra_tables):  # extra(tables=...): comma-joined
            rendered = [
                alias
                for alias in query.table_map.get(table, ())
                if alias in query.alias_map
                and (query.alias_refcount.get(alias) or query.alias_map[alias].join_type is None)
            ]
            if not rendered:  # unless the query reads the table already
                parts.append(f", {self.quote_name(table)}")
        if fixed and self._leaf_ids is not None:
            self._used[mark:mark] = fixed
        return " ".join(parts)

    def _where_sql(self) -> str:
        try:
            sql, _ = self.compile(self.query.where)
        except FullResultSet:
            return ""
        return f" WHERE {sql}" if sql else ""

    def select_columns(self) -> tuple[list[Any], list[str]]:
        """The selected expressions and the names they are read back as."""
        query = self.query
        if query.model is None:  # Query(None): its annotations only
            return _with_annotations(query, [], [])
        alias = query.base_table_alias()
        opts = query.model._meta
        if query.values_select:
            cols, names = [], []
            for name in query.values_select:
                if name in query.annotations:
                    cols.append(query.annotations[name])
                    names.append(name)
                    continue
                col = self.resolve_name(name)
                if isinstance(col, RenderedTransform):
                    col.alias_name = name
                cols.append(col)
                names.append(name)
            return cols, names
        fields = opts.concrete_fields
        if query.deferred_loading[0]:
            fields = loaded_fields(fields, query.get_select_mask())
        if query.only_attnames is not None:
            fields = [f for f in fields if f.attname in query.only_attnames]
        if opts.parents:
            cols = [
                Col(a, f)
                for a, f in zip(parent_aliases(query, opts, alias, fields), fields, strict=True)
            ]
        else:
            cols = [Col(alias, f) for f in fields]
        return _with_annotations(query, cols, [f.attname for f in fields])

    def resolve_name(self, name: str) -> Any:
        """A column for a (possibly related) field name used in values() or order_by()."""
        query = self.query
        parts = name.split(LOOKUP_SEP)
        path, field, targets, remaining = query.names_to_path(parts, query.model._meta)
        # A foreign key's column holds its target's values: "date__month" orders by the
        # month of the key when the key is a date (Django's ordering applies the transforms
        # to the target's column).
        keyed = field.is_relation and field.concrete and not field.many_to_many
        transformed = field.target_field if keyed else field
        if remaining and (
            not targets
            or (field.is_relation and not keyed)
            or transformed.get_transform(remaining[0]) is None
        ):
            raise unresolved_name_error(field, parts, remaining)
        aliases = query.setup_joins(path, query.base_table_alias(), None)
        targets, alias, _ = query.trim_joins(targets, aliases, path)
        if remaining and keyed:
            col = Col(alias, targets[0], transformed)
        elif field.is_relation and not field.many_to_many:
            target = field if not path or path[-1].direct else targets[0]
            return Col(alias, targets[0], target if field.concrete else targets[0])
        else:
            col = Col(alias, targets[0], field if not field.is_relation else targets[0])
        if not remaining:
            return col
        for transform in remaining:  # "pub_date__year", "data__key": transforms of the column
            col = query.try_transform(col, transform)
        return RenderedTransform(col)

    def _select_sql(self, cols: list[Any], names: list[str] | None = None) -> tuple[str, list[Any]]:
        parts = []
        aliases: list[str | None] = []
        params: list[Any] = []
        annotations = self.query.annotations
        for index, col in enumerate(cols):
            try:
                sql, col_params = self.compile(col)
            except EmptyResultSet:
                # A subquery or aggregate over no rows: its value for an empty set.
                value = getattr(col, "empty_result_set_value", NotImplemented)
                if value is NotImplemented:
                    raise
                if isinstance(value, bool):
                    sql = "(1 = 1)" if value else "(1 = 0)"
                else:
                    sql = self.connection.ops.quote_literal(value)
                col_params = []
            except FullResultSet:
                # A condition that every row meets (~Exists(none())): true.
                sql, col_params = "(1 = 1)", []
            if hasattr(col, "select_format"):
                sql, col_params = col.select_format(self, sql, col_params)
            if names is not None and (
                (names[index] in annotations and annotations[names[index]] is col)
                or isinstance(col, RenderedTransform)
            ):
                sql = f"{sql} AS {self.quote_name(names[index])}"
                aliases.append(names[index])
            else:
                aliases.append(None)
            parts.append(sql)
            params.extend(col_params)
        self._select_parts = parts
        self._select_aliases = aliases
        return ", ".join(parts), params

    def _split_having(self, where: Any) -> tuple[Any, Any]:
        """WHERE conditions on aggregates belong in HAVING (top-level AND only, as Django)."""
        from tether.models.aggregates import contains_aggregate
        from tether.models.sql.where import WhereNode

        if where is None:
            return None, None
        if not any(contains_aggregate(child) for child in where.children):
            return where, None
        if where.connector != "AND" or where.negated:
            raise FieldError("Aggregate conditions combined with OR or NOT are not supported yet.")
        plain, having = WhereNode(), WhereNode()
        for child in where.children:
            (having if contains_aggregate(child) else plain).children.append(child)
        return plain, having

    def _compile_clause(self, node: Any, keyword: str) -> str:
        if node is None:
            return ""
        try:
            sql, _ = self.compile(node)
        except FullResultSet:
            return ""
        return f" {keyword} {sql}" if sql else ""

    def _group_by_sql(self, cols: list[Any]) -> str:
        query = self.query
        if query.group_by is None:
            return ""
        parts = []
        annotations = set(map(id, query.annotations.values()))
        for col in cols:
            if getattr(col, "contains_aggregate", False) or id(col) in annotations:
                continue
            if isinstance(col, RenderedTransform) and col.alias_name:
                # By the select alias, so that the transform's parameters are sent once.
                parts.append(self.quote_name(col.alias_name))
                continue
            sql, _ = self.compile(col)
            if sql not in parts:
                parts.append(sql)
        selected = getattr(self, "_selected_names", None)
        for name, expression in query.annotations.items():
            if selected is not None and name not in selected:
                if isinstance(query.group_by, tuple) and name not in query.group_by:
                    # Left out by values() before the aggregate was annotated: not grouped.
                    continue
                if name in query.annotation_hidden or getattr(
                    expression, "contains_aggregate", False
                ):
                    continue
                _group_by_unselected(self, expression, parts)
                continue
            if name in query.annotation_hidden:
                continue
            if getattr(expression, "contains_aggregate", False):
                # Sum("age") + F("age"): what it reads outside the aggregate is grouped.
                _group_by_outside_aggregates(self, expression, parts)
                continue
            # Random(), a constant: no columns, no grouping; a correlated subquery: by the
            # outer columns it reads (both as Django's); else by the select alias, so that
            # an expression's parameters are sent once.
            cols = expression.get_group_by_cols()
            if cols and cols[0] is not expression and getattr(expression, "subquery", False):
                _group_by_unselected(self, expression, parts)
            elif cols and self.quote_name(name) not in parts:
                parts.append(self.quote_name(name))
        self._group_by_parts = parts
        return " GROUP BY " + ", ".join(parts) if parts else ""

    def _order_sql(self) -> str:
        """The ORDER BY clause; the plain columns it sorts by are kept in `_order_columns`."""
        self._order_columns: list[str] = []
        self._order_field_columns: list[str] = []  # of fields (not annotations)
        query = self.query
        ordering = ordering_terms(self.query)
        if not ordering:
            return ""
        pieces = []
        for item in ordering:
            if not isinstance(item, str) and hasattr(item, "resolve_expression"):
                if not getattr(item, "ordering_resolved", False):
                    item = item.resolve_expression(query)
                if not hasattr(item, "reverse_ordering"):
                    from tether.models.expressions import OrderBy

                    item = OrderBy(item)
                if not query.standard_ordering:
                    item = item.reverse_ordering()
            if hasattr(item, "as_sql") and not isinstance(item, str):
                sql, _ = self.compile(item)
                pieces.append(sql)
                continue
            if item == "?":
                pieces.append(self.connection.ops.random_function_sql)
                continue
            descending = item.startswith("-")
            name = item.lstrip("-")
            flip = 0 if query.standard_ordering else 1
            if "." in name and name in query.extra_order_by_names:
                # extra(order_by=["table.column"]): the table quoted, the column as written.
                table, column = name.split(".", 1)
                direction = ORDER_DIR["DESC" if descending else "ASC"][flip]
                pieces.append(f"{self.quote_name(table)}.{column} {direction}")
                continue
            if name in query.annotations or name in getattr(self, "_transform_names", ()):
                direction = ORDER_DIR["DESC" if descending else "ASC"][flip]
                selected = getattr(self, "_selected_names", None)
                if name in query.annotations and selected is not None and name not in selected:
                    # Not in the SELECT list (values() without it, alias()): the expression,
                    # which SELECT DISTINCT then selects too (as Django adds it).
                    sql, sql_params = self.compile(query.annotations[name])
                    pieces.append(f"{sql} {direction}")
                    if not sql_params:
                        self._order_columns.append(sql)
                    continue
                pieces.append(f"{self.quote_name(name)} {direction}")
                continue
            for col, col_descending in ordering_cols(self, name, descending, set()):
                direction = ORDER_DIR["DESC" if col_descending else "ASC"][flip]
                sql, col_params = self.compile(col)
                pieces.append(f"{sql} {direction}")
                if not col_params:
                    self._order_columns.append(sql)
                    self._order_field_columns.append(sql)
        return " ORDER BY " + ", ".join(pieces)

    # ---- statement kinds -----------------------------------------------------------------

    def _render_select(self) -> Compiled:
        query = self.query
        if query.combinator:
            return _compound_entry(self)
        related = bool(query.select_related) and not query.values_select and self.kind == "select"
        if related:
            # Joins for related objects go on a copy: the query's shape (the cache key) stays put.
            query = self.query = query.clone()
        cols, names = self.select_columns()
        main_width = len(cols)
        klass_info: Any = ()
        if related:
            from tether.models.sql import related_select

            klass_info = related_select.expand(self, query, cols, names)
        self._selected_names = {
            n for n, c in zip(names, cols, strict=False) if n not in query.annotation_hidden
        }
        self._transform_names = {
            n for n, c in zip(names, cols, strict=False) if isinstance(c, RenderedTransform)
        }
        # Conditions on windows first: one may also compare an aggregate (both are evaluated
        # by the outer query); the rest splits into WHERE and HAVING.
        plain, qualify = split_qualify(query.where, query.group_by is not None)
        plain, having = self._split_having(plain)
        extra: list[str] = []
        if qualify is not None:
            sql = render_qualified(self, cols, names, plain, having, qualify)
        else:
            # DISTINCT ON's columns come first in the statement, so they are compiled first.
            distinct = _distinct_sql(self) if query.distinct else ""
            select, _ = self._select_sql(cols, names)
            from_mark = len(self._used)
            where = self._compile_clause(plain, "WHERE")
            group_by = self._group_by_sql(self._group_by_source(cols))
            having_sql = self._compile_clause(having, "HAVING")
            # ORDER BY last: its parameters (a transform's) follow those of the clauses before.
            order = self._order_sql()
            group_by = _group_by_with_order(self, group_by)
            if query.distinct and not query.distinct_fields:
                # SELECT DISTINCT can only sort by what it selects: the ordering columns join
                # the select list (after the columns that are read back), as Django adds them.
                extra = [
                    c for c in dict.fromkeys(self._order_columns) if c not in self._select_parts
                ]
                if extra:
                    select = ", ".join([select, *extra])
            # A query of no model reads no table (Query(None), as Django's).
            from_ = "" if query.model is None else f" FROM {self._from_sql(from_mark)}"
            sql = (
                f"SELECT {distinct}{select}{from_}{where}{group_by}"
                f"{having_sql}{order}{self._limit_sql()}"
            )
            if extra and query.subquery:
                sql = _without_sort_columns(self, sql, distinct, select, extra)
        if query.select_for_update:
            sql += for_update_sql(self, cols, main_width, klass_info)
        converters = []
        for index, col in enumerate(cols):
            funcs = (
                col.get_db_converters(self.connection) if hasattr(col, "get_db_converters") else []
            )
            if funcs:
                converters.append((index, tuple(funcs)))
        entry = Compiled(sql, columns=tuple(cols), converters=tuple(converters), names=tuple(names))
        entry.klass_info = klass_info
        entry.main_width = main_width
        entry.sort_only = len(extra)
        return entry

    _render_values = _render_select

    def _group_by_source(self, cols: list[Any]) -> list[Any]:
        """GROUP BY the values() fields given before annotate(), then (as Django) every
        selected column: a values() after annotate() may select another."""
        query = self.query
        if query.group_by is None or query.group_by is True:
            return cols
        selected, cols = cols, []
        for name in query.group_by:
            if name in query.annotations:
                continue
            col = self.resolve_name(name)
            if isinstance(col, RenderedTransform) and name in getattr(self, "_transform_names", ()):
                col.alias_name = name  # grouped by the select alias
            cols.append(col)
        return cols + selected

    def _render_aggregate(self) -> Compiled:
        """aggregate(): one row of the aggregates over the (filtered) rows."""
        query = self.query
        names = list(query.aggregate_names)
        cols = [query.annotations[name] for name in names]
        select, _ = self._select_sql(cols, names)
        from_mark = len(self._used)
        where = self._compile_clause(query.where, "WHERE")
        sql = f"SELECT {select} FROM {self._from_sql(from_mark)}{where}"
        converters = []
        for index, col in enumerate(cols):
            funcs = col.get_db_converters(self.connection)
            if funcs:
                converters.append((index, tuple(funcs)))
        return Compiled(sql, columns=tuple(cols), converters=tuple(converters), names=tuple(names))

    def _inner_select(self) -> str:
        inner = self.query.get_compiler(connection=self.connection)
        inner._leaf_ids = self._leaf_ids
        inner._used = self._used
        entry = inner._render_select()
        return entry.sql

    def _render_count(self) -> Compiled:
        query = self.query
        if (
            query.distinct
            or query.combinator
            or query.is_sliced
            or query.group_by is not None
            or contains_over_clause(query.where)
        ):
            clone = query.clone()
            clone.clear_ordering(force=False)
            if _distinct_rows_are_keys(clone):
                # The model's own columns depend on its key: DISTINCT over the key alone
                # counts the same rows, and the database compares one column instead of all.
                clone.values_select = (clone.model._meta.pk.name,)
            inner_compiler = clone.get_compiler(connection=self.connection)
            inner_compiler._leaf_ids = self._leaf_ids
            inner_compiler._used = self._used
            inner = inner_compiler._render_select().sql
            return Compiled(f"SELECT COUNT(*) FROM ({inner}) subquery")
        from_mark = len(self._used)
        where = self._where_sql()
        return Compiled(
            f"SELECT COUNT(*) AS {self.quote_name('__count')} FROM {self._from_sql(from_mark)}"
            f"{where}"
        )

    def _render_exists(self) -> Compiled:
        query = self.query
        if query.combinator and not query.is_sliced:
            # No derived table: MariaDB refuses outer references inside one (Exists(union)).
            body, _ = compound.compound_body(self)
            return Compiled(f"{body} LIMIT 1")
        # DISTINCT changes which rows come back, not whether one does: only a slice of
        # distinct rows needs them selected.
        if query.combinator or query.is_sliced or contains_over_clause(query.where):
            inner = self._inner_select()
            return Compiled(f"SELECT 1 FROM ({inner}) subquery LIMIT 1")
        from_mark = len(self._used)
        where = self._where_sql()
        return Compiled(
            f"SELECT 1 AS {self.quote_name('a')} FROM {self._from_sql(from_mark)}{where} LIMIT 1"
        )

    def _render_delete(self) -> Compiled:
        return Compiled(self._delete_sql())

    def _render_update(self) -> Compiled:
        return Compiled(self._update_sql())


def _with_annotations(query: Any, cols: list[Any], names: list[str]) -> tuple[list[Any], list[str]]:
    """`cols` and `names` followed by the query's selected annotations."""
    for name, annotation in query.annotations.items():
        if name in query.annotation_hidden:
            continue
        cols.append(annotation)
        names.append(name)
    return cols, names


def _one_request(request: Any) -> Any:
    """A plan of one request: its result."""
    return (yield request)


def _compound_entry(compiler: SQLCompiler) -> Compiled:
    """A compound statement, read back as its first part (less the columns it sorts by)."""
    sql, first, result_names = compound.render_select(compiler)
    hidden = compound.sort_only(result_names)
    width = len(result_names) - hidden
    kept = tuple(c for c in first.converters if c[0] < width)
    entry = Compiled(sql, first.columns, kept, names=result_names[:width])
    entry.main_width, entry.sort_only = first.main_width, hidden
    return entry


def _distinct_sql(compiler: SQLCompiler) -> str:
    """DISTINCT, or DISTINCT ON (columns) for distinct(*fields): a relation names its key
    column, an annotation its alias."""
    query = compiler.query
    columns = []
    for name in query.distinct_fields:
        if name in query.annotations:
            columns.append(compiler.quote_name(name))
            continue
        sql, _ = compiler.compile(compiler.resolve_name(name))
        columns.append(sql)
    return compiler.connection.ops.distinct_sql(columns)  # type: ignore[no-any-return]


def _group_by_with_order(compiler: SQLCompiler, group_by: str) -> str:
    """GROUP BY with the columns ORDER BY sorts by (a related model's Meta.ordering behind
    order_by("editor")) added, as Django groups by them: PostgreSQL refuses to sort a
    grouped query by a column it does not group by."""
    if not group_by:
        return group_by
    parts = compiler._group_by_parts
    missing = [c for c in dict.fromkeys(compiler._order_field_columns) if c not in parts]
    if not missing:
        return group_by
    return " GROUP BY " + ", ".join([*parts, *missing])


def _group_by_unselected(compiler: SQLCompiler, expression: Any, parts: list[str]) -> None:
    """GROUP BY an annotation the SELECT leaves out (values() without it): by its columns,
    never an outer query's (an OuterRef the annotation holds)."""
    for col in expression.get_group_by_cols():
        if isinstance(col, Col) and col.alias not in compiler.query.alias_map:
            continue
        sql, _ = compiler.compile(col)
        if sql not in parts:
            parts.append(sql)


def _group_by_outside_aggregates(compiler: SQLCompiler, expression: Any, parts: list[str]) -> None:
    """GROUP BY what an annotation containing an aggregate reads outside it: another selected
    annotation by its alias, a column as itself."""
    query = compiler.query
    names = {id(node): name for name, node in query.annotations.items()}
    selected = getattr(compiler, "_selected_names", None) or ()
    for col in expression.get_group_by_cols():
        name = names.get(id(col))
        if name is not None:
            if name in selected:
                sql = compiler.quote_name(name)
                if sql not in parts:
                    parts.append(sql)
            continue
        if isinstance(col, Col) and col.alias not in query.alias_map:
            continue
        mark = len(compiler._used)
        sql, params = compiler.compile(col)
        if params:
            # Left out (docs/differences-from-django.md): nor are its parameters sent.
            del compiler._used[mark:]
        elif sql not in parts:
            parts.append(sql)


def _distinct_rows_are_keys(query: Any) -> bool:
    """A plain DISTINCT over the model's own columns (no values(), visible annotations,
    select_related, DISTINCT ON or ordering): its rows are one per primary key."""
    return bool(
        query.distinct
        and not query.distinct_fields
        and not query.values_select
        and not query.select_related
        and not query.order_by
        and not query.model._meta.parents
        and all(name in query.annotation_hidden for name in query.annotations)
    )


def _from_driver_sql(sql: str, connection: Any) -> str:
    """Nested SQL is embedded in a statement that is converted again: undo the conversion."""
    placeholder = connection.ops.placeholder
    if placeholder == "%s":
        return sql
    return sql.replace("%", "%%").replace(placeholder, "%s")


def _without_sort_columns(
    compiler: SQLCompiler, sql: str, distinct: str, select: str, extra: list[str]
) -> str:
    """A subquery selecting DISTINCT rows sorted by columns it does not select must
    select them too, but its reader expects only its own columns: the statement is
    wrapped in one that selects those by name (the unnamed ones named col1, col2...)."""
    qn = compiler.quote_name
    inner, outer = [], []
    for index, (part, alias) in enumerate(
        zip(compiler._select_parts, compiler._select_aliases, strict=True), start=1
    ):
        name = alias or f"col{index}"
        inner.append(part if alias else f"{part} AS {qn(name)}")
        outer.append(f"{qn('subquery')}.{qn(name)}")
    columns = ", ".join([*inner, *extra])
    inner_sql = sql.replace(f"SELECT {distinct}{select} ", f"SELECT {distinct}{columns} ", 1)
    return f"SELECT {', '.join(outer)} FROM ({inner_sql}) subquery"
