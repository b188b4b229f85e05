"""The plans behind Model.save() and Model.delete(): UPDATE-or-INSERT and the collector.

Written once as generators (docs/architecture.md), run by Model.save() with the sync runner
and by Model.asave() with the async one. Signals are sent as requests of the plan (`Send`), so
their order relative to the SQL is the same on both paths and the async runner awaits async
receivers.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from tether.db.core.requests import LASTROWID, ONE, ROWCOUNT, CallSync, Execute, Send
from tether.db.errors import DatabaseError
from tether.db.transaction import atomic_plan
from tether.models import signals
from tether.models.fields import NOT_PROVIDED, DatabaseDefault
from tether.models.fields.prepare import values_preparers
from tether.models.sql.dml import insert_sql

Plan = Generator[Any, Any, Any]


def _check_update_fields(instance: Any, update_fields: Any) -> frozenset[str] | None:
    if update_fields is None:
        return None
    if isinstance(update_fields, str):
        update_fields = [update_fields]
    names = frozenset(update_fields)
    opts = instance._meta
    valid = set()
    for field in opts.concrete_fields:
        if not field.primary_key:
            valid.add(field.name)
            valid.add(field.attname)
    invalid = names - valid
    if invalid:
        raise ValueError(
            "The following fields do not exist in this model, are m2m fields, primary keys, "
            f"or are non-concrete fields: {', '.join(sorted(invalid))}"
        )
    return names


def call_save(instance: Any, conn: Any, **kwargs: Any) -> Plan:
    """`instance.save(**kwargs)` as a step of a plan (create(), update_or_create(), ...).

    Django calls the model's save() there, so a model's own save() runs: as a `CallSync`
    request (called in place by the sync runner, in a worker thread borrowing the task's
    connections by the async one). tether's own save() is run as its plan, inline.
    """
    if not hasattr(type(instance).save, "twin_job"):
        return (yield CallSync(instance.save, kwargs))
    force_insert = kwargs.get("force_insert", False)
    update_fields = kwargs.get("update_fields")
    return (yield from save_plan(instance, conn, force_insert, False, update_fields))


def save_plan(
    instance: Any,
    conn: Any,
    force_insert: bool,
    force_update: bool,
    update_fields: Any,
    raw: bool = False,
) -> Plan:
    """Insert or update `instance` as Django's save() does (parents' tables first).

    `raw=True` is Django's save_base(raw=True), what loading a fixture does: the attributes
    are written as they are (no auto_now, no default key), only this model's own table (a
    fixture holds the parents' rows as objects of their own), and the signals say raw=True.
    """
    if force_insert and (force_update or update_fields):
        raise ValueError("Cannot force both insert and updating in model saving.")
    names = _check_update_fields(instance, update_fields)
    if names is not None and not names:
        return None
    if names is None and not force_insert and instance._state.db == conn.alias:
        names = _loaded_fields(instance)
    origin = type(instance)
    cls = origin._meta.concrete_model
    forced = _forced_parents(cls, force_insert)
    prepare = getattr(instance, "_prepare_related_fields_for_save", None)
    if prepare is not None and not raw:
        prepare(operation_name="save")
    using = conn.alias
    if signals.pre_save.has_listeners(origin):
        yield Send(
            signals.pre_save,
            origin,
            {"instance": instance, "raw": raw, "using": using, "update_fields": names},
        )
    if cls._meta.parents and not raw:
        updated = yield from atomic_plan(
            conn,
            _save_with_parents(instance, conn, cls, forced, force_update, names),
            savepoint=False,
        )
    else:
        updated = yield from _save_table(
            instance, conn, cls, bool(forced), force_update, names, raw
        )
    instance._state.db = using
    instance._state.adding = False
    if signals.post_save.has_listeners(origin):
        yield Send(
            signals.post_save,
            origin,
            {
                "instance": instance,
                "created": not updated,
                "update_fields": names,
                "raw": raw,
                "using": using,
            },
        )
    return None


def _loaded_fields(instance: Any) -> frozenset[str] | None:
    """An instance with deferred fields saves only its loaded ones (Django's update_fields)."""
    data = instance.__dict__
    fields = [f for f in instance._meta.concrete_fields if not (f.primary_key or f.generated)]
    if all(f.attname in data for f in fields):
        return None
    loaded = frozenset(f.attname for f in fields if f.attname in data)
    return loaded or None


def _forced_parents(cls: Any, force_insert: Any) -> tuple[Any, ...]:
    """force_insert as Django 5 reads it: False, True (this model) or a tuple of its bases."""
    from tether.models.base import ModelBase

    if force_insert is False:
        return ()
    if force_insert is True:
        return (cls,)
    if not isinstance(force_insert, tuple):
        raise TypeError("force_insert must be a bool or tuple.")
    for member in force_insert:
        if not isinstance(member, ModelBase):
            raise TypeError(f"Invalid force_insert member. {member!r} must be a model subclass.")
        if not issubclass(cls, member):
            raise TypeError(
                f"Invalid force_insert member. {member.__qualname__} must be a base of "
                f"{cls.__qualname__}."
            )
    return force_insert


def _save_with_parents(
    instance: Any,
    conn: Any,
    cls: Any,
    forced: tuple[Any, ...],
    force_update: bool,
    names: frozenset[str] | None,
) -> Plan:
    parent_inserted = yield from _save_parents(instance, conn, cls, names, {}, forced)
    return (
        yield from _save_table(
            instance, conn, cls, bool(forced) or parent_inserted, force_update, names
        )
    )


def _save_parents(
    instance: Any,
    conn: Any,
    cls: Any,
    names: frozenset[str] | None,
    done: dict[Any, bool],
    forced: tuple[Any, ...] = (),
) -> Plan:
    """Save every parent's table (farthest first); True if one of them was inserted."""
    data = instance.__dict__
    inserted = False
    for parent, link in cls._meta.parents.items():
        parent_pk = parent._meta.pk.attname
        if link is not None and data.get(parent_pk) is None and data.get(link.attname) is not None:
            data[parent_pk] = data[link.attname]
        if parent not in done:
            parent_inserted = yield from _save_parents(instance, conn, parent, names, done, forced)
            force = parent_inserted or issubclass(parent, forced)
            updated = yield from _save_table(instance, conn, parent, force, False, names)
            done[parent] = updated
            if not updated:
                inserted = True
        elif not done[parent]:
            inserted = True
        if link is not None:
            data[link.attname] = data.get(parent_pk)
            instance._state.fields_cache.pop(link.name, None)
    return inserted


def _save_table(
    instance: Any,
    conn: Any,
    cls: Any,
    force_insert: bool,
    force_update: bool,
    names: frozenset[str] | None,
    raw: bool = False,
) -> Plan:
    """UPDATE-or-INSERT the columns of `cls`' own table; True if a row was updated."""
    opts = cls._meta
    pk_field = opts.pk
    pk_value = instance.__dict__.get(pk_field.attname)
    if pk_value is None and pk_field.has_default() and not raw:
        pk_value = pk_field.get_default()
        instance.__dict__[pk_field.attname] = pk_value
    if pk_value is None and (force_update or names):
        raise ValueError("Cannot force an update in save() with no primary key.")
    if (
        not force_insert
        and instance._state.adding
        and (pk_field.default is not NOT_PROVIDED or pk_field.db_default is not NOT_PROVIDED)
        and not force_update
        and names is None
    ):
        force_insert = True
    updated = False
    if pk_value is not None and not force_insert:
        fields = [
            f
            for f in opts.local_concrete_fields
            if not (f.primary_key or f.generated)
            and (names is None or f.name in names or f.attname in names)
        ]
        if not fields and names is not None:
            updated = True  # Django: nothing of this table to write, no query
        elif instance._meta.select_on_save and not force_update and fields:
            # Meta.select_on_save: SELECT the row first, UPDATE only a row that exists
            # (Django's answer to a database whose UPDATE row count can't be trusted).
            updated = yield from _update_row(instance, conn, cls, [], pk_field, pk_value)
            if updated:
                yield from _update_row(instance, conn, cls, fields, pk_field, pk_value, raw)
        else:
            updated = yield from _update_row(instance, conn, cls, fields, pk_field, pk_value, raw)
        if force_update and not updated:
            raise DatabaseError("Forced update did not affect any rows.")
        if names is not None and not updated:
            raise DatabaseError("Save with update_fields did not affect any rows.")
    if not updated:
        yield from _insert_row(instance, conn, opts, pk_field, raw)
    return updated


def _pre_save(field: Any, instance: Any, add: bool, raw: bool) -> Any:
    """The value to write: the attribute itself when raw (a fixture's value stays)."""
    return getattr(instance, field.attname) if raw else field.pre_save(instance, add)


def _update_row(
    instance: Any,
    conn: Any,
    cls: Any,
    fields: list[Any],
    pk_field: Any,
    pk_value: Any,
    raw: bool = False,
) -> Plan:
    ops = conn.ops
    qn = ops.quote_name
    table = qn(cls._meta.db_table)
    pk_param = pk_field.get_db_prep_value(pk_value, conn)
    if not fields:
        sql = ops.to_driver_sql(f"SELECT 1 FROM {table} WHERE {qn(pk_field.column)} = %s LIMIT 1")
        row = yield Execute(sql, (pk_param,), ONE)
        return row is not None
    key = (cls, tuple(fields))
    sql = conn.caches.update_row_sql.get(key)
    if sql is None:
        assignments = ", ".join(f"{qn(f.column)} = %s" for f in fields)
        sql = ops.to_driver_sql(
            f"UPDATE {table} SET {assignments} WHERE {qn(pk_field.column)} = %s"
        )
        conn.caches.update_row_sql[key] = sql
    values = [_pre_save(f, instance, False, raw) for f in fields]
    if any(
        hasattr(v, "resolve_expression") or (f.is_relation and hasattr(v, "_meta"))
        for f, v in zip(fields, values, strict=True)
    ):
        # obj.n = F("n") + 1: the UPDATE of a queryset on this row writes the expression;
        # obj.author_id = author (an instance for a key) writes the instance's key.
        rows = cls._base_manager.db_manager(conn.alias).filter(pk=pk_value)
        count = yield from rows._update_plan(
            conn, {f.name: v for f, v in zip(fields, values, strict=True)}
        )
        return count > 0
    params = [f.get_db_prep_save(v, conn) for f, v in zip(fields, values, strict=True)]
    params.append(pk_param)
    count = yield Execute(sql, params, ROWCOUNT)
    return count > 0


def _insert_row(instance: Any, conn: Any, opts: Any, pk_field: Any, raw: bool = False) -> Plan:
    pk_value = instance.__dict__.get(pk_field.attname)
    fields = [
        f
        for f in opts.local_concrete_fields
        if not (f.generated or (f is pk_field and pk_value is None and f.db_returning))
    ]
    if conn.features.can_return_columns_from_insert:
        # Every column the database computes (db_returning), the key too unless it is known.
        key_unknown = pk_value is None or hasattr(pk_value, "resolve_expression")
        returning = conn.caches.insert_returning.get((opts.model, key_unknown))
        if returning is None:
            returning = conn.caches.insert_returning[(opts.model, key_unknown)] = [
                f
                for f in opts.local_concrete_fields
                if f.db_returning and (f is not pk_field or key_unknown)
            ]
    else:
        returning = [pk_field] if pk_value is None and pk_field.db_returning else []
    values = [_pre_save(f, instance, True, raw) for f in fields]
    if any(isinstance(v, DatabaseDefault) for v in values):
        # db_default: leave the column out of the INSERT; read it back (RETURNING) or defer it.
        db_defaults = [
            f for f, v in zip(fields, values, strict=True) if isinstance(v, DatabaseDefault)
        ]
        kept = [
            (f, v)
            for f, v in zip(fields, values, strict=True)
            if not isinstance(v, DatabaseDefault)
        ]
        fields, values = [f for f, _ in kept], [v for _, v in kept]
        if conn.features.can_return_columns_from_insert:
            returning = [*returning, *(f for f in db_defaults if f not in returning)]
        else:
            for field in db_defaults:
                instance.__dict__.pop(field.attname, None)  # loaded from the row on first access
    slots = None
    if any(hasattr(v, "resolve_expression") for v in values):
        slots, params = _expression_slots(conn, opts.model, fields, values)
    else:
        prepares = values_preparers(fields, conn)
        params = [prepare(v) for prepare, v in zip(prepares, values, strict=True)]
    if slots is not None:
        can_return = conn.features.can_return_columns_from_insert
        sql = _slotted_insert_sql(conn, opts.model, fields, slots, returning if can_return else ())
    if returning and conn.features.can_return_columns_from_insert:
        if slots is None:
            sql = insert_sql(conn, opts.model, fields, 1, returning)
        row = yield Execute(sql, params, ONE)
        for field, value in zip(returning, row, strict=True):
            instance.__dict__[field.attname] = _convert(field, value, conn)
    elif returning:
        if slots is None:
            sql = insert_sql(conn, opts.model, fields, 1)
        new_id = yield Execute(sql, params, LASTROWID)
        instance.__dict__[pk_field.attname] = new_id
    else:
        if slots is None:
            sql = insert_sql(conn, opts.model, fields, 1)
        yield Execute(sql, params, ROWCOUNT)


def _expression_slots(
    conn: Any, model: Any, fields: list[Any], values: list[Any]
) -> tuple[list[str], list[Any]]:
    """The VALUES items of a row holding expressions (Value(5) + 2), and their parameters.

    An expression reading a column (an F()) cannot be inserted: Django's ValueError.
    """
    from tether.models.expressions import Col
    from tether.models.query.write import refuse_in_write
    from tether.models.sql.query import Query

    query = Query(model)
    compiler = query.get_compiler(connection=conn)
    slots: list[str] = []
    params: list[Any] = []
    for field, value in zip(fields, values, strict=True):
        if not hasattr(value, "resolve_expression"):
            slots.append("%s")
            params.append(field.get_db_prep_save(value, conn))
            continue
        node = value.resolve_expression(query, allow_joins=False, reuse=None, for_save=True)
        refuse_in_write(field, node)
        if _reads_a_column(node, Col):
            raise ValueError(
                f'Failed to insert expression "{value!r}" on {field}. F() expressions can only be '
                "used to update, not to insert."
            )
        sql, node_params = compiler.compile(node)
        slots.append(sql)
        params.extend(node_params)
    return slots, params


def _reads_a_column(node: Any, col_class: Any) -> bool:
    if isinstance(node, col_class):
        return True
    children = [getattr(node, name, None) for name in ("lhs", "rhs", "expression")]
    children.extend(getattr(node, "source_expressions", None) or ())
    return any(child is not None and _reads_a_column(child, col_class) for child in children)


def _slotted_insert_sql(
    conn: Any, model: Any, fields: list[Any], slots: list[str], returning: Any
) -> str:
    ops = conn.ops
    qn = ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    sql = (
        f"{ops.insert_statement(None)} {qn(model._meta.db_table)} ({columns}) VALUES "
        f"({', '.join(slots)})"
    )
    if returning:
        sql += " " + ops.return_insert_columns_sql(
            model._meta.db_table, [f.column for f in returning]
        )
    return ops.to_driver_sql(sql)  # type: ignore[no-any-return]


def _convert(field: Any, value: Any, conn: Any) -> Any:
    for converter in field.get_db_converters(conn):
        if value is not None:
            value = converter(value)
    return value


def delete_plan(instance: Any, conn: Any, keep_parents: bool) -> Plan:
    """Delete `instance` and whatever cascades from it; Django's (total, {label: n})."""
    from tether.models.deletion import Collector

    opts = instance._meta
    if instance.pk is None:
        raise ValueError(
            f"{opts.object_name} object can't be deleted because its {opts.pk.attname} "
            "attribute is set to None."
        )
    collector = Collector(conn, origin=instance)
    yield from collector.collect_plan([instance], keep_parents=keep_parents)
    return (yield from collector.delete_plan())
