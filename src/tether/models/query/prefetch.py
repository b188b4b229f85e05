"""prefetch_related(): load the related objects of many instances with one query per level.

`Prefetch` describes one lookup path; `prefetch_plan` walks the paths level by level, runs
one SELECT per relation level (key lists chunked under the backend's parameter limit) and
attaches the results: a filled QuerySet in `_prefetched_objects_cache` for multi-valued
relations, `_state.fields_cache` for single-valued ones, a list for `to_attr`. It is a plan,
so `prefetch_related_objects` (sync) and `aprefetch_related_objects` (async) share it. This
module knows the relation descriptors and managers; it knows nothing of SQL or backends.
Building tens of thousands of related objects, the cyclic garbage collector would cost as much
as the building itself (it rescans every young object many times), so it is paused while the
levels are fetched and attached, and resumed (if it was on) however the plan ends.
"""

from __future__ import annotations

import copy
import gc
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable
from functools import cached_property
from operator import attrgetter
from typing import Any

from tether.db.connections import DEFAULT_DB_ALIAS, connections
from tether.db.core.requests import on_database
from tether.db.core.twins import Job, finished, function_twins
from tether.db.errors import NotSupportedError
from tether.exceptions import EmptyResultSet, FieldDoesNotExist, ObjectDoesNotExist
from tether.models.sql.constants import LOOKUP_SEP
from tether.models.sql.query import Query

Plan = Generator[Any, Any, Any]

VALUES_ERROR = "Prefetch querysets cannot use raw(), values(), and values_list()."


class Prefetch:
    """One prefetch path, optionally with the QuerySet to use and a list attribute to fill."""

    def __init__(self, lookup: str, queryset: Any = None, to_attr: str | None = None) -> None:
        self.prefetch_through = lookup
        self.prefetch_to = lookup
        if queryset is not None:
            from tether.models.query.iterables import ModelIterable

            iterable = getattr(queryset, "_iterable_class", None)
            if iterable is None or not issubclass(iterable, ModelIterable):
                raise ValueError(VALUES_ERROR)
        if to_attr:
            self.prefetch_to = LOOKUP_SEP.join([*lookup.split(LOOKUP_SEP)[:-1], to_attr])
        self.queryset = queryset
        self.to_attr = to_attr

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        if self.queryset is not None:
            queryset = self.queryset._clone()
            queryset._result_cache = []
            queryset._prefetch_done = True
            state["queryset"] = queryset
        return state

    def add_prefix(self, prefix: str) -> None:
        self.prefetch_through = f"{prefix}{LOOKUP_SEP}{self.prefetch_through}"
        self.prefetch_to = f"{prefix}{LOOKUP_SEP}{self.prefetch_to}"

    def get_current_prefetch_to(self, level: int) -> str:
        return LOOKUP_SEP.join(self.prefetch_to.split(LOOKUP_SEP)[: level + 1])

    def get_current_to_attr(self, level: int) -> tuple[str, bool]:
        parts = self.prefetch_to.split(LOOKUP_SEP)
        return parts[level], bool(self.to_attr) and level == len(parts) - 1

    def get_current_querysets(self, level: int) -> list[Any] | None:
        if self.queryset is not None and self.get_current_prefetch_to(level) == self.prefetch_to:
            return [self.queryset]
        return None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Prefetch):
            return NotImplemented
        return self.prefetch_to == other.prefetch_to

    def __hash__(self) -> int:
        return hash((type(self), self.prefetch_to))

    def __repr__(self) -> str:
        return f"<Prefetch: {self.prefetch_to}>"


def normalize_prefetch_lookups(lookups: Iterable[Any], prefix: str | None = None) -> list[Prefetch]:
    """Every lookup as a Prefetch (strings wrapped), prefixed with the level it hangs from."""
    result = []
    for lookup in lookups:
        if not isinstance(lookup, Prefetch):
            lookup = Prefetch(lookup)
        if prefix:
            lookup.add_prefix(prefix)
        result.append(lookup)
    return result


