"""QuerySet.extra(): raw SQL fragments for the select list, WHERE, FROM and ORDER BY, as
Django 5.2 still offers them (Query.add_extra; the nodes are in expressions_raw.py, and
values are always parameters)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Self


class ExtraMixin:
    """extra() for QuerySet (which provides _clone, _query, _fields)."""

    _query: Any
    _fields: Any

    def extra(
        self,
        select: Mapping[str, Any] | None = None,
        where: Sequence[str] | None = None,
        params: Sequence[Any] | None = None,
        tables: Sequence[str] | None = None,
        order_by: Sequence[str] | None = None,
        select_params: Sequence[Any] | None = None,
    ) -> Self:
        """Add raw SQL: `select` columns by name, `where` conditions (values in `params`),
        `tables` in FROM, `order_by` terms. The fragments are SQL as written."""
        self._not_support_combined_queries("extra")  # type: ignore[attr-defined]
        if self._query.is_sliced:
            raise TypeError("Cannot change a query once a slice has been taken.")
        clone: Any = self._clone()  # type: ignore[attr-defined]
        clone._query.add_extra(select, select_params, where, params, tables, order_by)
        if select and clone._fields == ():
            # values() without names selects every column, extra ones included.
            clone._query.values_select = clone._all_value_names()
        return clone


__all__ = ["ExtraMixin"]
