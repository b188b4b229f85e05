"""The "python" format: model instances to and from plain dicts and lists, the form the
JSON and JSON Lines formats write and read.

`Serializer` walks each object's concrete model's own fields (a proxy serializes as its
concrete model, a multi-table child without its parents' columns: they are objects of their
own); `Deserializer` turns the dicts back into `DeserializedObject`s.
"""

from __future__ import annotations

import datetime
import decimal
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from tether.core.serializers.base import (
    DEFER_FIELD,
    DeserializationError,
    DeserializedObject,
    M2MDeserializationError,
    build_instance,
    fk_key,
    m2m_keys,
)
from tether.db.connections import DEFAULT_DB_ALIAS

# Values a serializer passes through as they are (the JSON encoder formats them); any other
# value becomes the field's value_to_string().
_PROTECTED = (
    type(None),
    int,
    float,
    decimal.Decimal,
    datetime.datetime,
    datetime.date,
    datetime.time,
)


class ProgressBar:
    """Dots on a terminal while a large dump is written to a file."""

    width = 75

    def __init__(self, output: IO[str] | None, total: int) -> None:
        self.output = output
        self.total = total
        self.shown = 0

    def update(self, count: int) -> None:
        if not self.output or not self.total:
            return
        done = count * 100 // self.total * self.width // 100
        if done <= self.shown:
            return
        self.shown = done
        prefix = "" if self.total == 1 else "\r"
        self.output.write(f"{prefix}[{'.' * done}{' ' * (self.width - done)}]")
        if done == self.width:
            self.output.write("\n")
        self.output.flush()


def field_value(obj: Any, field: Any) -> Any:
    value = field.value_from_object(obj)
    return value if isinstance(value, _PROTECTED) else field.value_to_string(obj)


class Serializer:
    """Serialize model instances; subclasses write each object's dict to a stream."""

    internal_use_only = False

    def serialize(
        self,
        queryset: Iterable[Any],
        *,
        stream: IO[str] | None = None,
        fields: Iterable[str] | None = None,
        use_natural_foreign_keys: bool = False,
        use_natural_primary_keys: bool = False,
        progress_output: IO[str] | None = None,
        object_count: int = 0,
        **options: Any,
    ) -> Any:
        self.options = options
        self.stream = stream if stream is not None else io.StringIO()
        self.selected = None if fields is None else set(fields)
        self.natural_foreign = use_natural_foreign_keys
        self.natural_primary = use_natural_primary_keys
        progress = ProgressBar(progress_output, object_count)
        self.start_serialization()
        self.first = True
        for count, obj in enumerate(queryset, start=1):
            self.write_object(self.dump_object(obj))
            self.first = False
            progress.update(count)
        self.end_serialization()
        return self.getvalue()

    def dump_object(self, obj: Any) -> dict[str, Any]:
        """{"model", "pk", "fields"} of `obj` ("pk" left out for a natural primary key)."""
        concrete = obj._meta.concrete_model._meta
        # A multi-table child's link to its parent is its key: written with natural keys, as
        # the row could not be found again otherwise.
        pk = concrete.pk
        parent_link = (
            pk
            if self.natural_primary and pk.remote_field is not None and pk.remote_field.parent_link
            else None
        )
        values: dict[str, Any] = {}
        for field in concrete.local_fields:
            if not (field.serialize or field is parent_link):
                continue
            if field.remote_field is None:
                if self.selected is None or field.attname in self.selected:
                    values[field.name] = field_value(obj, field)
            elif self.selected is None or field.attname[:-3] in self.selected:
                values[field.name] = self.foreign_value(obj, field)
        for field in concrete.local_many_to_many:
            if field.serialize and (self.selected is None or field.attname in self.selected):
                if field.remote_field.through._meta.auto_created:
                    values[field.name] = self.m2m_values(obj, field)
        data: dict[str, Any] = {"model": str(obj._meta)}
        if not (self.natural_primary and hasattr(obj, "natural_key")):
            data["pk"] = field_value(obj, obj._meta.pk)
        data["fields"] = values
        return data

    def foreign_value(self, obj: Any, field: Any) -> Any:
        if self.natural_foreign and hasattr(field.remote_field.model, "natural_key"):
            related = getattr(obj, field.name)
            return related.natural_key() if related else None
        return field_value(obj, field)

    def m2m_values(self, obj: Any, field: Any) -> list[Any]:
        prefetched = getattr(obj, "_prefetched_objects_cache", {}).get(field.name)
        if self.natural_foreign and hasattr(field.remote_field.model, "natural_key"):
            related = prefetched if prefetched is not None else getattr(obj, field.name).all()
            return [item.natural_key() for item in related]
        if prefetched is None:
            prefetched = getattr(obj, field.name).select_related(None).only("pk")
        return [field_value(item, item._meta.pk) for item in prefetched]

    def start_serialization(self) -> None:
        self.objects: list[dict[str, Any]] = []

    def write_object(self, data: dict[str, Any]) -> None:
        self.objects.append(data)

    def end_serialization(self) -> None:
        pass

    def getvalue(self) -> Any:
        return self.objects


