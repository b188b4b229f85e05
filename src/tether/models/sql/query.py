"""Query: the state of one SELECT (tables, WHERE tree, ordering, limits, select list).

It clones cheaply, describes itself as a hashable `shape_key()` for the SQL cache, and hands
compilation to a compiler. Filter building lives in `filters.py`, join bookkeeping in
`joins.py`; this module holds no join or lookup algorithms.
"""

from __future__ import annotations

import re
from typing import Any

from tether.exceptions import FieldError
from tether.models.expressions import collect_leaves
from tether.models.sql.constants import LOOKUP_SEP
from tether.models.sql.filters import FiltersMixin
from tether.models.sql.joins import JoinsMixin
from tether.models.sql.where import NothingNode, WhereNode

# What an alias (an annotate()/alias()/aggregate() keyword) may not contain: whitespace,
# control characters, quotes, brackets, ';', '#', or an SQL comment opener or closer.
UNSAFE_ALIAS = re.compile(r"[\s\x00-\x1f\x7f-\x9f'\"`\[\];#]|--|/\*|\*/")


def check_alias(alias: str) -> None:
    """Refuse an alias that could break out of its quoting, with Django's ValueError."""
    if UNSAFE_ALIAS.search(alias):
        raise ValueError(
            "Column aliases cannot contain whitespace characters, hashes, control characters, "
            "quotation marks, semicolons, or SQL comments."
        )


class Query(FiltersMixin, JoinsMixin):
    compiler_name = "SQLCompiler"

    def __init__(self, model: Any) -> None:
        self.model = model
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

    # ---- cloning -------------------------------------------------------------------------

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

    def can_filter(self) -> bool:
        return not self.is_sliced

    def add_ordering(self, *ordering: Any) -> None:
        for item in ordering:
            if isinstance(item, str):
                if item == "?":
                    continue
                name = item.lstrip("-")
                if name in self.annotations:
                    continue
                self.names_to_path(name.split(LOOKUP_SEP), self.model._meta, for_ordering=True)
            elif not hasattr(item, "as_sql") and not hasattr(item, "resolve_expression"):
                raise FieldError(f"Invalid order_by arguments: {item!r}")
        if ordering:
            self.order_by += ordering
        else:
            self.default_ordering = False

    def clear_ordering(self, force: bool = False, clear_default: bool = True) -> None:
        if not force and self.is_sliced:
            return
        self.order_by = ()
        if clear_default:
            self.default_ordering = False

    @property
    def ordered_effectively(self) -> bool:
        return bool(self.order_by or (self.default_ordering and self.model._meta.ordering))

    # ---- emptiness -----------------------------------------------------------------------

    def set_empty(self) -> None:
        self.where.add(NothingNode(), "AND")

    def is_empty(self) -> bool:
        return any(isinstance(c, NothingNode) for c in self.where.children)

    # ---- the SQL cache key ---------------------------------------------------------------

    def shape_key(self, kind: str) -> Any:
        """Everything that decides the SQL text, and no parameter values."""
        return (
            kind,
            self.model,
            tuple(j.shape for j in self.alias_map.values()),
            self.where.shape,
            self.order_by
            if all(isinstance(o, str) for o in self.order_by)
            else tuple(getattr(o, "shape", repr(o)) for o in self.order_by),
            self.default_ordering,
            self.standard_ordering,
            self.low_mark != 0,
            self.high_mark is not None,
            self.distinct,
            self.distinct_fields,
            self.values_select,
            self.only_attnames,
            self.deferred_loading,
            self.select_for_update,
            self.select_for_update_nowait,
            self.select_for_update_skip_locked,
            self.select_for_update_of,
            self.select_for_no_key_update,
            self.select_related
            if not isinstance(self.select_related, dict)
            else repr(self.select_related),
            self.subquery,
            tuple((name, a.shape) for name, a in self.annotations.items()),
            self.annotation_hidden,
            self.group_by if not isinstance(self.group_by, list) else tuple(self.group_by),
        )

    def with_resolved_ordering(self) -> Query:
        """This query, or a clone whose ordering expressions are resolved (joins added) so
        that its shape and parameter leaves include theirs; strings stay for the compiler."""
        from tether.models.expressions import OrderBy

        if all(isinstance(item, str) for item in self.order_by):
            return self
        clone = self.clone()
        resolved: list[Any] = []
        for item in self.order_by:
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

    def param_leaves(self) -> list[Any]:
        """Every parameter-carrying node, in a fixed order (the SQL cache indexes into it)."""
        out: list[Any] = []
        for annotation in self.annotations.values():
            if hasattr(annotation, "leaves"):
                annotation.leaves(out)
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

    def add_annotation(self, name: str, expression: Any, select: bool = True) -> None:
        check_alias(name)
        resolved = expression.resolve_expression(self, allow_joins=True, reuse=None)
        self.annotations[name] = resolved
        if not select:
            self.annotation_hidden = self.annotation_hidden | {name}  # type: ignore[has-type]
        if getattr(resolved, "contains_aggregate", False) and self.group_by is None:
            self.group_by = tuple(self.values_select) if self.values_select else True

    # ---- compiling -----------------------------------------------------------------------

    def get_compiler(self, connection: Any, kind: str = "select") -> Any:
        from tether.models.sql.compiler import SQLCompiler

        return SQLCompiler(self, connection, kind)

    def as_subquery(self, limit_one: bool = False) -> Any:
        """This query as an uncorrelated subquery selecting one column (the pk by default)."""
        from tether.models.subqueries import Subquery

        if len(self.values_select) > 1:
            raise TypeError("Cannot use multi-field values as a filter value.")
        # Resolved against the outer query when the lookup is built (build_lookup).
        return Subquery(self)

    def __str__(self) -> str:
        from tether.db.connections import DEFAULT_DB_ALIAS, connections

        conn = connections[DEFAULT_DB_ALIAS]
        sql, params = self.get_compiler(conn).as_sql()
        return conn.ops.last_executed_query(sql, params)  # type: ignore[no-any-return]
