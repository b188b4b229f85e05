"""From `filter(a__b__c=value)` and Q trees to the WHERE tree.

A keyword is split on "__" into a path of fields (relations become joins through
`setup_joins`), then transforms and a final lookup. Error messages are Django's: "Cannot
resolve keyword 'x' into field. Choices are: ..." and "Unsupported lookup 'x' for CharField
or join on the field not permitted."
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tether.exceptions import FieldDoesNotExist, FieldError
from tether.models.expressions import Col
from tether.models.query_utils import Q
from tether.models.sql.constants import INNER, LOOKUP_SEP, LOUTER
from tether.models.sql.lineage import parent_path_for
from tether.models.sql.where import AND, OR, WhereNode


def _unsupported_lookup_message(name: str, field: Any, lookups: Any = None) -> str:
    """Django's words, with its difflib "perhaps you meant" suggestion among the field's
    lookups; given the whole chain, every part from the failing one is named."""
    suggested = difflib.get_close_matches(name, field.get_lookups())
    tail = f", perhaps you meant {' or '.join(suggested)}?" if suggested else "."
    if lookups is not None:
        name = LOOKUP_SEP.join(lookups[lookups.index(name) :])
    return (
        f"Unsupported lookup '{name}' for {type(field).__name__} or join on the field "
        f"not permitted{tail}"
    )


def _choices(opts: Any, extra: Any = ()) -> str:
    fields = opts.get_fields() if opts is not None else ()
    names = {f.name for f in fields}
    # A concrete field is also reachable by its attname (a foreign key's "author_id").
    names.update(f.attname for f in fields if getattr(f, "concrete", False))
    names.update(extra)
    return ", ".join(sorted(names))


def unresolved_name_error(field: Any, parts: list[str], remaining: list[str]) -> FieldError:
    """Django's error for a values()/order_by() name whose tail is no field: the related
    model's choices after a relation, "Join on 'x' not permitted" after a plain field."""
    if field is not None and field.is_relation:
        return FieldError(
            f"Cannot resolve keyword '{remaining[0]}' into field. Choices are: "
            f"{_choices(field.related_model._meta)}"
        )
    return FieldError(
        f"Cannot resolve keyword '{remaining[0]}' into field. Join on "
        f"'{parts[-len(remaining) - 1]}' not permitted."
    )


