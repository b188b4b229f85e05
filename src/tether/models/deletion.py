"""The deletion collector: what a delete() removes, batched by model, as one plan.

It gathers the instances (or whole querysets, for the fast path) to delete, sends
pre_delete/post_delete where receivers exist, and returns Django's counts. Relations add
themselves through their fields' on_delete handlers (`related_objects` of each model).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Generator
from typing import Any

from tether.db.core.requests import ROWCOUNT, Execute
from tether.db.errors import IntegrityError
from tether.db.transaction import atomic_plan
from tether.models import signals
from tether.models.sql.constants import GET_ITERATOR_CHUNK_SIZE

Plan = Generator[Any, Any, Any]


class ProtectedError(IntegrityError):
    def __init__(self, msg: str, protected_objects: Any) -> None:
        self.protected_objects = protected_objects
        super().__init__(msg, protected_objects)


class RestrictedError(IntegrityError):
    def __init__(self, msg: str, restricted_objects: Any) -> None:
        self.restricted_objects = restricted_objects
        super().__init__(msg, restricted_objects)


def delete_candidates(model: Any) -> list[Any]:
    """Reverse one-to-one and many-to-one relations, hidden ones included (through tables)."""
    opts = model._meta
    rels = list(opts.reverse_relations)
    for parent in opts.parents:
        rels.extend(parent._meta.reverse_relations)
    return [rel for rel in rels if rel.one_to_many or rel.one_to_one]


def _related_queryset(collector: Any, field: Any, objs: list[Any]) -> Any:
    return field.model._base_manager.using(collector.conn.alias).filter(
        **{f"{field.name}__in": objs}
    )


def CASCADE(collector: Any, field: Any, objs: list[Any]) -> Plan:  # noqa: N802 - Django's name
    yield from collector.collect_plan(_related_queryset(collector, field, objs))


def PROTECT(collector: Any, field: Any, objs: list[Any]) -> Plan:  # noqa: N802
    protected = yield from _related_queryset(collector, field, objs)._fetch_plan(collector.conn)
    if protected:
        model = field.remote_field.model._meta.object_name
        raise ProtectedError(
            f"Cannot delete some instances of model '{model}' because they are referenced "
            f"through protected foreign keys: '{field.model.__name__}.{field.name}'.",
            set(protected),
        )


def RESTRICT(collector: Any, field: Any, objs: list[Any]) -> Plan:  # noqa: N802
    restricted = yield from _related_queryset(collector, field, objs)._fetch_plan(collector.conn)
    if restricted:
        collector.restricted.append((field, restricted))


def SET(value: Any) -> Any:  # noqa: N802
    def set_on_delete(collector: Any, field: Any, objs: list[Any]) -> Plan:
        new = value() if callable(value) else value
        collector.field_updates.append((field, new, _related_queryset(collector, field, objs)))
        return
        yield

    set_on_delete.lazy_sub_objs = True  # type: ignore[attr-defined]
    return set_on_delete


def SET_NULL(collector: Any, field: Any, objs: list[Any]) -> Plan:  # noqa: N802
    collector.field_updates.append((field, None, _related_queryset(collector, field, objs)))
    return
    yield


def SET_DEFAULT(collector: Any, field: Any, objs: list[Any]) -> Plan:  # noqa: N802
    collector.field_updates.append((field, field.get_default(), _related_queryset(collector, field, objs)))
    return
    yield


def DO_NOTHING(collector: Any, field: Any, objs: list[Any]) -> Plan:  # noqa: N802
    return
    yield


class Collector:
    def __init__(self, conn: Any, origin: Any = None) -> None:
        self.conn = conn
        self.origin = origin
        self.data: dict[Any, dict[Any, None]] = defaultdict(dict)
        self.fast_deletes: list[Any] = []
        self.field_updates: list[tuple[Any, Any, Any]] = []
        self.restricted: list[tuple[Any, list[Any]]] = []

    # ---- deciding ------------------------------------------------------------------------

    def _has_signal_listeners(self, model: Any) -> bool:
        return signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model)

    def can_fast_delete(self, objs: Any) -> bool:
        """A queryset can go as one DELETE when nothing must happen per row."""
        model = objs.model if hasattr(objs, "model") and hasattr(objs, "query") else None
        if model is None:
            return False
        if self._has_signal_listeners(model):
            return False
        if model._meta.parents:
            return False
        return all(rel.on_delete is DO_NOTHING for rel in delete_candidates(model))

    def add(self, objs: Any) -> list[Any]:
        new = []
        for obj in objs:
            bucket = self.data[obj._meta.concrete_model]
            if obj not in bucket:
                bucket[obj] = None
                new.append(obj)
        return new

    def collect_plan(self, objs: Any, keep_parents: bool = False) -> Plan:
        """Collect `objs` (instances or a queryset) and what relations cascade to."""
        if self.can_fast_delete(objs):
            self.fast_deletes.append(objs)
            return
        if hasattr(objs, "query"):
            objs = yield from objs._fetch_plan(self.conn)
        new = self.add(objs)
        if not new:
            return
        model = new[0]._meta.concrete_model
        for related in delete_candidates(model):
            if related.on_delete is not DO_NOTHING:
                yield from related.on_delete(self, related.field, new)

    # ---- acting --------------------------------------------------------------------------

    def _check_restricted(self) -> None:
        for field, objs in self.restricted:
            remaining = [obj for obj in objs if obj not in self.data.get(obj._meta.concrete_model, {})]
            if remaining:
                model = field.remote_field.model._meta.object_name
                raise RestrictedError(
                    f"Cannot delete some instances of model '{model}' because they are "
                    f"referenced through restricted foreign keys: '{field.model.__name__}.{field.name}'.",
                    set(remaining),
                )

    def delete_plan(self) -> Plan:
        self._check_restricted()
        counter: Counter[str] = Counter()
        if len(self.data) == 1 and not self.fast_deletes and not self.field_updates:
            (model, instances), = self.data.items()
            if len(instances) == 1 and not self._has_signal_listeners(model):
                instance = next(iter(instances))
                count = yield from self._delete_batch(model, [instance.pk])
                instance.__dict__[model._meta.pk.attname] = None
                return count, {model._meta.label: count}
        result = yield from atomic_plan(self.conn, self._delete_all_plan(counter), savepoint=False)
        return result

    def _delete_all_plan(self, counter: Counter[str]) -> Plan:
        using = self.conn.alias
        for model, instances in self.data.items():
            if signals.pre_delete.has_listeners(model):
                for obj in instances:
                    signals.pre_delete.send(sender=model, instance=obj, using=using, origin=self.origin)
        for queryset in reversed(self.fast_deletes):
            count = yield from queryset._raw_delete_plan(self.conn)
            if count:
                counter[queryset.model._meta.label] += count
        for field, value, queryset in self.field_updates:
            yield from queryset._update_plan(self.conn, {field.name: value})
        # Rows that point at others go first: MariaDB checks foreign keys at once.
        for model, instances in reversed(list(self.data.items())):
            pks = [obj.pk for obj in instances]
            count = yield from self._delete_batch(model, pks)
            if count:
                counter[model._meta.label] += count
            if signals.post_delete.has_listeners(model):
                for obj in instances:
                    signals.post_delete.send(sender=model, instance=obj, using=using, origin=self.origin)
        for model, instances in self.data.items():
            for obj in instances:
                obj.__dict__[model._meta.pk.attname] = None
        return sum(counter.values()), dict(counter)

    def _delete_batch(self, model: Any, pks: list[Any]) -> Plan:
        ops = self.conn.ops
        qn = ops.quote_name
        pk = model._meta.pk
        table = qn(model._meta.db_table)
        size = GET_ITERATOR_CHUNK_SIZE
        total = 0
        for start in range(0, len(pks), size):
            chunk = [pk.get_db_prep_value(v, self.conn) for v in pks[start : start + size]]
            marks = ", ".join(["%s"] * len(chunk))
            sql = ops.to_driver_sql(f"DELETE FROM {table} WHERE {table}.{qn(pk.column)} IN ({marks})")
            total += yield Execute(sql, chunk, ROWCOUNT)
        return total
