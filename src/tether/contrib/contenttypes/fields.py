"""GenericForeignKey, GenericRelation and GenericRel: relations to any model.

A GenericForeignKey reads two ordinary columns, a ForeignKey to ContentType and an object id,
and is its own descriptor. A GenericRelation is the reverse side, declared on the target model:
it joins `target.pk = generic.object_id` with `generic.content_type_id = <target's content
type>` in the ON clause (the join restriction), so filters, annotations and deletes across it
see only the rows pointing at that model. Both are private fields (no column of their own).
"""

from __future__ import annotations

from collections.abc import Generator
from functools import cached_property
from typing import Any

from tether.checks.messages import CheckMessage, Error
from tether.contrib.contenttypes.models import ContentType
from tether.contrib.contenttypes.prefetch import (
    GenericForeignKeyLevel,
    GenericRelationLevel,
    GenericRelReverseLevel,
)
from tether.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from tether.models.deletion import DO_NOTHING
from tether.models.fields import Field
from tether.models.fields.related import RelatedField, related_lookup_value
from tether.models.fields.related_descriptors import ReverseManyToOneDescriptor
from tether.models.fields.reverse_related import ForeignObjectRel
from tether.models.sql.joins import PathInfo

Plan = Generator[Any, Any, Any]


class GenericForeignKey(Field):
    """`comment.content_object`: the object named by a content type and an object id."""

    auto_created = False
    concrete = False
    editable = False
    hidden = False
    many_to_many = False
    many_to_one = True
    one_to_many = False
    one_to_one = False

    def __init__(
        self,
        ct_field: str = "content_type",
        fk_field: str = "object_id",
        for_concrete_model: bool = True,
    ) -> None:
        super().__init__(editable=False)
        self.ct_field = ct_field
        self.fk_field = fk_field
        self.for_concrete_model = for_concrete_model
        self.is_relation = True

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=True)
        setattr(cls, self.attname, self)

    def get_attname_column(self) -> tuple[str, Any]:
        return self.get_attname(), None

    @cached_property
    def cache_name(self) -> str:
        return self.name

    # ---- the per-instance cache (Django's FieldCacheMixin) --------------------------------

    def is_cached(self, instance: Any) -> bool:
        return self.cache_name in instance._state.fields_cache

    def get_cached_value(self, instance: Any, default: Any = ...) -> Any:
        try:
            return instance._state.fields_cache[self.cache_name]
        except KeyError:
            if default is ...:
                raise
            return default

    def set_cached_value(self, instance: Any, value: Any) -> None:
        instance._state.fields_cache[self.cache_name] = value

    def delete_cached_value(self, instance: Any) -> None:
        del instance._state.fields_cache[self.cache_name]

    # ---- content types -------------------------------------------------------------------

    def get_content_type(
        self,
        obj: Any = None,
        id: Any = None,
        using: str | None = None,
        model: Any = None,  # noqa: A002
    ) -> Any:
        if obj is not None:
            return ContentType.objects.db_manager(obj._state.db).get_for_model(
                obj, for_concrete_model=self.for_concrete_model
            )
        if id is not None:
            return ContentType.objects.db_manager(using).get_for_id(id)
        if model is not None:
            return ContentType.objects.db_manager(using).get_for_model(
                model, for_concrete_model=self.for_concrete_model
            )
        raise ValueError("get_content_type() needs obj, id or model.")

    @property
    def ct_attname(self) -> str:
        return str(self.model._meta.get_field(self.ct_field).attname)

    def get_filter_kwargs_for_object(self, obj: Any) -> dict[str, Any]:
        return {
            self.fk_field: getattr(obj, self.fk_field),
            self.ct_field: getattr(obj, self.ct_field),
        }

    def get_forward_related_filter(self, obj: Any) -> dict[str, Any]:
        return {
            self.fk_field: obj.pk,
            self.ct_field: ContentType.objects.get_for_model(obj).pk,
        }

    def get_prefetch_level(self) -> GenericForeignKeyLevel:
        return GenericForeignKeyLevel(self)

    # ---- the descriptor ------------------------------------------------------------------

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        ct_id = getattr(instance, self.ct_attname, None)
        pk_val = getattr(instance, self.fk_field)
        rel_obj = self.get_cached_value(instance, default=None)
        if rel_obj is None and self.is_cached(instance):
            return None
        if rel_obj is not None:
            ct = self.get_content_type(obj=rel_obj, using=instance._state.db)
            if ct_id == ct.id and rel_obj._meta.pk.to_python(pk_val) == rel_obj.pk:
                return rel_obj
            rel_obj = None
        if ct_id is not None:
            ct = self.get_content_type(id=ct_id, using=instance._state.db)
            try:
                rel_obj = ct.get_object_for_this_type(using=instance._state.db, pk=pk_val)
            except ObjectDoesNotExist:
                pass
        self.set_cached_value(instance, rel_obj)
        return rel_obj

    def __set__(self, instance: Any, value: Any) -> None:
        ct = None
        fk = None
        if value is not None:
            ct = self.get_content_type(obj=value)
            fk = value.pk
        setattr(instance, self.ct_field, ct)
        setattr(instance, self.fk_field, fk)
        self.set_cached_value(instance, value)

    # ---- checks --------------------------------------------------------------------------

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        from tether.checks.field_checks import check_field

        errors = [e for e in check_field(self) if e.id in ("fields.E001", "fields.E002")]
        opts = self.model._meta
        try:
            opts.get_field(self.fk_field)
        except FieldDoesNotExist:
            errors.append(
                Error(
                    "The GenericForeignKey object ID references the nonexistent field "
                    f"'{self.fk_field}'.",
                    obj=self,
                    id="contenttypes.E001",
                )
            )
        return errors + self._check_content_type_field()

    def _check_content_type_field(self) -> list[CheckMessage]:
        from tether.models.fields.related import ForeignKey

        opts = self.model._meta
        hint = (
            "GenericForeignKeys must use a ForeignKey to 'contenttypes.ContentType' as the "
            "'content_type' field."
        )
        try:
            field = opts.get_field(self.ct_field)
        except FieldDoesNotExist:
            return [
                Error(
                    "The GenericForeignKey content type references the nonexistent field "
                    f"'{opts.object_name}.{self.ct_field}'.",
                    obj=self,
                    id="contenttypes.E002",
                )
            ]
        if not isinstance(field, ForeignKey):
            return [
                Error(
                    f"'{opts.object_name}.{self.ct_field}' is not a ForeignKey.",
                    hint=hint,
                    obj=self,
                    id="contenttypes.E003",
                )
            ]
        if field.remote_field.model is not ContentType:
            return [
                Error(
                    f"'{opts.object_name}.{self.ct_field}' is not a ForeignKey to "
                    "'contenttypes.ContentType'.",
                    hint=hint,
                    obj=self,
                    id="contenttypes.E004",
                )
            ]
        return []


