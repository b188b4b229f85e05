"""prefetch_related() across generic relations, and GenericPrefetch.

`GenericForeignKeyLevel` groups the instances by content type and runs one query per model
named (each with the queryset GenericPrefetch gives for that model, if any);
`GenericRelationLevel` fetches the generic rows of every instance in one query, restricted to
the instances' content types. Both are prefetch levels (tether.models.query.prefetch) whose fetch is
a plan, so content types are read through the same runner as the rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator
from typing import Any

from tether.models.query.prefetch import Prefetch, _fetch_related_plan, _Level, _ReverseMany
from tether.models.query_utils import Q

Plan = Generator[Any, Any, Any]


def _content_types() -> Any:
    from tether.contrib.contenttypes.models import ContentType

    return ContentType.objects


class GenericPrefetch(Prefetch):
    """Prefetch a GenericForeignKey with one queryset per target model."""

    def __init__(self, lookup: str, querysets: Any, to_attr: str | None = None) -> None:
        for queryset in querysets:
            if queryset is not None and queryset._query.values_select:
                raise ValueError(
                    "Prefetch querysets cannot use raw(), values(), and values_list()."
                )
        super().__init__(lookup, to_attr=to_attr)
        self.querysets = list(querysets)

    def get_current_querysets(self, level: int) -> list[Any] | None:
        if self.get_current_prefetch_to(level) == self.prefetch_to:
            return self.querysets
        return None


class GenericForeignKeyLevel(_Level):
    """`comment.content_object` for many comments: one query per content type."""

    single = True
    pk_lookup = "pk__in"

    def __init__(self, field: Any) -> None:
        self.field = field
        self.cache_name = field.name
        self._querysets: list[Any] = []
        self._models: dict[Any, Any] = {}  # content type id -> model class

    def base_queryset(self, querysets: list[Any] | None, alias: str | None) -> Any:
        self._querysets = list(querysets or ())
        return None

    def filter_name(self) -> str:
        return self.pk_lookup

    def fetch_plan(self, conn: Any, instances: list[Any], base: Any) -> Plan:
        manager = _content_types().db_manager(conn.alias)
        custom: dict[Any, Any] = {}
        for queryset in self._querysets:
            ct = yield from manager._for_model_plan(
                conn, queryset.model, self.field.for_concrete_model
            )
            if ct.pk in custom:
                raise ValueError("Only one queryset is allowed for each content type.")
            custom[ct.pk] = queryset
        ct_attname = self.field.ct_attname
        keys: dict[Any, dict[Any, None]] = defaultdict(dict)
        for obj in instances:
            ct_id = getattr(obj, ct_attname)
            value = getattr(obj, self.field.fk_field)
            if ct_id is not None and value is not None:
                keys[ct_id][value] = None
        rows: list[Any] = []
        for ct_id, values in keys.items():
            ct = yield from manager._for_id_plan(conn, ct_id)
            model = ct.model_class()
            self._models[ct_id] = model
            queryset = custom.get(ct_id)
            if queryset is None:
                queryset = model._base_manager.db_manager(conn.alias).all()
            rows.extend((yield from _fetch_related_plan(conn, self, queryset, list(values))))
        return rows

    def instance_key(self, instance: Any) -> Any:
        model = self._models.get(getattr(instance, self.field.ct_attname))
        if model is None:
            return None
        return (model._meta.pk.get_prep_value(getattr(instance, self.field.fk_field)), model)

    def related_key(self, obj: Any) -> Any:
        return (obj.pk, type(obj))


class GenericRelationLevel(_Level):
    """`bookmark.tags` for many bookmarks: one query over their content types."""

    def __init__(self, field: Any) -> None:
        self.field = field
        self.cache_name = field.attname
        self.ct_name = f"{field.content_type_field_name}__pk"
        self.ct_attname = field.remote_field.model._meta.get_field(
            field.content_type_field_name
        ).attname
        self.object_id_name = field.object_id_field_name
        self.to_python = field.model._meta.pk.to_python
        self._ct_ids: dict[Any, Any] = {}  # model class -> content type id

    def queryset(self, queryset: Any, alias: str | None) -> Any:
        if queryset is not None:
            return queryset
        model = self.field.remote_field.model
        return model._default_manager.db_manager(alias).get_queryset()

    def fetch_plan(self, conn: Any, instances: list[Any], base: Any) -> Plan:
        by_model: dict[Any, dict[Any, None]] = defaultdict(dict)
        for obj in instances:
            by_model[type(obj)][obj.pk] = None
        manager = _content_types().db_manager(conn.alias)
        cts = yield from manager._for_models_plan(
            conn, list(by_model), self.field.for_concrete_model
        )
        predicate = Q()
        for model, pks in by_model.items():
            self._ct_ids[model] = cts[model].pk
            predicate |= Q(**{self.ct_name: cts[model].pk, f"{self.object_id_name}__in": list(pks)})
        return (yield from base.filter(predicate)._fetch_plan(conn))

    def instance_key(self, instance: Any) -> Any:
        return (instance.pk, self._ct_ids.get(type(instance)))

    def related_key(self, obj: Any) -> Any:
        return (self.to_python(getattr(obj, self.object_id_name)), getattr(obj, self.ct_attname))

    def filtered(self, key: Any, template: Any) -> Any:
        """`template` narrowed to one instance's rows, as its related manager narrows it."""
        pk, ct_id = key
        return template.filter(**{self.ct_name: ct_id, self.object_id_name: pk})


class GenericRelReverseLevel(_ReverseMany):
    """`tagged_item.bookmarks`: the objects pointed at, each fetched with the id of the
    generic row that reached it (joined through the GenericRelation)."""

    value_name = "_prefetch_related_val_generic"

    def prepare(self, queryset: Any) -> Any:
        from tether.models.expressions import F

        return queryset.annotate(**{self.value_name: F(f"{self.field.name}__pk")})

    def related_key(self, obj: Any) -> Any:
        return getattr(obj, self.value_name)

    def attach_related(
        self, groups: dict[Any, list[Any]], instances: list[Any], nested: frozenset[str]
    ) -> None:
        """Nothing to cache on the fetched objects: they hold no key to the generic row."""

    def filtered(self, key: Any, template: Any) -> Any:
        return template.filter(**{self.field.name: key})

    def known_related(self, instance: Any) -> dict[Any, dict[Any, Any]]:
        return {}


__all__ = ["GenericPrefetch"]
