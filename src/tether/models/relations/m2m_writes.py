"""Many-to-many writes as plans: add, remove, clear and set, decided first and then done.

`choose_add_strategy` is a pure function of backend features, m2m_changed receivers and the
through model's unique constraints; the plans here carry the choice out with as few statements
as the backend allows (one INSERT that skips existing pairs, one DELETE, set() as a difference
computed by the database) and send m2m_changed with Django's arguments, order and values.
`write` runs a plan as the owner of its transaction where it can: a single statement goes bare
in autocommit, several go in one atomic block, and a lost lock race is retried.
This module knows the relation only through a ManyRelatedManager's attributes; it knows
nothing of reading, prefetching or the public manager API.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tether.db.core.requests import ROWCOUNT, ROWS, Execute, Send
from tether.db.routers import router
from tether.db.transaction import owns_transaction, retrying_atomic_plan
from tether.exceptions import EmptyResultSet
from tether.models import signals
from tether.models.deletion import DO_NOTHING, delete_candidates
from tether.models.fields import NOT_PROVIDED, AutoFieldMixin, Field, IntegerField
from tether.models.fields.m2m_events import wants_complete
from tether.models.fields.prepare import value_preparer
from tether.models.query_utils import Q
from tether.models.sql.dml import IGNORE, insert_sql

Plan = Generator[Any, Any, Any]
Pair = tuple[Any, Any]


@dataclass(frozen=True)
class AddStrategy:
    """How add() writes."""

    read_existing_first: bool  # one SELECT of the pairs already linked, before the INSERT
    insert_ignoring_pairs: bool  # the INSERT itself skips pairs that exist (no race)
    send_signals: bool  # m2m_changed has receivers for this through model
    returning: bool  # post_add gets the pairs the INSERT reports as inserted


def choose_add_strategy(
    features: Any,
    has_receivers: bool,
    unique_pair: bool,
    other_unique: bool = False,
    values_missing: bool = False,
) -> AddStrategy:
    """Decide, without I/O, how add() runs on this backend for this through model.

    Skipping existing pairs in the INSERT needs a unique constraint on exactly the pair; where
    the backend cannot name the conflict target (MySQL's ON DUPLICATE KEY), any other unique
    key of the through table would be skipped too, hiding its violation: read first instead.
    `values_missing`: a required column of the through model gets no value; the database
    checks NOT NULL before the conflict, so existing pairs must be read (and left out) first.
    """
    can_ignore = (
        features.supports_ignore_conflicts
        and unique_pair
        and (features.supports_ignore_conflicts_with_target or not other_unique)
    )
    return AddStrategy(
        read_existing_first=has_receivers or not can_ignore or values_missing,
        insert_ignoring_pairs=can_ignore,
        send_signals=has_receivers,
        returning=has_receivers and can_ignore and features.can_return_rows_from_ignore_conflicts,
    )


def through_uniques(through: Any, source: Any, target: Any) -> tuple[bool, bool]:
    """(a unique constraint on exactly the pair, another unique key besides it and the pk)."""
    pair = frozenset({source.name, target.name})
    opts = through._meta
    groups = [frozenset(names) for names in opts.unique_together]
    for constraint in opts.constraints:
        names = frozenset(getattr(constraint, "fields", None) or ())
        expressions = getattr(constraint, "expressions", None)
        if not names and not expressions:
            continue  # a check constraint
        partial = getattr(constraint, "condition", None) is not None or bool(expressions)
        groups.append(frozenset({_PARTIAL}) if partial else names)
    groups.extend(
        frozenset({f.name}) for f in opts.local_concrete_fields if f.unique and not f.primary_key
    )
    return pair in groups, any(group != pair for group in groups)


_PARTIAL = "<a conditional or expression unique constraint>"


def has_receivers(manager: Any) -> bool:
    return bool(signals.m2m_changed.has_listeners(manager.through))


def send(manager: Any, conn: Any, action: str, pk_set: Any) -> Send:
    """The m2m_changed send for `action`, as a request for the runner to perform (made just
    before it is yielded: from here on, a lost lock race is not retried)."""
    manager.receivers_ran = True
    return Send(
        signals.m2m_changed,
        manager.through,
        {
            "action": action,
            "instance": manager.instance,
            "reverse": manager.reverse,
            "model": manager.model,
            "pk_set": pk_set,
            "using": conn.alias,
        },
    )


def write(manager: Any, conn: Any, plan_factory: Callable[[], Plan], in_transaction: bool) -> Plan:
    """Run a write as the owner of its transaction where it can, retrying a lost lock race
    (a deadlock victim) only while no m2m_changed receiver has run: a retry would send
    pre_add/pre_remove again and repeat the receivers' side effects."""
    manager.receivers_ran = False
    return (
        yield from retrying_atomic_plan(
            conn,
            plan_factory,
            in_transaction=in_transaction,
            retry_allowed=lambda: not manager.receivers_ran,
        )
    )


# ---- values --------------------------------------------------------------------------------


def target_ids(manager: Any, objs: Iterable[Any], action: str) -> list[Any]:
    """The target keys of `objs` (instances or raw keys), sorted, checked as Django checks them.

    `action` is "add" or "set"; set() adds through add() in Django, so its errors say "add"."""
    model = manager.model
    target_key = manager.target_field.target_field
    ids: dict[Any, None] = {}
    instance = manager.instance
    for obj in objs:
        if isinstance(obj, model):
            # Without a router's answer, a relation is allowed within one database only.
            if not router.allow_relation(obj, instance):
                raise ValueError(
                    f'Cannot add "{obj!r}": instance is on database "{instance._state.db}", '
                    f'value is on database "{obj._state.db}"'
                )
            value = getattr(obj, target_key.attname)
            if value is None:
                raise ValueError(
                    f'Cannot add "{obj!r}": the value for field '
                    f'"{manager.target_field_name}" is None'
                )
            ids[value] = None
        elif hasattr(obj, "_meta") and action != "set":
            raise TypeError(f"'{model._meta.object_name}' instance expected, got {obj!r}")
        else:
            # set() prepares anything that is not a target instance as a key, as Django does.
            ids[target_key.get_prep_value(obj)] = None
    return sorted_keys(ids)


def removed_ids(manager: Any, objs: Iterable[Any]) -> tuple[set[Any], list[Any]]:
    """remove()'s pk_set (raw values, as Django sends them) and the keys to delete (prepared)."""
    model = manager.model
    target_key = manager.target_field.target_field
    pk_set: set[Any] = set()
    for obj in objs:
        if not isinstance(obj, model) and hasattr(obj, "_meta"):
            raise ValueError(f'Cannot query "{obj}": Must be "{model._meta.object_name}" instance.')
        pk_set.add(getattr(obj, target_key.attname) if isinstance(obj, model) else obj)
    keys = {target_key.get_prep_value(v) for v in pk_set if v is not None}
    return pk_set, sorted_keys(keys)


def sort_key(value: Any) -> Any:
    return (type(value).__name__, value)


def sorted_keys(values: Iterable[Any]) -> list[Any]:
    """sorted(values, key=sort_key); values all of one class sort the same without the key."""
    values = list(values)
    if values:
        cls = values[0].__class__
        if all(value.__class__ is cls for value in values):
            return sorted(values)
    return sorted(values, key=sort_key)


def _chunks(values: Sequence[Any], size: int) -> list[Sequence[Any]]:
    size = max(size, 1)
    return [values[i : i + size] for i in range(0, len(values), size)] or [values]


def _param_room(conn: Any, per_value: int, fixed: int = 2) -> int:
    """How many values fit in one statement next to `fixed` other parameters."""
    limit = conn.features.max_query_params
    return 1 << 30 if limit is None else max((limit - fixed) // per_value, 1)


# ---- add -----------------------------------------------------------------------------------


def _pair_order(pair: Pair) -> Any:
    return (sort_key(pair[0]), sort_key(pair[1]))


def link_pairs(manager: Any, forward: Iterable[Any], mirror: Iterable[Any]) -> list[Pair]:
    """(source, target) rows for `forward` targets and, symmetrical, `mirror` back-links;
    sorted by key so that concurrent writers lock rows in one order (deadlocks stay rare)."""
    me = manager.related_val
    pairs = {(me, tid) for tid in forward}
    if manager.symmetrical:
        pairs.update((tid, me) for tid in mirror)
    if pairs:
        first, second = next(iter(pairs))
        one, two = first.__class__, second.__class__
        if all(s.__class__ is one and t.__class__ is two for s, t in pairs):
            return sorted(pairs)  # the same order as _pair_order's, without the key calls
    return sorted(pairs, key=_pair_order)


def existing_pairs_plan(manager: Any, conn: Any, ids: Sequence[Any], mirror: bool) -> Plan:
    """The links among `ids` that exist already (both directions when `mirror`)."""
    src, tgt = manager.source_field_name, manager.target_field_name
    me = manager.related_val
    found: set[Pair] = set()
    links = manager.through._base_manager.using(conn.alias)
    for chunk in _chunks(list(ids), _param_room(conn, 2 if mirror else 1)):
        condition = Q(**{src: me, f"{tgt}__in": chunk})
        if mirror:
            condition |= Q(**{tgt: me, f"{src}__in": chunk})
        rows = yield from (
            links.filter(condition)
            .values_list(manager.source_field.attname, manager.target_field.attname)
            ._fetch_plan(conn)
        )
        found.update((s, t) for s, t in rows)
    return found


def _row_shape(
    manager: Any, conn: Any, through_defaults: Any
) -> tuple[list[Any], Callable[[Pair], list[Any]]]:
    """The INSERT's fields and a function from a pair to that row's parameters."""
    through = manager.through
    opts = through._meta
    source, target = manager.source_field, manager.target_field
    if opts.auto_created and not through_defaults:
        at_source, at_target = value_preparer(source, conn), value_preparer(target, conn)
        return [source, target], lambda pair: [at_source(pair[0]), at_target(pair[1])]
    defaults = {k: (v() if callable(v) else v) for k, v in (through_defaults or {}).items()}
    pk = opts.pk
    fields = [
        f for f in opts.local_concrete_fields if not (f.generated or (f is pk and f.db_returning))
    ]

    def row(pair: Pair) -> list[Any]:
        obj = through(**defaults, **{source.attname: pair[0], target.attname: pair[1]})
        return [f.get_db_prep_save(f.pre_save(obj, True), conn) for f in fields]

    return fields, row


def insert_pairs_plan(
    manager: Any, conn: Any, pairs: list[Pair], through_defaults: Any, strategy: AddStrategy
) -> Plan:
    """INSERT `pairs` in chunks under the parameter limit; returns the pairs inserted (all of
    them unless the backend reports exactly which ones, RETURNING after ON CONFLICT) when
    m2m_changed has receivers to tell, else an empty set."""
    if not pairs:
        return set()
    fields, row = _row_shape(manager, conn, through_defaults)
    at_source, at_target = fields.index(manager.source_field), fields.index(manager.target_field)
    ignore = strategy.insert_ignoring_pairs
    unique = [manager.source_field, manager.target_field] if ignore else []
    returning = unique if strategy.returning else []
    inserted: set[Pair] = set()
    size = conn.ops.bulk_batch_size(len(fields), len(pairs))
    for start in range(0, len(pairs), size):
        chunk = pairs[start : start + size] if size < len(pairs) else pairs
        params: list[Any] = []
        keys: dict[Any, Pair] = {}
        if returning:
            for pair in chunk:
                values = row(pair)
                params.extend(values)
                keys[(values[at_source], values[at_target])] = pair
        else:
            params = [value for pair in chunk for value in row(pair)]
        sql = insert_sql(
            conn,
            manager.through,
            fields,
            len(chunk),
            returning,
            IGNORE if ignore else None,
            (),
            unique,
        )
        if returning:
            rows = yield Execute(sql, params, ROWS)
            inserted.update(keys.get(tuple(db_pair), tuple(db_pair)) for db_pair in rows)
        else:
            yield Execute(sql, params, ROWCOUNT)
            if strategy.send_signals:
                inserted.update(chunk)
    return inserted


def add_plan(
    manager: Any,
    conn: Any,
    ids: list[Any],
    through_defaults: Any,
    strategy: AddStrategy,
    known_missing: set[Any] | None = None,
) -> Plan:
    """Link the targets `ids` as Django's add() does (signals included), in the statements the
    strategy chose. `known_missing`: the caller read the links already (set())."""
    me = manager.related_val
    mirror_read = manager.symmetrical and not strategy.insert_ignoring_pairs
    existing: set[Pair] = set()
    if known_missing is not None:
        missing = [tid for tid in ids if tid in known_missing]
        if mirror_read:
            existing = yield from existing_pairs_plan(manager, conn, ids, mirror=True)
    elif strategy.read_existing_first:
        existing = yield from existing_pairs_plan(manager, conn, ids, mirror_read)
        missing = [tid for tid in ids if (me, tid) not in existing]
    else:
        missing = ids
    if strategy.send_signals:
        yield send(manager, conn, "pre_add", set(missing))
    if strategy.insert_ignoring_pairs:
        # Every back-link too, as Django's mirror add: a lone forward row gets its twin.
        pairs = link_pairs(manager, missing, ids)
    else:
        pairs = link_pairs(manager, missing, [t for t in ids if (t, me) not in existing])
    inserted = yield from insert_pairs_plan(manager, conn, pairs, through_defaults, strategy)
    if strategy.send_signals:
        added = {t for s, t in inserted if s == me} if strategy.returning else set(missing)
        yield send(manager, conn, "post_add", added)


def required_columns(through: Any, source: Any, target: Any) -> frozenset[str]:
    """The through model's columns that an INSERT must be given a value for."""
    return frozenset(
        f.name
        for f in through._meta.local_concrete_fields
        # A text column without a default gets "" (Field.get_default), so it never lacks one.
        if not (f.primary_key or f.null or f.has_default() or f in (source, target))
        and not f.empty_strings_allowed
        and f.db_default is NOT_PROVIDED
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    )


def strategy_for(manager: Any, conn: Any, through_defaults: Any = None) -> AddStrategy:
    key = ("uniques", manager.through, manager.source_field, manager.target_field)
    known = conn.caches.m2m_facts.get(key)
    if known is None:
        # The through model's constraints and columns are fixed once the class exists.
        source, target = manager.source_field, manager.target_field
        known = (
            through_uniques(manager.through, source, target),
            required_columns(manager.through, source, target),
        )
        conn.caches.m2m_facts[key] = known
    (unique_pair, other_unique), required = known
    missing = bool(required) and not required <= set(through_defaults or ())
    return choose_add_strategy(
        conn.features, has_receivers(manager), unique_pair, other_unique, missing
    )


def add(manager: Any, conn: Any, objs: Sequence[Any], through_defaults: Any) -> Plan:
    ids = target_ids(manager, objs, "add")
    if not ids:
        return None
    strategy = strategy_for(manager, conn, through_defaults)
    opts = manager.through._meta
    fields = 2 if opts.auto_created and not through_defaults else len(opts.local_concrete_fields)
    rows = len(ids) * (2 if manager.symmetrical else 1)
    single = not strategy.read_existing_first and rows <= conn.ops.bulk_batch_size(fields, rows)
    return (
        yield from write(
            manager,
            conn,
            lambda: add_plan(manager, conn, ids, through_defaults, strategy),
            in_transaction=not single,
        )
    )


# ---- remove, clear -------------------------------------------------------------------------


def _delete_links_plan(manager: Any, conn: Any, kind: str, keys: Sequence[Any] = ()) -> Plan:
    """DELETE the links of this side: `kind` "remove" those to `keys`, "unwanted" those to
    anything but `keys`, "clear" all (both directions when symmetrical).

    Through the collector where the through model's delete has receivers or cascades;
    otherwise one statement whose SQL is cached per (through, side, kind, number of values)
    with the roles of its placeholders, as the compiler reported them: later calls bind their
    values without a Q, QuerySet or WHERE tree.
    """
    if not _fast_delete(manager, conn):
        condition = _CONDITIONS[kind](manager, keys)
        links = manager.through._base_manager.using(conn.alias).filter(condition)
        return (yield from links._delete_plan(conn))
    values = _delete_values(manager, conn, kind, keys)
    key: Any = None
    if values is not None:
        key = (manager.through, manager.source_field, manager.symmetrical, kind, len(values[1]))
        cached = conn.caches.m2m_delete_sql.get(key)
        if cached is not None:
            sql, roles = cached
            return (yield Execute(sql, _bind(roles, values), ROWCOUNT))
    condition = _CONDITIONS[kind](manager, keys)
    query = manager.through._base_manager.using(conn.alias).filter(condition)._query.clone()
    query.clear_ordering(force=True)
    try:
        entry, built, leaves = query.get_compiler(
            connection=conn, kind="delete"
        ).placeholder_leaves()
    except EmptyResultSet:
        return 0
    if key is not None and values is not None:
        roles = _roles(manager, leaves)
        if roles is not None and _same_values(built, _bind(roles, values)):
            conn.caches.m2m_delete_sql[key] = (entry.sql, roles)
    return (yield Execute(entry.sql, built, ROWCOUNT))


def _delete_values(
    manager: Any, conn: Any, kind: str, keys: Sequence[Any]
) -> tuple[list[Any], list[Any]] | None:
    """(this side's key, the other side's keys), each bound as the lookups bind them; None
    when they cannot be (the query path then reports the error or the empty result)."""
    me = _lookup_values(manager.source_field.target_field, conn, (manager.related_val,))
    if me is None or len(me) != 1:
        return None
    if kind == "clear":
        return me, []
    ids = _lookup_values(manager.target_field.target_field, conn, keys)
    return None if ids is None else (me, ids)


def _roles(manager: Any, leaves: list[Any]) -> tuple[bool, ...] | None:
    """For each placeholder leaf of the DELETE, in the compiler's order: True where it binds
    the other side's keys (an `in` lookup), False where it binds this side's key."""
    columns = {manager.source_field.column, manager.target_field.column}
    roles = []
    for leaf in leaves:
        column = getattr(getattr(getattr(leaf, "lhs", None), "target", None), "column", None)
        if column not in columns or leaf.lookup_name not in ("exact", "in"):
            return None
        roles.append(leaf.lookup_name == "in")
    return tuple(roles)


def _bind(roles: tuple[bool, ...], values: tuple[list[Any], list[Any]]) -> list[Any]:
    me, ids = values
    params: list[Any] = []
    for many in roles:
        params.extend(ids if many else me)
    return params


def _lookup_values(field: Any, conn: Any, values: Iterable[Any]) -> list[Any] | None:
    """`values` bound as an `in` lookup on `field` binds them: get_prep_value, None and
    duplicates dropped, get_db_prep_value(prepared=True). None for an unhashable value."""
    key = ("int_key", field)
    plain_int = conn.caches.m2m_facts.get(key)
    if plain_int is None:
        cls = type(field)
        plain_int = conn.caches.m2m_facts[key] = (
            cls.get_prep_value is IntegerField.get_prep_value
            and cls.get_db_prep_value in (Field.get_db_prep_value, AutoFieldMixin.get_db_prep_value)
        )
    prepared: dict[Any, None] = {}
    try:
        for value in values:
            if value is None:
                continue
            if not (plain_int and value.__class__ is int):
                value = field.get_prep_value(value)
            prepared[value] = None
    except TypeError:
        return None
    if plain_int and all(value.__class__ is int for value in prepared):
        return list(prepared)
    return [field.get_db_prep_value(value, conn, prepared=True) for value in prepared]


def _same_values(built: list[Any], params: list[Any] | None) -> bool:
    return (
        params is not None
        and len(built) == len(params)
        and all(a == b and type(a) is type(b) for a, b in zip(built, params, strict=True))
    )


def _fast_delete(manager: Any, conn: Any) -> bool:
    """The Collector's can_fast_delete(through): no delete receivers, no parents, and every
    relation to the through model DO_NOTHING; the last two cached while its relations last."""
    through = manager.through
    if signals.pre_delete.has_listeners(through) or signals.post_delete.has_listeners(through):
        return False
    opts = through._meta
    if opts.parents or opts.proxy:
        from tether.models.deletion import Collector

        return bool(Collector(conn).can_fast_delete(through))
    relations = opts.fields_map  # a new dict whenever a relation to the model is added
    key = ("fast_delete", through)
    cached = conn.caches.m2m_facts.get(key)
    if cached is None or cached[0] is not relations:
        rels = delete_candidates(through)
        cached = (relations, all(rel.field.remote_field.on_delete is DO_NOTHING for rel in rels))
        conn.caches.m2m_facts[key] = cached
    return bool(cached[1])


def remove_condition(manager: Any, keys: Sequence[Any]) -> Q:
    src, tgt, me = manager.source_field_name, manager.target_field_name, manager.related_val
    condition = Q(**{src: me, f"{tgt}__in": keys})
    if manager.symmetrical:
        condition |= Q(**{tgt: me, f"{src}__in": keys})
    return condition


def remove_plan(manager: Any, conn: Any, pk_set: set[Any], keys: list[Any], signal: bool) -> Plan:
    if signal:
        yield send(manager, conn, "pre_remove", pk_set)
    per_key = 2 if manager.symmetrical else 1
    for chunk in _chunks(keys, _param_room(conn, per_key, 2 * per_key)):
        yield from _delete_links_plan(manager, conn, "remove", chunk)
    if signal:
        yield send(manager, conn, "post_remove", pk_set)


def remove(manager: Any, conn: Any, objs: Sequence[Any]) -> Plan:
    if not objs:
        return None
    pk_set, keys = removed_ids(manager, objs)
    signal = has_receivers(manager)
    per_key = 2 if manager.symmetrical else 1
    single = (
        not signal and _fast_delete(manager, conn) and len(keys) <= _param_room(conn, per_key, 4)
    )
    return (
        yield from write(
            manager,
            conn,
            lambda: remove_plan(manager, conn, pk_set, keys, signal),
            in_transaction=not single,
        )
    )


def clear_condition(manager: Any) -> Q:
    condition = Q(**{manager.source_field_name: manager.related_val})
    if manager.symmetrical:
        condition |= Q(**{manager.target_field_name: manager.related_val})
    return condition


def clear_plan(manager: Any, conn: Any, signal: bool) -> Plan:
    if signal:
        yield send(manager, conn, "pre_clear", None)
    pk_set = None
    if signal and wants_complete(manager.field):
        pk_set = yield from cleared_keys_plan(manager, conn)
    else:
        yield from _delete_links_plan(manager, conn, "clear")
    if signal:
        yield send(manager, conn, "post_clear", pk_set)


def cleared_keys_plan(manager: Any, conn: Any) -> Plan:
    """Delete this side's links and return the other side's keys (post_clear's pk_set under
    complete events)."""
    rows = yield from deleted_pairs_plan(manager, conn, clear_condition(manager))
    me = manager.related_val
    # A symmetrical relation's mirror row (other, me) names the other side first.
    return {target if source == me else source for source, target in rows}


def deleted_pairs_plan(manager: Any, conn: Any, condition: Q) -> Plan:
    """Delete the links matching `condition` and return them as (source, target) keys: one
    DELETE ... RETURNING where the backend has it and the delete needs no collector, else a
    read of the links first, in the caller's transaction."""
    src, tgt = manager.source_field, manager.target_field
    links = manager.through._base_manager.using(conn.alias).filter(condition)
    if conn.features.can_return_rows_from_delete and _fast_delete(manager, conn):
        query = links._query.clone()
        query.clear_ordering(force=True)
        try:
            compiler = query.get_compiler(connection=conn, kind="delete")
            entry, params, _ = compiler.placeholder_leaves()
        except EmptyResultSet:
            return set()
        quote = conn.ops.quote_name
        sql = f"{entry.sql} RETURNING {quote(src.column)}, {quote(tgt.column)}"
        returned = yield Execute(sql, params, ROWS)
        return {(_from_db(src, conn, a), _from_db(tgt, conn, b)) for a, b in returned}
    rows = yield from links.values_list(src.attname, tgt.attname)._fetch_plan(conn)
    yield from links._delete_plan(conn)
    return set(rows)


def _from_db(field: Any, conn: Any, value: Any) -> Any:
    if value is not None:
        for converter in field.get_db_converters(conn):
            value = converter(value)
    return value


def clear(manager: Any, conn: Any) -> Plan:
    signal = has_receivers(manager)
    single = not signal and _fast_delete(manager, conn)
    return (
        yield from write(
            manager, conn, lambda: clear_plan(manager, conn, signal), in_transaction=not single
        )
    )


def unwanted_condition(manager: Any, keys: Sequence[Any]) -> Q:
    src, tgt, me = manager.source_field_name, manager.target_field_name, manager.related_val
    condition = Q((src, me)) & ~Q((f"{tgt}__in", keys))
    if manager.symmetrical:
        condition |= Q((tgt, me)) & ~Q((f"{src}__in", keys))
    return condition


_CONDITIONS: dict[str, Callable[[Any, Sequence[Any]], Q]] = {
    "remove": remove_condition,
    "unwanted": unwanted_condition,
    "clear": lambda manager, keys: clear_condition(manager),
}


# ---- set -----------------------------------------------------------------------------------


def _set_by_difference_plan(
    manager: Any, conn: Any, wanted: list[Any], through_defaults: Any, strategy: AddStrategy
) -> Plan:
    """No receivers: the database drops the links not wanted, then the insert skips the rest."""
    yield from _delete_links_plan(manager, conn, "unwanted", wanted)
    yield from add_plan(manager, conn, wanted, through_defaults, strategy)


def _set_with_signals_plan(
    manager: Any, conn: Any, wanted: list[Any], through_defaults: Any, strategy: AddStrategy
) -> Plan:
    """Receivers see Django's remove-then-add with the exact sets: one read of the links."""
    signal = strategy.send_signals
    current = yield from (
        manager.through._base_manager.using(conn.alias)
        .filter(**{manager.source_field_name: manager.related_val})
        .values_list(manager.target_field.attname, flat=True)
        ._fetch_plan(conn)
    )
    current_set = set(current)
    wanted_set = set(wanted)
    old = [tid for tid in current if tid not in wanted_set]
    if old:
        yield from remove_plan(manager, conn, set(old), sorted(old, key=sort_key), signal)
    new = [tid for tid in wanted if tid not in current_set]
    if new:
        yield from add_plan(manager, conn, new, through_defaults, strategy, known_missing=set(new))


def lock_source_plan(manager: Any, conn: Any) -> Plan:
    """Lock the instance's own row before set() reads or writes its links.

    Overlapping set() calls on one instance then run one after the other: otherwise each
    deletes links the other inserts, in opposite orders, and one is a deadlock victim. The
    lock is FOR NO KEY UPDATE where the backend has it, so that adds from elsewhere (which
    take only a key-share lock on the row) are not held up. SQLite needs none: tether's
    write transactions there begin IMMEDIATE, which serializes writers already.
    """
    features = conn.features
    if not features.has_select_for_update or not conn.in_atomic_block:
        return
    key = manager.source_field.target_field
    rows = (
        key.model._base_manager.using(conn.alias)
        .filter(**{key.attname: manager.related_val})
        .select_for_update(no_key=features.has_select_for_no_key_update)
        .values_list(key.attname)
    )
    yield from rows._fetch_plan(conn)


def set_plan(
    manager: Any,
    conn: Any,
    objs: tuple[Any, ...],
    clear: bool,
    through_defaults: Any,
    strategy: AddStrategy,
) -> Plan:
    if clear or objs or strategy.send_signals:  # not for one DELETE of every link
        yield from lock_source_plan(manager, conn)
    if clear:
        yield from clear_plan(manager, conn, strategy.send_signals)
        ids = target_ids(manager, objs, "add")
        if ids:
            yield from add_plan(manager, conn, ids, through_defaults, strategy)
        return
    wanted = target_ids(manager, objs, "set")
    per_key = 2 if manager.symmetrical else 1
    fits = len(wanted) <= _param_room(conn, per_key, 4)
    if strategy.send_signals or not fits:
        yield from _set_with_signals_plan(manager, conn, wanted, through_defaults, strategy)
    elif not wanted:
        yield from clear_plan(manager, conn, False)
    else:
        yield from _set_by_difference_plan(manager, conn, wanted, through_defaults, strategy)


def set_links(
    manager: Any, conn: Any, objs: Iterable[Any], clear: bool, through_defaults: Any
) -> Plan:
    objs = tuple(objs)
    strategy = strategy_for(manager, conn, through_defaults)
    single = not clear and not objs and not strategy.send_signals and _fast_delete(manager, conn)
    return (
        yield from write(
            manager,
            conn,
            lambda: set_plan(manager, conn, objs, clear, through_defaults, strategy),
            in_transaction=not single,
        )
    )


__all__ = [
    "AddStrategy",
    "add",
    "choose_add_strategy",
    "clear",
    "owns_transaction",
    "remove",
    "set_links",
]