# ---- the lazily built Query of a prefetched QuerySet --------------------------------------


class _DeferredQuery(Query):
    """Stands in for a prefetched QuerySet's Query until something reads it.

    Building the per-instance filter (`article.publications` -> WHERE through.article_id = %s)
    costs far more than the fetch itself across thousands of instances, and is needed only
    when the user chains on the prefetched QuerySet (`.filter()`, `.order_by()`), so it is
    built on first touch: the placeholder then turns into that Query in place.
    """

    def __init__(self, level: Any, key: Any, template: Any) -> None:
        # The key, not the instance: no reference cycle, so the objects die by refcount.
        object.__setattr__(self, "_deferred_build", (level, key, template))

    def __getattribute__(self, name: str) -> Any:
        _materialize(self)
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        _materialize(self)
        object.__setattr__(self, name, value)


def _materialize(placeholder: Any) -> None:
    state = object.__getattribute__(placeholder, "__dict__")
    build = state.get("_deferred_build")
    if build is None:
        return
    level, key, template = build
    real = level.filtered(key, template)._query
    object.__setattr__(placeholder, "__dict__", dict(real.__dict__))
    object.__setattr__(placeholder, "__class__", type(real))


# ---- one relation kind per class: what to query and how to attach ------------------------


class _Level:
    """How one relation is prefetched: the query, the keys on both sides, where results go."""

    single = False
    cache_name = ""

    def queryset(self, queryset: Any, alias: str | None) -> Any:
        raise NotImplementedError

    def filter_name(self) -> str:
        raise NotImplementedError

    def instance_key(self, instance: Any) -> Any:
        raise NotImplementedError

    def related_key(self, obj: Any) -> Any:
        raise NotImplementedError

    def prepare(self, queryset: Any) -> Any:
        """The chunk QuerySet's last touches (m2m: select the source key)."""
        return queryset

    def partition_ref(self) -> str | None:
        """The path of the key that groups the fetched rows per instance, for a sliced
        Prefetch queryset; None where a relation holds one object (slicing is refused)."""
        return None

    def base_queryset(self, querysets: list[Any] | None, alias: str | None) -> Any:
        """The QuerySet to fetch from: the Prefetch's own, else the relation's default."""
        return self.queryset(querysets[0] if querysets else None, alias)

    def fetch_plan(self, conn: Any, instances: list[Any], base: Any) -> Plan:
        """The related rows of `instances`: one query on their keys (chunked if need be)."""
        keys = list(dict.fromkeys(k for k in map(self.instance_key, instances) if k is not None))
        return (yield from _fetch_related_plan(conn, self, base, keys))

    def attach_related(
        self, groups: dict[Any, list[Any]], instances: list[Any], nested: frozenset[str]
    ) -> None:
        """Set the back-reference on each fetched object, as the relation's manager would,
        unless the fetched objects' own queryset prefetches it (a name in `nested`): that
        prefetch fills it, with its own queryset, as in Django."""

    def is_cached(self, instance: Any) -> bool:
        return self.cache_name in instance._state.fields_cache

    def get_prefetch_querysets(self, instances: Any, querysets: Any = None) -> tuple[Any, ...]:
        """Django's protocol on the level itself: get_prefetcher() returns levels."""
        return prefetch_querysets(self, instances, querysets, None, self.single)


class _Single(_Level):
    """A single related object per instance: the order of the rows does not matter."""

    single = True

    def prepare(self, queryset: Any) -> Any:
        # Django sends no ORDER BY here (not even Meta.ordering), unless the queryset is sliced.
        clone = queryset._clone()
        clone._query.clear_ordering(force=False)
        return clone


