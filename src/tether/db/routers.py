"""Database routers: which alias a read or a write goes to, as Django's DATABASE_ROUTERS.

`router` is the one place that picks an alias when the caller named none (no `using()`): it
asks each configured router in turn (`settings.routers`, instances or dotted paths of classes)
and takes the first answer that is not None; a router without the method is skipped. With no
answer a read or write goes to the hinted instance's own database, else to "default"; a
relation is allowed between objects of one database; a migration is allowed everywhere.
Nothing else in tether decides an alias: querysets, managers, instances, related managers,
prefetches and `migrate` all ask here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from tether.conf import settings
from tether.db.connections import DEFAULT_DB_ALIAS
from tether.exceptions import ImproperlyConfigured

__all__ = ["DEFAULT_DB_ALIAS", "ConnectionRouter", "router"]


def import_router(path: str) -> Any:
    """The router class a dotted path names ("myapp.routers.PrimaryReplica")."""
    module_name, _, name = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ImproperlyConfigured(f"Cannot import the database router {path!r}: {exc}") from exc


class ConnectionRouter:
    """Routes reads, writes, relations and migrations through the configured routers.

    `ConnectionRouter(routers=[...])` uses that list; without it the routers are
    `settings.routers`, built again whenever the setting is replaced (configure() and
    override_config() do), so a changed list takes effect on the next call.
    """

    def __init__(self, routers: list[Any] | None = None) -> None:
        self._fixed = routers
        self._source: Any = None
        self._routers: list[Any] = []

    @property
    def routers(self) -> list[Any]:
        source = self._fixed if self._fixed is not None else settings.current().routers
        if source is not self._source:
            # A dotted path names a class, instantiated once per list, as Django does.
            self._routers = [import_router(r)() if isinstance(r, str) else r for r in source]
            self._source = source
        return self._routers

    def _answers(self, action: str, *args: Any, **hints: Any) -> Any:
        """The first answer other than None (a falsy alias counts as none for db_for_*)."""
        for each in self.routers:
            method: Callable[..., Any] | None = getattr(each, action, None)
            if method is None:
                continue
            answer = method(*args, **hints)
            if answer is not None:
                return answer
        return None

    def _route(self, action: str, model: Any, hints: dict[str, Any]) -> str:
        for each in self.routers:
            method = getattr(each, action, None)
            if method is not None:
                chosen = method(model, **hints)
                if chosen:
                    return chosen  # type: ignore[no-any-return]
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # type: ignore[no-any-return]
        return DEFAULT_DB_ALIAS

    def db_for_read(self, model: Any, **hints: Any) -> str:
        """The alias a read of `model` goes to (hints: `instance=` the related object)."""
        return self._route("db_for_read", model, hints)

    def db_for_write(self, model: Any, **hints: Any) -> str:
        """The alias a write of `model` goes to (hints: `instance=` the related object)."""
        return self._route("db_for_write", model, hints)

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        """Whether obj1 and obj2 may be related; without an answer, when on one database."""
        allowed = self._answers("allow_relation", obj1, obj2, **hints)
        if allowed is not None:
            return bool(allowed)
        return bool(obj1._state.db == obj2._state.db)

    def relate(self, instance: Any, value: Any) -> bool:
        """What assigning `value` to a relation of `instance` needs, as Django's descriptors
        do it: an object on no database yet takes the other's write database, then
        allow_relation(value, instance). Without routers this is the fallbacks alone, with
        no calls: it runs on every model construction that passes a related object."""
        instance_state, value_state = instance._state, value._state
        if self.routers:
            if instance_state.db is None:
                instance_state.db = self.db_for_write(type(instance), instance=value)
            if value_state.db is None:
                value_state.db = self.db_for_write(type(value), instance=instance)
            return self.allow_relation(value, instance)
        if instance_state.db is None:
            instance_state.db = value_state.db or DEFAULT_DB_ALIAS
        if value_state.db is None:
            value_state.db = instance_state.db
        return bool(instance_state.db == value_state.db)

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        """Whether a migration operation on `app_label` may run on alias `db`."""
        allowed = self._answers("allow_migrate", db, app_label, **hints)
        return True if allowed is None else bool(allowed)

    def allow_migrate_model(self, db: str, model: Any) -> bool:
        return self.allow_migrate(
            db, model._meta.app_label, model_name=model._meta.model_name, model=model
        )


router = ConnectionRouter()
