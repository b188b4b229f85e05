"""Serialize model instances to fixtures and read them back (Django's
`django.core.serializers`): `serialize("json", queryset, indent=2)`, `deserialize("json",
text)`; the formats are "json", "jsonl" and "python" (see docs/differences-from-django.md).

`sort_dependencies` orders models so that those with natural keys come after the models
their natural keys refer to (what `dumpdata --natural-foreign` needs to be loadable).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from tether.core.serializers.base import (
    DeserializationError,
    DeserializedObject,
    SerializationError,
    SerializerDoesNotExist,
)

__all__ = [
    "DeserializationError",
    "DeserializedObject",
    "SerializationError",
    "SerializerDoesNotExist",
    "deserialize",
    "get_deserializer",
    "get_public_serializer_formats",
    "get_serializer",
    "get_serializer_formats",
    "serialize",
    "sort_dependencies",
]

_FORMATS = {
    "json": "tether.core.serializers.json",
    "jsonl": "tether.core.serializers.jsonl",
    "python": "tether.core.serializers.python",
}
# "python" reads and writes Python objects, not text: not a fixture format.
_INTERNAL = {"python"}


def _module(format: str) -> Any:
    if format not in _FORMATS:
        raise SerializerDoesNotExist(format)
    return importlib.import_module(_FORMATS[format])


def get_serializer(format: str) -> Any:
    return _module(format).Serializer


def get_deserializer(format: str) -> Any:
    return _module(format).Deserializer


def get_serializer_formats() -> list[str]:
    return list(_FORMATS)


def get_public_serializer_formats() -> list[str]:
    return [name for name in _FORMATS if name not in _INTERNAL]


def serialize(format: str, queryset: Iterable[Any], **options: Any) -> Any:
    """`queryset` (any iterable of instances) in `format`; the text unless `stream=` is given."""
    return get_serializer(format)().serialize(queryset, **options)


def deserialize(format: str, stream_or_string: Any, **options: Any) -> Any:
    """An iterator of `DeserializedObject`s read from `stream_or_string`; `save()` each."""
    return get_deserializer(format)(stream_or_string, **options)


def _dependencies(model: Any) -> list[Any]:
    """The models `model`'s natural keys refer to (declared, foreign keys, many-to-many)."""
    import tether.apps

    found: list[Any] = []
    if hasattr(model, "natural_key"):
        declared = getattr(model.natural_key, "dependencies", [])
        found.extend(tether.apps.apps.get_model(label) for label in declared)
    for field in model._meta.fields:
        target = field.related_model
        if target is not None and hasattr(target, "natural_key") and target is not model:
            found.append(target)
    for field in model._meta.many_to_many:
        if field.remote_field.through._meta.auto_created:
            target = field.related_model
            if hasattr(target, "natural_key") and target is not model:
                found.append(target)
    return found


def sort_dependencies(
    app_list: Iterable[tuple[Any, list[Any] | None]], allow_cycles: bool = False
) -> list[Any]:
    """The models of `app_list` ((app_label, models or None for all) pairs), each after the
    models its natural keys depend on. A cycle is an error, or with `allow_cycles` the
    remaining models follow in name order."""
    models: list[Any] = []
    for label, chosen in app_list:
        members = chosen if chosen is not None else app_models(label)
        models.extend(m for m in members if m not in models)
    pending = [(model, _dependencies(model)) for model in models]
    wanted = set(models)
    ordered: list[Any] = []
    while pending:
        waiting = []
        for model, deps in pending:
            if all(dep not in wanted or dep in ordered for dep in deps):
                ordered.append(model)
            else:
                waiting.append((model, deps))
        if len(waiting) == len(pending):
            if allow_cycles:
                ordered.extend(sorted((m for m, _ in waiting), key=lambda m: m.__name__))
                break
            names = ", ".join(
                m._meta.label for m, _ in sorted(waiting, key=lambda p: p[0].__name__)
            )
            raise RuntimeError(f"Can't resolve dependencies for {names} in serialized app list.")
        pending = waiting
    return ordered


def app_models(label: str) -> list[Any]:
    """The registered models of app `label` (no automatic through models), in order."""
    import tether.apps

    return [
        m for m in tether.apps.apps.all_models.get(label, {}).values() if not m._meta.auto_created
    ]