class _Forward(_Single):
    """`article.reporter`, `restaurant.place`: the key is on the instance."""

    def __init__(self, field: Any) -> None:
        self.field = field
        self.cache_name = field.name
        self.target = field.target_field

    def queryset(self, queryset: Any, alias: str | None) -> Any:
        if queryset is not None:
            return queryset
        return self.field.remote_field.model._base_manager.db_manager(alias).all()

    def filter_name(self) -> str:
        return f"{self.target.name}__in"

    def instance_key(self, instance: Any) -> Any:
        return getattr(instance, self.field.attname)

    def related_key(self, obj: Any) -> Any:
        return getattr(obj, self.target.attname)

    def attach_related(
        self, groups: dict[Any, list[Any]], instances: list[Any], nested: frozenset[str]
    ) -> None:
        remote = self.field.remote_field
        if remote.multiple or remote.hidden:
            return
        name = remote.get_accessor_name()
        if name in nested:
            return
        by_key = {self.instance_key(obj): obj for obj in instances}
        for key, objs in groups.items():
            for obj in objs:
                obj._state.fields_cache[name] = by_key[key]


class _ReverseOne(_Single):
    """`place.restaurant`: the key is on the related object."""

    def __init__(self, related: Any) -> None:
        self.related = related
        self.field = related.field
        self.cache_name = related.get_accessor_name()

    def queryset(self, queryset: Any, alias: str | None) -> Any:
        if queryset is not None:
            return queryset
        return self.related.related_model._base_manager.db_manager(alias).all()

    def filter_name(self) -> str:
        return f"{self.field.name}__in"

    def partition_ref(self) -> str | None:
        return self.field.attname  # type: ignore[no-any-return]

    def instance_key(self, instance: Any) -> Any:
        return getattr(instance, self.field.target_field.attname)

    def related_key(self, obj: Any) -> Any:
        return getattr(obj, self.field.attname)

    def attach_related(
        self, groups: dict[Any, list[Any]], instances: list[Any], nested: frozenset[str]
    ) -> None:
        name = self.field.name
        if name in nested:
            return
        by_key = {self.instance_key(obj): obj for obj in instances}
        for key, objs in groups.items():
            for obj in objs:
                obj._state.fields_cache[name] = by_key[key]


class _ReverseMany(_Level):
    """`reporter.article_set`: the rows whose foreign key points at each instance."""

    def __init__(self, rel: Any) -> None:
        self.rel = rel
        self.field = rel.field
        self.cache_name = rel.get_accessor_name()

    def queryset(self, queryset: Any, alias: str | None) -> Any:
        if queryset is not None:
            return queryset
        return self.rel.related_model._default_manager.db_manager(alias).get_queryset()

    def filter_name(self) -> str:
        return f"{self.field.name}__in"

    def partition_ref(self) -> str | None:
        return self.field.attname  # type: ignore[no-any-return]

    def instance_key(self, instance: Any) -> Any:
        return getattr(instance, self.field.target_field.attname)

    def related_key(self, obj: Any) -> Any:
        return obj.__dict__.get(self.field.attname)

    def attach_related(
        self, groups: dict[Any, list[Any]], instances: list[Any], nested: frozenset[str]
    ) -> None:
        name = self.field.name
        if name in nested:
            return
        by_key = {self.instance_key(obj): obj for obj in instances}
        for key, objs in groups.items():
            owner = by_key[key]
            for obj in objs:
                cache = obj._state.fields_cache
                if name not in cache:
                    cache[name] = owner

    def filtered(self, key: Any, template: Any) -> Any:
        """`template` narrowed to the rows of one instance, as its related manager narrows it."""
        return template.filter(**{self.field.attname: key})

    def known_related(self, instance: Any) -> dict[Any, dict[Any, Any]]:
        return {self.field: {self.instance_key(instance): instance}}


