"""ManyRelatedManager: both sides of a many-to-many relation, as one class.

Reads are QuerySets over the target model joined through the through table. Writes decide a
strategy first (a pure function of backend features, signal receivers and the through model)
and then run it as a plan inside atomic(savepoint=False): add() is one INSERT that skips
existing pairs, remove() and clear() one DELETE, set() a DELETE of the links not wanted plus
the add(); symmetrical relations write both directions in the same statements.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import Any

from tether.db.connections import DEFAULT_DB_ALIAS, connections
from tether.db.core.requests import ROWCOUNT, ROWS, Execute
from tether.db.core.run import arun_plan, run_plan
from tether.db.transaction import atomic_plan
from tether.models import signals
from tether.models.query_utils import Q
from tether.models.sql.dml import IGNORE, insert_sql

Plan = Generator[Any, Any, Any]


@dataclass(frozen=True)
class AddStrategy:
    """How add() writes: skip existing pairs in the INSERT itself, or read them first."""

    read_existing_first: bool
    insert_ignoring_pairs: bool
    send_signals: bool


def choose_add_strategy(features: Any, has_receivers: bool, unique_pair: bool) -> AddStrategy:
    """Decide, without I/O, how add() runs on this backend for this through model."""
    can_ignore = features.supports_ignore_conflicts and unique_pair
    return AddStrategy(
        read_existing_first=has_receivers or not can_ignore,
        insert_ignoring_pairs=can_ignore,
        send_signals=has_receivers,
    )


def _has_unique_pair(through: Any, source: Any, target: Any) -> bool:
    pair = {source.name, target.name}
    opts = through._meta
    if any(set(names) == pair for names in opts.unique_together):
        return True
    return any(
        set(getattr(c, "fields", ())) == pair and getattr(c, "condition", None) is None
        for c in opts.constraints
    )


class ManyRelatedManager:
    def __init__(self, instance: Any, field: Any, reverse: bool) -> None:
        rel = field.remote_field
        self.instance = instance
        self.field = field
        self.reverse = reverse
        self.through = rel.through
        if reverse:
            self.model = field.model
            self.query_field_name = field.name
            self.source_field_name = field.m2m_reverse_field_name()
            self.target_field_name = field.m2m_field_name()
            self.symmetrical = False
            self.prefetch_cache_name = field.related_query_name()
        else:
            self.model = rel.model
            self.query_field_name = field.related_query_name()
            self.source_field_name = field.m2m_field_name()
            self.target_field_name = field.m2m_reverse_field_name()
            self.symmetrical = rel.symmetrical
            self.prefetch_cache_name = field.name
        through_opts = self.through._meta
        self.source_field = through_opts.get_field(self.source_field_name)
        self.target_field = through_opts.get_field(self.target_field_name)
        key_field = self.source_field.target_field
        self.related_val = getattr(instance, key_field.attname)
        if self.related_val is None:
            raise ValueError(
                f'"{instance!r}" needs to have a value for field "{key_field.attname}" before '
                "this many-to-many relationship can be used."
            )
        self.core_filters = {f"{self.query_field_name}__{key_field.name}": self.related_val}

    # ---- reading -------------------------------------------------------------------------

    @property
    def db(self) -> str:
        return self.instance._state.db or DEFAULT_DB_ALIAS

    def _apply_rel_filters(self, queryset: Any) -> Any:
        """`queryset` narrowed to the objects linked to this instance."""
        queryset = queryset._clone()
        queryset._sticky_filter = True
        return queryset.filter(**self.core_filters)

    def get_queryset(self) -> Any:
        cache = self.instance.__dict__.get("_prefetched_objects_cache")
        if cache:
            prefetched = cache.get(self.prefetch_cache_name)
            if prefetched is not None:
                return prefetched
        queryset = self.model._default_manager.db_manager(self.instance._state.db).get_queryset()
        return self._apply_rel_filters(queryset)

    def _remove_prefetched_objects(self) -> None:
        """Writes through the manager make a prefetched result stale: forget it."""
        cache = self.instance.__dict__.get("_prefetched_objects_cache")
        if cache:
            cache.pop(self.prefetch_cache_name, None)

    def all(self) -> Any:
        return self.get_queryset()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.get_queryset(), name)

    # ---- values --------------------------------------------------------------------------

    def _target_ids(self, objs: Iterable[Any], action: str) -> list[Any]:
        """The target keys of `objs` (instances or raw keys), checked as Django checks them."""
        target_key = self.target_field.target_field
        ids: dict[Any, None] = {}
        for obj in objs:
            if isinstance(obj, self.model):
                value = getattr(obj, target_key.attname)
                if value is None:
                    raise ValueError(
                        f'Cannot {action} "{obj!r}": the value for field "{self.target_field_name}" is None'
                    )
                ids[value] = None
            elif hasattr(obj, "_meta"):
                raise TypeError(f"'{self.model._meta.object_name}' instance expected, got {obj!r}")
            else:
                ids[target_key.get_prep_value(obj)] = None
        return sorted(ids, key=_sort_key)

    def _send(self, action: str, pk_set: Any, conn: Any) -> None:
        signals.m2m_changed.send(
            sender=self.through, action=action, instance=self.instance, reverse=self.reverse,
            model=self.model, pk_set=pk_set, using=conn.alias,
        )

    # ---- add -----------------------------------------------------------------------------

    def _pairs(self, target_ids: list[Any]) -> list[tuple[Any, Any]]:
        pairs = [(self.related_val, tid) for tid in target_ids]
        if self.symmetrical:
            pairs.extend((tid, self.related_val) for tid in target_ids if tid != self.related_val)
        pairs.sort(key=lambda pair: (_sort_key(pair[0]), _sort_key(pair[1])))
        return pairs

    def _existing_targets_plan(self, conn: Any, target_ids: list[Any]) -> Plan:
        existing = yield from (
            self.through._base_manager.using(conn.alias)
            .filter(**{self.source_field_name: self.related_val, f"{self.target_field_name}__in": target_ids})
            .values_list(self.target_field.attname, flat=True)
            ._fetch_plan(conn)
        )
        return set(existing)

    def _insert_plan(self, conn: Any, pairs: list[tuple[Any, Any]], through_defaults: Any, ignore: bool) -> Plan:
        if not pairs:
            return
        defaults = {k: (v() if callable(v) else v) for k, v in (through_defaults or {}).items()}
        through = self.through
        opts = through._meta
        pk = opts.pk
        fields = [f for f in opts.local_concrete_fields if not (f is pk and f.db_returning)]
        source_attname = self.source_field.attname
        target_attname = self.target_field.attname
        size = conn.ops.bulk_batch_size(len(fields), len(pairs))
        unique = [self.source_field, self.target_field] if ignore else []
        for start in range(0, len(pairs), size):
            chunk = pairs[start : start + size]
            params: list[Any] = []
            for source_id, target_id in chunk:
                row = through(**defaults, **{source_attname: source_id, target_attname: target_id})
                params.extend(f.get_db_prep_save(f.pre_save(row, True), conn) for f in fields)
            sql = insert_sql(conn, through, fields, len(chunk), (), IGNORE if ignore else None, (), unique)
            yield Execute(sql, params, ROWCOUNT)

    def _add_plan(self, conn: Any, objs: tuple[Any, ...], through_defaults: Any) -> Plan:
        self._remove_prefetched_objects()
        target_ids = self._target_ids(objs, "add")
        if not target_ids:
            return
        strategy = choose_add_strategy(
            conn.features,
            signals.m2m_changed.has_listeners(self.through),
            _has_unique_pair(self.through, self.source_field, self.target_field),
        )
        missing = target_ids
        if strategy.read_existing_first:
            existing = yield from self._existing_targets_plan(conn, target_ids)
            missing = [tid for tid in target_ids if tid not in existing]
        if strategy.send_signals:
            for _ in range(2 if self.symmetrical else 1):
                self._send("pre_add", set(missing), conn)
        yield from self._insert_plan(conn, self._pairs(missing), through_defaults, strategy.insert_ignoring_pairs)
        if strategy.send_signals:
            for _ in range(2 if self.symmetrical else 1):
                self._send("post_add", set(missing), conn)

    def add(self, *objs: Any, through_defaults: Any = None) -> None:
        """Link `objs` (instances or keys); existing links are left as they are."""
        conn = connections[self.db]
        run_plan(atomic_plan(conn, self._add_plan(conn, objs, through_defaults), savepoint=False), conn)

    async def aadd(self, *objs: Any, through_defaults: Any = None) -> None:
        conn = connections[self.db]
        await arun_plan(atomic_plan(conn, self._add_plan(conn, objs, through_defaults), savepoint=False), conn)

    # ---- remove and clear ----------------------------------------------------------------

    def _links(self, conn: Any) -> Any:
        return self.through._base_manager.using(conn.alias)

    def _remove_plan(self, conn: Any, objs: tuple[Any, ...]) -> Plan:
        self._remove_prefetched_objects()
        target_ids = self._target_ids(objs, "remove")
        if not target_ids:
            return
        has_receivers = signals.m2m_changed.has_listeners(self.through)
        if has_receivers:
            for _ in range(2 if self.symmetrical else 1):
                self._send("pre_remove", set(target_ids), conn)
        condition = Q(**{self.source_field_name: self.related_val, f"{self.target_field_name}__in": target_ids})
        if self.symmetrical:
            condition |= Q(**{self.target_field_name: self.related_val, f"{self.source_field_name}__in": target_ids})
        yield from self._links(conn).filter(condition)._delete_plan(conn)
        if has_receivers:
            for _ in range(2 if self.symmetrical else 1):
                self._send("post_remove", set(target_ids), conn)

    def remove(self, *objs: Any) -> None:
        """Unlink `objs` (instances or keys)."""
        conn = connections[self.db]
        run_plan(atomic_plan(conn, self._remove_plan(conn, objs), savepoint=False), conn)

    async def aremove(self, *objs: Any) -> None:
        conn = connections[self.db]
        await arun_plan(atomic_plan(conn, self._remove_plan(conn, objs), savepoint=False), conn)

    def _clear_condition(self) -> Q:
        condition = Q(**{self.source_field_name: self.related_val})
        if self.symmetrical:
            condition |= Q(**{self.target_field_name: self.related_val})
        return condition

    def _clear_plan(self, conn: Any) -> Plan:
        self._remove_prefetched_objects()
        has_receivers = signals.m2m_changed.has_listeners(self.through)
        if has_receivers:
            self._send("pre_clear", None, conn)
        yield from self._links(conn).filter(self._clear_condition())._delete_plan(conn)
        if has_receivers:
            self._send("post_clear", None, conn)

    def clear(self) -> None:
        """Unlink every related object."""
        conn = connections[self.db]
        run_plan(atomic_plan(conn, self._clear_plan(conn), savepoint=False), conn)

    async def aclear(self) -> None:
        conn = connections[self.db]
        await arun_plan(atomic_plan(conn, self._clear_plan(conn), savepoint=False), conn)

    # ---- set -----------------------------------------------------------------------------

    def _set_plan(self, conn: Any, objs: Any, clear: bool, through_defaults: Any) -> Plan:
        self._remove_prefetched_objects()
        objs = tuple(objs)
        if clear:
            yield from self._clear_plan(conn)
            yield from self._add_plan(conn, objs, through_defaults)
            return
        if signals.m2m_changed.has_listeners(self.through):
            # Receivers see Django's remove-then-add with the exact sets, so read the links.
            current = yield from (
                self._links(conn).filter(**{self.source_field_name: self.related_val})
                .values_list(self.target_field.attname, flat=True)._fetch_plan(conn)
            )
            wanted = self._target_ids(objs, "add")
            old = [tid for tid in current if tid not in set(wanted)]
            if old:
                yield from self._remove_plan(conn, tuple(old))
            new = [tid for tid in wanted if tid not in set(current)]
            if new:
                yield from self._add_plan(conn, tuple(new), through_defaults)
            return
        wanted = self._target_ids(objs, "add")
        if not wanted:
            yield from self._clear_plan(conn)
            return
        # The database computes the difference: drop the links not wanted, insert the rest.
        unwanted = Q(**{self.source_field_name: self.related_val}) & ~Q(**{f"{self.target_field_name}__in": wanted})
        if self.symmetrical:
            unwanted |= Q(**{self.target_field_name: self.related_val}) & ~Q(**{f"{self.source_field_name}__in": wanted})
        yield from self._links(conn).filter(unwanted)._delete_plan(conn)
        yield from self._add_plan(conn, objs, through_defaults)

    def set(self, objs: Any, *, clear: bool = False, through_defaults: Any = None) -> None:
        """Make the related set exactly `objs`."""
        conn = connections[self.db]
        run_plan(atomic_plan(conn, self._set_plan(conn, objs, clear, through_defaults), savepoint=False), conn)

    async def aset(self, objs: Any, *, clear: bool = False, through_defaults: Any = None) -> None:
        conn = connections[self.db]
        await arun_plan(atomic_plan(conn, self._set_plan(conn, objs, clear, through_defaults), savepoint=False), conn)

    # ---- create and friends --------------------------------------------------------------

    def _create_plan(self, conn: Any, kwargs: dict[str, Any], through_defaults: Any) -> Plan:
        self._remove_prefetched_objects()
        queryset = self.model._default_manager.db_manager(conn.alias).get_queryset()
        obj = yield from queryset._create_plan(conn, kwargs)
        yield from atomic_plan(conn, self._add_plan(conn, (obj,), through_defaults), savepoint=False)
        return obj

    def create(self, *, through_defaults: Any = None, **kwargs: Any) -> Any:
        """Create a target object and link it."""
        conn = connections[self.db]
        return run_plan(self._create_plan(conn, kwargs, through_defaults), conn)

    async def acreate(self, *, through_defaults: Any = None, **kwargs: Any) -> Any:
        conn = connections[self.db]
        return await arun_plan(self._create_plan(conn, kwargs, through_defaults), conn)

    def _get_or_create_plan(self, conn: Any, kwargs: dict[str, Any], through_defaults: Any, update: bool) -> Plan:
        queryset = self.get_queryset().using(conn.alias)
        if update:
            self._remove_prefetched_objects()
            defaults = kwargs.pop("defaults", None)
            create_defaults = kwargs.pop("create_defaults", None)
            plan = atomic_plan(conn, queryset._update_or_create_plan(conn, defaults, create_defaults, kwargs))
        else:
            defaults = kwargs.pop("defaults", None)
            plan = queryset._get_or_create_plan(conn, defaults, kwargs)
        obj, created = yield from plan
        if created:
            yield from atomic_plan(conn, self._add_plan(conn, (obj,), through_defaults), savepoint=False)
        return obj, created

    def get_or_create(self, *, through_defaults: Any = None, **kwargs: Any) -> tuple[Any, bool]:
        conn = connections[self.db]
        return run_plan(self._get_or_create_plan(conn, kwargs, through_defaults, False), conn)

    async def aget_or_create(self, *, through_defaults: Any = None, **kwargs: Any) -> tuple[Any, bool]:
        conn = connections[self.db]
        return await arun_plan(self._get_or_create_plan(conn, kwargs, through_defaults, False), conn)

    def update_or_create(self, *, through_defaults: Any = None, **kwargs: Any) -> tuple[Any, bool]:
        conn = connections[self.db]
        return run_plan(self._get_or_create_plan(conn, kwargs, through_defaults, True), conn)

    async def aupdate_or_create(self, *, through_defaults: Any = None, **kwargs: Any) -> tuple[Any, bool]:
        conn = connections[self.db]
        return await arun_plan(self._get_or_create_plan(conn, kwargs, through_defaults, True), conn)


def _sort_key(value: Any) -> Any:
    return (type(value).__name__, value)


__all__ = ["ManyRelatedManager", "AddStrategy", "choose_add_strategy", "ROWS"]