class FiltersMixin:
    model: Any
    alias_cols: bool
    annotations: dict[str, Any]
    filtered_relations: dict[str, Any]
    where: WhereNode
    alias_map: dict[str, Any]
    used_aliases: set[str]
    as_subquery: Callable[..., Any]  # Query's
    get_meta: Callable[[], Any]  # Query's

    # ---- path resolution -----------------------------------------------------------------

    # For expressions, which cannot import this module (F("rel__nope") raises it).
    unresolved_name_error = staticmethod(unresolved_name_error)

    def names_to_path(
        self, names: list[str], opts: Any, fail_on_missing: bool = True, for_ordering: bool = False
    ) -> tuple[list[Any], Any, tuple[Any, ...], list[str]]:
        """Walk `names` through fields; returns (path, final_field, targets, remaining names)."""
        path: list[Any] = []
        final_field: Any = None
        targets: tuple[Any, ...] = ()
        if self.annotations and len(names) > 1 and opts is self.get_meta():
            # An annotation named like a path ("books__count", Count("books")'s default
            # alias) is found before the fields, as Django's refs_expression finds it.
            for end in range(2, len(names) + 1):
                joined = LOOKUP_SEP.join(names[:end])
                if joined in self.annotations:
                    return path, self.annotations[joined], (), names[end:]
        for position, name in enumerate(names):
            try:
                if opts is None:  # a query of no model: only its annotations have names
                    raise FieldDoesNotExist(name)
                field = opts.get_field(opts.pk.name if name == "pk" else name)
            except FieldDoesNotExist:
                if position == 0 and name in self.filtered_relations:
                    path, final_field, targets, opts = self._filtered_relation_path(name, opts)
                    continue
                if position == 0 and name in self.annotations:
                    return path, self.annotations[name], (), names[position + 1 :]
                if position == 0 or not fail_on_missing or final_field is None:
                    if position > 0:
                        # a transform or lookup on the last field: stop here
                        return path, final_field, targets, names[position:]
                    raise FieldError(
                        f"Cannot resolve keyword '{name}' into field. Choices are: "
                        f"{_choices(opts, self.annotations)}"
                    ) from None
                return path, final_field, targets, names[position:]
            if opts.parents:
                # A field on a parent's table: join up to that parent first.
                parent_path = parent_path_for(opts, field)
                if parent_path:
                    path.extend(parent_path)
                    opts = parent_path[-1].to_opts
            if field.is_relation and not hasattr(field, "path_infos"):
                raise FieldError(
                    f"Field {name!r} does not generate an automatic reverse relation and "
                    "therefore cannot be used for reverse querying. If it is a "
                    "GenericForeignKey, consider adding a GenericRelation."
                )
            if hasattr(field, "path_infos"):
                infos = field.path_infos
                path.extend(infos)
                final_field = infos[-1].join_field if not field.many_to_many else field
                targets = infos[-1].target_fields
                opts = infos[-1].to_opts
                final_field = field
            else:
                final_field = field
                targets = (field,)
                remaining = names[position + 1 :]
                if remaining and for_ordering and field.get_transform(remaining[0]) is None:
                    raise FieldError(
                        f"Cannot resolve keyword '{remaining[0]}' into field. Join on '{name}' "
                        "not permitted."
                    )
                return path, final_field, targets, remaining
        return path, final_field, targets, []

    def _filtered_relation_path(self, name: str, opts: Any) -> tuple[list[Any], Any, Any, Any]:
        """The path of a FilteredRelation's relation, its own hops marked with it."""
        relation = self.filtered_relations[name]
        path, field, _, _ = self.names_to_path(relation.relation_name.split(LOOKUP_SEP), opts)
        own = len(field.path_infos)
        path = path[:-own] + [replace(info, filtered_relation=relation) for info in path[-own:]]
        return path, field, path[-1].target_fields, path[-1].to_opts

    def solve_lookup_type(self, lookup: str) -> tuple[list[str], list[str]]:
        """Split "a__b__icontains" into field parts and lookup parts (transforms + lookup)."""
        parts = lookup.split(LOOKUP_SEP)
        _, _, _, remaining = self.names_to_path(parts, self.get_meta(), fail_on_missing=False)
        field_parts = parts[: len(parts) - len(remaining)] if remaining else parts
        return field_parts, remaining

    def resolve_ref(self, name: str) -> Any:
        """A column (joining as needed) or an annotation for `name`, as aggregates use it."""
        if name in self.annotations:
            return self.annotations[name]
        parts = name.split(LOOKUP_SEP)
        path, field, targets, remaining = self.names_to_path(parts, self.model._meta)
        if remaining:
            raise FieldError(
                f"Cannot resolve keyword '{remaining[0]}' into field. Join on '{parts[0]}' not "
                f"permitted."
            )
        aliases = self.setup_joins(path, self.base_table_alias(), None)  # type: ignore[attr-defined]
        trimmed, alias, _ = self.trim_joins(targets, aliases, path)  # type: ignore[attr-defined]
        output = field if not field.is_relation else targets[0]
        return self.make_col(alias, trimmed[0], output)

    # ---- building lookups ----------------------------------------------------------------

    def build_lookup(self, lookups: list[str], lhs: Any, rhs: Any) -> Any:
        lookups = list(lookups) or ["exact"]
        *transforms, name = lookups
        for transform_name in transforms:
            lhs = self.try_transform(lhs, transform_name, lookups)
        lookup_class = (
            lhs.output_field.get_lookup(name)
            if not hasattr(lhs, "get_lookup")
            else lhs.get_lookup(name)
        )
        if lookup_class is None:
            if lhs.output_field.is_relation if hasattr(lhs.output_field, "is_relation") else False:
                raise FieldError(f"Related Field got invalid lookup: {name}")
            transform = (
                lhs.get_transform(name)
                if hasattr(lhs, "get_transform")
                else lhs.output_field.get_transform(name)
            )
            if transform is not None:
                lhs = transform(lhs)
                name = "exact"
                lookup_class = lhs.get_lookup(name)
            else:
                raise FieldError(_unsupported_lookup_message(name, lhs.output_field))
        if rhs is None and not lookup_class.can_use_none_as_rhs:
            if name not in ("exact", "iexact"):
                raise ValueError("Cannot use None as a query value")
        lookup = lookup_class(lhs, rhs)
        value = lookup.rhs
        if getattr(value, "subquery_query", None) is not None and not value.resolved:
            # A QuerySet value became a Subquery: bind it to this query as any subquery.
            lookup.rhs = value.resolve_expression(self)
            lookup.shape = (type(lookup), lookup.lhs.shape, lookup.rhs_shape())
        return lookup

    def try_transform(self, lhs: Any, name: str, lookups: list[str] | None = None) -> Any:
        transform = (
            lhs.get_transform(name)
            if hasattr(lhs, "get_transform")
            else lhs.output_field.get_transform(name)
        )
        if transform is None:
            field = lhs.output_field
            raise FieldError(_unsupported_lookup_message(name, field, lookups))
        return transform(lhs)

    def build_filter(
        self,
        key: str,
        value: Any,
        can_reuse: set[str] | None,
        current_negated: bool = False,
        branch_negated: bool = False,
        split_subq: bool = True,
        allow_joins: bool = True,
    ) -> tuple[Any, list[str]]:
        """One `key=value` condition: its WHERE leaf (or node) and the joins it needs.
        `split_subq=False` (a condition inside an expression, an aggregate's filter) keeps a
        negated multi-valued condition on the query's own joins instead of a subquery.
        `allow_joins=False` refuses a key or value that reaches past the model's own table."""
        if not key or not isinstance(key, str):
            raise FieldError(f"Cannot parse keyword query {key!r}")
        if not current_negated:
            lookup = self._simple_filter(key, value)
            if lookup is not None:
                return lookup, []
        # An empty part ("pub_date__gt__") fails as an unknown field or lookup, as in Django.
        parts = key.split(LOOKUP_SEP)
        opts = self.get_meta()
        path, final_field, targets, lookups = self.names_to_path(parts, opts)
        if not allow_joins and len(parts) - len(lookups) > 1:
            raise FieldError("Joined field references are not permitted in this query")
        # The base table comes first in FROM, before any join the value's expressions add.
        # (A query of no model has none: its names are all annotations.)
        alias = self.base_table_alias() if self.model is not None else ""  # type: ignore[attr-defined]
        if current_negated and split_subq and any(info.m2m for info in path):
            # exclude() over a multi-valued relation asks about every related row, in a
            # subquery; unless the related manager this queryset came from joined that
            # relation already (its "sticky" filter), whose row it then asks about, as Django.
            # (Past that row, only single-valued hops may follow: a foreign key's.)
            first = next(i for i, info in enumerate(path) if info.m2m)
            sticky = (
                can_reuse is not None
                and all(info.direct for info in path[first + 1 :])
                and self.joined_already(path[: first + 1], alias, can_reuse)  # type: ignore[attr-defined]
            )
            if not sticky:
                return self.split_exclude(key, value), []
        value = self.resolve_lookup_value(value, final_field, can_reuse, allow_joins)
        if not path and final_field in self.annotations.values():
            lhs = final_field
            if isinstance(lhs, WhereNode):
                # An annotated Q is a boolean: compared as one (`filter(flag=False)`).
                from tether.models.expressions.wrappers import ExpressionWrapper
                from tether.models.fields import BooleanField

                lhs = ExpressionWrapper(lhs, output_field=BooleanField())
            return self.build_lookup(lookups, lhs, value), []
        aliases = self.setup_joins(path, alias, can_reuse)  # type: ignore[attr-defined]
        used = aliases[1:]
        if final_field.is_relation:
            lookup = self.build_related_lookup(final_field, targets, aliases, path, lookups, value)
        else:
            targets, alias, aliases = self.trim_joins(targets, aliases, path)  # type: ignore[attr-defined]
            lhs = self.make_col(alias, targets[0], final_field)
            lookup = self.build_lookup(lookups, lhs, value)
        is_null_test = (lookups and lookups[-1] == "isnull" and value is True) or value is None
        votes = used
        if (is_null_test and not current_negated) or (current_negated and not is_null_test):
            # These conditions need the LEFT JOIN kept (NULL rows must survive), so they cast
            # no vote to make their joins INNER.
            votes = []
        if current_negated:
            # Django keeps NULL rows in exclude(): NOT (col = x AND col IS NOT NULL), and the
            # same for a nullable column compared with (exclude(a=F("b"))).
            guarded = [
                col
                for col, needed in (
                    (lookup.lhs, self._needs_null_guard(lookup, lookups, value, used)),
                    (lookup.rhs, _nullable_col(lookup.rhs) and lookups[-1:] != ["isnull"]),
                )
                if needed
            ]
            if guarded:
                guard = WhereNode(connector=AND)
                guard.add(lookup, AND)
                for col in guarded:
                    guard.add(col.output_field.get_lookup("isnull")(col, False), AND)
                return guard, votes
        return lookup, votes

    def _simple_filter(self, key: str, value: Any) -> Any:
        """`name=value` or `name__lookup=value` on a column of the model's own table with a
        plain value: the leaf build_filter would build, without walking the general path
        (no joins, transforms, annotations or inherited fields; None when it does not apply).
        """
        if (
            value is None
            or hasattr(value, "resolve_expression")
            or self.annotations
            or self.model is None
        ):
            return None
        if isinstance(value, list | tuple) and any(
            hasattr(item, "resolve_expression") for item in value
        ):
            return None
        name, sep, lookup_name = key.partition(LOOKUP_SEP)
        if (sep and not lookup_name) or LOOKUP_SEP in lookup_name:
            return None
        opts = self.model._meta
        if opts.parents:
            return None
        if name == "pk":
            name = opts.pk.name
        field = opts._forward_fields_map.get(name)
        if field is None or field.is_relation or hasattr(field, "path_infos"):
            return None
        lookup_class = field.get_lookup(lookup_name or "exact")
        if lookup_class is None:
            return None
        return lookup_class(self.make_col(self.base_table_alias(), field, field), value)  # type: ignore[attr-defined]

    def split_exclude(self, key: str, value: Any) -> Any:
        """exclude() across a multi-valued relation: NOT (pk IN (SELECT pk ... WHERE cond)).

        Each condition gets its own subquery, so several conditions in one exclude() may be
        met by different related rows: Django's documented behaviour (ticket 14645).
        """
        from tether.models.expressions.subqueries import OuterRef

        if isinstance(value, OuterRef):
            # The subquery puts the condition one query further in: its outer reference
            # points one query further out.
            value = OuterRef(value)
        inner = type(self)(self.model)  # type: ignore[call-arg]
        inner.filtered_relations = self.filtered_relations
        inner.add_q(Q((key, value)))
        pk = self.model._meta.pk
        lhs = Col(self.base_table_alias(), pk)  # type: ignore[attr-defined]
        return pk.get_lookup("in")(lhs, inner.as_subquery().resolve_expression(self))

    def _needs_null_guard(
        self, lookup: Any, lookups: list[str], value: Any, used: list[str]
    ) -> bool:
        """Django keeps NULL rows in exclude(): NOT (col = x AND col IS NOT NULL)."""
        name = lookups[-1] if lookups else "exact"
        if name == "isnull" or value is None:
            return False
        lhs = lookup.lhs
        field = getattr(lhs, "target", None)
        if field is None:
            return False
        nullable = bool(getattr(field, "null", False))
        outer = any(self.alias_map[a].join_type == LOUTER for a in used if a in self.alias_map)
        return nullable or outer

    def build_related_lookup(
        self,
        field: Any,
        targets: tuple[Any, ...],
        aliases: list[str],
        path: list[Any],
        lookups: list[str],
        value: Any,
    ) -> Any:
        """A lookup on a relation itself (`author=obj`, `author__in=[...]`): compare its key."""
        original_target = targets[0]
        targets, alias, aliases = self.trim_joins(targets, aliases, path)  # type: ignore[attr-defined]
        lhs = self.make_col(alias, targets[0], original_target)
        name = lookups[-1] if lookups else "exact"
        allowed = ("exact", "in", "isnull", "gt", "gte", "lt", "lte", "range", "iexact")
        if len(lookups) > 1 or name not in allowed:
            import difflib

            close = difflib.get_close_matches(
                lookups[0], ("exact", "in", "gt", "gte", "lt", "lte", "isnull")
            )
            hint = f", perhaps you meant {' or '.join(close)}?" if close else "."
            # Django names the field class the last join went through (a reverse foreign
            # key's ManyToOneRel), and every lookup part from the first.
            last = path[-1] if path else None
            joined = field if last is None else last.join_field
            if last is not None and not last.direct:
                joined = joined.remote_field
            through = type(joined).__name__
            raise FieldError(
                f"Unsupported lookup '{LOOKUP_SEP.join(lookups)}' for {through} or join on the "
                f"field not permitted{hint}"
            )
        value = field.get_related_lookup_value(value, name, original_target)
        return self.build_lookup([name], lhs, value)

    def resolve_lookup_value(
        self, value: Any, field: Any, can_reuse: Any = None, allow_joins: bool = True
    ) -> Any:
        """The value of a `key=value` condition, its expressions resolved; their multi-valued
        joins are shared with the other conditions of the same filter() call (`can_reuse`)."""
        if hasattr(value, "resolve_expression"):
            if hasattr(value, "_result_cache"):
                return value  # a QuerySet: the lookup makes it a subquery
            return value.resolve_expression(self, allow_joins, can_reuse)
        if isinstance(value, list | tuple) and any(
            hasattr(item, "resolve_expression") for item in value
        ):
            # F() and other expressions inside __in / __range values.
            return type(value)(
                item.resolve_expression(self, allow_joins, can_reuse)
                if hasattr(item, "resolve_expression")
                else item
                for item in value
            )
        return value

    # ---- Q trees -------------------------------------------------------------------------

    def add_q(self, q_object: Q, reuse_all: bool = False) -> None:
        """AND `q_object` into the WHERE tree; with `reuse_all`, a multi-valued relation it
        names reuses the join already in the query instead of adding its own."""
        clause = self._simple_q(q_object)
        if clause is not None:
            # No joins were added or promoted, so there is nothing to demote afterwards.
            self.where.add(clause, AND)
            return
        existing_inner = {a for a, j in self.alias_map.items() if j.join_type == INNER}
        reusable = set(self.alias_map) if reuse_all else self.used_aliases
        clause, _ = self._add_q(q_object, reusable)
        if clause:
            self.where.add(clause, AND)
        self.demote_joins(list(existing_inner))  # type: ignore[attr-defined]

    def _simple_q(self, q_object: Q) -> WhereNode | None:
        """What _add_q builds for a plain AND of `_simple_filter` conditions (no joins, so no
        join promotion); None for anything else."""
        if q_object.negated or q_object.connector != AND or not q_object.children:
            return None
        target = WhereNode(connector=AND, negated=False)
        for child in q_object.children:
            if child.__class__ is not tuple or len(child) != 2 or not isinstance(child[0], str):
                return None
            lookup = self._simple_filter(child[0], child[1])
            if lookup is None:
                return None
            target.add(lookup, AND)
        return target

    def _add_q(
        self,
        q_object: Q,
        used_aliases: set[str],
        branch_negated: bool = False,
        current_negated: bool = False,
        split_subq: bool = True,
        allow_joins: bool = True,
    ) -> tuple[WhereNode, set[str]]:
        connector = q_object.connector
        current_negated ^= q_object.negated
        branch_negated = branch_negated or q_object.negated
        target = WhereNode(connector=connector, negated=q_object.negated)
        promoter = JoinPromoter(connector, len(q_object.children), current_negated)
        for child in q_object.children:
            if isinstance(child, Q):
                child_clause, needed = self._add_q(
                    child, used_aliases, branch_negated, current_negated, split_subq, allow_joins
                )
            elif hasattr(child, "resolve_expression") and not isinstance(child, tuple):
                child_clause = self.build_expression_filter(child, used_aliases, allow_joins)
                needed = set()
            else:
                if isinstance(child, dict):
                    raise FieldError("Cannot parse keyword query as dict")
                key, value = child
                child_clause, needed_list = self.build_filter(
                    key,
                    value,
                    used_aliases,
                    current_negated,
                    branch_negated,
                    split_subq,
                    allow_joins,
                )
                needed = set(needed_list)
                used_aliases |= needed
            if child_clause:
                target.add(child_clause, connector)
            promoter.add_votes(needed)
        promoter.update_join_types(self)
        return target, set()

    def build_expression_filter(
        self, expression: Any, used_aliases: Any = None, allow_joins: bool = True
    ) -> Any:
        """A boolean expression as a condition. The many-valued joins its references add are
        shared with the keyword conditions of the same filter() call, as in Django
        (`filter(Exact(F("games__home"), "NY"), games__away="Boston")` is about one game)."""
        from tether.models.expressions.conditional import as_condition

        if not getattr(expression, "conditional", False):
            raise TypeError("Cannot filter against a non-conditional expression.")
        return as_condition(expression.resolve_expression(self, allow_joins, used_aliases))

    def build_where(self, condition: Any) -> WhereNode:
        """`condition` (a Q or a boolean expression) as a WHERE tree over the model's own
        table, outside this query's WHERE: what a CHECK constraint or Q.check() tests. A
        condition that needs a join raises FieldError; an expression that is no lookup is
        compared with True, as Django's."""
        if isinstance(condition, Q):
            clause, _ = self._add_q(condition, set(), split_subq=False, allow_joins=False)
            return clause
        if not getattr(condition, "conditional", False):
            raise TypeError("Cannot filter against a non-conditional expression.")
        from tether.models.lookups import Lookup

        resolved = condition.resolve_expression(self, False, None)
        if not isinstance(resolved, Lookup):
            resolved = self.build_lookup(["exact"], resolved, True)
        return WhereNode([resolved], connector=AND)

    def make_col(self, alias: str, target: Any, output_field: Any = None) -> Col:
        """A column of the table `alias`; a bare column in a query with alias_cols=False."""
        return Col(alias if self.alias_cols else None, target, output_field)


