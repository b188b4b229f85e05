"""Instances to INSERT/UPDATE parameters with the fewest calls per value.

`row_preparer(fields, conn, add)` returns a function of one instance giving exactly
`[f.get_db_prep_save(f.pre_save(obj, add), conn) for f in fields]`, resolved once per (field
list, add) and cached on the connection. A field whose class keeps the base `pre_save` is read
with one C-level getattr; a value of the exact type its field passes through unchanged (str for
CharField, int for IntegerField, an aware datetime for DateTimeField before the backend's
adapter) skips the four method calls; anything else takes the fields' own methods. It knows
fields and their hooks, nothing of SQL.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from operator import attrgetter
from typing import Any

from tether.models.fields import (
    AutoFieldMixin,
    AutoNowField,
    CharField,
    DateTimeField,
    Field,
    IntegerField,
)

Preparer = Callable[[Any], Any]

_PLAIN_PRE_SAVE = (Field.pre_save,)
_AUTO_PRE_SAVE = (AutoNowField.pre_save,)
_PASS_THROUGH_DB_VALUE = (Field.get_db_prep_value, AutoFieldMixin.get_db_prep_value)
# get_prep_value implementations that return a value of this exact type unchanged (None: any).
_UNCHANGED_TYPE = {
    Field.get_prep_value: None,
    CharField.get_prep_value: str,
    IntegerField.get_prep_value: int,
}


def row_preparer(fields: Any, conn: Any, add: bool) -> Preparer:
    """obj -> list of its parameters for `fields`; see the module docstring."""
    key = ("row_preparer", tuple(fields), add)
    cache = conn.caches.preparers
    prepare = cache.get(key)
    if prepare is None:
        prepare = cache[key] = _build(tuple(fields), conn, add)
    return prepare  # type: ignore[no-any-return]


def value_preparer(field: Any, conn: Any) -> Preparer:
    """value -> field.get_db_prep_save(value, conn), with the exact-type shortcuts above."""
    key = ("value_preparer", field)
    cache = conn.caches.preparers
    prepare = cache.get(key)
    if prepare is None:
        prepare = cache[key] = _value_preparer(field, conn) or _same
    return prepare  # type: ignore[no-any-return]


def values_preparers(fields: Any, conn: Any) -> list[Preparer]:
    """value_preparer of each field, looked up once per field list."""
    key = ("values_preparers", tuple(fields))
    cache = conn.caches.preparers
    prepares = cache.get(key)
    if prepares is None:
        prepares = cache[key] = [value_preparer(field, conn) for field in fields]
    return prepares  # type: ignore[no-any-return]


def _build(fields: tuple[Any, ...], conn: Any, add: bool) -> Preparer:
    if not fields:
        return lambda obj: []
    for field in fields:
        pre_save = type(field).pre_save
        plain = pre_save in _PLAIN_PRE_SAVE or (
            pre_save in _AUTO_PRE_SAVE and not field.auto_now and not (field.auto_now_add and add)
        )
        if not plain:
            # A pre_save of its own may touch other attributes: keep Django's exact order.
            return lambda obj: [f.get_db_prep_save(f.pre_save(obj, add), conn) for f in fields]
    values = [_value_preparer(field, conn) for field in fields]
    read = attrgetter(*(field.attname for field in fields))
    if len(fields) == 1:
        only = values[0]
        if only is None:
            return lambda obj: [read(obj)]
        return lambda obj: [only(read(obj))]
    if all(v is None for v in values):
        return lambda obj: list(read(obj))
    steps = [(v or _same) for v in values]
    return lambda obj: [step(value) for step, value in zip(steps, read(obj), strict=True)]


def _same(value: Any) -> Any:
    return value


def _value_preparer(field: Any, conn: Any) -> Preparer | None:
    """value -> field.get_db_prep_save(value, conn); None when that is always the value itself."""
    cls = type(field)
    slow = field.get_db_prep_save
    if cls.get_db_prep_save is not Field.get_db_prep_save:
        target = getattr(field, "target_field", None)
        if target is not None and _is_int_passthrough(target) and _is_plain_fk(field):
            return lambda value: value if value.__class__ is int else slow(value, conn)
        return lambda value: slow(value, conn)
    if cls.get_db_prep_value in _PASS_THROUGH_DB_VALUE:
        kind = _UNCHANGED_TYPE.get(cls.get_prep_value, Ellipsis)
        if kind is None:
            return None
        if kind is Ellipsis:
            return lambda value: slow(value, conn)
        return lambda value: value if value.__class__ is kind else slow(value, conn)
    if (
        cls.get_db_prep_value is DateTimeField.get_db_prep_value
        and cls.get_prep_value is DateTimeField.get_prep_value
        and cls.to_python is DateTimeField.to_python
    ):
        adapt = conn.ops.adapt_datetimefield_value
        exact = datetime.datetime

        def aware_datetime(value: Any) -> Any:
            # An aware datetime passes get_prep_value unchanged: only the adapter remains.
            if value.__class__ is exact and value.tzinfo is not None:
                return adapt(value)
            return slow(value, conn)

        return aware_datetime
    return lambda value: slow(value, conn)


def _is_int_passthrough(field: Any) -> bool:
    cls = type(field)
    return (
        cls.get_db_prep_save is Field.get_db_prep_save
        and cls.get_db_prep_value in _PASS_THROUGH_DB_VALUE
        and cls.get_prep_value is IntegerField.get_prep_value
    )


def _is_plain_fk(field: Any) -> bool:
    from tether.models.fields.related import ForeignKey

    return type(field).get_db_prep_save is ForeignKey.get_db_prep_save
