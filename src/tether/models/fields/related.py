"""ForeignKey and OneToOneField: declaration, lazy target resolution, joins, DDL types.

A relation to a model named by a string ('Model', 'app.Model', 'self') is finished once the
target class is registered (tether.apps.lazy_model_operation), whichever is defined first.
Its reverse side (reverse_related.py) is then added to the target's _meta and accessor.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Self, overload

from tether import apps as apps_module
from tether.exceptions import FieldError
from tether.models.fields import Field
from tether.models.fields.related_descriptors import (
    ForeignKeyDeferredAttribute,
    ForwardManyToOneDescriptor,
    ForwardOneToOneDescriptor,
    ReverseManyToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from tether.models.fields.reverse_related import ManyToOneRel, OneToOneRel
from tether.models.sql.joins import PathInfo
from tether.models.type_vars import M, V

if TYPE_CHECKING:
    from tether.models.base import Model

RECURSIVE_RELATIONSHIP_CONSTANT = "self"


def model_reference(model: Any) -> str:
    """A relation's target as deconstruct() writes it: 'app_label.modelname' (lower-cased
    model name), or the string as given when it is not resolved yet."""
    if isinstance(model, str):
        if "." in model:
            app_label, model_name = model.split(".", 1)
            return f"{app_label}.{model_name.lower()}"
        return model.lower()
    return model._meta.label_lower  # type: ignore[no-any-return]


class RelatedField(Field[V]):
    """Shared by every relation field: lazy target, related_name, reverse accessor."""

    one_to_many = False
    one_to_one = False
    many_to_many = False
    many_to_one = False
    # related_name and related_query_name as given, for deconstruct().
    _related_name: str | None = None
    _related_query_name: str | None = None

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        self.opts = cls._meta
        if not cls._meta.abstract:
            if self.remote_field.related_name:
                related_name = self.remote_field.related_name % {
                    "class": cls.__name__.lower(),
                    "model_name": cls._meta.model_name,
                    "app_label": cls._meta.app_label.lower(),
                }
                self.remote_field.related_name = related_name
            if self.remote_field.related_query_name:
                self.remote_field.related_query_name = self.remote_field.related_query_name % {
                    "class": cls.__name__.lower(),
                    "app_label": cls._meta.app_label.lower(),
                }
            target = apps_module.resolve_reference(self.remote_field.model, cls)
            if isinstance(target, tuple):
                cls._meta.apps.lazy_model_operation(self._resolve_target, target)
            else:
                self._resolve_target(target)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        rel = self.remote_field
        if rel.limit_choices_to:
            kwargs["limit_choices_to"] = rel.limit_choices_to
        if self._related_name is not None:
            kwargs["related_name"] = self._related_name
        if self._related_query_name is not None:
            kwargs["related_query_name"] = self._related_query_name
        kwargs["to"] = model_reference(rel.model)
        return name, path, args, kwargs

    def _resolve_target(self, model: Any) -> None:
        self.remote_field.model = model
        self.related_model = model
        self.__dict__.pop("path_infos", None)
        self.__dict__.pop("target_field", None)
        self.do_related_class(model)

    def do_related_class(self, other: Any) -> None:
        self.set_attributes_from_rel()
        if not self.model._meta.abstract:
            other._meta.add_reverse_relation(self.remote_field)
            self.contribute_to_related_class(other, self.remote_field)

    def set_attributes_from_rel(self) -> None:
        pass

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        pass

    def related_query_name(self) -> str:
        rel = self.remote_field
        return (
            rel.related_query_name
            or rel.related_name
            or self.opts.default_related_name
            or self.opts.model_name
        )

    @property
    def foreign_related_fields(self) -> tuple[Any, ...]:
        """The target model's fields this relation points at; ForeignKey and M2M define it."""
        raise NotImplementedError

    @property
    def target_field(self) -> Any:
        fields = self.foreign_related_fields
        if len(fields) > 1:
            raise FieldError(
                "The relation has multiple target fields, but only single target field was asked "
                "for"
            )
        return fields[0]

    def get_limit_choices_to(self) -> Any:
        limit = self.remote_field.limit_choices_to
        return limit() if callable(limit) else limit


