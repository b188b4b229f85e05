"""Options: a model's `_meta`, built from its `class Meta`.

It owns the field maps (forward fields, reverse relations), the table name, ordering and the
declared constraints and indexes, and answers get_field() and get_fields(). It does not know
about queries or databases.
"""

from __future__ import annotations

import copy
from functools import cached_property
from typing import Any

from tether.exceptions import FieldDoesNotExist, ImproperlyConfigured

DEFAULT_NAMES = (
    "verbose_name",
    "verbose_name_plural",
    "db_table",
    "db_table_comment",
    "ordering",
    "unique_together",
    "permissions",
    "get_latest_by",
    "order_with_respect_to",
    "app_label",
    "db_tablespace",
    "abstract",
    "managed",
    "proxy",
    "swappable",
    "auto_created",
    "apps",
    "default_permissions",
    "select_on_save",
    "default_related_name",
    "required_db_features",
    "required_db_vendor",
    "base_manager_name",
    "default_manager_name",
    "indexes",
    "constraints",
)

_CACHED = (
    "fields",
    "concrete_fields",
    "local_concrete_fields",
    "many_to_many",
    "related_objects",
    "_forward_fields_map",
    "_private_generic_fields",
    "fields_map",
    "_property_names",
    "_non_pk_concrete_field_names",
    "managers",
    "_attnames",
)


def normalize_together(value: Any) -> tuple[tuple[str, ...], ...]:
    if not value:
        return ()
    if isinstance(value, set | frozenset):  # as migration files write it: {("a", "b")}
        return tuple(sorted(tuple(item) for item in value))
    if not isinstance(value, tuple | list):
        raise TypeError("unique_together must be a tuple or a list")
    first = value[0]
    if not isinstance(first, tuple | list):
        return (tuple(value),)
    return tuple(tuple(item) for item in value)


