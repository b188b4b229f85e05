"""Attribute access for relations: `article.reporter`, `reporter.article_set`, `place.restaurant`.

Loaded related objects are cached per instance (`_state.fields_cache`). Inside a running event
loop nothing here does hidden I/O: reading a relation that is not loaded raises an error that
says what to prefetch or await instead.
"""

from __future__ import annotations

import asyncio
from functools import cached_property
from typing import Any

from tether.db.routers import router
from tether.exceptions import SynchronousOnlyOperation
from tether.models.fetch_modes import blocked_message, mode_of
from tether.models.query_utils import DeferredAttribute

# The relation manager classes by name ("RelatedManager", "ManyRelatedManager"), registered by
# `tether.models.relations` when `tether.models` is imported: the managers build on the query
# layer, which builds on the fields, so the fields find them here instead of importing them.
MANAGER_CLASSES: dict[str, Any] = {}


def _queryset_for(model: Any, instance: Any) -> Any:
    """The related model's base QuerySet for a fetch on `instance`: the objects it brings take
    the instance's fetch mode, so the mode covers the whole tree of relations (as Django's)."""
    queryset = model._base_manager.db_manager(hints={"instance": instance}).get_queryset()
    mode = instance._state.fetch_mode
    if mode is not None:
        queryset._fetch_mode = mode
    return queryset


def check_relation(instance: Any, value: Any) -> None:
    """Before `instance` points at `value` (or the reverse): an object not on a database yet
    takes the other's write database, then the router must allow the pair (by default: both
    on one database). Django's rule and message."""
    if not router.relate(instance, value):
        raise ValueError(
            f'Cannot assign "{value!r}": the current database router prevents this relation.'
        )


def _not_cached(instances: list[Any], name: str) -> list[Any]:
    return [obj for obj in instances if name not in (obj._state._fields_cache or ())]


def _prefetch_peers(instances: list[Any], name: str, queryset: Any) -> None:
    """FETCH_PEERS: load relation `name` for `instances` with one query (per chunk)."""
    from tether.models.query.prefetch import Prefetch, prefetch_related_objects

    _refuse_lazy_load_in_async(instances[0], name)
    prefetch_related_objects(instances, Prefetch(name, queryset=queryset))


def _refuse_lazy_load_in_async(instance: Any, name: str) -> None:
    if asyncio._get_running_loop() is not None:
        raise SynchronousOnlyOperation(
            f"{type(instance).__name__}.{name} is not loaded and reading it would query the "
            f"database "
            f"inside an event loop. Use select_related('{name}') or prefetch_related('{name}') on "
            "the query that loaded the instance, or fetch it explicitly with an a-prefixed method."
        )


