"""The deletion collector: what a delete() removes, batched by model, as one plan.

It follows Django 5.2's rules: instances are gathered per model (proxies apart from their
concrete model, so counts carry the proxy's label), multi-table parents are collected with
their children, related rows are reached through every reverse relation's on_delete handler,
and a related queryset that needs no per-row work (no delete signal receivers, nothing that
cascades further) is deleted with one statement per batch instead of being read. Models are
deleted children first, in the order their dependencies allow, so backends that check foreign
keys at once (MariaDB) never see a dangling row. Nothing here builds SQL by hand except the
`DELETE ... WHERE pk IN (...)` batches.
"""

from __future__ import annotations

import functools
import inspect
from collections import Counter, defaultdict
from collections.abc import Generator
from typing import Any

from tether.db.core.requests import ROWCOUNT, Execute, Send
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


# ---- on_delete handlers: plan functions (collector, field, sub_objs) ----------------------


def CASCADE(collector: Any, field: Any, sub_objs: Any) -> Plan:  # noqa: N802 - Django's name
    yield from collector.collect_plan(
        sub_objs, source=field.remote_field.model, nullable=field.null, fail_on_restricted=False
    )
    if field.null and not collector.conn.features.can_defer_constraint_checks:
        collector.add_field_update(field, None, sub_objs)


def PROTECT(collector: Any, field: Any, sub_objs: Any) -> Plan:  # noqa: N802
    raise ProtectedError(
        f"Cannot delete some instances of model '{field.remote_field.model.__name__}' because they "
        "are referenced through a protected foreign key: "
        f"'{type(sub_objs[0]).__name__}.{field.name}'",
        list(sub_objs),
    )
    yield  # pragma: no cover - a plan function


def RESTRICT(collector: Any, field: Any, sub_objs: Any) -> Plan:  # noqa: N802
    collector.add_restricted_objects(field, sub_objs)
    collector.add_dependency(field.remote_field.model, field.model)
    return
    yield  # pragma: no cover


def SET(value: Any) -> Any:  # noqa: N802
    """on_delete=SET(value): the value, or what calling it returns. A callable is called
    only when rows point at the deleted ones (so they are read first), as in Django."""

    def set_on_delete(collector: Any, field: Any, sub_objs: Any) -> Plan:
        collector.add_field_update(field, value() if callable(value) else value, sub_objs)
        return
        yield  # pragma: no cover

    set_on_delete.lazy_sub_objs = not callable(value)  # type: ignore[attr-defined]
    set_on_delete.deconstruct = lambda: ("tether.models.SET", (value,), {})  # type: ignore[attr-defined]
    return set_on_delete


def SET_NULL(collector: Any, field: Any, sub_objs: Any) -> Plan:  # noqa: N802
    collector.add_field_update(field, None, sub_objs)
    return
    yield  # pragma: no cover


def SET_DEFAULT(collector: Any, field: Any, sub_objs: Any) -> Plan:  # noqa: N802
    collector.add_field_update(field, field.get_default(), sub_objs)
    return
    yield  # pragma: no cover


def DO_NOTHING(collector: Any, field: Any, sub_objs: Any) -> Plan:  # noqa: N802
    return
    yield  # pragma: no cover


# SET_DEFAULT reads the rows first: the default (maybe a callable) is taken only for rows.
SET_NULL.lazy_sub_objs = True  # type: ignore[attr-defined]


def delete_candidates(model: Any) -> list[Any]:
    """Reverse one-to-one and many-to-one relations to `model` and its parents, hidden included."""
    opts = model._meta
    concrete = opts.concrete_model
    rels = list(opts.reverse_relations)
    for parent in [*opts.parents, *_ancestors(opts)]:
        for rel in parent._meta.reverse_relations:
            # A parent's links to its other children are not ours to follow.
            if rel.parent_link and rel.model is not concrete:
                continue
            if rel not in rels:
                rels.append(rel)
    # Relations to the concrete model's proxies (and its parents') are relations to its rows:
    # Django's relation tree is keyed by the concrete model.
    for target in [concrete, *concrete._meta.get_parent_list()]:
        for proxy in _proxies_of(target):
            rels.extend(r for r in proxy._meta.reverse_relations if r not in rels)
    if opts.proxy:
        rels.extend(r for r in concrete._meta.reverse_relations if r not in rels)
    return [rel for rel in rels if rel.one_to_many or rel.one_to_one]


