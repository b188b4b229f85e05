"""GenericRelatedObjectManager: `bookmark.tags`, the generic rows pointing at one object.

It filters the generic model's default manager on (content type, object id); unknown attributes
(custom manager or QuerySet methods) are looked up on that filtered QuerySet, as tether's
reverse foreign key manager does. Removing a row deletes it (a generic row cannot point
nowhere), as in Django. Writes are plans, each with an a-prefixed twin.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from tether.contrib.contenttypes.models import ContentType
from tether.db.connections import connections
from tether.db.core.run import arun_plan, run_plan
from tether.db.routers import router
from tether.db.transaction import atomic_plan

Plan = Generator[Any, Any, Any]


class GenericRelatedObjectManager:
    do_not_call_in_templates = True

    def __init__(self, instance: Any, rel: Any, manager: Any = None) -> None:
        field = rel.field
        self.instance = instance
        self.rel = rel
        self.field = field
        self.model = rel.model
        self._manager = manager if manager is not None else self.model._default_manager
        self.content_type_field_name = field.content_type_field_name
        self.object_id_field_name = field.object_id_field_name
        self.prefetch_cache_name = field.attname
        self.pk_val = instance.pk
        self._db: str | None = None  # db_manager()'s alias; None: the router decides

    def db_manager(
        self, using: str | None = None, hints: Any = None
    ) -> GenericRelatedObjectManager:
        """The same relation read from `using` (Django's managers' db_manager())."""
        clone = GenericRelatedObjectManager(self.instance, self.rel, self._manager)
        clone._db = using
        return clone

    def __call__(self, *, manager: str) -> GenericRelatedObjectManager:
        return GenericRelatedObjectManager(self.instance, self.rel, getattr(self.model, manager))

    def __repr__(self) -> str:
        return f"<GenericRelatedObjectManager: {self.model._meta.object_name}>"

    @property
    def db(self) -> str:
        return self._db or router.db_for_read(self.model, instance=self.instance)

    def _write_db(self) -> str:
        return router.db_for_write(self.model, instance=self.instance)

    @property
    def content_type(self) -> Any:
        return ContentType.objects.db_manager(self.instance._state.db).get_for_model(
            self.instance, for_concrete_model=self.field.for_concrete_model
        )

    @property
    def core_filters(self) -> dict[str, Any]:
        return {
            f"{self.content_type_field_name}__pk": self.content_type.id,
            self.object_id_field_name: self.pk_val,
        }

    # ---- reading -------------------------------------------------------------------------

    def _apply_rel_filters(self, queryset: Any) -> Any:
        return queryset.using(queryset._db or self.db).filter(**self.core_filters)

    def get_queryset(self) -> Any:
        cache = self.instance.__dict__.get("_prefetched_objects_cache")
        if cache and self.prefetch_cache_name in cache:
            return cache[self.prefetch_cache_name]
        return self._apply_rel_filters(self._manager.get_queryset())

    def all(self) -> Any:
        return self.get_queryset()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(f"'GenericRelatedObjectManager' object has no attribute '{name}'")
        return getattr(self.get_queryset(), name)

    def _remove_prefetched_objects(self) -> None:
        cache = self.instance.__dict__.get("_prefetched_objects_cache")
        if cache:
            cache.pop(self.prefetch_cache_name, None)

    # ---- writing -------------------------------------------------------------------------

    def _content_type_plan(self, conn: Any) -> Plan:
        manager = ContentType.objects.db_manager(conn.alias)
        return (
            yield from manager._for_model_plan(conn, self.instance, self.field.for_concrete_model)
        )

    def _check_objs(self, conn: Any, objs: tuple[Any, ...], bulk: bool) -> None:
        """Refuse wrong or (for a bulk UPDATE) unsaved objects before any SQL runs."""
        for obj in objs:
            if not isinstance(obj, self.model):
                raise TypeError(f"'{self.model._meta.object_name}' instance expected, got {obj!r}")
            if bulk and (obj._state.adding or obj._state.db != conn.alias):
                raise ValueError(
                    f"{obj!r} instance isn't saved. Use bulk=False or save the object first."
                )

    def _add_plan(self, conn: Any, objs: tuple[Any, ...], bulk: bool) -> Plan:
        from tether.models.instance.persistence import save_plan

        self._remove_prefetched_objects()
        ct = yield from self._content_type_plan(conn)
        pks = []
        for obj in objs:
            setattr(obj, self.content_type_field_name, ct)
            setattr(obj, self.object_id_field_name, self.pk_val)
            pks.append(obj.pk)
        if bulk:
            queryset = self.model._base_manager.using(conn.alias).filter(pk__in=pks)
            yield from queryset._update_plan(
                conn, {self.content_type_field_name: ct, self.object_id_field_name: self.pk_val}
            )
        else:
            for obj in objs:
                yield from save_plan(obj, conn, False, False, None)

    def add(self, *objs: Any, bulk: bool = True) -> None:
        conn = connections[self._write_db()]
        self._check_objs(conn, objs, bulk)
        run_plan(atomic_plan(conn, self._add_plan(conn, objs, bulk), savepoint=False), conn)

    async def aadd(self, *objs: Any, bulk: bool = True) -> None:
        conn = connections[self._write_db()]
        self._check_objs(conn, objs, bulk)
        await arun_plan(atomic_plan(conn, self._add_plan(conn, objs, bulk), savepoint=False), conn)

    def _clear_plan(self, conn: Any, pks: list[Any] | None, bulk: bool) -> Plan:
        from tether.models.instance.persistence import delete_plan

        self._remove_prefetched_objects()
        ct = yield from self._content_type_plan(conn)
        queryset = self._manager.db_manager(conn.alias).filter(
            **{f"{self.content_type_field_name}__pk": ct.pk, self.object_id_field_name: self.pk_val}
        )
        if pks is not None:
            queryset = queryset.filter(pk__in=pks)
        if bulk:
            yield from queryset._delete_plan(conn)
        else:
            for obj in (yield from queryset._fetch_plan(conn)):
                yield from delete_plan(obj, conn, False)

    def remove(self, *objs: Any, bulk: bool = True) -> None:
        if not objs:
            return
        conn = connections[self._write_db()]
        plan = self._clear_plan(conn, [o.pk for o in objs], bulk)
        run_plan(atomic_plan(conn, plan, savepoint=False), conn)

    async def aremove(self, *objs: Any, bulk: bool = True) -> None:
        if not objs:
            return
        conn = connections[self._write_db()]
        plan = self._clear_plan(conn, [o.pk for o in objs], bulk)
        await arun_plan(atomic_plan(conn, plan, savepoint=False), conn)

    def clear(self, *, bulk: bool = True) -> None:
        conn = connections[self._write_db()]
        run_plan(atomic_plan(conn, self._clear_plan(conn, None, bulk), savepoint=False), conn)

    async def aclear(self, *, bulk: bool = True) -> None:
        conn = connections[self._write_db()]
        await arun_plan(
            atomic_plan(conn, self._clear_plan(conn, None, bulk), savepoint=False), conn
        )

    def _set_plan(self, conn: Any, objs: tuple[Any, ...], bulk: bool, clear: bool) -> Plan:
        if clear:
            yield from self._clear_plan(conn, None, True)
            self._check_objs(conn, objs, bulk)
            yield from self._add_plan(conn, objs, bulk)
            return
        ct = yield from self._content_type_plan(conn)
        current = self._manager.db_manager(conn.alias).filter(
            **{f"{self.content_type_field_name}__pk": ct.pk, self.object_id_field_name: self.pk_val}
        )
        old = set((yield from current._fetch_plan(conn)))
        new = []
        for obj in objs:
            if obj in old:
                old.remove(obj)
            else:
                new.append(obj)
        if old:
            yield from self._clear_plan(conn, [o.pk for o in old], True)
        self._check_objs(conn, tuple(new), bulk)
        yield from self._add_plan(conn, tuple(new), bulk)

    def set(self, objs: Any, *, bulk: bool = True, clear: bool = False) -> None:
        objs = tuple(objs)
        conn = connections[self._write_db()]
        run_plan(atomic_plan(conn, self._set_plan(conn, objs, bulk, clear), savepoint=False), conn)

    async def aset(self, objs: Any, *, bulk: bool = True, clear: bool = False) -> None:
        objs = tuple(objs)
        conn = connections[self._write_db()]
        plan = self._set_plan(conn, objs, bulk, clear)
        await arun_plan(atomic_plan(conn, plan, savepoint=False), conn)

    def _with_link(self, kwargs: dict[str, Any], ct: Any = None) -> dict[str, Any]:
        return {
            **kwargs,
            self.content_type_field_name: self.content_type if ct is None else ct,
            self.object_id_field_name: self.pk_val,
        }

    async def _awith_link(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        conn = connections[self._write_db()]
        ct = await arun_plan(self._content_type_plan(conn), conn)
        return self._with_link(kwargs, ct)

    def create(self, **kwargs: Any) -> Any:
        self._remove_prefetched_objects()
        return self._manager.db_manager(self._write_db()).create(**self._with_link(kwargs))

    async def acreate(self, **kwargs: Any) -> Any:
        self._remove_prefetched_objects()
        return await self._manager.db_manager(self._write_db()).acreate(
            **(await self._awith_link(kwargs))
        )

    def get_or_create(self, **kwargs: Any) -> Any:
        return self._manager.db_manager(self._write_db()).get_or_create(**self._with_link(kwargs))

    async def aget_or_create(self, **kwargs: Any) -> Any:
        linked = await self._awith_link(kwargs)
        return await self._manager.db_manager(self._write_db()).aget_or_create(**linked)

    def update_or_create(self, **kwargs: Any) -> Any:
        return self._manager.db_manager(self._write_db()).update_or_create(
            **self._with_link(kwargs)
        )

    async def aupdate_or_create(self, **kwargs: Any) -> Any:
        linked = await self._awith_link(kwargs)
        return await self._manager.db_manager(self._write_db()).aupdate_or_create(**linked)
