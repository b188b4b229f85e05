"""RelatedManager: `reporter.article_set`, the reverse side of a ForeignKey.

A manager of the related model's default manager class (`RelatedManagerBase`) narrowed to the
rows pointing at the instance. Writes are plans, so each has an a-prefixed twin.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from typing import TYPE_CHECKING, Any

from tether.db.connections import connections
from tether.db.core.twins import Job, twins
from tether.db.routers import router
from tether.db.transaction import atomic_plan
from tether.models.manager_methods import ManagerMethods
from tether.models.relations.base import RelatedManagerBase
from tether.models.type_vars import M

Plan = Generator[Any, Any, Any]


class _NullableOnly:
    """A method that exists only when the foreign key is nullable (remove, clear and twins).

    Django builds its related manager class per relation and leaves these out for a NOT NULL
    key, so `hasattr(reporter.article_set, "remove")` is False; this descriptor does the same.
    """

    def __init__(self, func: Any) -> None:
        self.func = func
        self.name = func.__name__
        self.twin_job = func.twin_job

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        if not instance.field.null:
            raise AttributeError(f"'RelatedManager' object has no attribute '{self.name}'")
        return self.func.__get__(instance, owner)


class RelatedManager(RelatedManagerBase, ManagerMethods[M]):
    """`reporter.article_set`: to a type checker a `RelatedManager[Article]`, which a model
    may declare in its body (`article_set: RelatedManager["Article"]`), as the reverse
    accessor is added by the other model's ForeignKey where its class body cannot show it."""

    def __init__(self, instance: Any, rel: Any) -> None:
        super().__init__()  # the default manager class's
        self.instance = instance
        self.rel = rel
        self.field = rel.field
        self.model = rel.related_model
        self.core_filters = {self.field.name: instance}
        self.prefetch_cache_name = self.accessor_name = rel.get_accessor_name()
        # No alias of its own: reads and writes ask the router, with this instance as the hint.
        self._db = None
        self._hints = {"instance": instance}

    # ---- reading -------------------------------------------------------------------------

    def _key_value(self) -> Any:
        return getattr(self.instance, self.field.target_field.attname)

    def _apply_rel_filters(self, queryset: Any) -> Any:
        """`queryset` narrowed to the rows pointing at this instance (none when the key the
        foreign key targets is None: no row can point at it)."""
        if self._key_value() is None:
            return queryset.none()
        queryset = queryset.filter(**{self.field.attname: self._key_value()})
        queryset._known_related_objects = {self.field: {self._key_value(): self.instance}}
        return queryset

    def get_queryset(self) -> Any:
        if self.instance.pk is None:  # unsaved, whatever field the foreign key targets (as Django)
            raise ValueError(
                f"{type(self.instance).__name__!r} instance needs to have a primary key value "
                "before this relationship can be used."
            )
        return super().get_queryset()

    def get_prefetch_querysets(self, instances: Any, querysets: Any = None) -> tuple[Any, ...]:
        """Django's prefetch protocol (prefetch_related() itself uses models/query/prefetch.py)."""
        from tether.models.query.prefetch import _ReverseMany, prefetch_querysets

        return prefetch_querysets(_ReverseMany(self.rel), instances, querysets, self._db, False)

    # ---- checks --------------------------------------------------------------------------

    def _check_fk_val(self) -> None:
        """Writes need the value the foreign key targets (the pk, or its to_field). Checked by
        the public methods before they open an atomic block, which an error would spoil."""
        target = self.field.target_field
        if getattr(self.instance, target.attname) is None:
            raise ValueError(
                f'"{self.instance!r}" needs to have a value for field "{target.attname}" before '
                "this relationship can be used."
            )

    def _check_instance(self, obj: Any) -> None:
        if not isinstance(obj, self.model):
            raise TypeError(f"'{self.model._meta.object_name}' instance expected, got {obj!r}")

    def _check_fk_nullable(self, method: str) -> None:
        if not self.field.null:
            raise AttributeError(f"'RelatedManager' object has no attribute '{method}'")

    # ---- writing -------------------------------------------------------------------------

    def _write_alias(self) -> str:
        """Where writes through this manager go: the router's choice for the related model
        with this instance as the hint (Django's rule; a db_manager() alias is not used)."""
        return router.db_for_write(self.model, instance=self.instance)

    @staticmethod
    def _wrap(conn: Any, plan: Plan, bulk: bool) -> Plan:
        """Saving objects one by one runs atomically; a bulk UPDATE is one statement, and its
        argument checks then fail without marking the transaction (as in Django)."""
        if bulk:
            return plan
        return atomic_plan(conn, plan, savepoint=False)

    def _add_plan(self, conn: Any, objs: tuple[Any, ...], bulk: bool) -> Plan:
        from tether.models.instance.persistence import call_save

        self._remove_prefetched_objects()
        pks = []
        for obj in objs:
            self._check_instance(obj)
            setattr(obj, self.field.name, self.instance)  # the router's consent first
            if bulk:
                if obj._state.adding or obj._state.db != conn.alias:
                    raise ValueError(
                        f"{obj!r} instance isn't saved. Use bulk=False or save the object first."
                    )
                pks.append(obj.pk)
        if bulk:
            if pks:
                queryset = self.model._base_manager.using(conn.alias).filter(pk__in=pks)
                yield from queryset._update_plan(conn, {self.field.name: self._key_value()})
        else:
            for obj in objs:
                yield from call_save(obj, conn)

    def _add_job(self, *objs: Any, bulk: bool = True) -> Job:
        self._check_fk_val()
        conn = connections[self._write_alias()]
        return Job(conn, self._wrap(conn, self._add_plan(conn, objs, bulk), bulk))

    if TYPE_CHECKING:  # what twins() makes, typed

        def add(self, *objs: M, bulk: bool = True) -> None: ...
        async def aadd(self, *objs: M, bulk: bool = True) -> None: ...

    else:
        add, aadd = twins(_add_job, "add", "Point `objs` at this instance.")

    def _related_rows(self) -> Any:
        """The rows pointing at this instance that the manager shows (neither the prefetch
        cache nor `_known_related_objects`): what remove(), clear() and set() change."""
        return self._manager_queryset().filter(**{self.field.attname: self._key_value()})

    def _unlink_plan(self, conn: Any, queryset: Any, bulk: bool) -> Plan:
        """Set the foreign key of `queryset`'s rows to NULL: one UPDATE, or one save() per
        row (each sends its pre_save/post_save signals), as Django's `_clear`."""
        from tether.models.instance.persistence import call_save

        self._remove_prefetched_objects()
        queryset = queryset.using(conn.alias)
        if bulk:
            yield from queryset._update_plan(conn, {self.field.name: None})
            return
        for obj in (yield from queryset._fetch_plan(conn)):
            setattr(obj, self.field.name, None)
            yield from call_save(obj, conn, update_fields=[self.field.name])

    def _remove_plan(self, conn: Any, objs: tuple[Any, ...], bulk: bool) -> Plan:
        old_ids = []
        for obj in objs:
            self._check_instance(obj)
            if getattr(obj, self.field.attname) != self._key_value():
                raise self.field.remote_field.model.DoesNotExist(
                    f"{obj!r} is not related to {self.instance!r}."
                )
            old_ids.append(obj.pk)
        yield from self._unlink_plan(conn, self._related_rows().filter(pk__in=old_ids), bulk)

    def _remove_job(self, *objs: Any, bulk: bool = True) -> Job:
        self._check_fk_val()
        conn = connections[self._write_alias()]
        return Job(conn, self._wrap(conn, self._remove_plan(conn, objs, bulk), bulk))

    if TYPE_CHECKING:  # what twins() makes, typed

        def remove(self, *objs: M, bulk: bool = True) -> None: ...
        async def aremove(self, *objs: M, bulk: bool = True) -> None: ...

    else:
        remove, aremove = map(
            _NullableOnly, twins(_remove_job, "remove", "Unlink `objs` (a nullable key only).")
        )

    def _clear_plan(self, conn: Any, bulk: bool) -> Plan:
        return (yield from self._unlink_plan(conn, self._related_rows(), bulk))

    def _clear_job(self, *, bulk: bool = True) -> Job:
        self._check_fk_val()
        conn = connections[self._write_alias()]
        return Job(conn, atomic_plan(conn, self._clear_plan(conn, bulk), savepoint=False))

    if TYPE_CHECKING:  # what twins() makes, typed

        def clear(self, *, bulk: bool = True) -> None: ...
        async def aclear(self, *, bulk: bool = True) -> None: ...

    else:
        clear, aclear = map(
            _NullableOnly,
            twins(_clear_job, "clear", "Unlink every related object (a nullable key only)."),
        )

    def _set_plan(self, conn: Any, objs: Any, bulk: bool, clear: bool) -> Plan:
        self._remove_prefetched_objects()
        objs = tuple(objs)
        if self.field.null:
            if clear:
                yield from self._clear_plan(conn, bulk)
                yield from self._add_plan(conn, objs, bulk)
                return
            current = set((yield from self._related_rows().using(conn.alias)._fetch_plan(conn)))
            new_objs = [obj for obj in objs if obj not in current]
            to_remove = tuple(obj for obj in current if obj not in set(objs))
            if to_remove:
                yield from self._remove_plan(conn, to_remove, bulk)
            yield from self._add_plan(conn, tuple(new_objs), bulk)
        else:
            yield from self._add_plan(conn, objs, bulk)

    def _set_job(self, objs: Any, *, bulk: bool = True, clear: bool = False) -> Job:
        self._check_fk_val()
        conn = connections[self._write_alias()]
        return Job(
            conn, atomic_plan(conn, self._set_plan(conn, objs, bulk, clear), savepoint=False)
        )

    if TYPE_CHECKING:  # what twins() makes, typed

        def set(self, objs: Iterable[M], *, bulk: bool = True, clear: bool = False) -> None: ...
        async def aset(
            self, objs: Iterable[M], *, bulk: bool = True, clear: bool = False
        ) -> None: ...

    else:
        set, aset = twins(_set_job, "set", "Make the related set exactly `objs`.")

    def _with_fk(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {**kwargs, self.field.name: self.instance}

    def _create_job(self, **kwargs: Any) -> Job:
        self._check_fk_val()
        self._remove_prefetched_objects()
        conn = connections[self._write_alias()]
        own = self._managers_plan(conn, "create", self._with_fk(kwargs))
        if own is not None:
            return Job(conn, own)
        manager = self.model._default_manager.db_manager(conn.alias)
        return manager.get_queryset()._create_job(**self._with_fk(kwargs))  # type: ignore[no-any-return]

    def _get_or_create_job(self, **kwargs: Any) -> Job:
        self._check_fk_val()
        conn = connections[self._write_alias()]
        own = self._managers_plan(conn, "get_or_create", self._with_fk(kwargs))
        if own is None:
            conn, own = self.get_queryset()._get_or_create_job(**self._with_fk(kwargs))
        return Job(conn, self._after_get_or_create(own))

    def _after_get_or_create(self, plan: Plan) -> Plan:
        obj, created = yield from plan
        if created:
            self._remove_prefetched_objects()
        return obj, created

    def _update_or_create_job(self, **kwargs: Any) -> Job:
        self._check_fk_val()
        self._remove_prefetched_objects()
        conn = connections[self._write_alias()]
        own = self._managers_plan(conn, "update_or_create", self._with_fk(kwargs))
        if own is not None:
            return Job(conn, own)
        return self.get_queryset()._update_or_create_job(**self._with_fk(kwargs))  # type: ignore[no-any-return]

    if TYPE_CHECKING:  # what twins() makes, typed

        def create(self, **kwargs: Any) -> M: ...
        async def acreate(self, **kwargs: Any) -> M: ...
        def get_or_create(self, **kwargs: Any) -> tuple[M, bool]: ...  # type: ignore[override]
        async def aget_or_create(self, **kwargs: Any) -> tuple[M, bool]: ...  # type: ignore[override]
        def update_or_create(self, **kwargs: Any) -> tuple[M, bool]: ...  # type: ignore[override]
        async def aupdate_or_create(self, **kwargs: Any) -> tuple[M, bool]: ...  # type: ignore[override]

    else:
        create, acreate = twins(
            _create_job, "create", "Create an object pointing at this instance."
        )
        get_or_create, aget_or_create = twins(_get_or_create_job, "get_or_create")
        update_or_create, aupdate_or_create = twins(_update_or_create_job, "update_or_create")