class StreamSerializer(Serializer):
    """A text format: the value returned is what was written, when the stream keeps it."""

    def getvalue(self) -> Any:
        getvalue = getattr(self.stream, "getvalue", None)
        return getvalue() if callable(getvalue) else None


class Deserializer:
    """Turn dicts of the python format into `DeserializedObject`s (an iterator)."""

    def __init__(
        self,
        object_list: Iterable[dict[str, Any]],
        *,
        using: str = DEFAULT_DB_ALIAS,
        ignorenonexistent: bool = False,
        handle_forward_references: bool = False,
        **options: Any,
    ) -> None:
        self.stream = object_list
        self.options = options
        self.using = using
        self.ignorenonexistent = ignorenonexistent
        self.handle_forward_references = handle_forward_references
        self._names: dict[Any, set[str]] = {}
        self._iterator: Iterator[DeserializedObject] | None = None

    def __iter__(self) -> Iterator[DeserializedObject]:
        for data in self.stream:
            yield from self.handle_object(data)

    def __next__(self) -> DeserializedObject:
        if self._iterator is None:
            self._iterator = iter(self)
        return next(self._iterator)

    def handle_object(self, data: dict[str, Any]) -> Iterator[DeserializedObject]:
        try:
            model = get_model(data["model"])
        except DeserializationError:
            if self.ignorenonexistent:
                return
            raise
        label, pk = data["model"], data.get("pk")
        values: dict[str, Any] = {}
        m2m: dict[str, Any] = {}
        deferred: dict[Any, Any] = {}
        if "pk" in data:
            try:
                values[model._meta.pk.attname] = model._meta.pk.to_python(pk)
            except Exception as exc:
                raise DeserializationError.WithData(exc, label, pk, None) from exc
        names = self._names.get(model)
        if names is None:
            names = self._names[model] = {f.name for f in model._meta.get_fields()}
        defer = self.handle_forward_references
        for name, value in data["fields"].items():
            if self.ignorenonexistent and name not in names:
                continue
            field = model._meta.get_field(name)
            if field.is_relation and field.many_to_many:
                try:
                    keys = m2m_keys(field, value, self.using, defer)
                except M2MDeserializationError as exc:
                    raise DeserializationError.WithData(
                        exc.original_exc, label, pk, exc.pk
                    ) from exc
                if keys is DEFER_FIELD:
                    deferred[field] = value
                else:
                    m2m[field.name] = keys
            elif field.is_relation and (field.many_to_one or field.one_to_one):
                try:
                    key = fk_key(field, value, self.using, defer)
                except Exception as exc:
                    raise DeserializationError.WithData(exc, label, pk, value) from exc
                if key is DEFER_FIELD:
                    deferred[field] = value
                else:
                    values[field.attname] = key
            else:
                try:
                    values[field.name] = field.to_python(value)
                except Exception as exc:
                    raise DeserializationError.WithData(exc, label, pk, value) from exc
        yield DeserializedObject(build_instance(model, values, self.using), m2m, deferred)


def get_model(identifier: Any) -> Any:
    """The model named "app_label.modelname", or Django's DeserializationError."""
    import tether.apps

    try:
        return tether.apps.apps.get_model(identifier)
    except (LookupError, TypeError, ValueError):
        raise DeserializationError(f"Invalid model identifier: {identifier}") from None