class _ManyToMany(_Level):
    """Both sides of a many-to-many: targets joined with the through table, one query.

    The source key comes back as an extra selected column of the same rows, so each target
    is attached to its sources without reading the through table separately.
    """

    def __init__(self, field: Any, reverse: bool) -> None:
        self.field = field
        self.reverse = reverse
        if reverse:
            self.model = field.model
            self.query_field_name = field.name
            source_name = field.m2m_reverse_field_name()
            self.cache_name = field.related_query_name()
        else:
            self.model = field.remote_field.model
            self.query_field_name = field.related_query_name()
            source_name = field.m2m_field_name()
            self.cache_name = field.name
        source_fk = field.remote_field.through._meta.get_field(source_name)
        self.key_field = source_fk.target_field
        self.value_name = f"_prefetch_related_val_{source_fk.attname}"
        # Deliberately shadows the method with a C getter: it runs once per fetched row.
        self.related_key = attrgetter(self.value_name)  # type: ignore[method-assign,assignment]

    def queryset(self, queryset: Any, alias: str | None) -> Any:
        if queryset is not None:
            return queryset
        return self.model._default_manager.db_manager(alias).get_queryset()

    def filter_name(self) -> str:
        if self.key_field.primary_key:
            return f"{self.query_field_name}__in"
        # A through model keyed on another column (to_field): compare with that column.
        return f"{self.partition_ref()}__in"

    def partition_ref(self) -> str:
        return f"{self.query_field_name}{LOOKUP_SEP}{self.key_field.name}"

    def prepare(self, queryset: Any) -> Any:
        from tether.models.expressions import F

        return queryset.annotate(**{self.value_name: F(self.partition_ref())})

    def instance_key(self, instance: Any) -> Any:
        return getattr(instance, self.key_field.attname)

    def filtered(self, key: Any, template: Any) -> Any:
        """`template` narrowed to one instance's targets, as ManyRelatedManager narrows it."""
        queryset = template._clone()
        queryset._sticky_filter = True
        return queryset.filter(**{f"{self.query_field_name}{LOOKUP_SEP}{self.key_field.name}": key})

    def known_related(self, instance: Any) -> dict[Any, dict[Any, Any]]:
        return {}


def _level_for(descriptor: Any) -> _Level | None:
    """The prefetcher for a relation descriptor, or None for anything else."""
    from tether.models.fields.m2m import ManyToManyDescriptor
    from tether.models.fields.related_descriptors import (
        ForwardManyToOneDescriptor,
        ReverseManyToOneDescriptor,
        ReverseOneToOneDescriptor,
    )

    own = getattr(descriptor, "get_prefetch_level", None)
    if own is not None:
        return own()  # type: ignore[no-any-return]  # a relation of its own kind (contrib)
    if isinstance(descriptor, ForwardManyToOneDescriptor):
        return _Forward(descriptor.field)
    if isinstance(descriptor, ReverseOneToOneDescriptor):
        return _ReverseOne(descriptor.related)
    if isinstance(descriptor, ReverseManyToOneDescriptor):
        return _ReverseMany(descriptor.rel)
    if isinstance(descriptor, ManyToManyDescriptor):
        return _ManyToMany(descriptor.field, descriptor.reverse)
    return None


def get_prefetcher(instance: Any, through_attr: str, to_attr: str) -> tuple[Any, Any, bool, Any]:
    """(prefetcher or None, descriptor, attribute found, is-already-fetched test)."""

    def has_to_attr(obj: Any) -> bool:
        return hasattr(obj, to_attr)

    is_fetched: Callable[[Any], bool] = has_to_attr
    descriptor = getattr(type(instance), through_attr, None)
    if descriptor is None:
        return None, None, hasattr(instance, through_attr), is_fetched
    level = _level_for(descriptor)
    if level is None:
        return None, descriptor, True, is_fetched
    if level.single:
        if through_attr == to_attr:
            is_fetched = level.is_cached
    elif through_attr == to_attr:

        def in_prefetched_cache(obj: Any) -> bool:
            return through_attr in obj._prefetched_objects_cache

        is_fetched = in_prefetched_cache
    elif isinstance(getattr(type(instance), to_attr, None), cached_property):

        def has_cached_property(obj: Any) -> bool:
            return to_attr in obj.__dict__

        is_fetched = has_cached_property
    return level, descriptor, True, is_fetched


