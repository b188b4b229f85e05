"""QuerySet methods that change rows in place: update() and delete() (and their a-twins).

A mixin of QuerySet, split out to keep the QuerySet class small; it relies on QuerySet's
plumbing (_clone, _conn, _query) and runs plans like every QuerySet method.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from tether.db.core.requests import ROWCOUNT, Execute
from tether.db.core.twins import Job, finished, twins
from tether.db.transaction import atomic_plan
from tether.exceptions import EmptyResultSet, FieldError
from tether.models.sql.compiler import Param
from tether.models.sql.constants import LOOKUP_SEP
from tether.models.sql.lineage import path_to_parent

if TYPE_CHECKING:
    from tether.models.query import QuerySet
    from tether.models.sql.query import Query

Plan = Generator[Any, Any, Any]


def refuse_in_write(field: Any, node: Any) -> None:
    """An UPDATE or INSERT cannot write an aggregate or a window (`node`, resolved): Django's
    FieldErrors."""
    if getattr(node, "contains_aggregate", False):
        raise FieldError(
            f"Aggregate functions are not allowed in this query ({field.name}={node!r})."
        )
    if getattr(node, "contains_over_clause", False):
        raise FieldError(
            f"Window expressions are not allowed in this query ({field.name}={node!r})."
        )


def _update_nodes(query: Any, fields: list[Any], values: list[Any]) -> tuple[Any, ...]:
    """The SET clause's nodes, one per field: a resolved expression, or a Param for a value.

    Expressions (`F("n") + 1`) resolve against the query without joins, as in Django; model
    instances given for a foreign key become their key value.
    """
    nodes: list[Any] = []
    for field, value in zip(fields, values, strict=True):
        if hasattr(value, "resolve_expression"):
            node = value.resolve_expression(query, allow_joins=False, reuse=None, for_save=True)
            refuse_in_write(field, node)
            nodes.append(node)
            continue
        if hasattr(value, "_meta") and field.is_relation:
            if value.pk is None:
                raise ValueError(
                    f"Unsaved model instance {value!r} cannot be used in an ORM query."
                )
            value = getattr(value, field.target_field.attname)
        nodes.append(Param(field, value))
    return tuple(nodes)


def _update_ordering(query: Any) -> tuple[Any, ...]:
    """The ordering an UPDATE can keep (MySQL/MariaDB update rows in it): annotations inlined,
    as Django does; none at all if any term reads another table (UPDATE cannot join there)."""
    terms: list[Any] = []
    for term in query.order_by:
        name = term.removeprefix("-") if isinstance(term, str) else None
        annotation = query.annotations.get(name) if name is not None else None
        if annotation is not None:
            if getattr(annotation, "contains_aggregate", False):
                raise FieldError(f"Cannot update when ordering by an aggregate: {annotation}")
            terms.append(annotation.desc() if term.startswith("-") else annotation)
        else:
            terms.append(term)
    probe = query.clone()
    probe.base_table_alias()
    joins = len(probe.alias_map)
    for term in terms:
        if isinstance(term, str):
            if term == "?" or LOOKUP_SEP in term:
                return ()
            field = query.model._meta.get_field(term.removeprefix("-"))
            if field.is_relation:
                return ()  # ordering by a relation follows the related model's ordering
        elif hasattr(term, "resolve_expression"):
            term.resolve_expression(probe)
    return tuple(terms) if len(probe.alias_map) == joins else ()


class WriteMixin:
    """update() and delete(): one statement where Django sends one, through the collector."""

    # Provided by QuerySet.
    model: Any
    _query: Query
    _fields: tuple[str, ...] | None
    _result_cache: list[Any] | None
    _for_write: bool
    _clone: Callable[[], QuerySet]
    _conn: Callable[[], Any]

    # ---- writes --------------------------------------------------------------------------

    def _update_plan(self, conn: Any, kwargs: dict[str, Any]) -> Plan:
        opts = self.model._meta
        fields, values = [], []
        for name, value in kwargs.items():
            field = opts.get_field(name)  # FieldDoesNotExist, as Django's update() raises
            if (
                not field.concrete
                or field.many_to_many
                or not hasattr(field, "column")
                or not field.column
            ):
                raise FieldError(
                    f"Cannot update model field {field!r} (only non-relations and foreign keys "
                    f"permitted)."
                )
            if field.primary_key and field.model is not self.model:
                raise FieldError("Cannot update a parent model's primary key.")
            if field.generated:
                continue  # the database computes it; left out as Django leaves it out
            fields.append(field)
            values.append(value)
        if not fields:
            return 0
        concrete = opts.concrete_model
        if any(f.model._meta.concrete_model is not concrete for f in fields):
            return (yield from self._update_with_parents_plan(conn, fields, values))
        query = self._query.clone()
        ordering = _update_ordering(query)
        query.clear_ordering(force=True)
        if ordering and conn.features.supports_update_order_by:
            query.order_by = ordering
        query.update_fields = tuple(fields)
        query.update_nodes = _update_nodes(query, fields, values)
        try:
            entry, params = query.get_compiler(connection=conn, kind="update").compiled()
        except EmptyResultSet:
            return 0
        count = yield Execute(entry.sql, params, ROWCOUNT)
        return count

    def _update_with_parents_plan(self, conn: Any, fields: list[Any], values: list[Any]) -> Plan:
        """update() touching inherited fields, as Django: read the matching keys, then one
        UPDATE per table (the child's own fields, each parent's) with `pk IN (keys)`."""
        concrete = self.model._meta.concrete_model
        by_table: dict[Any, dict[str, Any]] = {}
        for field, value in zip(fields, values, strict=True):
            by_table.setdefault(field.model._meta.concrete_model, {})[field.name] = value
        # A parent reached through a link that is not the child's pk (a second concrete parent)
        # is updated by its own keys, read beside the child's (Django's related_ids).
        opts = self.model._meta
        names = ["pk"]
        for model in by_table:
            path = path_to_parent(opts, model)
            if not all(hop.join_field.primary_key for hop in path):
                names.append(model._meta.pk.name)
        keys = self.values_list(*names)  # type: ignore[attr-defined]
        keys.query.clear_ordering(force=True)
        rows = list((yield from keys._fetch_plan(conn)))
        ids = [row[0] for row in rows]
        count = None
        # The child's own table first: its row count is the result, as in Django.
        tables = sorted(by_table.items(), key=lambda item: item[0] is not concrete)
        for model, assignments in tables:
            pk_name = model._meta.pk.name
            if model is not concrete and pk_name in names[1:]:
                index = names.index(pk_name)
                link_ids = [row[index] for row in rows if row[index] is not None]
            else:
                link_ids = ids
            rows_qs = model._base_manager.db_manager(conn.alias).filter(pk__in=link_ids)
            done = yield from rows_qs._update_plan(conn, assignments)
            if count is None:
                count = done
        return count or 0

    def _update_job(self, **kwargs: Any) -> Job:
        self._not_support_combined_queries("update")  # type: ignore[attr-defined]
        if self._query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")
        if not kwargs:
            return finished(0)  # Django sends no statement for an update with nothing to set
        self._for_write = True
        conn = self._conn()
        return Job(conn, self._update_all_plan(conn, kwargs))

    def _update_all_plan(self, conn: Any, kwargs: dict[str, Any]) -> Plan:
        count = yield from atomic_plan(conn, self._update_plan(conn, kwargs), savepoint=False)
        self._result_cache = None
        return count

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        update, aupdate = twins(
            _update_job, "update", "UPDATE every matching row; returns the number of rows matched."
        )
        update.alters_data = aupdate.alters_data = True  # type: ignore[attr-defined]

    def _raw_delete_plan(self, conn: Any) -> Plan:
        query = self._query.clone()
        query.clear_ordering(force=True)
        compiler = query.get_compiler(connection=conn, kind="delete")
        try:
            entry, params = compiler.compiled()
        except EmptyResultSet:
            return 0
        return (yield Execute(entry.sql, params, ROWCOUNT))

    def _delete_plan(self, conn: Any) -> Plan:
        from tether.models.deletion import Collector

        collector = Collector(conn, origin=self)
        query = self._clone()
        query._query.select_for_update = False
        query._query.clear_ordering(force=True)
        yield from collector.collect_plan(query)
        return (yield from collector.delete_plan())

    def _check_deletable(self) -> None:
        if self._query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with delete().")
        if self._query.distinct_fields:
            raise TypeError("Cannot call delete() after .distinct(*fields).")
        if self._fields is not None:
            raise TypeError("Cannot call delete() after .values() or .values_list()")

    def _delete_job(self) -> Job:
        self._not_support_combined_queries("delete")  # type: ignore[attr-defined]
        self._check_deletable()
        self._for_write = True
        conn = self._conn()
        return Job(conn, self._delete_all_plan(conn))

    def _delete_all_plan(self, conn: Any) -> Plan:
        result = yield from self._delete_plan(conn)
        self._result_cache = None
        return result

    if TYPE_CHECKING:  # what twins() makes, typed

        def delete(self) -> tuple[int, dict[str, int]]: ...
        async def adelete(self) -> tuple[int, dict[str, int]]: ...

    else:
        delete, adelete = twins(
            _delete_job,
            "delete",
            "Delete every matching row (and what cascades); returns Django's counts.",
        )
        delete.alters_data = adelete.alters_data = True  # type: ignore[attr-defined]
        delete.queryset_only = adelete.queryset_only = True  # type: ignore[attr-defined]