class JoinPromoter:
    """Decides INNER or LEFT OUTER for the joins of one Q node.

    Under OR, a join that not every child needs must be LEFT OUTER, or rows matching the other
    children would be lost; under AND every join a child needs can be INNER.
    """

    def __init__(self, connector: str, num_children: int, negated: bool) -> None:
        self.connector = connector
        self.negated = negated
        self.effective_connector = connector
        if negated:
            self.effective_connector = OR if connector == AND else AND
        self.num_children = num_children
        self.votes: dict[str, int] = {}

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(connector={self.connector!r}, "
            f"num_children={self.num_children!r}, negated={self.negated!r})"
        )

    def add_votes(self, aliases: set[str]) -> None:
        for alias in aliases:
            self.votes[alias] = self.votes.get(alias, 0) + 1

    def update_join_types(self, query: Any) -> None:
        promote, demote = [], []
        for alias, votes in self.votes.items():
            if alias not in query.alias_map:
                continue
            if self.effective_connector == OR and votes < self.num_children:
                promote.append(alias)
            if self.effective_connector == AND or (
                self.effective_connector == OR and votes == self.num_children
            ):
                demote.append(alias)
        query.promote_joins(promote)
        query.demote_joins(demote)


def _nullable_col(node: Any) -> bool:
    return isinstance(node, Col) and bool(getattr(node.target, "null", False))
