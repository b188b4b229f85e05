"""RelatedManagerBase: what the reverse foreign key and many-to-many managers share.

A related manager is a manager of the related model's *default manager class*, as Django's
are: `for_manager(type(model._default_manager))` puts the relation's class in front of that
class (one class per pair, cached), so the default manager's `get_queryset()` filters the
related set (soft delete) and its methods, custom or copied from its QuerySet, run on it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from tether.models.query.prefetch import lazy_set


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
