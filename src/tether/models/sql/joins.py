"""Tables and joins of a query, and how a relation path becomes joins.

Every relation describes itself as a list of PathInfo hops (a foreign key is one hop, a
many-to-many field two: source -> through -> target), so this module joins any relation the
same way and the compiler needs no special cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tether.exceptions import EmptyResultSet, FullResultSet
from tether.models.sql.constants import INNER, LOUTER


@dataclass(frozen=True)
class PathInfo:
    """One hop of a relation path: from one model's table to another's."""

    from_opts: Any
    to_opts: Any
    target_fields: tuple[Any, ...]
    join_field: Any
    m2m: bool
    direct: bool
    filtered_relation: Any = None


class FilteredReuse(set[str]):
    """The joins a FilteredRelation's condition may reuse: its own path, whose filtered joins
    the plain names of the condition ("books__flags" in F()) stand for, as in Django."""


class BaseTable:
    """The query's first table: `"table" AS "alias"` or just `"table"`."""

    join_type = None
    parent_alias = None

    def __init__(self, table_name: str, alias: str) -> None:
        self.table_name = table_name
        self.table_alias = alias
        self.shape = ("base", table_name, alias)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        qn = compiler.quote_name
        if self.table_alias == self.table_name:
            return qn(self.table_name), []
        return f"{qn(self.table_name)} {qn(self.table_alias)}", []

    def relabeled_clone(self, change_map: dict[str, str]) -> BaseTable:
        return BaseTable(self.table_name, change_map.get(self.table_alias, self.table_alias))

    def equals(self, other: Any) -> bool:
        return isinstance(other, BaseTable) and other.table_name == self.table_name


class Join:
    """`<join_type> "table" "alias" ON ("parent"."col" = "alias"."col" AND ...)`."""

    def __init__(
        self,
        table_name: str,
        parent_alias: str,
        table_alias: str,
        join_type: str,
        join_field: Any,
        nullable: bool,
        join_cols: tuple[tuple[str, str], ...],
        restriction: tuple[tuple[bool, str, Any], ...] = (),
        join_fields: tuple[tuple[Any, Any], ...] = (),
        filtered_relation: Any = None,
    ) -> None:
        self.table_name = table_name
        self.parent_alias = parent_alias
        self.table_alias = table_alias
        self.join_type = join_type
        self.join_field = join_field
        self.nullable = nullable
        self.join_cols = join_cols
        # Extra `column = value` terms of the ON clause, as (on the parent table?, column,
        # value): a generic relation's content type. The value is part of the join's identity.
        self.restriction = restriction
        # The fields behind join_cols, when their types may differ (generic relations).
        self.join_fields = join_fields
        # A FilteredRelation's join: its own (never shared with the plain relation's), with
        # the condition (a WHERE node, set once the join has its alias) in its ON clause.
        self.filtered_relation = filtered_relation
        self.condition: Any = None
        self.identity = (table_name, parent_alias, join_cols, restriction, self._filtered_key)

    @property
    def _filtered_key(self) -> Any:
        relation = self.filtered_relation
        # The condition's values are spelled into the key: the SQL cache sends a join's ON
        # values again as they were first rendered, so each set of values is a shape.
        return None if relation is None else (relation.alias, repr(relation.condition))

    @property
    def shape(self) -> Any:
        return (
            "join",
            self.table_name,
            self.parent_alias,
            self.table_alias,
            self.join_type,
            self.join_cols,
            self.restriction,
            self._filtered_key,
        )

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        qn = compiler.quote_name
        pairs = []
        for index, (lhs, rhs) in enumerate(self.join_cols):
            rhs_sql = f"{qn(self.table_alias)}.{qn(rhs)}"
            if self.join_fields:
                rhs_sql = connection.ops.join_column_sql(rhs_sql, *self.join_fields[index])
            pairs.append(f"{qn(self.parent_alias)}.{qn(lhs)} = {rhs_sql}")
        conditions = " AND ".join(pairs)
        params = []
        for on_parent, column, value in self.restriction:
            table = self.parent_alias if on_parent else self.table_alias
            conditions += f" AND {qn(table)}.{qn(column)} = %s"
            params.append(value)
        if self.condition is not None:
            try:
                sql, condition_params = compiler.compile(self.condition)
            except FullResultSet:
                sql, condition_params = "", []
            except EmptyResultSet:
                sql, condition_params = "1 = 0", []
            if sql:
                conditions += f" AND ({sql})"
                params.extend(condition_params)
        alias = "" if self.table_alias == self.table_name else f" {qn(self.table_alias)}"
        return f"{self.join_type} {qn(self.table_name)}{alias} ON ({conditions})", params

    def equals(self, other: Any) -> bool:
        return isinstance(other, Join) and other.identity == self.identity

    def relabeled_clone(self, change_map: dict[str, str]) -> Join:
        clone = Join(
            self.table_name,
            change_map.get(self.parent_alias, self.parent_alias),
            change_map.get(self.table_alias, self.table_alias),
            self.join_type,
            self.join_field,
            self.nullable,
            self.join_cols,
            self.restriction,
            self.join_fields,
            self.filtered_relation,
        )
        if self.condition is not None:
            clone.condition = self.condition.relabeled_clone(change_map)
        return clone

    def promoted(self) -> Join:
        clone = self.relabeled_clone({})
        clone.join_type = LOUTER
        return clone

    def demoted(self) -> Join:
        clone = self.relabeled_clone({})
        clone.join_type = INNER
        return clone