def _generic_relations(model: Any) -> list[Any]:
    """Private fields whose related rows are deleted with the object (GenericRelation)."""
    return [f for f in model._meta.private_fields if hasattr(f, "bulk_related_objects_plan")]


def _proxies_of(concrete: Any) -> list[Any]:
    """The registered proxy models whose concrete model is `concrete`."""
    return [
        model
        for model in concrete._meta.apps.get_models()
        if model._meta.proxy and model._meta.concrete_model is concrete
    ]


def _ancestors(opts: Any) -> list[Any]:
    return [a for a in opts.get_parent_list() if a not in opts.parents]


def _has_signal_listeners(model: Any) -> bool:
    return signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model)


@functools.lru_cache(maxsize=128)
def _takes_using(handler: Any) -> bool:
    """True for a Django-style handler: (collector, field, sub_objs, using)."""
    try:
        inspect.signature(handler).bind(None, None, None, None)
    except (TypeError, ValueError):
        return False
    return True


def _run_handler(handler: Any, collector: Any, field: Any, sub_objs: Any, rows: Any) -> Plan:
    """Run an on_delete handler: a plan function, or a Django-style function.

    A Django-style handler gets the related rows as a QuerySet whose result cache holds
    `rows` (None: left lazy) and the alias; the collect() calls it makes are run afterwards.
    """
    if not _takes_using(handler):
        result = handler(collector, field, sub_objs if rows is None else rows)
        if inspect.isgenerator(result):
            yield from result
        return
    if rows is not None:
        sub_objs._result_cache = rows
    pending = collector._pending
    collector._pending = []
    try:
        handler(collector, field, sub_objs, collector.using)
        while collector._pending:
            objs, options = collector._pending.pop(0)
            yield from collector.collect_plan(objs, **options)
    finally:
        collector._pending = pending


