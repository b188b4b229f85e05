"""select_related(): the joins and columns of related objects read in the same row.

`expand(compiler, query, cols, names)` joins every requested single-valued relation (forward
ForeignKey and OneToOneField, reverse OneToOneField), appends the related models' columns to
the select list, and returns a KlassInfo tree describing which slice of a row builds which
object and where each object is cached (`_state.fields_cache`). `build_related(...)` turns one
row into those objects; ModelIterable calls it so that reading the relation costs no query.

`select_related()` with no names follows non-null foreign keys only, up to five levels (Django's
max_depth); named relations may be nullable and then join LEFT OUTER (as does everything hung
below a LEFT OUTER join).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tether.exceptions import FieldError
from tether.models.expressions import Col
from tether.models.sql.lineage import owner_of, parent_aliases
from tether.models.sql.select_mask import check_descend, loaded_fields

MAX_DEPTH = 5


@dataclass(frozen=True)
class RelatedKlass:
    """One related object in a row: its model, column slice, cache names and children."""

    model: Any
    start: int
    stop: int
    attnames: tuple[str, ...]
    pk_index: int
    cache_name: str  # where the parent caches this object
    remote_cache_name: str | None  # where this object caches the parent (one-to-one only)
    children: tuple[RelatedKlass, ...]


def _choices(opts: Any) -> str:
    direct = [f.name for f in opts.fields if f.is_relation]
    reverse = [
        rel.field.related_query_name()
        for rel in opts.related_objects
        if rel.one_to_one and not rel.hidden
    ]
    return ", ".join(direct + reverse) or "(none)"


def _requested_relations(opts: Any, requested: Any, depth: int) -> list[tuple[str, Any, bool, Any]]:
    """(name, field or rel, reverse, nested request) for the relations to follow from `opts`."""
    out: list[tuple[str, Any, bool, Any]] = []
    if requested is True:
        if depth >= MAX_DEPTH:
            return out
        for field in opts.fields:
            if not field.is_relation or field.null or getattr(field, "many_to_many", False):
                continue
            if getattr(field, "remote_field", None) is not None:
                out.append((field.name, field, False, True))
        return out
    invalid = []
    for name, nested in requested.items():
        match = None
        try:
            field = opts.get_field(name)
        except Exception:
            field = None
        # A many-to-many is not one of the model's fields here (Django reads opts.fields):
        # it is an invalid name, not a non-relational one.
        many = getattr(field, "many_to_many", False)
        if field is not None and not field.auto_created and field.concrete and not many:
            if not field.is_relation:
                raise FieldError(
                    f"Non-relational field given in select_related: '{name}'. "
                    f"Choices are: {_choices(opts)}"
                )
            match = (name, field, False, nested or {})
        else:
            for rel in opts.related_objects:
                if rel.one_to_one and not rel.hidden and rel.field.related_query_name() == name:
                    match = (name, rel, True, nested or {})
                    break
        if match is None:
            invalid.append(name)
            continue
        out.append(match)
    if invalid:
        names = ", ".join(f"'{name}'" for name in invalid)
        raise FieldError(
            f"Invalid field name(s) given in select_related: {names}. Choices are: {_choices(opts)}"
        )
    return out


def expand(
    compiler: Any, query: Any, cols: list[Any], names: list[str]
) -> tuple[RelatedKlass, ...]:
    """Join the requested relations of `query` and append their columns to `cols`/`names`."""
    level = Level(query, cols, names, 0)
    mask = query.get_select_mask()
    return _expand_level(
        level, query.model._meta, query.base_table_alias(), query.select_related, mask
    )


@dataclass
class Level:
    """What every level of the expansion shares: the query, the select list, the depth."""

    query: Any
    cols: list[Any]
    names: list[str]
    depth: int


def _expand_level(
    level: Level, opts: Any, alias: str, requested: Any, mask: dict[Any, Any]
) -> tuple[RelatedKlass, ...]:
    query, cols, names, depth = level.query, level.cols, level.names, level.depth
    klasses = []
    for _name, relation, reverse, nested in _requested_relations(opts, requested, depth):
        if requested is not True:
            check_descend(relation, mask)
        related_mask = mask.get(relation) or {}
        if reverse:
            path = relation.path_infos
            model = relation.related_model
            cache_name = relation.get_accessor_name()
            remote_cache_name: str | None = relation.field.name
        else:
            path = relation.path_infos
            model = relation.remote_field.model
            cache_name = relation.name
            remote = relation.remote_field
            one_to_one = not remote.multiple and not remote.hidden
            remote_cache_name = remote.get_accessor_name() if one_to_one else None
        aliases = query.setup_joins(path, alias, None)
        related_alias = aliases[-1]
        fields = loaded_fields(model._meta.concrete_fields, related_mask)
        start = len(cols)
        tables = _tables(query, opts, alias, model._meta, related_alias, fields, reverse)
        for table, field in zip(tables, fields, strict=True):
            cols.append(Col(table, field))
            names.append(field.attname)
        stop = len(cols)
        pk_index = start + [f.attname for f in fields].index(model._meta.pk.attname)
        below = Level(query, cols, names, depth + 1)
        children = _expand_level(below, model._meta, related_alias, nested, related_mask)
        klasses.append(
            RelatedKlass(
                model,
                start,
                stop,
                tuple(f.attname for f in fields),
                pk_index,
                cache_name,
                remote_cache_name,
                children,
            )
        )
    return tuple(klasses)


def _tables(
    query: Any,
    opts: Any,
    alias: str,
    related_opts: Any,
    related_alias: str,
    fields: list[Any],
    reverse: bool,
) -> list[str]:
    """The alias each of the related model's `fields` is read from. A multi-table child reads
    its inherited columns from its parents' tables; reached from its own parent (a reverse
    parent link), it reads them where the parent's row already is, with no second join."""
    lineage = {opts.concrete_model, *opts.get_parent_list()} if reverse else set()
    inherited = [f for f in fields if owner_of(f) in lineage]
    if not inherited:
        return parent_aliases(query, related_opts, related_alias, fields)
    own = [f for f in fields if owner_of(f) not in lineage]
    by_field = dict(zip(inherited, parent_aliases(query, opts, alias, inherited), strict=True))
    by_field.update(zip(own, parent_aliases(query, related_opts, related_alias, own), strict=True))
    return [by_field[f] for f in fields]


def build_related(
    obj: Any, row: Any, klasses: tuple[RelatedKlass, ...], db: str, make: Any
) -> None:
    """Create the related objects of one row and cache them on `obj` (and back, one-to-one)."""
    for klass in klasses:
        if row[klass.pk_index] is None:
            related = None
        else:
            related = make(klass.model, klass.attnames, row[klass.start : klass.stop])
            if klass.remote_cache_name is not None:
                related._state.fields_cache[klass.remote_cache_name] = obj
            if klass.children:
                build_related(related, row, klass.children, db, make)
        obj._state.fields_cache[klass.cache_name] = related
