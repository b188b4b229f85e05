"""QuerySet.union(), intersection() and difference(): a compound statement of several queries;
and `qs1 & qs2`, `qs1 | qs2`, `qs1 ^ qs2`: one query whose conditions combine both sides'.

The combined QuerySet is a clone of the first one (its model, values() and iterable class) whose
query holds the parts (`Query.combined_queries`); ordering, slicing, values(), count() and
exists() apply to the compound result. Rendering is `sql/compound.py`'s business. As in Django,
methods that would change one part's rows (filter(), annotate(), ...) are refused afterwards.
"""

from __future__ import annotations

from typing import Any, Self

from tether.db.errors import NotSupportedError
from tether.models.query_utils import Q
from tether.models.sql.where import AND, OR

QuerySet = Any  # the class this mixin is part of (not imported: models/query.py imports this)


class CombineMixin:
    """union(), intersection(), difference() for QuerySet (which provides _clone, _query)."""

    _query: Any

    def _combinator_query(self, combinator: str, *other_qs: Any, all: bool = False) -> QuerySet:
        clone: Any = self._clone()  # type: ignore[attr-defined]
        query = clone._query
        # Ordering and limits given before apply to the first part, not to the compound.
        query.clear_ordering(force=True)
        query.clear_limits()
        query.combined_queries = (self._query, *(qs._query for qs in other_qs))
        query.combinator = combinator
        query.combinator_all = all
        return clone  # type: ignore[no-any-return]

    def union(self, *other_qs: Any, all: bool = False) -> Self:
        """Rows of this QuerySet or of the others (UNION; all=True keeps duplicates)."""
        if self._query.is_empty():
            nonempty = [qs for qs in other_qs if not qs._query.is_empty()]
            if not nonempty:
                return self
            if len(nonempty) == 1:
                return nonempty[0]  # type: ignore[no-any-return]
            return nonempty[0]._combinator_query("union", *nonempty[1:], all=all)  # type: ignore[no-any-return]
        if not other_qs:
            return self
        return self._combinator_query("union", *other_qs, all=all)

    def intersection(self, *other_qs: Any) -> Self:
        """Rows found in this QuerySet and in every other (INTERSECT)."""
        if self._query.is_empty():
            return self
        for other in other_qs:
            if other._query.is_empty():
                return other  # type: ignore[no-any-return]
        return self._combinator_query("intersection", *other_qs)

    def difference(self, *other_qs: Any) -> Self:
        """Rows of this QuerySet found in none of the others (EXCEPT)."""
        if self._query.is_empty():
            return self
        return self._combinator_query("difference", *other_qs)

    def _not_support_combined_queries(self, operation_name: str) -> None:
        combinator = self._query.combinator
        if combinator:
            raise NotSupportedError(
                f"Calling QuerySet.{operation_name}() after {combinator}() is not supported."
            )

    def _check_get_filters(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        combinator = self._query.combinator
        if combinator and (args or kwargs):
            raise NotSupportedError(
                f"Calling QuerySet.get(...) with filters after {combinator}() is not supported."
            )

    # ---- &, | and ^: one query whose conditions combine both sides' ------------------

    def __and__(self, other: Any) -> Self:
        self._check_combinable(other, "&")
        combined: Any = self._clone()  # type: ignore[attr-defined]
        combined._query.combine(other._query, AND)
        return combined  # type: ignore[no-any-return]

    def __or__(self, other: Any) -> Self:
        self._check_combinable(other, "|")
        # A sliced side cannot take the other's conditions: it is read as the pks it selects.
        combined: Any = self._by_pk_if_sliced()._clone()  # type: ignore[attr-defined]
        combined._query.combine(other._by_pk_if_sliced()._query, OR)
        return combined  # type: ignore[no-any-return]

    def _by_pk_if_sliced(self) -> Self:
        if not self._query.is_sliced:
            return self
        return self.model._base_manager.filter(pk__in=self.values("pk"))  # type: ignore[attr-defined, no-any-return]

    def __xor__(self, other: Any) -> Self:
        self._check_combinable(other, "^")
        return self.model._base_manager.filter(  # type: ignore[attr-defined, no-any-return]
            Q(pk__in=self.values("pk")) ^ Q(pk__in=other.values("pk"))  # type: ignore[attr-defined]
        )

    def _check_combinable(self, other: Any, operator: str) -> None:
        """&, | and ^ take a QuerySet of the same model, neither of them a compound."""
        if self._query.combinator or getattr(other, "_query", None) and other._query.combinator:
            raise TypeError(f"Cannot use {operator} operator with combined queryset.")
        if not isinstance(other, CombineMixin) or other.model is not self.model:  # type: ignore[attr-defined]
            raise TypeError("Cannot combine queries on two different base models.")


__all__ = ["CombineMixin"]
