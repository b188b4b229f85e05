"""Query: the state of one SELECT (tables, WHERE tree, ordering, limits, select list).

It clones cheaply, describes itself as a hashable `shape_key()` for the SQL cache, and hands
compilation to a compiler. Every attribute of a Query is declared in `Query.STATE` with what the
SQL-cache key reads for it (the contract in compiler.py); shape_key is derived from it.
Filter building lives in `filters.py`, join bookkeeping in `joins.py`; this module holds no
join or lookup algorithms.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from operator import attrgetter
from typing import Any

from tether.exceptions import FieldError
from tether.models.expressions import collect_leaves
from tether.models.sql.constants import INNER, LOOKUP_SEP
from tether.models.sql.filters import FiltersMixin, JoinPromoter
from tether.models.sql.joins import JoinsMixin
from tether.models.sql.subquery import relabel
from tether.models.sql.where import AND, OR, NothingNode, WhereNode

# What an alias (an annotate()/alias()/aggregate() keyword) may not contain: whitespace,
# control characters, quotes, brackets, ';', '#', or an SQL comment opener or closer.
UNSAFE_ALIAS = re.compile(r"[\s\x00-\x1f\x7f-\x9f'\"`\[\];#]|--|/\*|\*/")


# JoinPromoter is built in filters.py; Django's module of the same name exports it here.
__all__ = ["JoinPromoter", "Query", "check_alias"]


def check_alias(alias: str) -> None:
    """Refuse an alias that could break out of its quoting, with Django's ValueError."""
    if UNSAFE_ALIAS.search(alias):
        raise ValueError(
            "Column aliases cannot contain whitespace characters, hashes, control characters, "
            "quotation marks, semicolons, or SQL comments."
        )


