"""The reverse side of a relation: ManyToOneRel, OneToOneRel, ManyToManyRel.

A relation field creates one of these as its `remote_field`; once the target model exists it
is added to the target's `_meta` (so `get_field('article')` and reverse lookups find it) and
its accessor (`article_set`, or related_name) is installed on the target class.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from tether.models.sql.joins import PathInfo


class ForeignObjectRel:
    is_relation = True
    concrete = False
    editable = False
    auto_created = True
    primary_key = False
    null = True
    empty_strings_allowed = False
    many_to_many = False
    many_to_one = False
    one_to_many = False
    one_to_one = False
    multiple = True

    def __init__(
        self,
        field: Any,
        to: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        parent_link: bool = False,
        on_delete: Any = None,
    ) -> None:
        self.field = field
        self.model = to
        self.related_name = related_name
        self.related_query_name = related_query_name
        self.limit_choices_to = {} if limit_choices_to is None else limit_choices_to
        self.parent_link = parent_link
        self.on_delete = on_delete
        self.symmetrical = False
        self.multiple = True

    # ---- identity ------------------------------------------------------------------------

    @property
    def remote_field(self) -> Any:
        return self.field

    @property
    def related_model(self) -> Any:
        return self.field.model

    @property
    def hidden(self) -> bool:
        return bool(self.related_name and self.related_name[-1] == "+")

    @property
    def name(self) -> str:
        return self.field.related_query_name()

    @property
    def target_field(self) -> Any:
        return self.field.target_field

    def get_internal_type(self) -> str:
        return self.field.get_internal_type()

    @property
    def db_type(self) -> Any:
        return self.field.db_type

    def get_accessor_name(self, model: Any = None) -> str | None:
        opts = (model or self.related_model)._meta
        if self.multiple and self.symmetrical and self.model == self.related_model:
            return None
        if self.related_name:
            return self.related_name
        return opts.model_name + ("_set" if self.multiple else "")

    @property
    def accessor_name(self) -> str | None:
        """The reverse accessor's name (Django 5.1+'s attribute for get_accessor_name())."""
        return self.get_accessor_name()

    def get_lookup(self, name: str) -> Any:
        return self.field.get_lookup(name)

    def get_transform(self, name: str) -> Any:
        return self.field.get_transform(name)

    def get_related_lookup_value(self, value: Any, lookup_name: str, target: Any) -> Any:
        from tether.models.fields.related import related_lookup_value

        return related_lookup_value(value, lookup_name, target)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: {self.model._meta.label}.{self.name}>"
            if hasattr(self.model, "_meta")
            else f"<{type(self).__name__}>"
        )

    def __reduce__(self) -> Any:
        # The reverse side is its field's: it pickles as a reference to the field (its state
        # names the models' Meta classes and auto-created through models, which pickle cannot
        # find by name).
        return _remote_field_of, (self.field,)

    def __copy__(self) -> ForeignObjectRel:
        # copy.copy() would go through __reduce__ and give this very object back.
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        return clone

    # ---- joins ---------------------------------------------------------------------------

    @cached_property
    def path_infos(self) -> list[PathInfo]:
        """The reverse of the field's path: from the target back to the field's model."""
        field = self.field
        infos = field.path_infos
        reversed_infos = []
        for info in reversed(infos):
            reversed_infos.append(
                PathInfo(
                    from_opts=info.to_opts,
                    to_opts=info.from_opts,
                    target_fields=(info.from_opts.pk,),
                    join_field=info.join_field,
                    m2m=not self.one_to_one,
                    direct=not info.direct,
                )
            )
        return reversed_infos

    def get_path_info(self, filtered_relation: Any = None) -> list[PathInfo]:
        return self.path_infos

    def get_joining_columns(self, reverse_join: bool = False) -> tuple[tuple[str, str], ...]:
        return self.field.get_joining_columns(reverse_join=not reverse_join)

    def get_extra_restriction(self, alias: str, related_alias: str) -> None:
        return None

    @property
    def is_nullable(self) -> bool:
        return True


class ManyToOneRel(ForeignObjectRel):
    many_to_one = False
    one_to_many = True

    def __init__(self, field: Any, to: Any, field_name: str | None, **kwargs: Any) -> None:
        super().__init__(field, to, **kwargs)
        self.field_name = field_name

    def get_related_field(self) -> Any:
        """The field of the target model the relation points at (its to_field, else pk)."""
        opts = self.model._meta
        return opts.get_field(self.field_name) if self.field_name else opts.pk


class OneToOneRel(ManyToOneRel):
    one_to_many = False
    one_to_one = True
    multiple = False

    def __init__(self, field: Any, to: Any, field_name: str | None, **kwargs: Any) -> None:
        super().__init__(field, to, field_name, **kwargs)
        self.multiple = False


class ManyToManyRel(ForeignObjectRel):
    many_to_many = True
    one_to_many = False

    def __init__(
        self,
        field: Any,
        to: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        symmetrical: bool = True,
        through: Any = None,
        through_fields: Any = None,
        db_constraint: bool = True,
    ) -> None:
        super().__init__(
            field,
            to,
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
        )
        self.through = through
        self.through_fields = through_fields
        self.symmetrical = symmetrical
        self.db_constraint = db_constraint


def _remote_field_of(field: Any) -> ForeignObjectRel:
    return field.remote_field  # type: ignore[no-any-return]