# ---- the plan -----------------------------------------------------------------------------


def prefetch_plan(model_instances: Any, related_lookups: Iterable[Any], conn: Any) -> Plan:
    """Fill the prefetch caches of `model_instances` for every lookup: one query per level."""
    if not model_instances:
        return
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield from _lookups_plan(model_instances, related_lookups, conn)
    finally:
        if collecting:
            gc.enable()


def _lookups_plan(model_instances: Any, related_lookups: Iterable[Any], conn: Any) -> Plan:
    done: dict[str, list[Any]] = {}
    auto_lookups: set[Prefetch] = set()
    followed: set[Any] = set()
    pending = normalize_prefetch_lookups(reversed(list(related_lookups)))
    while pending:
        lookup = pending.pop()
        if lookup.prefetch_to in done:
            if lookup.queryset is not None:
                raise ValueError(
                    f"'{lookup.prefetch_to}' lookup was already seen with a different queryset. "
                    "You may need to adjust the ordering of your lookups."
                )
            continue
        obj_list = model_instances
        through_attrs = lookup.prefetch_through.split(LOOKUP_SEP)
        for level, through_attr in enumerate(through_attrs):
            if not obj_list:
                break
            prefetch_to = lookup.get_current_prefetch_to(level)
            if prefetch_to in done:
                obj_list = done[prefetch_to]
                continue
            if not _give_caches(obj_list):
                break
            first = obj_list[0]
            to_attr = lookup.get_current_to_attr(level)[0]
            prefetcher, descriptor, found, is_fetched = get_prefetcher(first, through_attr, to_attr)
            if not found:
                raise AttributeError(
                    f"Cannot find '{through_attr}' on {type(first).__name__} object, "
                    f"'{lookup.prefetch_through}' is an invalid parameter to prefetch_related()"
                )
            if level == len(through_attrs) - 1 and prefetcher is None:
                raise ValueError(
                    f"'{lookup.prefetch_through}' does not resolve to an item that supports "
                    "prefetching - this is an invalid parameter to prefetch_related()."
                )
            to_fetch = [o for o in obj_list if not is_fetched(o)] if prefetcher is not None else []
            if to_fetch:
                obj_list, additional = yield from one_level_plan(
                    conn, to_fetch, prefetcher, lookup, level
                )
                key = descriptor if descriptor is not None else type(prefetcher)
                if not (prefetch_to in done and lookup in auto_lookups and key in followed):
                    done[prefetch_to] = obj_list
                    new_lookups = normalize_prefetch_lookups(reversed(additional), prefetch_to)
                    auto_lookups.update(new_lookups)
                    pending.extend(new_lookups)
                followed.add(key)
            else:
                obj_list = _follow_loaded(obj_list, through_attr)


def _give_caches(obj_list: list[Any]) -> bool:
    """Make sure each object has a prefetch cache; False for results that are not instances."""
    for obj in obj_list:
        if "_prefetched_objects_cache" not in getattr(obj, "__dict__", ()):
            try:
                obj._prefetched_objects_cache = {}
            except (AttributeError, TypeError):
                return False
    return True


def _follow_loaded(obj_list: list[Any], through_attr: str) -> list[Any]:
    """The next level's objects when this level is already loaded (or is a plain attribute)."""
    result: list[Any] = []
    for obj in obj_list:
        cache: dict[str, Any] = getattr(obj, "_prefetched_objects_cache", {})
        if through_attr in cache:
            value: Any = list(cache[through_attr])
        else:
            try:
                value = getattr(obj, through_attr)
            except ObjectDoesNotExist:
                continue
        if value is None:
            continue
        if isinstance(value, list):
            result.extend(value)
        else:
            result.append(value)
    return result


def _chunk_size(conn: Any, queryset: Any) -> int | None:
    """How many keys fit in one query next to the parameters the queryset already has."""
    limit = conn.features.max_query_params
    if not limit:
        return None
    try:
        _, params = queryset._query.get_compiler(connection=conn).compiled()
    except EmptyResultSet:
        params = []
    return max(limit - len(params), 1)


