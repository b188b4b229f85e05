"""QuerySet.contains() and in_bulk() (and their a-twins): which objects are among the rows.

A mixin of QuerySet, split out to keep the QuerySet class small; it relies on QuerySet's
filter(), its exists() job, fetch plan and result cache; each method and its a-twin are made
from one job.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from tether.db.core.twins import Job, finished, twins

Plan = Generator[Any, Any, Any]


class MembershipMixin:
    _fields: Any
    _result_cache: Any
    _query: Any
    model: Any
    filter: Callable[..., Any]
    _clone: Callable[[], Any]
    _conn: Callable[[], Any]

    def _contains_query(self, obj: Any) -> Any:
        """None when `obj` can't be a row of this queryset, else the QuerySet to ask."""
        self._not_support_combined_queries("contains")  # type: ignore[attr-defined]
        if self._fields is not None:
            raise TypeError("Cannot call QuerySet.contains() after .values() or .values_list().")
        try:
            if obj._meta.concrete_model != self.model._meta.concrete_model:
                return None
        except AttributeError:
            raise TypeError("'obj' must be a model instance.") from None
        if obj.pk is None:
            raise ValueError("QuerySet.contains() cannot be used on unsaved objects.")
        return self.filter(pk=obj.pk)

    def _contains_job(self, obj: Any) -> Job:
        queryset = self._contains_query(obj)
        if queryset is None:
            return finished(False)
        if self._result_cache is not None:
            return finished(obj in self._result_cache)
        return queryset._exists_job()  # type: ignore[no-any-return]

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        contains, acontains = twins(
            _contains_job,
            "contains",
            "Whether `obj` is one of the rows (looked up in the cache when it is loaded).",
        )

    def _in_bulk_querysets(self, id_list: Any, field_name: str) -> tuple[str, list[Any]]:
        """in_bulk()'s key attname and the querysets (one per parameter-limit batch) to read."""
        if self._query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with in_bulk().")
        if self._fields is not None:
            raise TypeError("in_bulk() cannot be used with values() or values_list().")
        opts = self.model._meta
        unique_fields = [
            c.fields[0]
            for c in opts.constraints
            if getattr(c, "fields", None)
            and len(c.fields) == 1
            and getattr(c, "condition", None) is None
        ]
        if field_name != "pk":
            field = opts.get_field(field_name)
            # A field made unique by distinct(field) is accepted, as in Django.
            distinct_on_it = self._query.distinct_fields == (field_name,)
            if not field.unique and field_name not in unique_fields and not distinct_on_it:
                raise ValueError(
                    f"in_bulk()'s field_name must be a unique field but {field_name!r} isn't."
                )
        attname = opts.pk.attname if field_name == "pk" else opts.get_field(field_name).attname
        if id_list is None:
            return attname, [self._clone()]
        id_list = list(id_list)
        limit = self._conn().features.max_query_params or len(id_list) or 1
        return attname, [
            self.filter(**{f"{field_name}__in": id_list[start : start + limit]}).order_by()
            for start in range(0, len(id_list), limit)
        ]

    def _in_bulk_plan(self, conn: Any, attname: str, querysets: list[Any]) -> Plan:
        found = {}
        for queryset in querysets:
            for obj in (yield from queryset._fetch_plan(conn)):
                found[obj.__dict__[attname]] = obj
        return found

    def _in_bulk_job(self, id_list: Any = None, *, field_name: str = "pk") -> Job:
        attname, querysets = self._in_bulk_querysets(id_list, field_name)
        conn = self._conn()
        return Job(conn, self._in_bulk_plan(conn, attname, querysets))

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        in_bulk, ain_bulk = twins(
            _in_bulk_job, "in_bulk", "A dict mapping each id (or field_name value) to its object."
        )


__all__ = ["MembershipMixin"]