class ForwardManyToOneDescriptor:
    """`article.reporter`: the related object, fetched once and cached."""

    def __init__(self, field: Any) -> None:
        self.field = field

    @cached_property
    def RelatedObjectDoesNotExist(self) -> type:  # noqa: N802 - Django's public name
        model = self.field.remote_field.model
        return type(
            "RelatedObjectDoesNotExist",
            (model.DoesNotExist, AttributeError),
            {
                "__module__": self.field.model.__module__,
                "__qualname__": (
                    f"{self.field.model.__qualname__}.{self.field.name}.RelatedObjectDoesNotExist"
                ),
            },
        )

    def is_cached(self, instance: Any) -> bool:
        return self.field.name in instance._state.fields_cache

    def get_prefetch_querysets(self, instances: Any, querysets: Any = None) -> tuple[Any, ...]:
        """Django's prefetch protocol (prefetch_related() itself uses models/query/prefetch.py)."""
        from tether.models.query.prefetch import _Forward, prefetch_querysets

        return prefetch_querysets(_Forward(self.field), instances, querysets, None, True)

    def get_object(self, instance: Any, value: Any) -> Any:
        model = self.field.remote_field.model
        target = self.field.target_field
        return _queryset_for(model, instance).get(**{target.attname: value})

    # ---- the fetch mode protocol: how to fetch for one instance or for its peers --------

    def blocked_message(self, instance: Any) -> str:
        return blocked_message(instance, self.field.name)

    def fetch_one(self, instance: Any) -> None:
        field = self.field
        _refuse_lazy_load_in_async(instance, field.name)
        obj = self.get_object(instance, getattr(instance, field.attname))
        remote = field.remote_field
        if not remote.multiple and not remote.hidden:
            obj._state.fields_cache[remote.get_accessor_name()] = instance
        instance._state.fields_cache[field.name] = obj

    def fetch_many(self, instances: list[Any]) -> None:
        attname = self.field.attname
        keyed = [obj for obj in instances if obj.__dict__.get(attname) is not None]
        model = self.field.remote_field.model
        queryset = _queryset_for(model, instances[0])
        _prefetch_peers(_not_cached(keyed, self.field.name), self.field.name, queryset)

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        field = self.field
        cache = instance._state.fields_cache
        cached = cache.get(field.name, _MISSING)
        data = instance.__dict__
        if field.attname in data:
            value = data[field.attname]
        elif cached is not _MISSING:
            return cached  # select_related() loaded the object, only()/defer() not its key
        else:
            value = getattr(instance, field.attname)  # a deferred key loads first
        if cached is not None and cached is not _MISSING:
            if getattr(cached, field.target_field.attname) == value:
                return cached
        # A cached None with a key is a row a prefetch queryset left out (changing the key
        # drops the cache): missing, as in Django, rather than loaded behind its back.
        if value is None or cached is None:
            cache[field.name] = None
            if field.null:
                return None
            raise self.RelatedObjectDoesNotExist(f"{type(instance).__name__} has no {field.name}.")
        cache.pop(field.name, None)  # a stale object (the key changed) is not a peer's
        mode_of(instance).fetch(self, instance)
        obj = cache.get(field.name)
        if obj is None:  # FETCH_PEERS found no row for the key
            raise self.RelatedObjectDoesNotExist(f"{type(instance).__name__} has no {field.name}.")
        return obj

    def __set__(self, instance: Any, value: Any) -> None:
        field = self.field
        remote = field.remote_field
        model = remote.model
        if value is not None and not isinstance(value, model._meta.concrete_model):
            raise ValueError(
                f'Cannot assign "{value!r}": "{type(instance).__name__}.{field.name}" must be a '
                f'"{model._meta.object_name}" instance.'
            )
        one_to_one = not remote.multiple and not remote.hidden
        if value is None:
            # The object this one pointed at no longer has it on its reverse one-to-one side.
            previous = instance._state.fields_cache.get(field.name)
            if previous is not None and one_to_one:
                previous._state.fields_cache[remote.get_accessor_name()] = None
            instance.__dict__[field.attname] = None
        else:
            check_relation(instance, value)
            instance.__dict__[field.attname] = getattr(value, field.target_field.attname)
            if one_to_one:
                value._state.fields_cache[remote.get_accessor_name()] = instance
        instance._state.fields_cache[field.name] = value


class ForeignKeyDeferredAttribute(DeferredAttribute):
    """`article.reporter_id`: a data descriptor, so that assigning a different key drops the
    cached `article.reporter` (as Django's does): save() then writes the new key, and the
    relation reads the row it names, instead of the stale object winning."""

    def __init__(self, field: Any) -> None:
        super().__init__(field)
        # Read on every access of the key: kept here rather than looked up on the field.
        self.attname = field.attname
        self.name = field.name

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        try:
            return instance.__dict__[self.attname]
        except KeyError:
            return super().__get__(instance, cls)

    def __set__(self, instance: Any, value: Any) -> None:
        data = instance.__dict__
        if data.get(self.attname) != value:
            # The private slot: most instances never made a cache, and this keeps it so.
            cache = instance._state._fields_cache
            if cache:
                cache.pop(self.name, None)
        data[self.attname] = value


