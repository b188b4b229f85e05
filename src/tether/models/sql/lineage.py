"""The lineage of a multi-table inheritance chain, as the query layer needs it: a model's
concrete ancestors, the join hops up to a parent and down from it, which table holds a field,
and the aliases a child's columns are read through. Pure functions of the models' options
(no model imports), so both the SQL layer and the model layer may use them.
"""

from __future__ import annotations

from typing import Any


def get_parent_list(opts: Any) -> list[Any]:
    """Every concrete ancestor, nearest first (Django's Options.get_parent_list)."""
    result: list[Any] = []
    for parent in opts.parents:
        if parent not in result:
            result.append(parent)
        for ancestor in get_parent_list(parent._meta):
            if ancestor not in result:
                result.append(ancestor)
    return result


def path_to_parent(opts: Any, parent: Any) -> list[Any]:
    """The PathInfo hops from `opts`' model up to its ancestor `parent` (empty if the same)."""
    concrete = opts.concrete_model
    if parent is None or parent is concrete or parent._meta.concrete_model is concrete:
        return []
    key = ("path_to_parent", parent)
    cache = opts.__dict__.setdefault("_inheritance_cache", {})
    if key in cache:
        return cache[key]  # type: ignore[no-any-return]
    path: list[Any] = []
    current = concrete._meta
    while True:
        step = None
        for direct, link in current.parents.items():
            if direct is parent or parent in get_parent_list(direct._meta):
                step = (direct, link)
                break
        if step is None:
            path = []
            break
        direct, link = step
        path.extend(link.path_infos)
        if direct is parent:
            break
        current = direct._meta
    cache[key] = path
    return path


def path_from_parent(opts: Any, parent: Any) -> list[Any]:
    """The PathInfo hops from the ancestor `parent` down to `opts`' model (empty if the same)."""
    concrete = opts.concrete_model
    if parent is None or parent is concrete or parent._meta.concrete_model is concrete:
        return []
    hops: list[Any] = []
    model = concrete
    while model is not None and model._meta.concrete_model is not parent._meta.concrete_model:
        step = next(
            (
                (direct, link)
                for direct, link in model._meta.parents.items()
                if direct is parent or parent in get_parent_list(direct._meta)
            ),
            None,
        )
        if step is None:
            return []
        direct, link = step
        hops[:0] = link.remote_field.path_infos
        model = direct
    return hops


def owner_of(field: Any) -> Any:
    """The concrete model whose table holds `field` (or, for a reverse relation, owns it)."""
    model = getattr(field, "model", None)
    if model is None or isinstance(model, str):
        return None
    meta = getattr(model, "_meta", None)
    return meta.concrete_model if meta is not None else None


def parent_path_for(opts: Any, field: Any) -> list[Any]:
    """The hops to reach `field` of `opts` when it lives on a parent's table."""
    if not opts.parents:
        return []
    owner = owner_of(field)
    if owner is None or owner is opts.concrete_model:
        return []
    return path_to_parent(opts, owner)


def parent_aliases(query: Any, opts: Any, base_alias: str, fields: list[Any]) -> list[str]:
    """For each of the fields of `opts`'s model, read through `base_alias`, the alias of the
    table that holds it (joining the parent tables as needed)."""
    if not opts.parents:
        return [base_alias] * len(fields)
    by_owner: dict[Any, str] = {}
    aliases = []
    for field in fields:
        owner = owner_of(field)
        alias = by_owner.get(owner)
        if alias is None:
            path = path_to_parent(opts, owner) if owner is not None else []
            if path:
                alias = query.setup_joins(path, base_alias, None)[-1]
            else:
                alias = base_alias
            by_owner[owner] = alias
        aliases.append(alias)
    return aliases
