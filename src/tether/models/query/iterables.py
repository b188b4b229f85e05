"""Turn fetched rows into results: model instances, dicts, tuples, flat values, named rows.

Each iterable class has `build(rows, entry, db)`: a pure function of the rows and the cached
statement (its column names and converters), so the sync and async paths share it.
"""

from __future__ import annotations

import weakref
from collections import namedtuple
from functools import lru_cache
from typing import Any

from tether.models import signals
from tether.models.base import FetchState, ModelState
from tether.models.fetch_modes import FETCH_ONE, default_mode


def _convert_rows(rows: list[Any], converters: Any) -> list[Any]:
    if not converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for index, funcs in converters:
            value = row[index]
            if value is not None:
                for func in funcs:
                    value = func(value)
                row[index] = value
        converted.append(row)
    return converted


def read_back(rows: list[Any], entry: Any) -> list[Any]:
    """The rows without the trailing columns a SELECT DISTINCT selected only to sort by."""
    width = entry.sort_only
    return [row[:-width] for row in rows] if width else rows


class BaseIterable:
    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset


class ModelIterable(BaseIterable):
    """Model instances built without calling __init__ when no init signal listens."""

    @staticmethod
    def build(rows: list[Any], entry: Any, db: str, model: Any) -> list[Any]:
        names = entry.names
        if entry.klass_info:
            return _build_with_related(_convert_rows(rows, entry.converters), entry, db, model)
        if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
            rows = _convert_rows(rows, entry.converters)
            return [model.from_db(db, list(names), list(row)) for row in rows]
        by_name = entry.by_name
        if by_name is None:
            by_name = entry.by_name = _by_name(names, entry.converters)
        if by_name is False:  # a repeated name: the last column wins, converted
            rows, by_name = _convert_rows(rows, entry.converters), ()
        # One pass: each row's dict is built, then its converted columns replaced in it.
        new = object.__new__
        state = ModelState
        results: list[Any] = []
        append = results.append
        if len(by_name) == 1 and len(by_name[0][2]) == 1:
            name, index, (func,) = by_name[0]
            for row in rows:
                data = dict(zip(names, row, strict=True))
                value = row[index]
                if value is not None:
                    data[name] = func(value)
                data["_state"] = state(db, False)
                obj = new(model)
                obj.__dict__ = data
                append(obj)
            return results
        for row in rows:
            data = dict(zip(names, row, strict=True))
            for name, index, funcs in by_name:
                value = row[index]
                if value is not None:
                    for func in funcs:
                        value = func(value)
                    data[name] = value
            data["_state"] = state(db, False)
            obj = new(model)
            obj.__dict__ = data
            append(obj)
        return results


def _by_name(names: Any, converters: Any) -> Any:
    """(name, index, converters) per converted column; False if a name repeats."""
    if len(set(names)) != len(names):
        return False
    return tuple((names[index], index, funcs) for index, funcs in converters)


def _build_with_related(rows: list[Any], entry: Any, db: str, model: Any) -> list[Any]:
    """select_related(): each row builds the object and its related objects (no extra query)."""
    from tether.models import signals
    from tether.models.sql.related_select import build_related

    def make(cls: Any, attnames: Any, values: Any) -> Any:
        if signals.pre_init.has_listeners(cls) or signals.post_init.has_listeners(cls):
            return cls.from_db(db, list(attnames), list(values))
        obj = object.__new__(cls)
        data = dict(zip(attnames, values, strict=True))
        data["_state"] = ModelState(db, False)
        obj.__dict__ = data
        return obj

    width = entry.main_width
    names = entry.names[:width]
    klasses = entry.klass_info
    results = []
    for row in rows:
        obj = make(model, names, row[:width])
        build_related(obj, row, klasses, db, make)
        results.append(obj)
    return results


def apply_fetch_mode(queryset: Any, results: list[Any]) -> None:
    """Give the instances of a result their QuerySet's fetch mode, unless it is FETCH_ONE by
    every account (then nothing is done, at no cost). Under FETCH_PEERS the instances share
    one list of weak references to each other (a peer never keeps another alive), and
    select_related() objects get the mode too, peers with the objects of the same path."""
    default = default_mode()
    mode = queryset._fetch_mode or default
    if (mode is FETCH_ONE and default is FETCH_ONE) or not results:
        return
    if not issubclass(queryset._iterable_class, ModelIterable):
        return
    groups: dict[tuple[str, ...], list[Any]] = {(): results}
    if queryset._query.select_related:
        seen = {id(obj) for obj in results}
        for obj in results:
            _related_paths(obj, (), groups, seen)
    for group in groups.values():
        peers: list[Any] = []
        for obj in group:
            state = obj._state
            new = FetchState(state.db, state.adding, mode, peers)
            new._fields_cache = state._fields_cache
            obj.__dict__["_state"] = new
            if mode.track_peers:
                peers.append(weakref.ref(obj))


def _related_paths(
    obj: Any, path: tuple[str, ...], groups: dict[Any, list[Any]], seen: Any
) -> None:
    """The select_related() objects hanging from `obj`, grouped by relation path."""
    cache = obj._state._fields_cache
    if not cache:
        return
    for name, related in cache.items():
        if related is None or id(related) in seen or not hasattr(related, "_state"):
            continue
        seen.add(id(related))
        groups.setdefault((*path, name), []).append(related)
        _related_paths(related, (*path, name), groups, seen)


class ValuesIterable(BaseIterable):
    @staticmethod
    def build(rows: list[Any], entry: Any, db: str, model: Any) -> list[Any]:
        names = entry.names
        return [dict(zip(names, row, strict=True)) for row in _convert_rows(rows, entry.converters)]


class ValuesListIterable(BaseIterable):
    @staticmethod
    def build(rows: list[Any], entry: Any, db: str, model: Any) -> list[Any]:
        return [tuple(row) for row in _convert_rows(rows, entry.converters)]


class NamedValuesListIterable(BaseIterable):
    @staticmethod
    def build(rows: list[Any], entry: Any, db: str, model: Any) -> list[Any]:
        row_class = _row_class(tuple(entry.names))
        new = tuple.__new__
        return [new(row_class, row) for row in _convert_rows(rows, entry.converters)]


class FlatValuesListIterable(BaseIterable):
    @staticmethod
    def build(rows: list[Any], entry: Any, db: str, model: Any) -> list[Any]:
        return [row[0] for row in _convert_rows(rows, entry.converters)]


@lru_cache
def _row_class(names: tuple[str, ...]) -> Any:
    """The named tuple of values_list(named=True) rows with these names: a name that is not an
    identifier raises ValueError, as Django's. Its rows pickle by their names and values,
    since the class is made at run time and pickle cannot find it by name."""
    base = namedtuple("Row", names)  # type: ignore[misc]
    return type("Row", (base,), {"__slots__": (), "__reduce__": _reduce_row})


def _reduce_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return _unpickle_row, (row._fields, tuple(row))  # type: ignore[attr-defined]


def _unpickle_row(names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    return _row_class(names)._make(values)
