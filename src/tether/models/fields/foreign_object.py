"""ForeignObject: a many-to-one relation over existing columns, possibly several.

`ForeignObject(Stock, from_fields=["stock_id", "gift_product"], to_fields=["id", "product"])`
adds no column: it joins on pairs of fields the models already have, so filters, joins and
attribute access work across it. ForeignKey is the one-column case that owns its column.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from tether.models.fields.related import RelatedField, related_lookup_value
from tether.models.fields.related_descriptors import _MISSING, _refuse_lazy_load_in_async
from tether.models.fields.reverse_related import ManyToOneRel
from tether.models.sql.joins import PathInfo

RECURSIVE = "self"


class ForeignObjectDescriptor:
    """`freebie.stock`: the object whose `to_fields` equal this row's `from_fields`."""

    def __init__(self, field: Any) -> None:
        self.field = field

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        field = self.field
        cache = instance._state.fields_cache
        values = [getattr(instance, f.attname) for f in field.local_related_fields]
        cached = cache.get(field.name, _MISSING)
        if cached is not _MISSING and (
            cached is None
            or [getattr(cached, t.attname) for t in field.foreign_related_fields] == values
        ):
            return cached
        if None in values:
            obj = None
        else:
            _refuse_lazy_load_in_async(instance, field.name)
            model = field.remote_field.model
            lookup = {
                t.attname: v for t, v in zip(field.foreign_related_fields, values, strict=True)
            }
            try:
                hints = {"instance": instance}
                obj = model._base_manager.db_manager(hints=hints).get(**lookup)
            except model.DoesNotExist:
                obj = None
        cache[field.name] = obj
        return obj

    def __set__(self, instance: Any, value: Any) -> None:
        field = self.field
        model = field.remote_field.model
        if value is not None and not isinstance(value, model._meta.concrete_model):
            raise ValueError(
                f'Cannot assign "{value!r}": "{type(instance).__name__}.{field.name}" must be a '
                f'"{model._meta.object_name}" instance.'
            )
        for local, target in field.related_fields:
            setattr(
                instance, local.attname, None if value is None else getattr(value, target.attname)
            )
        instance._state.fields_cache[field.name] = value


class ForeignObject(RelatedField):
    """A relation joined on `from_fields` = `to_fields`, with no column of its own."""

    many_to_one = True
    requires_unique_target = True
    rel_class: Any = ManyToOneRel

    def __init__(
        self,
        to: Any,
        on_delete: Any,
        from_fields: list[str] | tuple[str, ...],
        to_fields: list[str | None] | tuple[str | None, ...],
        rel: Any = None,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        parent_link: bool = False,
        swappable: bool = True,
        **kwargs: Any,
    ) -> None:
        if not callable(on_delete):
            raise TypeError("on_delete must be callable.")
        self.remote_field = rel or self.rel_class(
            self,
            to,
            None,
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            parent_link=parent_link,
            on_delete=on_delete,
        )
        super().__init__(**kwargs)
        self.from_fields = list(from_fields)
        self.to_fields = list(to_fields)
        self.swappable = swappable
        self.is_relation = True

    def get_attname_column(self) -> tuple[str, Any]:
        return self.get_attname(), None

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.name, ForeignObjectDescriptor(self))

    def get_internal_type(self) -> str:
        return "ForeignObject"

    def db_type(self, connection: Any) -> None:
        return None

    # ---- the field pairs -----------------------------------------------------------------

    @cached_property
    def local_related_fields(self) -> tuple[Any, ...]:
        opts = self.model._meta
        return tuple(self if n == RECURSIVE else opts.get_field(n) for n in self.from_fields)

    @cached_property
    def foreign_related_fields(self) -> tuple[Any, ...]:
        opts = self.remote_field.model._meta
        return tuple(opts.pk if n is None else opts.get_field(n) for n in self.to_fields)

    @property
    def related_fields(self) -> list[tuple[Any, Any]]:
        return list(zip(self.local_related_fields, self.foreign_related_fields, strict=True))

    @cached_property
    def path_infos(self) -> list[PathInfo]:
        return [
            PathInfo(
                from_opts=self.model._meta,
                to_opts=self.remote_field.model._meta,
                target_fields=self.foreign_related_fields,
                join_field=self,
                m2m=False,
                direct=True,
            )
        ]

    def get_path_info(self, filtered_relation: Any = None) -> list[PathInfo]:
        return self.path_infos

    def get_joining_columns(self, reverse_join: bool = False) -> tuple[tuple[str, str], ...]:
        pairs = tuple((lhs.column, rhs.column) for lhs, rhs in self.related_fields)
        return tuple((rhs, lhs) for lhs, rhs in pairs) if reverse_join else pairs

    def get_related_lookup_value(self, value: Any, lookup_name: str, target: Any) -> Any:
        return related_lookup_value(value, lookup_name, target)


__all__ = ["ForeignObject"]
