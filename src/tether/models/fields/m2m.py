"""ManyToManyField and the automatic through model.

The automatic through model is named `<Model>_<field>` with table `<db_table>_<field>`
(shortened with a hash past the backend's identifier limit), a foreign key to each side
(`from_<model>`/`to_<model>` for a relation to the same model) and a unique pair, exactly as
Django names them (API.md). Joins see the field as two hops: source -> through -> target.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Self, overload

from tether import apps as apps_module
from tether.db.backends.utils import truncate_name
from tether.db.core.twins import Job, twins
from tether.exceptions import FieldError
from tether.models.fields.related import RECURSIVE_RELATIONSHIP_CONSTANT, RelatedField
from tether.models.fields.related_descriptors import MANAGER_CLASSES
from tether.models.fields.reverse_related import ManyToManyRel
from tether.models.sql.joins import PathInfo
from tether.models.type_vars import M

if TYPE_CHECKING:
    from tether.models.base import Model
    from tether.models.relations.m2m_manager import ManyRelatedManager


class ManyToManyDescriptor:
    """`article.publications` and `publication.article_set`: a ManyRelatedManager."""

    def __init__(self, rel: Any, reverse: bool) -> None:
        self.rel = rel
        self.reverse = reverse
        self.field = rel.field

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        relation_class = MANAGER_CLASSES["ManyRelatedManager"]
        model = self.field.manager_attrs(self.reverse)["model"]
        manager_class = relation_class.for_manager(type(model._default_manager))
        return manager_class(instance, self.field, self.reverse)

    @property
    def through(self) -> Any:
        return self.rel.through

    # ---- bulk linking across many sources (tether's, docs/beyond-django.md) -------------

    def _link_job(self, pairs: Any, through_defaults: Any = None, using: Any = None) -> Job:
        from tether.models.relations.m2m_bulk import link_job

        return link_job(self.field, self.reverse, pairs, through_defaults, using)

    def _unlink_job(self, pairs: Any, using: Any = None) -> Job:
        from tether.models.relations.m2m_bulk import unlink_job

        return unlink_job(self.field, self.reverse, pairs, using)

    def _relink_job(self, mapping: Any, through_defaults: Any = None, using: Any = None) -> Job:
        from tether.models.relations.m2m_bulk import relink_job

        return relink_job(self.field, self.reverse, mapping, through_defaults, using)

    link, alink = twins(
        _link_job,
        "link",
        "Link (source, target) pairs (instances or keys) across many sources; the pairs "
        "inserted, as keys.",
    )
    unlink, aunlink = twins(
        _unlink_job, "unlink", "Remove the links of (source, target) pairs; the pairs removed."
    )
    relink, arelink = twins(
        _relink_job,
        "relink",
        "Make each source's links exactly its targets ({source: targets}); (added, removed).",
    )

    def __set__(self, instance: Any, value: Any) -> None:
        side = "reverse" if self.reverse else "forward"
        name = self.rel.get_accessor_name() if self.reverse else self.field.name
        raise TypeError(
            f"Direct assignment to the {side} side of a many-to-many set is prohibited. "
            f"Use {name}.set() instead."
        )


def _model_name(target: Any) -> str:
    if isinstance(target, str):
        return target.rsplit(".", 1)[-1].lower()
    return target._meta.model_name  # type: ignore[no-any-return]


def create_auto_through(field: Any, klass: Any) -> Any:
    """The through model Django would create for `field` on `klass`."""
    from tether.models.base import Model
    from tether.models.deletion import CASCADE
    from tether.models.fields.related import ForeignKey

    to = field.remote_field.model
    if to == RECURSIVE_RELATIONSHIP_CONSTANT:
        to = klass
    name = f"{klass._meta.object_name}_{field.name}"
    to_name = _model_name(to)
    from_name = klass._meta.model_name
    if to_name == from_name:
        to_name, from_name = f"to_{to_name}", f"from_{from_name}"
    meta = type(
        "Meta",
        (),
        {
            "db_table": field.m2m_db_table(klass._meta),
            "auto_created": klass,
            "app_label": klass._meta.app_label,
            "apps": klass._meta.apps,
            "unique_together": (from_name, to_name),
            "verbose_name": f"{from_name}-{to_name} relationship",
            "verbose_name_plural": f"{from_name}-{to_name} relationships",
        },
    )
    attrs = {
        "Meta": meta,
        "__module__": klass.__module__,
        from_name: ForeignKey(
            klass,
            related_name=f"{name}+",
            db_constraint=field.remote_field.db_constraint,
            on_delete=CASCADE,
        ),
        to_name: ForeignKey(
            to,
            related_name=f"{name}+",
            db_constraint=field.remote_field.db_constraint,
            on_delete=CASCADE,
        ),
    }
    return type(name, (Model,), attrs)


class ManyToManyField(RelatedField[Any], Generic[M]):
    """A many-to-many relation through an automatic or an explicit through model:
    `ManyToManyField[Tag]` to a type checker, from its model argument (a model named by a
    string gives `ManyToManyField[Any]` unless annotated, as ForeignKey), whose instances
    read `post.tags` as a `ManyRelatedManager[Tag]`."""

    if TYPE_CHECKING:

        @overload  # type: ignore[override]
        def __get__(self, instance: None, owner: Any) -> ManyToManyDescriptor: ...
        @overload
        def __get__(self, instance: Model, owner: Any) -> ManyRelatedManager[M]: ...
        @overload
        def __get__(self, instance: object, owner: Any) -> Self: ...
        def __get__(self, instance: object, owner: Any) -> Any: ...
        def __set__(self, instance: Model, value: Any) -> None: ...

    many_to_many = True
    description = "Many-to-many relationship"

    if TYPE_CHECKING:  # the target model gives M; a model named by a string, Any

        @overload
        def __init__(self, to: type[M], *args: Any, **kwargs: Any) -> None: ...
        @overload
        def __init__(self: ManyToManyField[Any], to: str, *args: Any, **kwargs: Any) -> None: ...

    def __init__(
        self,
        to: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        symmetrical: bool | None = None,
        through: Any = None,
        through_fields: Any = None,
        db_constraint: bool = True,
        db_table: str | None = None,
        swappable: bool = True,
        complete_events: bool = False,
        **kwargs: Any,
    ) -> None:
        if not (isinstance(to, str) or hasattr(to, "_meta")):
            raise TypeError(
                f"ManyToManyField({to!r}) is invalid. First parameter to ManyToManyField must be "
                "either a model, a model name, or the string 'self'"
            )
        if symmetrical is None:
            symmetrical = to == RECURSIVE_RELATIONSHIP_CONSTANT
        if through is not None and db_table is not None:
            raise ValueError("Cannot specify a db_table if an intermediary model is used.")
        self.remote_field = ManyToManyRel(
            self,
            to,
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            symmetrical=symmetrical,
            through=through,
            through_fields=through_fields,
            db_constraint=db_constraint,
        )
        self.has_null_arg = "null" in kwargs
        self._related_name = related_name  # as given, for the fields.W345 check
        self._related_query_name = related_query_name
        self.db_table = db_table
        self.swappable = swappable
        # tether's opt-in (docs/beyond-django.md): m2m_changed for every link change, with
        # concrete pk_sets (post_clear, cascading deletes), at the cost of reading them.
        self.complete_events = complete_events
        super().__init__(**kwargs)
        self.is_relation = True

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.db_table is not None:
            kwargs["db_table"] = self.db_table
        if self.remote_field.db_constraint is not True:
            kwargs["db_constraint"] = self.remote_field.db_constraint
        if self.complete_events:
            kwargs["complete_events"] = True
        through = self.remote_field.through
        if isinstance(through, str):
            kwargs["through"] = through
        elif through is not None and not through._meta.auto_created:
            kwargs["through"] = through._meta.label
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "ManyToManyField"

    def db_type(self, connection: Any) -> None:
        return None

    # ---- class construction --------------------------------------------------------------

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        rel = self.remote_field
        if rel.symmetrical and (
            rel.model == RECURSIVE_RELATIONSHIP_CONSTANT or rel.model == cls._meta.object_name
        ):
            rel.related_name = f"{name}_rel_+"
        elif rel.hidden:
            # As Django: a hidden reverse side ('+') still exists internally; a name unique to
            # this field keeps several hidden relations to one model from clashing.
            rel.related_name = f"_{cls._meta.app_label}_{cls.__name__.lower()}_{name}_+"
        super().contribute_to_class(cls, name, private_only=private_only)
        if cls._meta.abstract:
            return
        if rel.through is not None:
            target = apps_module.resolve_reference(rel.through, cls)
            if isinstance(target, tuple):
                cls._meta.apps.lazy_model_operation(self._set_through, target)
            else:
                self._set_through(target)
        else:
            rel.through = create_auto_through(self, cls)
        setattr(cls, self.name, ManyToManyDescriptor(rel, reverse=False))

    def _set_through(self, model: Any) -> None:
        self.remote_field.through = model
        self.__dict__.pop("path_infos", None)

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        if not related.hidden and not related.model._meta.abstract:
            setattr(cls, related.get_accessor_name(), ManyToManyDescriptor(related, reverse=True))

    def m2m_db_table(self, opts: Any) -> str:
        if self.db_table:
            return self.db_table
        from tether.db.connections import DEFAULT_DB_ALIAS, connections

        limit = connections[DEFAULT_DB_ALIAS].ops.max_name_length()
        return truncate_name(f"{opts.db_table}_{self.name}", limit)

    # ---- the through model's two keys ----------------------------------------------------

    def _link_fields(self) -> tuple[Any, Any]:
        """(the through FK to this field's model, the through FK to the target), cached.

        Every related manager asks for these: found once per (through, target, model).
        """
        rel = self.remote_field
        through, target, model = rel.through, rel.model, getattr(self, "model", None)
        cached = self.__dict__.get("_link_fields_cache")
        if cached and cached[0] is through and cached[1] is target and cached[2] is model:
            return cached[3]  # type: ignore[no-any-return]
        result = self._find_link_fields()
        self.__dict__["_link_fields_cache"] = (through, target, model, result)
        return result

    def _find_link_fields(self) -> tuple[Any, Any]:
        rel = self.remote_field
        through = rel.through
        if isinstance(through, str):
            raise FieldError(f"The through model {through!r} of {self} has not been defined.")
        opts = through._meta
        if rel.through_fields:
            source_name, target_name = rel.through_fields
            return opts.get_field(source_name), opts.get_field(target_name)
        source_model = self.model._meta.concrete_model
        target_model = rel.model
        keys = [f for f in opts.fields if f.is_relation and not f.many_to_many]
        sources = [f for f in keys if f.remote_field.model in (self.model, source_model)]
        targets = [f for f in keys if f.remote_field.model == target_model]
        if target_model == self.model or target_model is source_model:
            if len(sources) < 2:
                raise FieldError(
                    f"{self}: the through model needs two foreign keys to {source_model.__name__}."
                )
            return sources[0], sources[1]
        if not sources or not targets:
            raise FieldError(
                f"{self}: the through model {through.__name__} needs a foreign key to "
                f"{source_model.__name__} and one to {target_model.__name__}."
            )
        return sources[0], targets[0]

    def manager_attrs(self, reverse: bool) -> dict[str, Any]:
        """The attributes of a ManyRelatedManager on one side that do not depend on the
        instance, computed once per (through, target, model) like `_link_fields`: a manager's
        `__init__` copies them and reads the instance's key."""
        rel = self.remote_field
        through, target, model = rel.through, rel.model, getattr(self, "model", None)
        cached = self.__dict__.get("_manager_attrs_cache")
        if not (cached and cached[0] is through and cached[1] is target and cached[2] is model):
            cached = self.__dict__["_manager_attrs_cache"] = (through, target, model, {})
        sides: dict[bool, dict[str, Any]] = cached[3]
        attrs = sides.get(reverse)
        if attrs is None:
            attrs = sides[reverse] = self._find_manager_attrs(reverse)
        return attrs

    def _find_manager_attrs(self, reverse: bool) -> dict[str, Any]:
        rel = self.remote_field
        source_link, target_link = self._link_fields()
        if reverse:
            source_link, target_link = target_link, source_link
            attrs = {
                "model": self.model,
                "query_field_name": self.name,
                "symmetrical": False,
                "prefetch_cache_name": self.related_query_name(),
            }
        else:
            attrs = {
                "model": rel.model,
                "query_field_name": self.related_query_name(),
                "symmetrical": rel.symmetrical,
                "prefetch_cache_name": self.name,
            }
        through_opts = rel.through._meta
        source_field = through_opts.get_field(source_link.name)
        target_field = through_opts.get_field(target_link.name)
        key_field = source_field.target_field
        attrs.update(
            field=self,
            reverse=reverse,
            through=rel.through,
            source_field_name=source_link.name,
            target_field_name=target_link.name,
            source_field=source_field,
            target_field=target_field,
            _key_attname=key_field.attname,
            _core_filter_key=f"{attrs['query_field_name']}__{key_field.name}",
        )
        return attrs

    def m2m_field_name(self) -> str:
        return self._link_fields()[0].name  # type: ignore[no-any-return]

    def m2m_reverse_field_name(self) -> str:
        return self._link_fields()[1].name  # type: ignore[no-any-return]

    def m2m_column_name(self) -> str:
        return self._link_fields()[0].column  # type: ignore[no-any-return]

    def m2m_reverse_name(self) -> str:
        return self._link_fields()[1].column  # type: ignore[no-any-return]

    def m2m_target_field_name(self) -> str:
        return self._link_fields()[0].target_field.name  # type: ignore[no-any-return]

    def m2m_reverse_target_field_name(self) -> str:
        return self._link_fields()[1].target_field.name  # type: ignore[no-any-return]

    # ---- joins ---------------------------------------------------------------------------

    @cached_property
    def path_infos(self) -> list[PathInfo]:
        """source -> through -> target; a link field that a multi-table through model inherits
        lives on its parent's table, so the hops pass between parent and child there."""
        source_link, target_link = self._link_fields()
        source_owner = source_link.model._meta.concrete_model
        target_owner = target_link.model._meta.concrete_model
        if source_owner is target_owner:
            between: list[PathInfo] = []
        elif issubclass(source_owner, target_owner):
            between = source_owner._meta.get_path_to_parent(target_owner)
        else:
            between = target_owner._meta.get_path_from_parent(source_owner)
        return [
            PathInfo(
                from_opts=self.model._meta,
                to_opts=source_owner._meta,
                target_fields=(source_owner._meta.pk,),
                join_field=source_link,
                m2m=True,
                direct=False,
            ),
            *between,
            PathInfo(
                from_opts=target_owner._meta,
                to_opts=self.remote_field.model._meta,
                target_fields=target_link.foreign_related_fields,
                join_field=target_link,
                m2m=True,
                direct=True,
            ),
        ]

    def get_path_info(self, filtered_relation: Any = None) -> list[PathInfo]:
        return self.path_infos

    @property
    def foreign_related_fields(self) -> tuple[Any, ...]:
        return self._link_fields()[1].foreign_related_fields  # type: ignore[no-any-return]

    def get_related_lookup_value(self, value: Any, lookup_name: str, target: Any) -> Any:
        from tether.models.fields.related import related_lookup_value

        return related_lookup_value(value, lookup_name, target)

    def value_from_object(self, obj: Any) -> list[Any]:
        return [] if obj.pk is None else list(getattr(obj, self.attname).all())