def _fetch_related_plan(conn: Any, level: _Level, base: Any, keys: list[Any]) -> Plan:
    """The related rows for `keys`: one query, or one per chunk under the parameter limit."""
    if not keys:
        return []
    size = _chunk_size(conn, base) if len(keys) > 1 else None
    rows: list[Any] = []
    step = size or len(keys)
    for start in range(0, len(keys), step):
        chunk = _narrowed(level, base, keys[start : start + step], conn)
        rows.extend((yield from chunk._fetch_plan(conn)))
    return rows


def _narrowed(level: _Level, base: Any, keys: Any, conn: Any) -> Any:
    """`base` narrowed to the related rows of `keys`. A sliced `base` (`qs[1:3]`) keeps its
    slice within each instance's related set: its rows are numbered per instance with
    ROW_NUMBER() in the queryset's own order and filtered on that number, as Django does."""
    query = base._query
    partition = level.partition_ref()
    if not query.is_sliced or partition is None:
        return level.prepare(_with_keys(base, level, keys))
    if not conn.features.supports_over_clause:
        raise NotSupportedError(
            "Prefetching from a limited queryset is only supported on backends that support "
            "window functions."
        )
    from tether.models.expressions import F
    from tether.models.expressions.window import Window
    from tether.models.functions import RowNumber

    unsliced = base._chain()
    unsliced._query.clear_limits()
    narrowed = level.prepare(_with_keys(unsliced, level, keys))
    number = Window(RowNumber(), partition_by=F(partition), order_by=_ordering(query) or None)
    bounds = {"_prefetch_related_row__gt": query.low_mark}
    if query.high_mark is not None:
        bounds["_prefetch_related_row__lte"] = query.high_mark
    return narrowed.alias(_prefetch_related_row=number).filter(**bounds)


def _with_keys(queryset: Any, level: _Level, keys: Any) -> Any:
    """`queryset` filtered on the instance keys. The filter reuses the joins the queryset
    already has (e.g. an annotation across the same many-to-many), as Django's prefetch does,
    so that it does not span the relation a second time."""
    if queryset._query.is_sliced:
        raise TypeError("Cannot filter a query once a slice has been taken.")
    from tether.models.query_utils import Q

    narrowed = queryset._chain()
    narrowed._query.add_q(Q(**{level.filter_name(): keys}), reuse_all=True)
    return narrowed


def _ordering(query: Any) -> list[Any]:
    """The order a query's rows come in (order_by(), else Meta.ordering; reverse() applied),
    as terms a Window's order_by takes."""
    terms = list(query.order_by)
    if not terms and query.default_ordering:
        terms = list(query.model._meta.ordering or ())
    terms = [term for term in terms if term != "?"]
    if query.standard_ordering:
        return terms
    return [_reversed(term) for term in terms]


def _reversed(term: Any) -> Any:
    if isinstance(term, str):
        return term[1:] if term.startswith("-") else f"-{term}"
    if not hasattr(term, "reverse_ordering"):
        term = term.asc()
    return copy.copy(term).reverse_ordering()


def one_level_plan(
    conn: Any, instances: list[Any], level: _Level, lookup: Prefetch, depth: int
) -> Plan:
    """Fetch one relation for `instances` and attach the results; (objects, nested lookups)."""
    base = _routed(level.base_queryset(lookup.get_current_querysets(depth), None), instances)
    # A generic foreign key has no one queryset (None): it reads each model on `conn`.
    alias = conn.alias if base is None else base.db
    additional = [copy.copy(item) for item in getattr(base, "_prefetch_related_lookups", ())]
    fetch_base = base
    # The objects take the mode of the instances they hang from (a fetch mode covers the tree).
    mode = instances[0]._state.fetch_mode if instances else None
    if additional or (mode is not None and getattr(base, "_fetch_mode", mode) is None):
        fetch_base = base._clone()
        fetch_base._prefetch_related_lookups = ()
        if mode is not None and fetch_base._fetch_mode is None:
            fetch_base._fetch_mode = mode
    to_attr, as_attr = lookup.get_current_to_attr(depth)
    if as_attr and instances:
        model = type(instances[0])
        try:
            model._meta.get_field(to_attr)
        except FieldDoesNotExist:
            pass
        else:
            raise ValueError(
                f"to_attr={to_attr} conflicts with a field on the {model.__name__} model."
            )
    rows = yield from on_database(
        conn, alias, lambda there: level.fetch_plan(there, instances, fetch_base)
    )
    _attach(alias, instances, rows, level, lookup, depth, base)
    return rows, additional