class GenericRel(ForeignObjectRel):
    """The generic model's side of a GenericRelation: hidden unless related_query_name."""

    many_to_one = True
    one_to_many = False
    many_to_many = False
    one_to_one = False

    def __init__(
        self,
        field: Any,
        to: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
    ) -> None:
        super().__init__(
            field,
            to,
            related_name=related_query_name or "+",
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            on_delete=DO_NOTHING,
        )

    @property
    def path_infos(self) -> list[PathInfo]:  # type: ignore[override]
        return self.field.reverse_path_infos  # type: ignore[no-any-return]

    def join_restriction(self, reverse_join: bool) -> tuple[tuple[bool, str, Any], ...]:
        return self.field.join_restriction(not reverse_join)  # type: ignore[no-any-return]

    def get_joining_fields(self, reverse_join: bool = False) -> tuple[tuple[Any, Any], ...]:
        return self.field.get_joining_fields(not reverse_join)  # type: ignore[no-any-return]


class GenericRelation(RelatedField):
    """`bookmark.tags`: the generic rows that point at this object, as a related manager."""

    auto_created = False
    empty_strings_allowed = False
    many_to_many = False
    many_to_one = False
    one_to_many = True
    one_to_one = False
    rel_class = GenericRel

    def __init__(
        self,
        to: Any,
        object_id_field: str = "object_id",
        content_type_field: str = "content_type",
        for_concrete_model: bool = True,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        **kwargs: Any,
    ) -> None:
        self.remote_field = self.rel_class(
            self, to, related_query_name=related_query_name, limit_choices_to=limit_choices_to
        )
        # The generic side cannot enforce that its rows point here: always nullable.
        kwargs.update(null=True, blank=True, editable=False, serialize=False)
        super().__init__(**kwargs)
        self.object_id_field_name = object_id_field
        self.content_type_field_name = content_type_field
        self.for_concrete_model = for_concrete_model
        self.is_relation = True

    def get_attname_column(self) -> tuple[str, Any]:
        return self.get_attname(), None

    mti_inherited = False  # a copy given to a multi-table child (Django's flag)

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        if self.mti_inherited:
            self.remote_field.related_name = "+"
            self.remote_field.related_query_name = None
        super().contribute_to_class(cls, name, private_only=True)
        setattr(cls, self.name, ReverseGenericManyToOneDescriptor(self.remote_field))

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        if not related.hidden:
            setattr(cls, related.get_accessor_name(), GenericRelReverseDescriptor(related))

    def get_internal_type(self) -> str:
        return "ManyToManyField"

    def db_type(self, connection: Any) -> None:
        return None

    # ---- joins ---------------------------------------------------------------------------

    @property
    def object_id_field(self) -> Any:
        return self.remote_field.model._meta.get_field(self.object_id_field_name)

    @property
    def foreign_related_fields(self) -> tuple[Any, ...]:
        return (self.model._meta.pk,)

    @property
    def local_related_fields(self) -> tuple[Any, ...]:
        return (self.object_id_field,)

    @cached_property
    def path_infos(self) -> list[PathInfo]:
        """To the generic model; through its multi-table parent first when the object id is
        declared there (the generic row's columns live in the parent's table)."""
        opts = self.remote_field.model._meta
        id_opts = opts.get_field(self.object_id_field_name).model._meta
        path = [
            PathInfo(
                from_opts=self.model._meta,
                to_opts=id_opts,
                target_fields=(id_opts.pk,),
                join_field=self.remote_field,
                m2m=True,
                direct=False,
            )
        ]
        links = []
        while opts.concrete_model is not id_opts.concrete_model:
            link = opts.get_ancestor_link(id_opts.model)
            links.append(link)
            opts = link.remote_field.model._meta
        for link in reversed(links):
            path.extend(link.remote_field.path_infos)
        return path

    def get_path_info(self, filtered_relation: Any = None) -> list[PathInfo]:
        return self.path_infos

    @cached_property
    def reverse_path_infos(self) -> list[PathInfo]:
        opts = self.model._meta
        return [
            PathInfo(
                from_opts=self.remote_field.model._meta,
                to_opts=opts,
                target_fields=(opts.pk,),
                join_field=self,
                m2m=False,
                direct=False,
            )
        ]

    def get_joining_columns(self, reverse_join: bool = False) -> tuple[tuple[str, str], ...]:
        """(this model's pk, the object id): the other way round for a join that starts on
        the generic model."""
        pair = (self.model._meta.pk.column, self.object_id_field.column)
        return ((pair[1], pair[0]),) if reverse_join else (pair,)

    def get_joining_fields(self, reverse_join: bool = False) -> tuple[tuple[Any, Any], ...]:
        """The fields of get_joining_columns(): their types may differ (a text object id)."""
        pair = (self.model._meta.pk, self.object_id_field)
        return ((pair[1], pair[0]),) if reverse_join else (pair,)

    def join_restriction(self, reverse_join: bool) -> tuple[tuple[bool, str, Any], ...]:
        """The join's extra ON term: the generic table's content type is this model's.

        (on the parent table?, column, value): the generic table is the joined one when the
        join starts on this model, the parent one when it starts on the generic model."""
        column = self.remote_field.model._meta.get_field(self.content_type_field_name).column
        return ((reverse_join, column, self.get_content_type().pk),)

    # ---- content types and deletes -------------------------------------------------------

    def get_content_type(self) -> Any:
        return ContentType.objects.get_for_model(
            self.model, for_concrete_model=self.for_concrete_model
        )

    def _content_type_plan(self, conn: Any) -> Plan:
        manager = ContentType.objects.db_manager(conn.alias)
        return (yield from manager._for_model_plan(conn, self.model, self.for_concrete_model))

    def bulk_related_objects(self, objs: Any, using: str = "default") -> Any:
        """The generic rows pointing at any of `objs` through this relation."""
        ct = ContentType.objects.db_manager(using).get_for_model(
            self.model, for_concrete_model=self.for_concrete_model
        )
        return self._related_queryset(using, ct, objs)

    def bulk_related_objects_plan(self, objs: Any, conn: Any) -> Plan:
        """bulk_related_objects() as a plan (the deletion collector runs in one)."""
        ct = yield from self._content_type_plan(conn)
        return self._related_queryset(conn.alias, ct, objs)

    def _related_queryset(self, using: str, ct: Any, objs: Any) -> Any:
        return self.remote_field.model._base_manager.db_manager(using).filter(
            **{
                f"{self.content_type_field_name}__pk": ct.pk,
                f"{self.object_id_field_name}__in": [obj.pk for obj in objs],
            }
        )

    def get_prefetch_level(self) -> GenericRelationLevel:
        return GenericRelationLevel(self)

    def get_related_lookup_value(self, value: Any, lookup_name: str, target: Any) -> Any:
        return related_lookup_value(value, lookup_name, target)

    # ---- checks --------------------------------------------------------------------------

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        target = self.remote_field.model
        if isinstance(target, str):
            return []
        if any(
            isinstance(f, GenericForeignKey)
            and f.ct_field == self.content_type_field_name
            and f.fk_field == self.object_id_field_name
            for f in target._meta.private_fields
        ):
            return []
        return [
            Error(
                f"The GenericRelation defines a relation with the model '{target._meta.label}', "
                "but that model does not have a GenericForeignKey.",
                obj=self,
                id="contenttypes.E004",
            )
        ]


class ReverseGenericManyToOneDescriptor(ReverseManyToOneDescriptor):
    """`bookmark.tags`: a GenericRelatedObjectManager for the instance."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        from tether.contrib.contenttypes.managers import GenericRelatedObjectManager

        return GenericRelatedObjectManager(instance, self.rel)

    def get_prefetch_level(self) -> GenericRelationLevel:
        return GenericRelationLevel(self.field)


class GenericRelReverseDescriptor(ReverseManyToOneDescriptor):
    """`tagged_item.bookmarks` (the related_query_name): the objects this row points at,
    as a reverse foreign key manager, as Django gives it."""

    def get_prefetch_level(self) -> GenericRelReverseLevel:
        return GenericRelReverseLevel(self.rel)


__all__ = [
    "GenericForeignKey",
    "GenericRel",
    "GenericRelation",
    "GenericRelReverseDescriptor",
    "ReverseGenericManyToOneDescriptor",
]
