"""only() and defer(): which columns of each model a query loads (Django's deferred_loading).

`Query.deferred_loading` is `(names, defer)`: the names to leave out (defer=True) or the only
names to load (defer=False); names may go through relations ("author__name"). `select_mask()`
turns it into Django's select mask: `{field: sub-mask}` for the fields that will be loaded, the
primary key always among them, `{}` when everything is loaded. The compiler reads the mask for
the main model's columns and related_select.py for the models joined by select_related().
This module knows nothing about SQL.
"""

from __future__ import annotations

from typing import Any

from tether.exceptions import FieldError
from tether.models.sql.constants import LOOKUP_SEP


def add_deferred(loading: tuple[frozenset[str], bool], names: Any) -> tuple[frozenset[str], bool]:
    """`loading` after defer(*names) (Django's add_deferred_loading)."""
    existing, defer = loading
    if defer:
        return existing.union(names), True
    remaining = existing.difference(names)
    if remaining:
        return remaining, False
    return frozenset(set(names).difference(existing)), True


def add_immediate(
    loading: tuple[frozenset[str], bool], names: Any, pk_name: str
) -> tuple[frozenset[str], bool]:
    """`loading` after only(*names) (Django's add_immediate_loading)."""
    existing, defer = loading
    wanted = set(names)
    if "pk" in wanted:
        wanted.discard("pk")
        wanted.add(pk_name)
    if defer:
        return frozenset(wanted.difference(existing)), False
    return frozenset(wanted), False


def select_mask(model: Any, loading: tuple[frozenset[str], bool]) -> dict[Any, Any]:
    """The fields to load, as `{field or reverse relation: mask of the related model}`."""
    names, defer = loading
    if not names:
        return {}
    tree: dict[str, Any] = {}
    for name in names:
        node = tree
        for part in name.split(LOOKUP_SEP):
            node = node.setdefault(part, {})
    if defer:
        return _defer_mask(model._meta, tree, {})
    return _only_mask(model._meta, tree, {})


def _defer_mask(opts: Any, tree: dict[str, Any], mask: dict[Any, Any]) -> dict[Any, Any]:
    mask[opts.pk] = {}
    for field in [*opts.concrete_fields, *opts.related_objects]:
        sub = tree.pop(field.name, None)
        attname = getattr(field, "attname", None)
        sub_att = tree.pop(attname, None) if attname else None
        if sub is None and sub_att is None:
            mask.setdefault(field, {})
        elif sub:
            if not field.is_relation:
                raise FieldError(next(iter(sub)))
            if field.many_to_many:
                continue
            related = field.related_model._meta.concrete_model
            _defer_mask(related._meta, sub, mask.setdefault(field, {}))
    for name in tree:
        opts.get_field(name)  # FieldDoesNotExist: "<Model> has no field named '<name>'"
    return mask


def _only_mask(opts: Any, tree: dict[str, Any], mask: dict[Any, Any]) -> dict[Any, Any]:
    mask[opts.pk] = {}
    for name, sub in tree.items():
        field = opts.get_field(name)
        field_mask = mask.setdefault(field, {})
        if sub:
            if not field.is_relation:
                raise FieldError(next(iter(sub)))
            related = field.remote_field.model._meta.concrete_model
            _only_mask(related._meta, sub, field_mask)
    return mask


def loaded_fields(fields: Any, mask: dict[Any, Any]) -> list[Any]:
    """The concrete `fields` that `mask` loads (all of them when the mask is empty)."""
    if not mask:
        return list(fields)
    return [f for f in fields if f in mask]


def check_descend(field: Any, mask: dict[Any, Any]) -> None:
    """select_related() of a relation that only()/defer() leave out: Django's FieldError."""
    if mask and field not in mask:
        raise FieldError(
            f"Field {field.model._meta.object_name}.{field.name} cannot be both deferred and "
            "traversed using select_related at the same time."
        )
