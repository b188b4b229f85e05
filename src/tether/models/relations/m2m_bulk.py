"""Bulk linking across many sources (docs/beyond-django.md): `Article.publications.link(pairs)`,
`.unlink(pairs)` and `.relink({article: targets})` on the class-level descriptor.

A pair is (source, target), each an instance or a key, the source being an object of the
model the descriptor is read from (`Publication.articles.link([(publication, article)])` on
the reverse side). Links are written as add() writes them (one INSERT that skips existing
pairs per chunk, race-free where the through model has a unique pair) and removed with one
DELETE per chunk; each call returns what changed as (source key, target key) pairs. Under
complete events (`complete_events=True` or a receiver declared with
`signals.complete_events`) m2m_changed is sent per source object: pre_add/post_add,
pre_remove/post_remove, with exact pk_sets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator, Iterable
from typing import Any

from tether.db.connections import connections
from tether.db.core.requests import Send
from tether.db.core.twins import Job
from tether.db.routers import router
from tether.models.fields.m2m_events import wants_complete
from tether.models.query_utils import Q
from tether.models.relations import m2m_writes
from tether.models.signals import m2m_changed

Plan = Generator[Any, Any, Any]
Pair = tuple[Any, Any]


class _Side:
    """A related manager's constants without an instance: what the write plans of
    m2m_writes read when they are given pairs instead of one instance's targets."""

    # Copied from the field's manager attributes (m2m.ManyToManyField.manager_attrs).
    field: Any
    reverse: bool
    model: Any
    through: Any
    symmetrical: bool
    source_field: Any
    target_field: Any
    source_field_name: str
    target_field_name: str

    def __init__(self, field: Any, reverse: bool) -> None:
        self.__dict__.update(field.manager_attrs(reverse))
        self.instance = None
        self.related_val = None
        self.receivers_ran = False
        self.source_model = self.source_field.remote_field.model

    def key(self, obj: Any, link: Any) -> Any:
        """The key of a pair's source or target (`link`: the through field pointing at it)."""
        model = link.remote_field.model
        key_field = link.target_field
        if isinstance(obj, model):
            value = getattr(obj, key_field.attname)
            if value is None:
                raise ValueError(f'Cannot link "{obj!r}": the value for "{link.name}" is None')
            return value
        if hasattr(obj, "_meta"):
            raise TypeError(f"'{model._meta.object_name}' instance expected, got {obj!r}")
        return key_field.get_prep_value(obj)

    def events(self) -> bool:
        return bool(m2m_changed.has_listeners(self.through)) and wants_complete(self.field)


def _alias(side: _Side, objects: Iterable[Any], using: str | None) -> str:
    """`using`, else where the router writes the through model, hinted with the first source
    object given as an instance (so, without a router, that object's database)."""
    if using is not None:
        return using
    for obj in objects:
        if getattr(obj, "_state", None) is not None:
            return router.db_for_write(side.through, instance=obj)
    return router.db_for_write(side.through)


def _pairs(side: _Side, pairs: Iterable[Any]) -> tuple[list[Pair], dict[Any, Any]]:
    """The pairs as keys, sorted (writers lock rows in one order), and {source key: object}."""
    keyed: set[Pair] = set()
    sources: dict[Any, Any] = {}
    for source, target in pairs:
        key = side.key(source, side.source_field)
        if hasattr(source, "_meta"):
            sources[key] = source
        keyed.add((key, side.key(target, side.target_field)))
    return sorted(keyed, key=m2m_writes._pair_order), sources


def _with_mirrors(side: _Side, pairs: list[Pair]) -> list[Pair]:
    if not side.symmetrical:
        return pairs
    return sorted({*pairs, *((t, s) for s, t in pairs)}, key=m2m_writes._pair_order)


def _by_source(pairs: Iterable[Pair]) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for source, target in pairs:
        grouped[source].append(target)
    return grouped


def _condition(side: _Side, grouped: dict[Any, list[Any]], keep: bool = False) -> Q:
    """The links of each source to its targets (`keep`: to anything but its targets)."""
    src, tgt = side.source_field_name, side.target_field_name
    condition = Q()
    for source, targets in grouped.items():
        if keep:
            part = Q((src, source)) & ~Q((f"{tgt}__in", targets)) if targets else Q((src, source))
            if side.symmetrical:
                mirror = Q((tgt, source))
                part |= mirror & ~Q((f"{src}__in", targets)) if targets else mirror
        else:
            part = Q((src, source), (f"{tgt}__in", targets))
        condition |= part
    return condition


