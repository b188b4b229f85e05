"""RelatedManagerBase: what the reverse foreign key and many-to-many managers share.

A related manager is a manager of the related model's *default manager class*, as Django's
are: `for_manager(type(model._default_manager))` puts the relation's class in front of that
class (one class per pair, cached), so the default manager's `get_queryset()` filters the
related set (soft delete) and its methods, custom or copied from its QuerySet, run on it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from functools import cache, partial
from typing import Any

from tether.db.core.requests import CallSync
from tether.models.query.prefetch import lazy_set

Plan = Generator[Any, Any, Any]


def _call_sync(func: Callable[..., Any], kwargs: dict[str, Any]) -> Plan:
    return (yield CallSync(func, kwargs))


@cache
def _combined(relation_class: type, manager_class: type) -> type:
    return type(
        relation_class.__name__,
        (relation_class, manager_class),
        {"__module__": relation_class.__module__, "_relation_class": relation_class},
    )


class RelatedManagerBase:
    """Mixed in before a manager class: the relation narrows what that manager returns."""

    instance: Any
    model: Any
    prefetch_cache_name: str
    # The attribute the manager is read from on the instance (fetch modes load peers by it).
    accessor_name: str
    db: str
    _constructor_args: tuple[tuple[Any, ...], dict[str, Any]]
    _relation_class: type

    @classmethod
    def for_manager(cls, manager_class: type) -> type:
        """The related manager class built on `manager_class` (cached per pair)."""
        return _combined(cls, manager_class)  # type: ignore[arg-type]

    def _apply_rel_filters(self, queryset: Any) -> Any:
        """`queryset` narrowed to the objects related to this instance."""
        raise NotImplementedError

    def _managers_own(self, name: str) -> Any:
        """The default manager class's `name` when the user wrote it (on the manager, or on
        its QuerySet through from_queryset()), else None. Django's related managers reach it
        through super() (a manager's create() that drops an argument, say); tether's run
        their own plans, so they call it when there is one."""
        mro = type(self).__mro__
        relation_class = getattr(type(self), "_relation_class", None)
        if relation_class not in mro:
            return None  # a relation class used on its own, with no manager class after it
        for klass in mro[mro.index(relation_class) + 1 :]:
            func = klass.__dict__.get(name)
            if func is not None:
                target = getattr(func, "__wrapped__", func)  # a manager's copy of a method
                user = not getattr(target, "__module__", "").startswith("tether.")
                return func if user else None
        return None

    def _managers_plan(self, conn: Any, name: str, kwargs: dict[str, Any]) -> Plan | None:
        """A plan calling the user's `name` (see _managers_own) on this relation's manager
        for `conn`, or None when the manager class has tether's own."""
        func = self._managers_own(name)
        if func is None:
            return None
        manager = self.db_manager(conn.alias)  # type: ignore[attr-defined]
        return _call_sync(partial(func, manager), kwargs)

    def _manager_queryset(self) -> Any:
        """What the manager class returns before the relation narrows it (Django's related
        managers call it `super().get_queryset()`)."""
        return super().get_queryset()  # type: ignore[misc]

    def get_queryset(self) -> Any:
        cache = self.instance.__dict__.get("_prefetched_objects_cache")
        if cache:
            prefetched = cache.get(self.prefetch_cache_name)
            if prefetched is not None:
                return prefetched
        queryset = self._apply_rel_filters(self._manager_queryset())
        return lazy_set(queryset, self.instance, self.accessor_name)

    def _remove_prefetched_objects(self) -> None:
        """Writes through the manager make a prefetched result stale: forget it."""
        cache = self.instance.__dict__.get("_prefetched_objects_cache")
        if cache:
            cache.pop(self.prefetch_cache_name, None)

    def __call__(self, *, manager: str) -> Any:
        """The same relation over another manager of the model: `reporter.article_set(
        manager="published")`."""
        manager_class = type(getattr(self.model, manager))
        args, kwargs = self._constructor_args
        return self._relation_class.for_manager(manager_class)(*args, **kwargs)  # type: ignore[attr-defined]