class Options:
    def __init__(self, meta: Any, app_label: str | None = None) -> None:
        self.meta = meta
        self.local_fields: list[Any] = []
        self.local_many_to_many: list[Any] = []
        self.private_fields: list[Any] = []
        self.local_managers: list[Any] = []
        self.model_name: str = ""
        self.object_name: str = ""
        self.verbose_name: str = ""
        self.verbose_name_plural: str = ""
        self.db_table = ""
        self.db_table_comment = ""
        self.ordering: list[str] = []
        self.unique_together: tuple[tuple[str, ...], ...] = ()
        self.indexes: list[Any] = []
        self.constraints: list[Any] = []
        self.permissions: list[Any] = []
        self.default_permissions = ("add", "change", "delete", "view")
        self.get_latest_by: Any = None
        self.order_with_respect_to = None
        self.db_tablespace = ""
        self.select_on_save = False
        self.app_label = app_label
        self.abstract = False
        self.managed = True
        self.proxy = False
        self.proxy_for_model: Any = None
        self.concrete_model: Any = None
        self.swappable = None
        self.parents: dict[Any, Any] = {}
        self.auto_created: Any = False
        self.auto_field: Any = None
        self.pk: Any = None
        self.default_related_name: str | None = None
        self.required_db_features: list[str] = []
        self.required_db_vendor: str | None = None
        self.base_manager_name: str | None = None
        self.default_manager_name: str | None = None
        self.reverse_relations: list[Any] = []
        self.apps: Any = None
        self.model: Any = None
        self.original_attrs: dict[str, Any] = {}

    # ---- construction --------------------------------------------------------------------

    def contribute_to_class(self, cls: Any, name: str) -> None:
        cls._meta = self
        self.model = cls
        self.object_name = cls.__name__
        self.model_name = self.object_name.lower()
        self.verbose_name = _camel_case_to_spaces(self.object_name)
        if self.meta:
            meta_attrs = {k: v for k, v in self.meta.__dict__.items() if not k.startswith("_")}
            for attr_name in DEFAULT_NAMES:
                if attr_name in meta_attrs:
                    value = meta_attrs.pop(attr_name)
                    setattr(self, attr_name, value)
                    self.original_attrs[attr_name] = value
                elif hasattr(self.meta, attr_name):
                    # Inherited by `class Meta(Base.Meta)`, as Django reads it.
                    value = getattr(self.meta, attr_name)
                    setattr(self, attr_name, value)
                    self.original_attrs[attr_name] = value
            if meta_attrs:
                raise TypeError(
                    "'class Meta' got invalid attribute(s): {}".format(",".join(meta_attrs))
                )
        self.unique_together = normalize_together(self.unique_together)
        self.ordering = list(self.ordering) if self.ordering else []
        self.indexes = list(self.indexes)
        self.constraints = list(self.constraints)
        if not self.verbose_name_plural:
            self.verbose_name_plural = f"{self.verbose_name}s"
        if not self.db_table:
            self.db_table = f"{self.app_label}_{self.model_name}"

    def add_field(self, field: Any, private: bool = False) -> None:
        if private:
            self.private_fields.append(field)
        elif field.is_relation and field.many_to_many:
            _insort(self.local_many_to_many, field)
        else:
            _insort(self.local_fields, field)
            if field.primary_key:
                self.setup_pk(field)
        self._expire_cache()

    def setup_pk(self, field: Any) -> None:
        if self.pk is not None and self.pk is not field:
            raise ImproperlyConfigured(
                f"Model {self.object_name} can't have more than one primary key field."
            )
        self.pk = field
        field.serialize = False

    def add_reverse_relation(self, rel: Any) -> None:
        """Called by a relation field once its target model exists."""
        self.reverse_relations.append(rel)
        for model in self._table_sharers():
            model._meta._expire_cache()
        self._expire_cache()

    def _table_sharers(self) -> list[Any]:
        """The concrete model and its proxies: a relation to any of them is a relation to the
        same rows, so each of them sees it (as Django keys relations on the concrete model)."""
        concrete = self.concrete_model
        if concrete is None or self.apps is None:
            return []
        return [
            model
            for model in self.apps.get_models()
            if model._meta.concrete_model is concrete and model is not self.model
        ]

    @property
    def shared_reverse_relations(self) -> list[Any]:
        """Reverse relations to this model's rows: its own and its proxies' or concrete's."""
        rels = list(self.reverse_relations)
        for model in self._table_sharers():
            rels.extend(rel for rel in model._meta.reverse_relations if rel not in rels)
        return rels

    def _expire_cache(self) -> None:
        for name in _CACHED:
            self.__dict__.pop(name, None)

    # ---- names ---------------------------------------------------------------------------

    @property
    def label(self) -> str:
        return f"{self.app_label}.{self.object_name}"

    @property
    def label_lower(self) -> str:
        return f"{self.app_label}.{self.model_name}"

    def __repr__(self) -> str:
        return f"<Options for {self.object_name}>"

    def __str__(self) -> str:
        return self.label_lower

    # ---- field lists ---------------------------------------------------------------------

    def _parent_fields(self, attr: str) -> list[Any]:
        """`attr` of every concrete ancestor, farthest first (grandparents' reverse relations
        too, as Django's _get_fields)."""
        collected: list[Any] = []
        for parent in reversed(self.get_parent_list()):
            for field in getattr(parent._meta, attr):
                # A parent's reverse parent links are its children's, not ours (Django's rule).
                if (
                    getattr(field, "parent_link", False)
                    and not field.concrete
                    and (field.model is not self.concrete_model)
                ):
                    continue
                if field not in collected:
                    collected.append(field)
        return collected

    def get_parent_list(self) -> list[Any]:
        """Every concrete ancestor, nearest first."""
        from tether.models.sql.lineage import get_parent_list

        return get_parent_list(self)

    @property
    def all_parents(self) -> tuple[Any, ...]:
        return tuple(self.get_parent_list())

    def get_ancestor_link(self, ancestor: Any) -> Any:
        """The field on this model that links (perhaps through a parent) to `ancestor`."""
        if ancestor in self.parents:
            return self.parents[ancestor]
        for parent in self.parents:
            if parent._meta.get_ancestor_link(ancestor) is not None:
                return self.parents[parent] or parent._meta.get_ancestor_link(ancestor)
        return None

    def get_path_to_parent(self, parent: Any) -> list[Any]:
        from tether.models.sql.lineage import path_to_parent

        return path_to_parent(self, parent)

    def get_path_from_parent(self, parent: Any) -> list[Any]:
        from tether.models.sql.lineage import path_from_parent

        return path_from_parent(self, parent)

    @cached_property
    def fields(self) -> list[Any]:
        """Forward fields with a column or a single related object (no many-to-many), and
        private fields other than generic relations (Django leaves those out of `fields`;
        get_fields() and get_field() still find them)."""
        return [
            *self._parent_fields("fields"),
            *self.local_fields,
            *(f for f in self.private_fields if not _is_generic(f)),
        ]

    @cached_property
    def _private_generic_fields(self) -> list[Any]:
        return [f for f in self.private_fields if _is_generic(f)]

    @cached_property
    def concrete_fields(self) -> list[Any]:
        return [f for f in self.fields if f.concrete]

    @cached_property
    def local_concrete_fields(self) -> list[Any]:
        return [f for f in self.local_fields if f.concrete]

    @cached_property
    def many_to_many(self) -> list[Any]:
        return [*self._parent_fields("many_to_many"), *self.local_many_to_many]

    @cached_property
    def related_objects(self) -> list[Any]:
        """Reverse relations pointing at this model (and its parents), hidden ones excluded."""
        rels = [*self._parent_fields("related_objects"), *self.shared_reverse_relations]
        return [rel for rel in rels if not rel.hidden or rel.field.many_to_many]

    @cached_property
    def _forward_fields_map(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for field in [*self.fields, *self.many_to_many, *self._private_generic_fields]:
            found[field.name] = field
            attname = getattr(field, "attname", None)
            if attname:
                found.setdefault(attname, field)
        return found

    @cached_property
    def fields_map(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        # Hidden relations are found too (a symmetrical relation's manager queries through
        # one), but get_fields() and error messages leave them out.
        for rel in [*self._parent_fields("reverse_relations"), *self.shared_reverse_relations]:
            found[rel.name] = rel
        return found

    @cached_property
    def _attnames(self) -> frozenset[str]:
        return frozenset(f.attname for f in self.concrete_fields)

    @cached_property
    def _non_pk_concrete_field_names(self) -> frozenset[str]:
        names = set()
        for field in self.concrete_fields:
            if not field.primary_key:
                names.add(field.name)
                names.add(field.attname)
        return frozenset(names)

    @cached_property
    def _property_names(self) -> frozenset[str]:
        names = set()
        for klass in self.model.__mro__:
            for name, value in klass.__dict__.items():
                if isinstance(value, property):
                    names.add(name)
        return frozenset(names)

    def get_field(self, field_name: str) -> Any:
        """The field (forward or reverse) called `field_name`; FieldDoesNotExist otherwise."""
        try:
            return self._forward_fields_map[field_name]
        except KeyError:
            pass
        try:
            return self.fields_map[field_name]
        except KeyError:
            raise FieldDoesNotExist(
                f"{self.object_name} has no field named '{field_name}'"
            ) from None

    def get_fields(self, include_parents: bool = True, include_hidden: bool = False) -> list[Any]:
        forward = (
            [*self.fields, *self.many_to_many, *self._private_generic_fields]
            if include_parents
            else [
                *self.local_fields,
                *self.local_many_to_many,
                *self.private_fields,
            ]
        )
        reverse = [
            rel
            for rel in (self._parent_fields("reverse_relations") if include_parents else [])
            + self.shared_reverse_relations
            if include_hidden or not rel.hidden
        ]
        return [*reverse, *forward]

    # ---- managers ------------------------------------------------------------------------

    @cached_property
    def managers(self) -> list[Any]:
        seen: set[str] = set()
        found = []
        for depth, base in enumerate(self.model.__mro__):
            base_meta = getattr(base, "_meta", None)
            if base_meta is None:
                continue
            for manager in base_meta.local_managers:
                if manager.name in seen:
                    continue
                seen.add(manager.name)
                if manager.model is not self.model:
                    # Inherited from a concrete or proxied parent: a copy bound to this model.
                    manager = copy.copy(manager)
                    manager.model = self.model
                found.append((depth, manager.creation_counter, manager))
        found.sort(key=lambda item: (item[0], item[1]))
        return [m for _, _, m in found]

    @property
    def managers_map(self) -> dict[str, Any]:
        return {m.name: m for m in self.managers}

    @property
    def default_manager(self) -> Any:
        name = self.default_manager_name
        if name:
            try:
                return self.managers_map[name]
            except KeyError:
                raise ValueError(f"{self.object_name} has no manager named {name!r}") from None
        return self.managers[0] if self.managers else None

    @property
    def base_manager(self) -> Any:
        from tether.models.manager import Manager

        if self.base_manager_name:
            return self.managers_map[self.base_manager_name]
        manager: Manager[Any] = Manager()
        manager.name = "_base_manager"
        manager.model = self.model
        manager.auto_created = True
        return manager


def _is_generic(field: Any) -> bool:
    """A GenericRelation (one-to-many) or a GenericForeignKey (many-to-one to no model)."""
    if not field.is_relation:
        return False
    return bool(field.one_to_many) or bool(
        field.many_to_one and getattr(field.remote_field, "model", None) is None
    )


def _insort(items: list[Any], field: Any) -> None:
    index = len(items)
    while index and items[index - 1].creation_counter > field.creation_counter:
        index -= 1
    items.insert(index, field)


def _camel_case_to_spaces(name: str) -> str:
    out = []
    for index, char in enumerate(name):
        if (
            char.isupper()
            and index
            and (name[index - 1].islower() or (index + 1 < len(name) and name[index + 1].islower()))
        ):
            out.append(" ")
        out.append(char.lower())
    return "".join(out).strip()