class Query(FiltersMixin, JoinsMixin):
    compiler_name = "SQLCompiler"

    # ---- the declared state: what decides the SQL text ----------------------------------
    # Every attribute a Query holds, and what shape_key() reads for it: the attribute itself
    # (a hashable value that decides the SQL text), a shape made of its structure and never its
    # parameter values (a `*_shape` property below, `where.shape`), or None for bookkeeping that
    # never changes the SQL text. shape_key() is derived from this table: state that changed the
    # SQL without being declared would make the cache serve one query's SQL to another, so
    # tests/sql_render/test_query_state.py fails on any attribute a query has and this lacks.
    STATE: dict[str, str | None] = {
        "model": "model",
        "alias_cols": "alias_cols",  # False: columns render without a table alias
        "alias_map": "joins_shape",
        "alias_refcount": "joins_shape",  # a join nothing refers to is left out of FROM
        "table_map": None,  # an index of alias_map by table name
        "where": "where.shape",
        "order_by": "ordering_shape",
        "default_ordering": "default_ordering",
        "standard_ordering": "standard_ordering",
        "low_mark": "slice_shape",
        "high_mark": "slice_shape",
        "distinct": "distinct",
        "distinct_fields": "distinct_fields",
        "select_for_update": "select_for_update",
        "select_for_update_nowait": "select_for_update_nowait",
        "select_for_update_skip_locked": "select_for_update_skip_locked",
        "select_for_update_of": "select_for_update_of",
        "select_for_no_key_update": "select_for_no_key_update",
        "select_related": "select_related_shape",
        "values_select": "values_select",
        "only_attnames": "only_attnames",
        "deferred_loading": "deferred_loading",
        "annotations": "annotations_shape",
        "annotation_hidden": "annotation_hidden",
        "group_by": "group_by",
        "subquery": "subquery",
        "used_aliases": None,  # join reuse while one filter() call builds its conditions
        "filter_is_sticky": None,  # whether the next filter() reuses used_aliases
        "aggregate_names": "aggregate_names",
        "update_fields": "update_fields",
        "update_nodes": "update_shape",
        # union()/intersection()/difference(): the operator, ALL, and the parts' own shapes.
        "combinator": "combinator",
        "combinator_all": "combinator_all",
        "combined_queries": "combined_shape",
        # extra(tables=..., order_by=...): table names and raw ordering, part of the SQL text.
        # (extra select and where fragments are nodes in annotations and where.)
        # annotate()/alias() of FilteredRelation: their joins (and ON conditions) are in
        # alias_map once a name uses them.
        "filtered_relations": None,
        "extra_tables": "extra_tables",
        "extra_order_by": "extra_order_by",
    }

    def __init__(self, model: Any, alias_cols: bool = True) -> None:
        self.model = model
        # False: the columns carry no table alias (a CHECK constraint's or an index
        # condition's form), as Django's Query(model, alias_cols=False).
        self.alias_cols = alias_cols
        self.alias_map: dict[str, Any] = {}
        self.alias_refcount: dict[str, int] = {}
        self.table_map: dict[str, list[str]] = {}
        self.where = WhereNode()
        self.order_by: tuple[Any, ...] = ()
        self.default_ordering = True
        self.standard_ordering = True
        self.low_mark = 0
        self.high_mark: int | None = None
        self.distinct = False
        self.distinct_fields: tuple[str, ...] = ()
        self.select_for_update = False
        self.select_for_update_nowait = False
        self.select_for_update_skip_locked = False
        self.select_for_update_of: tuple[str, ...] = ()
        self.select_for_no_key_update = False
        self.select_related: Any = False
        self.values_select: tuple[str, ...] = ()
        self.only_attnames: frozenset[str] | None = None
        # only()/defer(): (names, defer) as Django's deferred_loading (sql/select_mask.py).
        self.deferred_loading: tuple[frozenset[str], bool] = (frozenset(), True)
        self.annotations: dict[str, Any] = {}
        self.annotation_hidden: frozenset[str] = frozenset()
        self.group_by: Any = None
        self.subquery = False
        self.used_aliases: set[str] = set()
        self.filter_is_sticky = False
        # aggregate(): the names of the annotations it selects; update(): the fields it sets
        # and their SET values (nodes; a plain value is a Param leaf).
        self.aggregate_names: tuple[str, ...] = ()
        self.update_fields: tuple[Any, ...] = ()
        self.update_nodes: tuple[Any, ...] = ()
        self.combinator: str | None = None
        self.combinator_all = False
        self.combined_queries: tuple[Query, ...] = ()
        self.extra_tables: tuple[str, ...] = ()
        self.extra_order_by: tuple[str, ...] = ()
        self.filtered_relations: dict[str, Any] = {}

    # ---- cloning -------------------------------------------------------------------------

    def combine(self, rhs: Query, connector: str) -> None:
        """`qs1 & qs2` / `qs1 | qs2`: `rhs`'s conditions joined to this query's by `connector`
        over joins of their own, as Django's combine. Under AND every join of `rhs` is made
        anew (one related row cannot meet `rel=a` and `rel=b`, two can); under OR an equal
        join is shared, each at most once, and a join that only one side needs becomes LEFT
        OUTER, so that the other side's rows are kept. The ordering is `rhs`'s if it has one.
        """
        if self.is_sliced:
            raise TypeError("Cannot combine queries once a slice has been taken.")
        if self.distinct != rhs.distinct:
            raise TypeError("Cannot combine a unique query with a non-unique query.")
        if tuple(self.distinct_fields) != tuple(rhs.distinct_fields):
            raise TypeError("Cannot combine queries with different distinct fields.")
        rhs = rhs.clone()
        change_map = {rhs.base_table_alias(): self.base_table_alias()}
        reuse = set() if connector == AND else set(self.alias_map)
        votes = Counter(alias for alias, join in self.alias_map.items() if join.join_type == INNER)
        for alias, join in list(rhs.alias_map.items())[1:]:
            new_alias = self.join(join.relabeled_clone(change_map), reuse=reuse)
            reuse.discard(new_alias)
            change_map[alias] = new_alias
            if join.join_type == INNER:
                votes[new_alias] += 1
            if not rhs.alias_refcount.get(alias):
                # Unused on the right (an evaluated ordering's): kept for the joins that hang
                # from it, unused here too.
                self.alias_refcount[new_alias] -= 1
        if connector == OR:
            self.promote_joins([alias for alias, count in votes.items() if count < 2])
            self.demote_joins([alias for alias, count in votes.items() if count == 2])
        relabel(rhs, change_map)
        self.where.add(rhs.where, connector)
        if rhs.order_by:
            self.order_by = rhs.order_by

    def clone(self) -> Query:
        obj = Query.__new__(type(self))
        obj.__dict__ = self.__dict__.copy()
        obj.alias_map = self.alias_map.copy()
        obj.alias_refcount = self.alias_refcount.copy()
        obj.table_map = {k: list(v) for k, v in self.table_map.items()}
        obj.where = self.where.clone()
        obj.annotations = self.annotations.copy()
        obj.used_aliases = set(self.used_aliases) if self.filter_is_sticky else set()
        obj.filter_is_sticky = False
        return obj

    def chain(self) -> Query:
        return self.clone()

    # ---- limits and ordering -------------------------------------------------------------

    def set_limits(self, low: int | None = None, high: int | None = None) -> None:
        if high is not None:
            if self.high_mark is not None:
                self.high_mark = min(self.high_mark, self.low_mark + high)
            else:
                self.high_mark = self.low_mark + high
        if low is not None:
            if self.high_mark is not None:
                self.low_mark = min(self.high_mark, self.low_mark + low)
            else:
                self.low_mark = self.low_mark + low
        if self.low_mark == self.high_mark:
            self.set_empty()

    def clear_limits(self) -> None:
        self.low_mark, self.high_mark = 0, None

    @property
    def is_sliced(self) -> bool:
        return self.low_mark != 0 or self.high_mark is not None

    @property
    def has_limit(self) -> bool:
        """Sliced, or a compound with a sliced part (MySQL refuses LIMIT in an IN subquery)."""
        return self.is_sliced or any(part.has_limit for part in self.combined_queries)

    def can_filter(self) -> bool:
        return not self.is_sliced

    def add_ordering(self, *ordering: Any) -> None:
        for item in ordering:
            if isinstance(item, str):
                if item == "?":
                    continue
                # One leading "-" is the direction; a second one is part of the name, which
                # then resolves to nothing (Django's FieldError for "--pages").
                name = item[1:] if item.startswith("-") else item
                if name in self.annotations:
                    continue
                self.names_to_path(name.split(LOOKUP_SEP), self.model._meta, for_ordering=True)
            elif not hasattr(item, "as_sql") and not hasattr(item, "resolve_expression"):
                raise FieldError(f"Invalid order_by arguments: {item!r}")
            elif getattr(item, "contains_aggregate", False):
                raise FieldError(
                    "Using an aggregate in order_by() without also including it in annotate() "
                    f"is not allowed: {item}"
                )
        if ordering:
            self.order_by += ordering
        else:
            self.default_ordering = False

    @property
    def extra_order_by_names(self) -> set[str]:
        return {name.lstrip("-") for name in self.extra_order_by}

    def clear_ordering(self, force: bool = False, clear_default: bool = True) -> None:
        if not force and self.is_sliced:
            return
        self.order_by = ()
        self.extra_order_by = ()
        if clear_default:
            self.default_ordering = False

    @property
    def ordered_effectively(self) -> bool:
        return bool(
            self.order_by
            or self.extra_order_by
            or (self.default_ordering and self.model is not None and self.model._meta.ordering)
        )

    def get_meta(self) -> Any:
        """The model's options; None for a query of no model (Query(None), as Django's: it
        selects its annotations only, from no table)."""
        return None if self.model is None else self.model._meta

    # ---- emptiness -----------------------------------------------------------------------

    def set_empty(self) -> None:
        self.where.add(NothingNode(), "AND")

    def is_empty(self) -> bool:
        return any(isinstance(c, NothingNode) for c in self.where.children)

    # ---- the SQL cache key ---------------------------------------------------------------

    def shape_key(self, kind: str) -> Any:
        """Everything that decides the SQL text, and no parameter values (read as STATE says)."""
        return (kind, _read_shape(self))

    @property
    def joins_shape(self) -> Any:
        refcount = self.alias_refcount
        return tuple(
            (join.shape, bool(refcount.get(alias))) for alias, join in self.alias_map.items()
        )

    def with_resolved_ordering(self) -> Query:
        """This query, or a clone whose ordering expressions are resolved (joins added) so
        that its shape and parameter leaves include theirs; strings stay for the compiler."""
        from tether.models.expressions import OrderBy

        order_by = [self._annotation_transform(item) for item in self.order_by]
        if all(isinstance(item, str) for item in order_by):
            return self
        clone = self.clone()
        resolved: list[Any] = []
        for item in order_by:
            if isinstance(item, str) or getattr(item, "ordering_resolved", False):
                resolved.append(item)
                continue
            node = item.resolve_expression(clone)
            if not isinstance(node, OrderBy):
                node = OrderBy(node)
            node.ordering_resolved = True
            resolved.append(node)
        clone.order_by = tuple(resolved)
        return clone

    def _annotation_transform(self, item: Any) -> Any:
        """ "attrs__key" or "-name__length" (a transform of an annotation) as an ordering
        expression, resolved like the others; any other item as it is."""
        if not self.annotations or not isinstance(item, str):
            return item
        name = item.lstrip("-")
        head, sep, _ = name.partition(LOOKUP_SEP)
        if not sep or head not in self.annotations:
            return item
        from tether.models.expressions import F

        return F(name).desc() if item.startswith("-") else F(name).asc()

    @property
    def ordering_shape(self) -> Any:
        order_by = self.order_by
        if all(isinstance(item, str) for item in order_by):
            return order_by
        return tuple(getattr(item, "shape", repr(item)) for item in order_by)

    @property
    def slice_shape(self) -> tuple[bool, bool]:
        # LIMIT and OFFSET are parameters: only whether each is there shapes the SQL.
        return (self.low_mark != 0, self.high_mark is not None)

    @property
    def select_related_shape(self) -> Any:
        related = self.select_related
        return related if related.__class__ is bool else repr(related)

    @property
    def annotations_shape(self) -> Any:
        if not self.annotations:
            return ()
        return tuple((name, node.shape) for name, node in self.annotations.items())

    @property
    def combined_shape(self) -> Any:
        # "values": parts render as the compound's sub-statements (sql/compound.py).
        return tuple(part.shape_key("values") for part in self.combined_queries)

    @property
    def update_shape(self) -> Any:
        return tuple(node.shape for node in self.update_nodes) if self.update_nodes else ()

    def param_leaves(self) -> list[Any]:
        """Every parameter-carrying node, in a fixed order (the SQL cache indexes into it)."""
        out: list[Any] = []
        if self.combinator:
            # A compound statement renders its parts only (sql/compound.py).
            for part in self.combined_queries:
                out.extend(part.param_leaves())
            return out
        for node in self.update_nodes:
            collect_leaves(node, out)
        for annotation in self.annotations.values():
            collect_leaves(annotation, out)  # itself, when a leaf (a lookup annotated)
        self.where.leaves(out)
        # Ordering expressions: resolved by with_resolved_ordering() before compiling.
        for item in self.order_by:
            if not isinstance(item, str):
                collect_leaves(item, out)
        return out

    def get_select_mask(self) -> dict[Any, Any]:
        """The fields only()/defer() load: {field: related mask}, {} for all of them."""
        from tether.models.sql.select_mask import select_mask

        return select_mask(self.model, self.deferred_loading)

    def add_annotation(self, expression: Any, name: str, select: bool = True) -> None:
        """annotate()/alias() of one expression (Django's argument order); `select=False`
        keeps it out of the SELECT list."""
        check_alias(name)
        resolved = expression.resolve_expression(self, allow_joins=True, reuse=None)
        self.annotations[name] = resolved
        if not select:
            self.annotation_hidden = self.annotation_hidden | {name}  # type: ignore[has-type]
        if getattr(resolved, "contains_aggregate", False) and self.group_by is None:
            self.group_by = tuple(self.values_select) if self.values_select else True

    def add_select_related(self, fields: Any) -> None:
        """select_related(*fields): each "a__b" name added to the tree of relations to read
        ({"a": {"b": {}}}), in a tree of this query's own (a clone's additions stay its own)."""
        tree: dict[str, Any] = {}
        if isinstance(self.select_related, dict):
            tree = copy.deepcopy(self.select_related)
        for name in fields:
            node = tree
            for part in name.split(LOOKUP_SEP):
                node = node.setdefault(part, {})
        self.select_related = tree

    def add_filtered_relation(self, filtered_relation: Any, alias: str) -> None:
        """annotate(alias=FilteredRelation(...)): checked as Django checks it, its condition's
        names moved from the relation's name to the alias."""
        if "." in alias:
            raise ValueError(
                f"FilteredRelation doesn't support aliases with periods (got {alias!r})."
            )
        check_alias(alias)
        relation = filtered_relation.clone()
        relation.alias = alias
        name = relation.relation_name
        relation_parts, lookups = self.solve_lookup_type(name)
        if lookups:
            raise ValueError(
                f"FilteredRelation's relation_name cannot contain lookups (got {name!r})."
            )
        for key in _condition_keys(relation.condition):
            field_parts, lookup_parts = self.solve_lookup_type(key)
            within = field_parts[: -(1 if lookup_parts else 2)]
            if any(
                index < len(relation_parts) and part != relation_parts[index]
                for index, part in enumerate(within)
            ):
                raise ValueError(
                    f"FilteredRelation's condition doesn't support relations outside the "
                    f"{name!r} (got {key!r})."
                )
            if len(field_parts) > len(relation_parts) + 1:
                raise ValueError(
                    "FilteredRelation's condition doesn't support nested relations deeper "
                    f"than the relation_name (got {key!r} for {name!r})."
                )
        relation.condition = _renamed(relation.condition, name, alias)
        self.filtered_relations = {**self.filtered_relations, alias: relation}

    def add_sort_annotation(self, name: str, source: Any) -> None:
        """annotate(name=F(source)) (or the expression): a column a compound adds to each of
        its parts to sort by."""
        from tether.models.expressions import F

        self.add_annotation(F(source) if isinstance(source, str) else source, name)

    def select_constant(self) -> None:
        """Select only the constant 1 (a part of exists() over a union)."""
        from tether.models.expressions import Value

        self.annotations = {"a": Value(1)}
        self.annotation_hidden = frozenset()
        self.values_select = ("a",)

    # ---- extra() ------------------------------------------------------------------------

    def add_extra(
        self,
        select: Any,
        select_params: Any,
        where: Any,
        params: Any,
        tables: Any,
        order_by: Any,
    ) -> None:
        """QuerySet.extra()'s fragments: raw SQL by definition (the cache keys on their text);
        a select fragment takes one of `select_params` per unescaped %s, in order."""
        from tether.models.expressions.raw import ExtraSelect, ExtraWhere

        if select:
            values = iter(select_params or ())
            for name, entry in select.items():
                check_alias(name)
                sql = str(entry)
                entry_params = []
                position = sql.find("%s")
                while position != -1:
                    if position == 0 or sql[position - 1] != "%":
                        entry_params.append(next(values))
                    position = sql.find("%s", position + 2)
                self.annotations[name] = ExtraSelect(sql, entry_params)
        if where or params:
            self.where.add(ExtraWhere(where or (), params or ()), "AND")
        if tables:
            self.extra_tables = (*self.extra_tables, *tables)
        if order_by:
            self.extra_order_by = tuple(order_by)

    def extra_select_names(self) -> list[str]:
        from tether.models.expressions.raw import ExtraSelect

        return [name for name, node in self.annotations.items() if isinstance(node, ExtraSelect)]

    # ---- compiling -----------------------------------------------------------------------

    def get_compiler(
        self, using: str | None = None, connection: Any = None, kind: str = "select"
    ) -> Any:
        """The compiler of this query for a connection (or an alias), as the connection's
        backend provides it: `connection.ops.compiler(self.compiler_name)`, so a backend may
        subclass it. `kind` is the statement: select, values, count, exists, aggregate,
        update, delete. Nothing else constructs a compiler."""
        if using is None and connection is None:
            raise ValueError("Need either using or connection")
        if using:
            from tether.db.connections import connections

            connection = connections[using]
        return connection.ops.compiler(self.compiler_name)(self, connection, kind)

    def as_subquery(self, limit_one: bool = False) -> Any:
        """This query as an uncorrelated subquery selecting one column (the pk by default)."""
        from tether.models.expressions.subqueries import Subquery

        if len(self.values_select) > 1:
            raise TypeError("Cannot use multi-field values as a filter value.")
        # Resolved against the outer query when the lookup is built (build_lookup).
        return Subquery(self)

    def __str__(self) -> str:
        from tether.db.connections import DEFAULT_DB_ALIAS, connections
        from tether.models.sql.compiler import _from_driver_sql

        conn = connections[DEFAULT_DB_ALIAS]
        sql, params = self.get_compiler(connection=conn).as_sql()
        # As Django's: the parameters are put in as they are, not quoted (not runnable SQL).
        return _from_driver_sql(sql, conn) % tuple(params)


def _condition_keys(q: Any) -> list[str]:
    keys: list[str] = []
    for child in q.children:
        if isinstance(child, tuple):
            keys.append(child[0])
        elif hasattr(child, "children"):
            keys.extend(_condition_keys(child))
    return keys


def _renamed(q: Any, prefix: str, alias: str) -> Any:
    """`q` with its keys naming the relation by `alias` (the first `prefix` in each, as
    Django renames it)."""
    from tether.models.query_utils import Q

    children = [
        (child[0].replace(prefix, alias, 1), child[1])
        if isinstance(child, tuple)
        else (_renamed(child, prefix, alias) if isinstance(child, Q) else child)
        for child in q.children
    ]
    return Q.create(children, q.connector, q.negated)


_read_shape = attrgetter(*dict.fromkeys(read for read in Query.STATE.values() if read))
