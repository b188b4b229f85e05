"""QuerySet.values() and values_list(): the names they select (fields, related fields,
transforms such as "pub_date__year" or a JSON key "data__key", annotations) and the
expressions they take (values(**expressions), expressions given to values_list()), named and
shaped as Django 5.2 does. Compiling the names into columns is the compiler's business.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tether.models.query.iterables import (
    FlatValuesListIterable,
    NamedValuesListIterable,
    ValuesIterable,
    ValuesListIterable,
)
from tether.models.sql.constants import LOOKUP_SEP
from tether.models.sql.filters import unresolved_name_error
from tether.models.sql.query import check_alias

if TYPE_CHECKING:
    from tether.models.query import QuerySet


class ValuesMixin:
    """values() / values_list() for QuerySet (which provides _clone, _query, annotate)."""

    model: Any
    _query: Any
    _fields: tuple[str, ...] | None

    def _values(self, *fields: str, **expressions: Any) -> QuerySet:
        for name in fields:  # each name may become a column alias, as Django checks
            check_alias(name)
        clone: Any = self._clone()  # type: ignore[attr-defined]
        if expressions:
            clone = clone.annotate(**expressions)
        clone._fields = fields
        query = clone._query
        opts = self.model._meta
        if query.group_by is True:
            # An aggregate annotated before values(): grouped by every column, as in Django.
            query.group_by = tuple(f.attname for f in opts.concrete_fields)
        if fields:
            for name in fields:
                if name not in query.annotations:
                    _check_name(query, name, opts)
            query.values_select = tuple(fields)
        else:
            query.values_select = clone._all_value_names()
        return clone  # type: ignore[no-any-return]

    def _all_value_names(self) -> tuple[str, ...]:
        """What values() without names selects: extra(select=...) columns, the model's
        columns, then the annotations (Django's order)."""
        query = self._query
        extra = query.extra_select_names()
        columns = [f.attname for f in self.model._meta.concrete_fields]
        return (*extra, *columns, *(name for name in query.annotations if name not in extra))

    def values(self, *fields: str, **expressions: Any) -> QuerySet[Any]:
        """Dicts of the named fields, transforms and annotations (all columns if none)."""
        clone = self._values(*fields, *expressions, **expressions)
        clone._iterable_class = ValuesIterable
        return clone

    def values_list(self, *fields: Any, flat: bool = False, named: bool = False) -> QuerySet[Any]:
        """Tuples (one value with flat=True, namedtuples with named=True) of the fields."""
        if flat and named:
            raise TypeError("'flat' and 'named' can't be used together.")
        if flat and len(fields) > 1:
            raise TypeError(
                "'flat' is not valid when values_list is called with more than one field."
            )
        names, expressions = _expression_names(fields)
        clone = self._values(*names, **expressions)
        if named:
            clone._iterable_class = NamedValuesListIterable
        elif flat:
            clone._iterable_class = FlatValuesListIterable
        else:
            clone._iterable_class = ValuesListIterable
        return clone


def _expression_names(fields: tuple[Any, ...]) -> tuple[list[str], dict[str, Any]]:
    """Names for what values_list() was given, as Django 5.2 names them: an expression is
    called by its default alias (or class name in lower case) plus a number, a field named a
    second time by its name plus a number (read through F); the number is shared, and grows
    only past names already taken."""
    from tether.models.expressions import F

    taken = {f: False for f in fields if not hasattr(f, "resolve_expression")}
    names: list[str] = []
    expressions: dict[str, Any] = {}
    counter = 1
    for field in fields:
        expression = None
        if hasattr(field, "resolve_expression"):
            name = _default_alias(field)
            expression, renumber = field, True
        else:
            name, renumber = field, taken[field]
            if renumber:
                expression = F(field)
        if renumber:
            while f"{name}{counter}" in taken:
                counter += 1
            name = f"{name}{counter}"
        if expression is not None:
            expressions[name] = expression
        taken[name] = True
        names.append(name)
    return names, expressions


def _default_alias(expression: Any) -> str:
    from tether.models.aggregates import Aggregate
    from tether.models.query.aggregate import _default_alias as aggregate_alias

    if isinstance(expression, Aggregate):
        return aggregate_alias(expression)  # "id__count"; complex ones raise TypeError
    return type(expression).__name__.lower()


def _check_name(query: Any, name: str, opts: Any) -> None:
    """Raise Django's FieldError now for a name that is neither a field path nor a field path
    followed by transforms the last field has."""
    parts = name.split(LOOKUP_SEP)
    _, field, _, remaining = query.names_to_path(parts, opts)
    if not remaining:
        return
    if field is not None and not field.is_relation and field.get_transform(remaining[0]):
        return
    raise unresolved_name_error(field, parts, remaining)
