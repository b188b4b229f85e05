"""ManyRelatedManager: both sides of a many-to-many relation, as one class.

Reads are QuerySets over the target model joined through the through table. Writes are plans
from `m2m_writes` (decide a strategy, then act): add() is one INSERT that skips existing pairs,
remove() and clear() one DELETE, set() a DELETE of the links not wanted plus the add();
symmetrical relations write both directions in the same statements.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from typing import TYPE_CHECKING, Any

from tether.db.connections import connections
from tether.db.core.requests import on_database
from tether.db.core.twins import Job, twins
from tether.db.routers import router
from tether.db.transaction import atomic_plan
from tether.models.manager import BaseManager
from tether.models.manager_methods import ManagerMethods
from tether.models.query.prefetch import _ManyToMany, prefetch_querysets
from tether.models.relations import m2m_writes
from tether.models.relations.base import RelatedManagerBase
from tether.models.relations.m2m_writes import AddStrategy, choose_add_strategy
from tether.models.type_vars import M

Plan = Generator[Any, Any, Any]


class ManyRelatedManager(RelatedManagerBase, ManagerMethods[M]):
    """`article.publications` and `publication.article_set`: to a type checker a
    `ManyRelatedManager[Publication]` (the forward side from the field; the reverse side
    declared in the model's body: `article_set: ManyRelatedManager["Article"]`)."""

    # Constants of the field's side, copied from `field.manager_attrs(reverse)`.
    field: Any
    # As Django's: the side flag shadows QuerySet.reverse() on this manager.
    reverse: bool  # type: ignore[assignment]
    through: Any
    query_field_name: str
    symmetrical: bool
    source_field_name: str
    target_field_name: str
    source_field: Any
    target_field: Any

    def __init__(self, instance: Any, field: Any, reverse: bool) -> None:
        super().__init__()  # the default manager class's
        attrs = field.manager_attrs(reverse)
        self.__dict__.update(attrs)
        self.instance = instance
        self.related_val = getattr(instance, attrs["_key_attname"])
        if self.related_val is None:
            raise ValueError(
                f'"{instance!r}" needs to have a value for field "{attrs["_key_attname"]}" '
                "before this many-to-many relationship can be used."
            )
        if instance.pk is None:
            # A relation on another key still needs a saved row on this side.
            raise ValueError(
                f"{type(instance).__name__!r} instance needs to have a primary key value before "
                "a many-to-many relationship can be used."
            )
        self.core_filters = {attrs["_core_filter_key"]: self.related_val}
        # No alias of its own: reads and writes ask the router, with this instance as the hint.
        self._db = None
        self._hints = {"instance": instance}
        self.accessor_name = field.remote_field.get_accessor_name() if reverse else field.name

    # ---- reading -------------------------------------------------------------------------

    def _apply_rel_filters(self, queryset: Any) -> Any:
        """`queryset` narrowed to the objects linked to this instance."""
        queryset = queryset._clone()
        queryset._sticky_filter = True
        return queryset.filter(**self.core_filters)

    def _links_only(self) -> Any:
        """The through rows of this instance, when counting them answers for the targets: the
        target key has a foreign key constraint (every link has its target row) and the target
        model's default manager filters nothing. None when the join is needed."""
        if not self.target_field.db_constraint:
            return None
        links = self.through._base_manager.db_manager(self._db, hints=self._hints)
        if not connections[links.db].features.supports_foreign_keys:
            return None
        if type(self.model._default_manager).get_queryset is not BaseManager.get_queryset:
            return None
        cache = self.instance.__dict__.get("_prefetched_objects_cache")
        if cache and self.prefetch_cache_name in cache:
            return None
        links = links.filter(**{self.source_field_name: self.related_val})
        if self.target_field.null:
            links = links.filter(**{f"{self.target_field_name}__isnull": False})
        return links

    def _counted(self) -> Any:
        links = self._links_only()
        return links if links is not None else self.get_queryset()

    def _count_job(self) -> Job:
        return self._counted()._count_job()  # type: ignore[no-any-return]

    def _exists_job(self) -> Job:
        return self._counted()._exists_job()  # type: ignore[no-any-return]

    if TYPE_CHECKING:  # what twins() makes, typed

        def count(self) -> int: ...
        async def acount(self) -> int: ...
        def exists(self) -> bool: ...
        async def aexists(self) -> bool: ...

    else:
        count, acount = twins(_count_job, "count", "The number of related objects.")
        exists, aexists = twins(_exists_job, "exists", "Whether any object is related.")

    def get_prefetch_querysets(self, instances: Any, querysets: Any = None) -> tuple[Any, ...]:
        """Django's prefetch protocol: (queryset of the targets of every instance, the target's
        source key, the instance's key, single, cache name, is a descriptor)."""
        level = _ManyToMany(self.field, self.reverse)
        return prefetch_querysets(level, instances, querysets, self._db, False)

    # ---- writes: plans in m2m_writes, run here ------------------------------------------

    def _through_alias(self) -> str:
        """Link rows are written where the router writes the through model (Django's rule)."""
        return router.db_for_write(self.through, instance=self.instance)

    def _through_connection(self) -> Any:
        return connections[self._through_alias()]

    def _link_created_plan(self, conn: Any, obj: Any, through_defaults: Any) -> Plan:
        """Link an object just created on `conn`, on the through model's database."""
        return on_database(
            conn,
            self._through_alias(),
            lambda there: self._add_plan(there, (obj,), through_defaults),
        )

    def _object_connection(self) -> Any:
        """create() and get_or_create() write the object where the router writes this
        instance's model (Django's rule); its link then goes to the through model's."""
        return connections[router.db_for_write(type(self.instance), instance=self.instance)]

    def _add_plan(self, conn: Any, objs: tuple[Any, ...], through_defaults: Any) -> Plan:
        self._remove_prefetched_objects()
        return (yield from m2m_writes.add(self, conn, objs, through_defaults))

    def _check_own_fields(self, source_field_name: str, target_field_name: str) -> None:
        if (source_field_name, target_field_name) != (
            self.source_field_name,
            self.target_field_name,
        ):
            raise ValueError(
                f"This manager links {self.source_field_name!r} to {self.target_field_name!r}; "
                "tether writes a symmetrical relation's mirror rows with the forward ones."
            )

    def _add_items(
        self,
        source_field_name: str,
        target_field_name: str,
        *objs: Any,
        through_defaults: Any = None,
    ) -> None:
        """Django's low-level add between the through model's two link fields."""
        self._check_own_fields(source_field_name, target_field_name)
        self.add(*objs, through_defaults=through_defaults)

    def _remove_items(self, source_field_name: str, target_field_name: str, *objs: Any) -> None:
        """Django's low-level remove between the through model's two link fields."""
        self._check_own_fields(source_field_name, target_field_name)
        self.remove(*objs)

    def _add_job(self, *objs: Any, through_defaults: Any = None) -> Job:
        conn = self._through_connection()
        return Job(conn, self._add_plan(conn, objs, through_defaults))

    # Objects are instances or their keys: typed `M | Any`, which checks no more than Any.
    if TYPE_CHECKING:  # what twins() makes, typed

        def add(self, *objs: M | Any, through_defaults: Any = None) -> None: ...
        async def aadd(self, *objs: M | Any, through_defaults: Any = None) -> None: ...

    else:
        add, aadd = twins(
            _add_job, "add", "Link `objs` (instances or keys); existing links are left as they are."
        )

    def _remove_plan(self, conn: Any, objs: tuple[Any, ...]) -> Plan:
        self._remove_prefetched_objects()
        return (yield from m2m_writes.remove(self, conn, objs))

    def _remove_job(self, *objs: Any) -> Job:
        conn = self._through_connection()
        return Job(conn, self._remove_plan(conn, objs))

    if TYPE_CHECKING:  # what twins() makes, typed

        def remove(self, *objs: M | Any) -> None: ...
        async def aremove(self, *objs: M | Any) -> None: ...

    else:
        remove, aremove = twins(_remove_job, "remove", "Unlink `objs` (instances or keys).")

    def _clear_plan(self, conn: Any) -> Plan:
        self._remove_prefetched_objects()
        return (yield from m2m_writes.clear(self, conn))

    def _clear_job(self) -> Job:
        conn = self._through_connection()
        return Job(conn, self._clear_plan(conn))

    if TYPE_CHECKING:  # what twins() makes, typed

        def clear(self) -> None: ...
        async def aclear(self) -> None: ...

    else:
        clear, aclear = twins(_clear_job, "clear", "Unlink every related object.")

    def _set_plan(self, conn: Any, objs: Any, clear: bool, through_defaults: Any) -> Plan:
        self._remove_prefetched_objects()
        return (yield from m2m_writes.set_links(self, conn, objs, clear, through_defaults))

    def _set_job(self, objs: Any, *, clear: bool = False, through_defaults: Any = None) -> Job:
        conn = self._through_connection()
        return Job(conn, self._set_plan(conn, objs, clear, through_defaults))

    if TYPE_CHECKING:  # what twins() makes, typed

        def set(
            self, objs: Iterable[M | Any], *, clear: bool = False, through_defaults: Any = None
        ) -> None: ...
        async def aset(
            self, objs: Iterable[M | Any], *, clear: bool = False, through_defaults: Any = None
        ) -> None: ...

    else:
        set, aset = twins(_set_job, "set", "Make the related set exactly `objs`.")

    # ---- create and friends --------------------------------------------------------------

    def _create_plan(self, conn: Any, kwargs: dict[str, Any], through_defaults: Any) -> Plan:
        self._remove_prefetched_objects()
        own = self._managers_plan(conn, "create", kwargs)
        if own is None:
            own = (
                self.model._default_manager.db_manager(conn.alias)
                .get_queryset()
                ._create_plan(conn, kwargs)
            )
        obj = yield from own
        yield from self._link_created_plan(conn, obj, through_defaults)
        return obj

    def _create_job(self, *, through_defaults: Any = None, **kwargs: Any) -> Job:
        conn = self._object_connection()
        return Job(conn, self._create_plan(conn, kwargs, through_defaults))

    if TYPE_CHECKING:  # what twins() makes, typed

        def create(self, *, through_defaults: Any = None, **kwargs: Any) -> M: ...
        async def acreate(self, *, through_defaults: Any = None, **kwargs: Any) -> M: ...

    else:
        create, acreate = twins(_create_job, "create", "Create a target object and link it.")

    def _get_or_create_plan(
        self, conn: Any, kwargs: dict[str, Any], through_defaults: Any, update: bool
    ) -> Plan:
        if update:
            self._remove_prefetched_objects()
        own = self._managers_plan(conn, "update_or_create" if update else "get_or_create", kwargs)
        queryset = self.get_queryset().using(conn.alias)
        if own is not None:
            plan = own
        elif update:
            defaults = kwargs.pop("defaults", None)
            create_defaults = kwargs.pop("create_defaults", None)
            inner = queryset._update_or_create_plan(conn, defaults, create_defaults, kwargs)
            plan = atomic_plan(conn, inner)
        else:
            defaults = kwargs.pop("defaults", None)
            plan = queryset._get_or_create_plan(conn, defaults, kwargs)
        obj, created = yield from plan
        if created:
            yield from self._link_created_plan(conn, obj, through_defaults)
        return obj, created

    def _get_or_create_job(self, *, through_defaults: Any = None, **kwargs: Any) -> Job:
        conn = self._object_connection()
        return Job(conn, self._get_or_create_plan(conn, kwargs, through_defaults, False))

    def _update_or_create_job(self, *, through_defaults: Any = None, **kwargs: Any) -> Job:
        conn = self._object_connection()
        return Job(conn, self._get_or_create_plan(conn, kwargs, through_defaults, True))

    if TYPE_CHECKING:  # what twins() makes, typed

        def get_or_create(  # type: ignore[override]
            self, *, through_defaults: Any = None, **kwargs: Any
        ) -> tuple[M, bool]: ...
        async def aget_or_create(  # type: ignore[override]
            self, *, through_defaults: Any = None, **kwargs: Any
        ) -> tuple[M, bool]: ...
        def update_or_create(  # type: ignore[override]
            self, *, through_defaults: Any = None, **kwargs: Any
        ) -> tuple[M, bool]: ...
        async def aupdate_or_create(  # type: ignore[override]
            self, *, through_defaults: Any = None, **kwargs: Any
        ) -> tuple[M, bool]: ...

    else:
        get_or_create, aget_or_create = twins(_get_or_create_job, "get_or_create")
        update_or_create, aupdate_or_create = twins(_update_or_create_job, "update_or_create")


__all__ = ["ManyRelatedManager", "AddStrategy", "choose_add_strategy"]