def _hop(info: PathInfo, alias: str, nullable_path: bool = False) -> Join:
    """The join of one hop of a relation path, from `alias` (its type chosen when added)."""
    join_field = info.join_field
    nullable = nullable_path or bool(getattr(join_field, "null", False)) or not info.direct
    join = Join(
        info.to_opts.db_table,
        alias,
        "",
        None,  # type: ignore[arg-type]
        join_field,
        nullable,
        join_field.get_joining_columns(reverse_join=not info.direct),
        _restriction(join_field, not info.direct),
        _join_fields(join_field, not info.direct),
        info.filtered_relation,
    )
    join.join_type = None  # type: ignore[assignment]
    return join


def _restriction(join_field: Any, reverse_join: bool) -> tuple[tuple[bool, str, Any], ...]:
    restrict = getattr(join_field, "join_restriction", None)
    return () if restrict is None else restrict(reverse_join)  # type: ignore[no-any-return]


def _join_fields(join_field: Any, reverse_join: bool) -> tuple[tuple[Any, Any], ...]:
    fields = getattr(join_field, "get_joining_fields", None)
    return () if fields is None else fields(reverse_join)  # type: ignore[no-any-return]


class JoinsMixin:
    """Alias bookkeeping for Query: the base table, reusable joins, promotion to LEFT JOIN."""

    alias_map: dict[str, Any]
    alias_refcount: dict[str, int]
    table_map: dict[str, list[str]]
    alias_prefix = "T"
    model: Any

    def base_table_alias(self) -> str:
        if not self.alias_map:
            table = self.model._meta.db_table
            self.alias_map[table] = BaseTable(table, table)
            self.alias_refcount[table] = 1
            self.table_map[table] = [table]
            return table
        return next(iter(self.alias_map))

    get_initial_alias = base_table_alias

    def _new_alias(self, table_name: str) -> str:
        aliases = self.table_map.get(table_name)
        if not aliases:
            alias = table_name
        else:
            alias = f"{self.alias_prefix}{len(self.alias_map) + 1}"
        self.table_map.setdefault(table_name, []).append(alias)
        return alias

    def join(self, join: Join, reuse: set[str] | None = None) -> str:
        """Add `join`, or reuse an equal one (any when reuse is None, else one of `reuse`)."""
        # The most recent equal join: a multi-valued relation joined once per filter() call
        # is referred to, afterwards, through its last join (as Django's values(), order_by()
        # and annotate() after chained filters).
        reusable = [
            alias
            for alias, existing in self.alias_map.items()
            if (reuse is None or alias in reuse)
            and (
                existing.equals(join)
                or (
                    isinstance(reuse, FilteredReuse)
                    and isinstance(existing, Join)
                    and existing.identity[:-1] == join.identity[:-1]
                )
            )
        ]
        if reusable:
            alias = reusable[-1]
            self.alias_refcount[alias] += 1
            return alias
        alias = self._new_alias(join.table_name)
        parent = self.alias_map[join.parent_alias]
        if parent.join_type == LOUTER or join.nullable:
            join_type = LOUTER
        else:
            join_type = INNER
        join.table_alias = alias
        join.join_type = join_type if join.join_type is None else join.join_type
        self.alias_map[alias] = join
        self.alias_refcount[alias] = 1
        return alias

    def promote_joins(self, aliases: list[str]) -> None:
        """Make these joins (and the joins hanging from them) LEFT OUTER JOINs."""
        pending = list(aliases)
        while pending:
            alias = pending.pop(0)
            join = self.alias_map[alias]
            if join.join_type is None or join.join_type == LOUTER:
                continue
            parent_outer = self.alias_map[join.parent_alias].join_type == LOUTER
            if join.nullable or parent_outer:
                self.alias_map[alias] = join.promoted()
                pending.extend(
                    a
                    for a, j in self.alias_map.items()
                    if j.parent_alias == alias and a not in pending
                )

    def demote_joins(self, aliases: list[str]) -> None:
        for alias in aliases:
            join = self.alias_map[alias]
            if join.join_type == LOUTER:
                self.alias_map[alias] = join.demoted()
                parent = self.alias_map[join.parent_alias]
                if parent.join_type == INNER or parent.join_type is None:
                    continue

    def setup_joins(
        self,
        path: list[PathInfo],
        alias: str,
        reuse: set[str] | None,
        nullable_path: bool = False,
    ) -> list[str]:
        """Join every hop of `path` starting from `alias`; returns the aliases, first included."""
        aliases = [alias]
        for index, info in enumerate(path):
            filtered = info.filtered_relation
            join = _hop(info, alias, nullable_path)
            # A filtered relation's joins are the same wherever its alias is named.
            shared = (info.m2m or isinstance(reuse, FilteredReuse)) and filtered is None
            alias = self.join(join, reuse=reuse if shared else None)
            aliases.append(alias)
            last_hop = index + 1 == len(path) or path[index + 1].filtered_relation is not filtered
            if filtered is not None and last_hop and self.alias_map[alias] is join:
                # New: its condition is resolved now that the related table has an alias.
                join.condition = filtered.resolve_expression(self, aliases)
                # Joins the condition added (book__author for "book__editor") go before it:
                # its ON clause may only name tables joined earlier.
                self.alias_map[alias] = self.alias_map.pop(alias)
        return aliases

    def joined_already(self, path: list[PathInfo], alias: str, reuse: set[str]) -> bool:
        """Whether every hop of `path` from `alias` is a join this query has, each
        multi-valued hop one that `reuse` allows (the joins of a related manager's filter):
        setup_joins() would then add nothing."""
        for info in path:
            join = _hop(info, alias)
            found = [
                existing
                for existing, table in self.alias_map.items()
                if table.equals(join) and (not info.m2m or existing in reuse)
            ]
            if not found:
                return False
            alias = found[-1]
        return True

    def trim_joins(
        self, targets: tuple[Any, ...], aliases: list[str], path: list[PathInfo]
    ) -> tuple[tuple[Any, ...], str, list[str]]:
        """Drop trailing joins whose target columns the previous table already holds.

        `publications__id=1` needs the through table's column, not the publication table.
        """
        for info in reversed(path):
            if len(aliases) <= 1 or not info.direct or info.filtered_relation is not None:
                break
            join_targets = {t.column for t in info.join_field.foreign_related_fields}
            current = {t.column for t in targets}
            if not current.issubset(join_targets):
                break
            lookup = {
                remote.column: local
                for local, remote in zip(
                    info.join_field.local_related_fields,
                    info.join_field.foreign_related_fields,
                    strict=True,
                )
            }
            targets = tuple(lookup[t.column] for t in targets)
            self.unref_alias(aliases.pop())
        return targets, aliases[-1], aliases

    def unref_alias(self, alias: str) -> None:
        self.alias_refcount[alias] -= 1
        if self.alias_refcount[alias] <= 0:
            join = self.alias_map.pop(alias)
            del self.alias_refcount[alias]
            self.table_map[join.table_name].remove(alias)