class ForeignKey(RelatedField[M]):
    """A many-to-one relation stored in a `<name>_id` column: `ForeignKey[Author]` to a type
    checker, from its model argument (a model named by a string gives `ForeignKey[Any]`,
    unless annotated: `author: ForeignKey["Author"] = ForeignKey("Author", ...)`)."""

    if TYPE_CHECKING:

        @overload  # type: ignore[override]
        def __get__(self, instance: None, owner: Any) -> ForwardManyToOneDescriptor: ...
        @overload
        def __get__(self, instance: Model, owner: Any) -> M: ...
        @overload
        def __get__(self, instance: object, owner: Any) -> Self: ...
        def __get__(self, instance: object, owner: Any) -> Any: ...

    many_to_one = True
    descriptor_class = ForwardManyToOneDescriptor
    attname_descriptor_class = ForeignKeyDeferredAttribute
    related_accessor_class: Any = ReverseManyToOneDescriptor
    rel_class: Any = ManyToOneRel
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "%(model)s instance with %(field)s %(value)r is not a valid choice."
    }

    if TYPE_CHECKING:  # the target model gives M; a model named by a string, Any

        @overload
        def __init__(self, to: type[M], on_delete: Any, *args: Any, **kwargs: Any) -> None: ...
        @overload
        def __init__(
            self: ForeignKey[Any], to: str, on_delete: Any, *args: Any, **kwargs: Any
        ) -> None: ...

    def __init__(
        self,
        to: Any,
        on_delete: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        parent_link: bool = False,
        to_field: str | None = None,
        db_constraint: bool = True,
        **kwargs: Any,
    ) -> None:
        if not (isinstance(to, str) or hasattr(to, "_meta")):
            raise TypeError(
                f"{type(self).__name__}({to!r}) is invalid. First parameter to "
                f"{type(self).__name__} "
                "must be either a model, a model name, or the string 'self'"
            )
        if not callable(on_delete):
            raise TypeError("on_delete must be callable.")
        kwargs["rel"] = self.rel_class(
            self,
            to,
            to_field,
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            parent_link=parent_link,
            on_delete=on_delete,
        )
        kwargs.setdefault("db_index", True)
        self._related_name = related_name
        self._related_query_name = related_query_name
        rel = kwargs.pop("rel")
        self.remote_field = rel
        self.to_field = to_field
        self.db_constraint = db_constraint
        super().__init__(**kwargs)
        self.is_relation = True

    # ---- naming --------------------------------------------------------------------------

    def get_attname(self) -> str:
        return f"{self.name}_id"

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["on_delete"] = self.remote_field.on_delete
        if self.remote_field.parent_link:
            kwargs["parent_link"] = True
        if self.db_index:
            kwargs.pop("db_index", None)
        else:
            kwargs["db_index"] = False
        if self.db_constraint is not True:
            kwargs["db_constraint"] = self.db_constraint
        target = self.remote_field.model
        to_meta = getattr(target, "_meta", None)
        if self.to_field and (to_meta is None or self.to_field != to_meta.pk.name):
            kwargs["to_field"] = self.to_field
        return name, path, args, kwargs

    def get_attname_column(self) -> tuple[str, str]:
        attname = self.get_attname()
        return attname, self.db_column or attname

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.name, self.descriptor_class(self))

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        if related.hidden:
            return
        accessor = related.get_accessor_name()
        if accessor and not cls._meta.abstract:
            setattr(cls, accessor, self.related_accessor_class(related))

    # ---- targets and joins ---------------------------------------------------------------

    @cached_property
    def foreign_related_fields(self) -> tuple[Any, ...]:
        model = self.remote_field.model
        if isinstance(model, str):
            raise ValueError(f"Related model {model!r} cannot be resolved")
        if self.to_field:
            return (model._meta.get_field(self.to_field),)
        return (model._meta.pk,)

    @property
    def local_related_fields(self) -> tuple[Any, ...]:
        return (self,)

    @property
    def related_fields(self) -> list[tuple[Any, Any]]:
        return list(zip(self.local_related_fields, self.foreign_related_fields, strict=True))

    @cached_property
    def path_infos(self) -> list[PathInfo]:
        target = self.foreign_related_fields[0]
        return [
            PathInfo(
                from_opts=self.model._meta,
                to_opts=self.remote_field.model._meta,
                target_fields=(target,),
                join_field=self,
                m2m=False,
                direct=True,
            )
        ]

    def get_path_info(self, filtered_relation: Any = None) -> list[PathInfo]:
        return self.path_infos

    def get_joining_columns(self, reverse_join: bool = False) -> tuple[tuple[str, str], ...]:
        pairs = tuple((lhs.column, rhs.column) for lhs, rhs in self.related_fields)
        if reverse_join:
            return tuple((rhs, lhs) for lhs, rhs in pairs)
        return pairs

    # ---- values --------------------------------------------------------------------------

    def get_internal_type(self) -> str:
        return "ForeignKey"

    def db_type(self, connection: Any) -> str | None:
        return self.target_field.rel_db_type(connection)  # type: ignore[no-any-return]

    def rel_db_type(self, connection: Any) -> str | None:
        return self.db_type(connection)

    def db_check(self, connection: Any) -> str | None:
        return None

    def get_prep_value(self, value: Any) -> Any:
        return self.target_field.get_prep_value(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return self.target_field.get_db_prep_value(value, connection, prepared)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if value is None or (value == "" and not self.target_field.empty_strings_allowed):
            return None
        return self.target_field.get_db_prep_save(value, connection)

    def get_db_converters(self, connection: Any) -> list[Any]:
        return self.target_field.get_db_converters(connection)  # type: ignore[no-any-return]

    def to_python(self, value: Any) -> Any:
        return self.target_field.to_python(value)

    def get_default(self) -> Any:
        value = super().get_default()
        if hasattr(value, "_meta"):
            return getattr(value, self.target_field.attname)
        return value

    def set_from_init(self, instance: Any, value: Any) -> None:
        """`Article(reporter=r)`: store the key and cache the object."""
        setattr(instance, self.name, value)

    def get_related_lookup_value(self, value: Any, lookup_name: str, target: Any) -> Any:
        return related_lookup_value(
            value, lookup_name, target, self.model if self.primary_key else None
        )

    def formfield(self, **kwargs: Any) -> None:
        return None


def related_lookup_value(value: Any, lookup_name: str, target: Any, keyed_model: Any = None) -> Any:
    """Model instances in a relation lookup become the `target` field's values. When the
    relation is `keyed_model`'s primary key, its instances are accepted too (their pk is the
    target's value), as Django's check_rel_lookup_compatible allows."""
    model = target.model

    def key(item: Any) -> Any:
        if hasattr(item, "_meta"):
            if keyed_model is not None and issubclass(
                item._meta.concrete_model, keyed_model._meta.concrete_model
            ):
                if item.pk is None:
                    raise ValueError("Model instances passed to related filters must be saved.")
                return item.pk
            if not _compatible(type(item), model):
                raise ValueError(
                    f'Cannot query "{item}": Must be "{model._meta.object_name}" instance.'
                )
            if item.pk is None:
                raise ValueError("Model instances passed to related filters must be saved.")
            # A parent's instance lacks a child's columns: its key is the child's key.
            return getattr(item, target.attname, item.pk)
        return item

    if hasattr(value, "query") and hasattr(value, "_result_cache"):
        if not value.query.values_select and not _compatible(value.model, model, keyed_model):
            raise ValueError(
                f'Cannot use QuerySet for "{value.model._meta.object_name}": Use a QuerySet '
                f'for "{model._meta.object_name}".'
            )
        return value
    if hasattr(value, "resolve_expression"):
        return value  # an expression (OuterRef("pk")) is one value, not a list to iterate
    if lookup_name in ("in", "range"):
        return [key(v) for v in value]
    return key(value)


def _compatible(model: Any, *targets: Any) -> bool:
    """Whether rows of `model` can stand for rows of one of `targets` (the same table, or a
    parent or child of it), as Django's check_rel_lookup_compatible."""
    lineage = {model._meta.concrete_model, *model._meta.get_parent_list()}
    return any(
        target is not None
        and (
            target._meta.concrete_model in lineage
            or model._meta.concrete_model in target._meta.get_parent_list()
        )
        for target in targets
    )


class OneToOneField(ForeignKey[M]):
    """A ForeignKey with unique=True whose reverse side is a single object."""

    many_to_one = False
    one_to_one = True
    descriptor_class = ForwardOneToOneDescriptor
    related_accessor_class = ReverseOneToOneDescriptor
    rel_class = OneToOneRel

    if TYPE_CHECKING:  # as ForeignKey's

        @overload
        def __init__(self, to: type[M], on_delete: Any, *args: Any, **kwargs: Any) -> None: ...
        @overload
        def __init__(
            self: OneToOneField[Any], to: str, on_delete: Any, *args: Any, **kwargs: Any
        ) -> None: ...

    def __init__(self, to: Any, on_delete: Any, to_field: str | None = None, **kwargs: Any) -> None:
        kwargs["unique"] = True
        super().__init__(to, on_delete, to_field=to_field, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("unique", None)
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "OneToOneField"