class ForwardOneToOneDescriptor(ForwardManyToOneDescriptor):
    """`restaurant.place`."""


class ReverseOneToOneDescriptor:
    """`place.restaurant`: the object whose OneToOneField points here, else
    RelatedObjectDoesNotExist."""

    def __init__(self, related: Any) -> None:
        self.related = related

    @cached_property
    def RelatedObjectDoesNotExist(self) -> type:  # noqa: N802 - Django's public name
        model = self.related.related_model
        return type(
            "RelatedObjectDoesNotExist",
            (model.DoesNotExist, AttributeError),
            {"__module__": self.related.model.__module__},
        )

    def get_prefetch_querysets(self, instances: Any, querysets: Any = None) -> tuple[Any, ...]:
        """Django's prefetch protocol (prefetch_related() itself uses models/query/prefetch.py)."""
        from tether.models.query.prefetch import _ReverseOne, prefetch_querysets

        return prefetch_querysets(_ReverseOne(self.related), instances, querysets, None, True)

    # ---- the fetch mode protocol: how to fetch for one instance or for its peers --------

    def blocked_message(self, instance: Any) -> str:
        return blocked_message(instance, self.related.get_accessor_name())

    def fetch_one(self, instance: Any) -> None:
        name = self.related.get_accessor_name()
        _refuse_lazy_load_in_async(instance, name)
        model = self.related.related_model
        field = self.related.field
        try:
            obj = _queryset_for(model, instance).get(
                **{field.attname: getattr(instance, field.target_field.attname)}
            )
        except model.DoesNotExist:
            obj = None
        else:
            obj._state.fields_cache[field.name] = instance
        instance._state.fields_cache[name] = obj

    def fetch_many(self, instances: list[Any]) -> None:
        name = self.related.get_accessor_name()
        saved = [obj for obj in instances if obj.pk is not None]
        queryset = _queryset_for(self.related.related_model, instances[0])
        _prefetch_peers(_not_cached(saved, name), name, queryset)

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        name = self.related.get_accessor_name()
        cache = instance._state.fields_cache
        obj = cache.get(name, _MISSING)
        if obj is _MISSING:
            if instance.pk is None:
                cache[name] = None
            else:
                mode_of(instance).fetch(self, instance)
            obj = cache[name]
        if obj is None:
            raise self.RelatedObjectDoesNotExist(f"{type(instance).__name__} has no {name}.")
        return obj

    def __set__(self, instance: Any, value: Any) -> None:
        name = self.related.get_accessor_name()
        field = self.related.field
        if value is None:
            # Forget the object and clear its key (which drops its own cached link to here).
            previous = instance._state.fields_cache.pop(name, None)
            if previous is not None:
                setattr(previous, field.attname, None)
            return
        model = self.related.related_model
        if not isinstance(value, model):
            raise ValueError(
                f'Cannot assign "{value!r}": "{type(instance).__name__}.{name}" must be a '
                f'"{model._meta.object_name}" instance.'
            )
        check_relation(instance, value)
        setattr(value, field.attname, getattr(instance, field.target_field.attname))
        value._state.fields_cache[field.name] = instance
        instance._state.fields_cache[name] = value


class ReverseManyToOneDescriptor:
    """`reporter.article_set`: a related manager over the rows pointing at this instance."""

    def __init__(self, rel: Any) -> None:
        self.rel = rel
        self.field = rel.field

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        manager_class = type(self.rel.related_model._default_manager)
        relation_class = MANAGER_CLASSES["RelatedManager"]
        return relation_class.for_manager(manager_class)(instance, self.rel)

    def __set__(self, instance: Any, value: Any) -> None:
        raise TypeError(
            f"Direct assignment to the reverse side of a related set is prohibited. Use "
            f"{self.rel.get_accessor_name()}.set() instead."
        )


class _Missing:
    pass


_MISSING: Any = _Missing()
