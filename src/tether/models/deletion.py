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
from tether.db.transaction import atomic_plan
from tether.models import signals
from tether.models.sql.constants import GET_ITERATOR_CHUNK_SIZE

Plan = Generator[Any, Any, Any]


class Collector:
    def __init__(self, conn: Any, origin: Any = None) -> None:
        self.conn = conn
        self.origin = origin
        self.data: dict[Any, dict[Any, None]] = defaultdict(dict)
        self.fast_deletes: list[Any] = []

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
        opts = model._meta
        return not opts.related_objects and not opts.many_to_many and not opts.parents

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
        for related in model._meta.related_objects:
            handler = getattr(related, "collect_related_plan", None)
            if handler is not None:
                yield from handler(self, new)

    # ---- acting --------------------------------------------------------------------------

    def delete_plan(self) -> Plan:
        counter: Counter[str] = Counter()
        if len(self.data) == 1 and not self.fast_deletes:
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
        for queryset in self.fast_deletes:
            count = yield from queryset._raw_delete_plan(self.conn)
            if count:
                counter[queryset.model._meta.label] += count
        for model, instances in self.data.items():
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