def _chunked(side: _Side, conn: Any, grouped: dict[Any, list[Any]]) -> list[dict[Any, list[Any]]]:
    """`grouped` split so that each chunk's condition fits the backend's parameter limit."""
    room = m2m_writes._param_room(conn, 2 if side.symmetrical else 1, 4)
    chunks: list[dict[Any, list[Any]]] = [{}]
    used = 0
    for source, targets in grouped.items():
        for start in range(0, max(len(targets), 1), room):
            part = targets[start : start + room]
            if used + len(part) + 1 > room and chunks[-1]:
                chunks.append({})
                used = 0
            chunks[-1].setdefault(source, []).extend(part)
            used += len(part) + 1
    return [chunk for chunk in chunks if chunk]


def _existing_plan(side: _Side, conn: Any, pairs: list[Pair]) -> Plan:
    found: set[Pair] = set()
    links = side.through._base_manager.using(conn.alias)
    names = (side.source_field.attname, side.target_field.attname)
    for chunk in _chunked(side, conn, _by_source(pairs)):
        rows = (
            yield from links.filter(_condition(side, chunk)).values_list(*names)._fetch_plan(conn)
        )
        found.update(rows)
    return found & set(pairs)


def _deleted_plan(side: _Side, conn: Any, grouped: dict[Any, list[Any]], keep: bool) -> Plan:
    removed: set[Pair] = set()
    for chunk in _chunked(side, conn, grouped):
        condition = _condition(side, chunk, keep)
        removed |= yield from m2m_writes.deleted_pairs_plan(side, conn, condition)
    return removed


def _instances_plan(side: _Side, conn: Any, keys: Iterable[Any], known: dict[Any, Any]) -> Plan:
    """{source key: object} for the events: the objects given, the others read at once."""
    missing = [key for key in keys if key not in known]
    found = dict(known)
    if missing:
        attname = side.source_field.target_field.attname
        queryset = side.source_model._base_manager.using(conn.alias)
        for obj in (yield from queryset.filter(**{f"{attname}__in": missing})._fetch_plan(conn)):
            found[getattr(obj, attname)] = obj
    return found


def _send(side: _Side, conn: Any, action: str, objects: dict[Any, Any], grouped: Any) -> Plan:
    side.receivers_ran = True
    for source, targets in grouped.items():
        if source in objects:
            named = {
                "action": action,
                "instance": objects[source],
                "reverse": side.reverse,
                "model": side.model,
                "pk_set": set(targets),
                "using": conn.alias,
            }
            yield Send(m2m_changed, side.through, named)


def link_plan(
    side: _Side,
    conn: Any,
    pairs: list[Pair],
    sources: dict[Any, Any],
    defaults: Any,
    strategy: m2m_writes.AddStrategy,
) -> Plan:
    events = side.events()
    exact = _exact(conn, strategy)
    rows = _with_mirrors(side, pairs)
    asked = set(pairs)
    if events or not exact:
        existing = yield from _existing_plan(side, conn, rows)
        rows = [pair for pair in rows if pair not in existing]
    objects: dict[Any, Any] = {}
    if events:
        wanted = _by_source(p for p in rows if p in asked)
        objects = yield from _instances_plan(side, conn, wanted, sources)
        yield from _send(side, conn, "pre_add", objects, wanted)
    # The pairs come back: those the INSERT reports (exact), else those it was given.
    report = m2m_writes.AddStrategy(False, strategy.insert_ignoring_pairs, True, exact)
    inserted = yield from m2m_writes.insert_pairs_plan(side, conn, rows, defaults, report)
    if events:
        yield from _send(
            side, conn, "post_add", objects, _by_source(p for p in inserted if p in asked)
        )
    return set(inserted)


def _exact(conn: Any, strategy: m2m_writes.AddStrategy) -> bool:
    """Whether the INSERT alone links race-free and says which pairs it inserted."""
    return (
        strategy.insert_ignoring_pairs
        and conn.features.can_return_rows_from_ignore_conflicts
        and not strategy.read_existing_first
    )


def unlink_plan(side: _Side, conn: Any, pairs: list[Pair], sources: dict[Any, Any]) -> Plan:
    events = side.events()
    objects: dict[Any, Any] = {}
    if events:
        objects = yield from _instances_plan(side, conn, _by_source(pairs), sources)
        yield from _send(side, conn, "pre_remove", objects, _by_source(pairs))
    removed = yield from _deleted_plan(side, conn, _by_source(_with_mirrors(side, pairs)), False)
    if events:
        yield from _send(
            side, conn, "post_remove", objects, _by_source(p for p in removed if p in set(pairs))
        )
    return removed


