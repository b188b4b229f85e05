"""Model inheritance: parent links of multi-table inheritance, and proxy models.

ModelBase calls `setup_parents()` while it builds a class: a concrete parent gets a parent
link (an explicit `OneToOneField(parent_link=True)` or an automatic `<parent>_ptr`), a proxy
takes over its concrete model's table and primary key. The joins that reach a parent's
columns are tether.models.sql.lineage's. Nothing here runs SQL.
"""

from __future__ import annotations

from typing import Any

from tether.exceptions import FieldError


def concrete_parents(bases: list[Any]) -> list[Any]:
    """The non-abstract model classes among `bases`, in order."""
    return [b for b in bases if hasattr(b, "_meta") and not b._meta.abstract]


def setup_proxy(cls: Any, bases: list[Any]) -> None:
    """Make `cls` a proxy: same table and primary key as its one concrete base."""
    name = cls.__name__
    base = None
    for parent in bases:
        if not hasattr(parent, "_meta"):
            continue
        if parent._meta.abstract:
            if parent._meta.local_fields:
                raise TypeError(
                    "Abstract base class containing model fields not permitted for proxy model "
                    f"'{name}'."
                )
            continue
        if base is None:
            base = parent
        elif parent._meta.concrete_model is not base._meta.concrete_model:
            raise TypeError(
                f"Proxy model '{name}' has more than one non-abstract model base class."
            )
    if base is None:
        raise TypeError(f"Proxy model '{name}' has no non-abstract model base class.")
    opts = cls._meta
    if opts.local_fields or opts.local_many_to_many:
        raise FieldError(f"Proxy model '{name}' contains model fields.")
    concrete = base._meta.concrete_model
    opts.proxy_for_model = base
    opts.concrete_model = concrete
    opts.db_table = concrete._meta.db_table
    opts.pk = concrete._meta.pk
    opts.parents = {concrete: None}
    opts._expire_cache()


def setup_parents(cls: Any, bases: list[Any], explicit_links: dict[Any, Any]) -> None:
    """Add a parent link for every concrete base of the multi-table child `cls`."""
    from tether.models.deletion import CASCADE
    from tether.models.fields.related import OneToOneField

    opts = cls._meta
    for parent in concrete_parents(bases):
        parent = parent._meta.concrete_model
        if parent in opts.parents:
            continue
        link = explicit_links.get(parent)
        if link is None:
            name = f"{parent._meta.model_name}_ptr"
            if name in {f.name for f in opts.local_fields}:
                raise FieldError(
                    f"Auto-generated field '{name}' in class '{cls.__name__}' for parent_link to "
                    f"base class '{parent.__name__}' clashes with declared field of the same name."
                )
            link = OneToOneField(
                parent, on_delete=CASCADE, name=name, auto_created=True, parent_link=True
            )
            cls.add_to_class(name, link)
        opts.parents[parent] = link
    if opts.parents and opts.pk is None:
        link = next(iter(opts.parents.values()))
        link.primary_key = True
        opts.setup_pk(link)
    opts._expire_cache()


def explicit_parent_links(contributable: dict[str, Any], bases: list[Any]) -> dict[Any, Any]:
    """OneToOneFields declared with parent_link=True, by the parent they point at."""
    links: dict[Any, Any] = {}
    for value in contributable.values():
        remote = getattr(value, "remote_field", None)
        if (
            remote is not None
            and getattr(remote, "parent_link", False)
            and getattr(value, "one_to_one", False)
        ):
            target = remote.model
            for parent in concrete_parents(bases):
                if target is parent or (
                    # "app.Model" or, as migrations write it, "app.model"
                    isinstance(target, str)
                    and target.rsplit(".", 1)[-1].lower() == parent.__name__.lower()
                ):
                    links[parent._meta.concrete_model] = value
    return links


def parent_instance(obj: Any, parent: Any) -> Any:
    """The `parent` row of the child `obj`, built from the child's values (no query)."""
    cache = obj._state.fields_cache
    link = obj._meta.concrete_model._meta.parents.get(parent)
    if link is not None and link.name in cache and cache[link.name] is not None:
        return cache[link.name]
    instance = parent.__new__(parent)
    data = {
        f.attname: obj.__dict__[f.attname]
        for f in parent._meta.concrete_fields
        if f.attname in obj.__dict__
    }
    from tether.models.base import ModelState

    data["_state"] = ModelState(obj._state.db, obj._state.adding)
    instance.__dict__.update(data)
    if parent._meta.pk.attname not in data or data[parent._meta.pk.attname] is None:
        instance.__dict__[parent._meta.pk.attname] = obj.pk
    return instance