def _routed(queryset: Any, instances: list[Any]) -> Any:
    """`queryset` with the first instance as the router's hint (Django's prefetchers add it):
    with no router answer, the related rows are read from the instances' database."""
    if not instances or queryset is None:
        return queryset
    queryset = queryset._clone()
    queryset._hints = {**queryset._hints, "instance": instances[0]}
    return queryset


def _attach(
    alias: str,
    instances: list[Any],
    rows: list[Any],
    level: _Level,
    lookup: Prefetch,
    depth: int,
    base: Any,
) -> None:
    """Group the fetched rows by key and hang them on their instances."""
    to_attr, as_attr = lookup.get_current_to_attr(depth)
    groups: dict[Any, list[Any]] = defaultdict(list)
    related_key = level.related_key
    for obj in rows:
        groups[related_key(obj)].append(obj)
    nested = frozenset(
        item.prefetch_through.split(LOOKUP_SEP)[0]
        for item in normalize_prefetch_lookups(getattr(base, "_prefetch_related_lookups", ()))
    )
    level.attach_related(groups, instances, nested)
    leaf = len(lookup.prefetch_through.split(LOOKUP_SEP)) - 1 == depth
    if level.single:
        _attach_single(instances, level, groups, to_attr, as_attr)
    elif as_attr:
        for obj in instances:
            setattr(obj, to_attr, groups.get(level.instance_key(obj)) or [])
    else:
        template = base if (leaf and lookup.queryset is not None) else level.queryset(None, alias)
        _attach_querysets(instances, level, groups, template)


def _attach_single(
    instances: list[Any], level: _Level, groups: dict[Any, list[Any]], to_attr: str, as_attr: bool
) -> None:
    for obj in instances:
        found = groups.get(level.instance_key(obj))
        value = found[0] if found else None
        if as_attr:
            setattr(obj, to_attr, value)
        else:
            obj._state.fields_cache[level.cache_name] = value


def _attach_querysets(
    instances: list[Any], level: Any, groups: dict[Any, list[Any]], template: Any
) -> None:
    """Give each instance a QuerySet with its results filled in; its Query is built lazily."""
    cls = type(template)
    state = template.__dict__.copy()
    state["_prefetch_related_lookups"] = ()
    state["_prefetch_done"] = True
    state.pop("_query", None)
    new = object.__new__
    name = level.cache_name
    with_known = isinstance(level, _ReverseMany)
    deferred = _DeferredQuery
    key = level.instance_key
    for obj in instances:
        queryset = new(cls)
        data = state.copy()
        value = key(obj)
        data["_result_cache"] = groups.get(value) or []
        data["_query"] = deferred(level, value, template)
        if with_known:
            data["_known_related_objects"] = level.known_related(obj)
        queryset.__dict__ = data
        obj._prefetched_objects_cache[name] = queryset


# ---- fetch modes on related managers ------------------------------------------------------


def lazy_set(queryset: Any, instance: Any, accessor: str) -> Any:
    """Mark a related manager's unfiltered set: evaluating it is a lazy fetch of `accessor`,
    which the instance's fetch mode may batch or refuse (`lazy_set_plan`). Its objects take
    the instance's mode, as Django passes it on through related managers."""
    queryset._lazy_fetch = (instance, accessor)
    mode = instance._state.fetch_mode
    if mode is not None:
        queryset._fetch_mode = mode
    return queryset