def relink_plan(
    side: _Side, conn: Any, wanted: dict[Any, list[Any]], sources: dict[Any, Any], defaults: Any
) -> Plan:
    room = m2m_writes._param_room(conn, 2 if side.symmetrical else 1, 4)
    if side.events() or any(len(targets) + 1 > room for targets in wanted.values()):
        # Exact removals first (the events need them; a NOT IN too long for one statement
        # cannot be split), then the same writes as unlink() and link().
        current = yield from _linked_plan(side, conn, list(wanted))
        gone = [(s, t) for s, t in current if t not in set(wanted[s])]
        removed = yield from unlink_plan(side, conn, gone, sources) if gone else _nothing()
    else:
        removed = yield from _deleted_plan(side, conn, wanted, True)
    pairs = sorted({(s, t) for s, ts in wanted.items() for t in ts}, key=m2m_writes._pair_order)
    if not pairs:
        return set(), removed
    strategy = m2m_writes.strategy_for(side, conn, defaults)
    added = yield from link_plan(side, conn, pairs, sources, defaults, strategy)
    return added, removed


def _nothing() -> Plan:
    return set()
    yield  # a plan that sends nothing


def _linked_plan(side: _Side, conn: Any, keys: list[Any]) -> Plan:
    names = (side.source_field.attname, side.target_field.attname)
    links = side.through._base_manager.using(conn.alias)
    rows = (
        yield from links.filter(**{f"{names[0]}__in": keys}).values_list(*names)._fetch_plan(conn)
    )
    return sorted(rows, key=m2m_writes._pair_order)


# ---- the jobs behind the descriptor's methods ----------------------------------------------


def _prepared(field: Any, reverse: bool, pairs: Iterable[Any], using: Any) -> tuple[Any, ...]:
    """(side, connection, pairs as keys, {source key: object given})."""
    pairs = list(pairs)
    side = _Side(field, reverse)
    conn = connections[_alias(side, (p[0] for p in pairs), using)]
    return (side, conn, *_pairs(side, pairs))


def link_job(field: Any, reverse: bool, pairs: Iterable[Any], defaults: Any, using: Any) -> Job:
    side, conn, keyed, sources = _prepared(field, reverse, pairs, using)
    if not keyed:
        return Job(conn, _nothing())
    strategy = m2m_writes.strategy_for(side, conn, defaults)
    opts = side.through._meta
    fields = 2 if opts.auto_created and not defaults else len(opts.local_concrete_fields)
    rows = len(keyed) * (2 if side.symmetrical else 1)
    single = (
        _exact(conn, strategy)
        and not side.events()
        and rows <= conn.ops.bulk_batch_size(fields, rows)
    )
    plan = lambda: link_plan(side, conn, keyed, sources, defaults, strategy)  # noqa: E731
    return Job(conn, m2m_writes.write(side, conn, plan, not single))


def unlink_job(field: Any, reverse: bool, pairs: Iterable[Any], using: Any) -> Job:
    side, conn, keyed, sources = _prepared(field, reverse, pairs, using)
    if not keyed:
        return Job(conn, _nothing())
    return Job(
        conn, m2m_writes.write(side, conn, lambda: unlink_plan(side, conn, keyed, sources), True)
    )


def relink_job(field: Any, reverse: bool, mapping: Any, defaults: Any, using: Any) -> Job:
    side = _Side(field, reverse)
    conn = connections[_alias(side, mapping, using)]
    wanted: dict[Any, list[Any]] = {}
    sources: dict[Any, Any] = {}
    for source, targets in dict(mapping).items():
        key = side.key(source, side.source_field)
        if hasattr(source, "_meta"):
            sources[key] = source
        keys = {side.key(target, side.target_field) for target in targets}
        wanted[key] = m2m_writes.sorted_keys(keys)
    if not wanted:
        return Job(conn, _pair_of_nothing())
    plan = lambda: relink_plan(side, conn, wanted, sources, defaults)  # noqa: E731
    return Job(conn, m2m_writes.write(side, conn, plan, True))


def _pair_of_nothing() -> Plan:
    return set(), set()
    yield  # a plan that sends nothing


__all__ = ["link_job", "relink_job", "unlink_job"]
