"""QuerySet.contains() and acontains(): is this object one of the rows?

A mixin of QuerySet, split out to keep the QuerySet class small; it relies on QuerySet's
filter(), its exists() job and result cache; contains() and acontains() are twins made
from one job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tether.db.core.twins import Job, finished, twins


class MembershipMixin:
    _fields: Any
    _result_cache: Any
    model: Any
    filter: Callable[..., Any]

    def _contains_query(self, obj: Any) -> Any:
        """None when `obj` can't be a row of this queryset, else the QuerySet to ask."""
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

    contains, acontains = twins(
        _contains_job,
        "contains",
        "Whether `obj` is one of the rows (looked up in the cache when it is loaded).",
    )


__all__ = ["MembershipMixin"]