class _SetFetch:
    """The fetcher a mode decides for: a plan cannot fetch inside `mode.fetch()` (it must
    yield its queries), so this records the decision and `lazy_set_plan` acts on it."""

    def __init__(self, accessor: str) -> None:
        self.accessor = accessor
        self.peers: list[Any] | None = None

    def blocked_message(self, instance: Any) -> str:
        from tether.models.fetch_modes import blocked_message

        return (
            f"{blocked_message(instance, self.accessor)} Load it with "
            f"prefetch_related('{self.accessor}') on the query that loaded the instance."
        )

    def fetch_one(self, instance: Any) -> None:
        self.peers = None

    def fetch_many(self, instances: list[Any]) -> None:
        self.peers = instances


def lazy_set_plan(conn: Any, queryset: Any) -> Plan:
    """Evaluate a marked set: None to run its own query (FETCH_ONE, or no live peer), else
    its objects, fetched with the sets of all its peers in one query (per chunk)."""
    from tether.models.fetch_modes import mode_of

    instance, accessor = queryset._lazy_fetch
    decision = _SetFetch(accessor)
    mode_of(instance).fetch(decision, instance)
    if decision.peers is None:
        return None
    level = _level_for(getattr(type(instance), accessor))
    name = level.cache_name  # type: ignore[union-attr]
    missing = [
        p for p in decision.peers if name not in p.__dict__.get("_prefetched_objects_cache", ())
    ]
    if missing:
        base = level.queryset(None, conn.alias)  # type: ignore[union-attr]
        base._fetch_mode = queryset._fetch_mode
        yield from prefetch_plan(missing, [Prefetch(accessor, queryset=base)], conn)
    return list(instance._prefetched_objects_cache[name]._result_cache)


# ---- Django's prefetch protocol -----------------------------------------------------------


def prefetch_querysets(
    level: _Level, instances: Any, querysets: Any, using: str | None, is_descriptor: bool
) -> tuple[Any, ...]:
    """Django's get_prefetch_querysets() answer for a relation level: (the queryset of the
    related rows of every instance, the related row's key, the instance's key, single, cache
    name, is a descriptor). `using`: a related manager's own alias (db_manager()), else the
    router decides."""
    if querysets and len(querysets) != 1:
        raise ValueError(
            "querysets argument of get_prefetch_querysets() should have a length of 1."
        )
    queryset = _routed(level.queryset(querysets[0] if querysets else None, None), list(instances))
    if using is not None and queryset._db is None:
        queryset = queryset.using(using)
    keys = {key for key in map(level.instance_key, instances) if key is not None}
    queryset = _narrowed(level, queryset, keys, connections[queryset.db])
    return (
        queryset,
        level.related_key,
        level.instance_key,
        level.single,
        level.cache_name,
        is_descriptor,
    )


# ---- public entry points ------------------------------------------------------------------


def _connection_for(instances: list[Any]) -> Any:
    first = instances[0]
    state = getattr(first, "_state", None)
    return connections[getattr(state, "db", None) or DEFAULT_DB_ALIAS]


def _prefetch_related_objects_job(model_instances: Iterable[Any], *related_lookups: Any) -> Job:
    instances = list(model_instances)
    if not instances or not related_lookups:
        return finished(None)
    conn = _connection_for(instances)
    return Job(conn, prefetch_plan(instances, related_lookups, conn))


prefetch_related_objects, aprefetch_related_objects = function_twins(
    _prefetch_related_objects_job,
    "prefetch_related_objects",
    "Populate prefetched caches of `model_instances` (one query per relation level); the "
    "a-twin runs the same plan through the async runner (no thread).",
)


__all__ = [
    "Prefetch",
    "aprefetch_related_objects",
    "lazy_set",
    "lazy_set_plan",
    "normalize_prefetch_lookups",
    "prefetch_plan",
    "prefetch_related_objects",
]