class Collector:
    def __init__(self, conn: Any = None, origin: Any = None, using: str | None = None) -> None:
        if using is not None or isinstance(conn, str):
            # Django's Collector(using=alias): an alias instead of the connection.
            from tether.db.connections import connections

            conn = connections[using if using is not None else conn]
        self.conn = conn
        self.using = conn.alias
        self.origin = origin
        # {model: {instance: None}}: an insertion-ordered set of instances per model.
        self.data: dict[Any, dict[Any, None]] = defaultdict(dict)
        # {(field, value): [querysets or instance lists]}
        self.field_updates: dict[tuple[Any, Any], list[Any]] = defaultdict(list)
        # {model: {field: [instances]}}: RESTRICT-ed rows, cleared when reached by a cascade.
        self.restricted_objects: dict[Any, dict[Any, list[Any]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.fast_deletes: list[Any] = []
        # {concrete model: {concrete models deleted before it}}
        self.dependencies: dict[Any, set[Any]] = defaultdict(set)
        # collect() calls of a Django-style on_delete handler, run as plans once it returns.
        self._pending: list[tuple[Any, dict[str, Any]]] = []
        # m2m_changed for the links the deletes remove, for relations that opted in.
        from tether.models.fields.m2m_events import CascadeEvents

        self.m2m_events = CascadeEvents()

    # ---- bookkeeping ---------------------------------------------------------------------

    def add(
        self,
        objs: list[Any],
        source: Any = None,
        nullable: bool = False,
        reverse_dependency: bool = False,
    ) -> list[Any]:
        """Add `objs` (all of one model); returns those not collected before."""
        if not objs:
            return []
        model = type(objs[0])
        instances = self.data[model]
        new = [obj for obj in objs if obj not in instances]
        for obj in new:
            instances[obj] = None
        # Nullable relations are set to NULL first, so they do not order the deletes.
        if source is not None and not nullable:
            self.add_dependency(source, model, reverse_dependency)
        return new

    def add_dependency(self, model: Any, dependency: Any, reverse_dependency: bool = False) -> None:
        if reverse_dependency:
            model, dependency = dependency, model
        self.dependencies[model._meta.concrete_model].add(dependency._meta.concrete_model)
        self.data.setdefault(dependency, {})

    def add_field_update(self, field: Any, value: Any, objs: Any) -> None:
        self.field_updates[field, value].append(_rows_if_loaded(objs))

    def add_restricted_objects(self, field: Any, objs: Any) -> None:
        objs = _rows_if_loaded(objs)
        if not isinstance(objs, list):
            objs = list(objs)
        if objs:
            model = type(objs[0])
            self.restricted_objects[model][field].extend(objs)

    def _clear_restricted(self, model: Any, instances: Any) -> None:
        if model not in self.restricted_objects:
            return
        gone = set(instances)
        for field, objs in self.restricted_objects[model].items():
            self.restricted_objects[model][field] = [obj for obj in objs if obj not in gone]

    # ---- deciding ------------------------------------------------------------------------

    def can_fast_delete(self, objs: Any, from_field: Any = None) -> bool:
        """True when `objs` (a model, an instance or a queryset) can go without reading rows."""
        if from_field is not None and from_field.remote_field.on_delete is not CASCADE:
            return False
        if hasattr(objs, "_meta"):
            model = objs._meta.model
        elif hasattr(objs, "model") and hasattr(objs, "_raw_delete_plan"):
            model = objs.model
        else:
            return False
        if _has_signal_listeners(model):
            return False
        opts = model._meta
        return (
            all(link == from_field for link in opts.concrete_model._meta.parents.values())
            and all(
                rel.field.remote_field.on_delete is DO_NOTHING for rel in delete_candidates(model)
            )
            and not _generic_relations(model)
        )

    def get_del_batches(self, objs: list[Any], fields: list[Any]) -> list[list[Any]]:
        size = max(self.conn.ops.bulk_batch_size(len(fields), len(objs)), 1)
        if len(objs) > size:
            return [objs[i : i + size] for i in range(0, len(objs), size)]
        return [objs]

    def related_objects(self, related_model: Any, fields: list[Any], objs: list[Any]) -> Any:
        """The rows of `related_model` pointing at `objs` through any of `fields`."""
        from tether.models.query_utils import Q

        predicate = Q()
        for field in fields:
            predicate |= Q((f"{field.name}__in", objs))
        queryset = related_model._base_manager.using(self.using).filter(predicate)
        queryset._delete_predicate = predicate  # lets field updates OR several batches together
        return queryset

    # ---- collecting ----------------------------------------------------------------------

    def collect(
        self,
        objs: Any,
        source: Any = None,
        nullable: bool = False,
        collect_related: bool = True,
        source_attr: str | None = None,
        reverse_dependency: bool = False,
        keep_parents: bool = False,
        fail_on_restricted: bool = True,
    ) -> None:
        """Django's collect() for on_delete handlers: recorded now, run as a plan after them."""
        options = {
            "source": source,
            "nullable": nullable,
            "collect_related": collect_related,
            "reverse_dependency": reverse_dependency,
            "keep_parents": keep_parents,
            "fail_on_restricted": fail_on_restricted,
        }
        self._pending.append((objs, options))

    def collect_plan(
        self,
        objs: Any,
        source: Any = None,
        nullable: bool = False,
        collect_related: bool = True,
        reverse_dependency: bool = False,
        keep_parents: bool = False,
        fail_on_restricted: bool = True,
    ) -> Plan:
        """Collect `objs` (instances or a queryset) and whatever their deletion reaches."""
        if self.can_fast_delete(objs):
            self.fast_deletes.append(objs)
            return
        if hasattr(objs, "_raw_delete_plan"):
            objs = yield from _evaluate(objs, self.conn)
        new = self.add(list(objs), source, nullable, reverse_dependency)
        if not new:
            return
        model = type(new[0])
        if not keep_parents:
            from tether.models.instance.inheritance import parent_instance

            for parent, link in model._meta.concrete_model._meta.parents.items():
                if link is None:
                    continue
                parents = [parent_instance(obj, parent) for obj in new]
                yield from self.collect_plan(
                    parents,
                    source=model,
                    collect_related=False,
                    reverse_dependency=True,
                    fail_on_restricted=False,
                )
        if not collect_related:
            return
        self.m2m_events.collect(model, new)
        skip = set(model._meta.get_parent_list()) if keep_parents else set()
        fast: dict[Any, list[Any]] = {}
        protected: dict[str, list[Any]] = {}
        for rel in delete_candidates(model):
            if rel.model in skip:
                continue
            field = rel.field
            on_delete = field.remote_field.on_delete
            if on_delete is DO_NOTHING:
                continue
            related_model = rel.related_model
            if self.can_fast_delete(related_model, from_field=field):
                fast.setdefault(related_model, []).append(field)
                continue
            for batch in self.get_del_batches(new, [field]):
                sub_objs = self.related_objects(related_model, [field], batch)
                rows = None
                if not getattr(on_delete, "lazy_sub_objs", False):
                    referenced = _referenced_attnames(related_model)
                    if referenced and not _has_signal_listeners(related_model):
                        sub_objs = sub_objs._only_attnames(referenced)
                    rows = yield from _evaluate(sub_objs, self.conn)
                    if not rows:
                        continue
                try:
                    yield from _run_handler(on_delete, self, field, sub_objs, rows)
                except ProtectedError as error:
                    key = f"'{field.model.__name__}.{field.name}'"
                    protected.setdefault(key, []).extend(error.protected_objects)
        if protected:
            raise ProtectedError(
                f"Cannot delete some instances of model '{model.__name__}' because they are "
                f"referenced through protected foreign keys: {', '.join(protected)}.",
                {obj for objs in protected.values() for obj in objs},
            )
        for related_model, fields in fast.items():
            for batch in self.get_del_batches(new, fields):
                self.fast_deletes.append(self.related_objects(related_model, fields, batch))
        for field in _generic_relations(model):
            # A GenericRelation's rows go with the object they point at (Django's rule).
            sub_objs = yield from field.bulk_related_objects_plan(new, self.conn)
            yield from self.collect_plan(
                sub_objs, source=model, nullable=True, fail_on_restricted=False
            )
        if fail_on_restricted:
            yield from self._check_restricted_plan(model)

    def _check_restricted_plan(self, model: Any) -> Plan:
        for related_model, instances in list(self.data.items()):
            self._clear_restricted(related_model, instances)
        for queryset in self.fast_deletes:
            rmodel = queryset.model
            if rmodel in self.restricted_objects:
                pks = [obj.pk for objs in self.restricted_objects[rmodel].values() for obj in objs]
                if pks:
                    reached = yield from _evaluate(queryset.filter(pk__in=pks), self.conn)
                    self._clear_restricted(rmodel, reached)
        restricted: dict[str, list[Any]] = {}
        for related_model, fields in self.restricted_objects.items():
            for field, objs in fields.items():
                if objs:
                    restricted.setdefault(f"'{related_model.__name__}.{field.name}'", []).extend(
                        objs
                    )
        if restricted:
            raise RestrictedError(
                f"Cannot delete some instances of model '{model.__name__}' because they are "
                f"referenced through restricted foreign keys: {', '.join(restricted)}.",
                {obj for objs in restricted.values() for obj in objs},
            )

    # ---- acting --------------------------------------------------------------------------

    def sort(self) -> None:
        """Order `data` so that every model comes after the models it depends on."""
        ordered: list[Any] = []
        done: set[Any] = set()
        models = list(self.data)
        while len(ordered) < len(models):
            found = False
            for model in models:
                if model in ordered:
                    continue
                deps = self.dependencies.get(model._meta.concrete_model)
                if not (deps and deps.difference(done)):
                    ordered.append(model)
                    done.add(model._meta.concrete_model)
                    found = True
            if not found:
                return  # a cycle: keep the collected order
        self.data = defaultdict(dict, {model: self.data[model] for model in ordered})

    def delete_plan(self) -> Plan:
        """Delete everything collected; Django's (total, {label: count})."""
        for model, instances in list(self.data.items()):
            self.data[model] = dict.fromkeys(sorted(instances, key=lambda obj: obj.pk))
        self.sort()
        if len(self.data) == 1 and not self.m2m_events.pending:
            ((model, instances),) = self.data.items()
            if len(instances) == 1:
                instance = next(iter(instances))
                if self.can_fast_delete(instance):
                    count = yield from self._delete_batch(model, [instance.pk])
                    instance.__dict__[model._meta.pk.attname] = None
                    return count, {model._meta.label: count}
        counter: Counter[str] = Counter()
        yield from atomic_plan(self.conn, self._delete_all_plan(counter), savepoint=False)
        for (field, value), groups in self.field_updates.items():
            for group in groups:
                if isinstance(group, list):
                    for obj in group:
                        obj.__dict__[field.attname] = value
        for model, instances in self.data.items():
            for obj in instances:
                obj.__dict__[model._meta.pk.attname] = None
        return sum(counter.values()), dict(counter)

    def _delete_all_plan(self, counter: Counter[str]) -> Plan:
        using = self.using
        for model, instances in self.data.items():
            if not model._meta.auto_created and signals.pre_delete.has_listeners(model):
                for obj in instances:
                    yield Send(
                        signals.pre_delete,
                        model,
                        {"instance": obj, "using": using, "origin": self.origin},
                    )
        yield from self.m2m_events.pre_plan(self.conn)
        for queryset in self.fast_deletes:
            count = yield from queryset._raw_delete_plan(self.conn)
            if count:
                counter[queryset.model._meta.label] += count
        for (field, value), groups in self.field_updates.items():
            yield from self._update_plan(field, value, groups)
        for model, instances in self.data.items():
            pks = [obj.pk for obj in reversed(instances)]
            count = yield from self._delete_batch(model, pks)
            if count:
                counter[model._meta.label] += count
            if not model._meta.auto_created and signals.post_delete.has_listeners(model):
                for obj in reversed(instances):
                    yield Send(
                        signals.post_delete,
                        model,
                        {"instance": obj, "using": using, "origin": self.origin},
                    )
        yield from self.m2m_events.post_plan()

    def _update_plan(self, field: Any, value: Any, groups: list[Any]) -> Plan:
        """One UPDATE per (field, value): the lazy querysets ORed, loaded rows by pk."""
        from tether.models.query_utils import Q

        lazy = [g for g in groups if not isinstance(g, list)]
        loaded = [obj for g in groups if isinstance(g, list) for obj in g]
        if lazy:
            queryset = lazy[0]
            if len(lazy) > 1:
                predicate = Q()
                for each in lazy:
                    predicate |= each._delete_predicate
                queryset = queryset.model._base_manager.using(self.using).filter(predicate)
            yield from queryset._update_plan(self.conn, {field.name: value})
        if loaded:
            model = type(loaded[0])
            pks = list(dict.fromkeys(obj.pk for obj in loaded))
            for start in range(0, len(pks), GET_ITERATOR_CHUNK_SIZE):
                chunk = model._base_manager.using(self.using).filter(
                    pk__in=pks[start : start + GET_ITERATOR_CHUNK_SIZE]
                )
                yield from chunk._update_plan(self.conn, {field.name: value})

    def _delete_batch(self, model: Any, pks: list[Any]) -> Plan:
        ops = self.conn.ops
        qn = ops.quote_name
        pk = model._meta.pk
        table = qn(model._meta.db_table)
        total = 0
        for start in range(0, len(pks), GET_ITERATOR_CHUNK_SIZE):
            chunk = [
                pk.get_db_prep_value(v, self.conn)
                for v in pks[start : start + GET_ITERATOR_CHUNK_SIZE]
            ]
            marks = ", ".join(["%s"] * len(chunk))
            sql = ops.to_driver_sql(
                f"DELETE FROM {table} WHERE {table}.{qn(pk.column)} IN ({marks})"
            )
            total += yield Execute(sql, chunk, ROWCOUNT)
        return total


def _rows_if_loaded(objs: Any) -> Any:
    """An evaluated QuerySet as its list of rows (their attributes are updated after)."""
    cache = getattr(objs, "_result_cache", None)
    return list(cache) if cache is not None else objs


def _evaluate(queryset: Any, conn: Any) -> Plan:
    if queryset._result_cache is not None:
        return list(queryset._result_cache)
    return (yield from queryset._fetch_plan(conn))


def _referenced_attnames(model: Any) -> set[str]:
    """The columns other rows reference on `model` (its pk at least): all a cascade reads."""
    names: set[str] = set()
    for rel in delete_candidates(model):
        for target in rel.field.foreign_related_fields:
            names.add(target.attname)
    if names:
        names.add(model._meta.pk.attname)
    return names
