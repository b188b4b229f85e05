"""Python source for the values a migration file holds, with the imports they need.

`serializer_factory(value).serialize()` gives (source, imports) as Django's serializer does:
fields, indexes, constraints and Q objects by their deconstruct() path (`tether.models.X` is
written `models.X`), functions and classes by their import path (`tether.models.deletion.CASCADE`
is written `tether.db.models.deletion.CASCADE`, as Django writes django.db.models.deletion),
and the builtin types, dates, decimals, UUIDs, enums and collections.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import functools
import types
import uuid
from typing import Any

Result = tuple[str, set[str]]


def _module_path(module: str) -> str:
    """The import name a migration file uses for one of tether's modules."""
    if module == "tether.models" or module.startswith("tether.models."):
        return "tether.db.models" + module[len("tether.models") :]
    return module


def serialize_path(path: str) -> Result:
    """`models.X` for tether.models' names; a module import for any other dotted path."""
    module, _, name = path.rpartition(".")
    if module in ("tether.models", "tether.db.models"):
        return f"models.{name}", {"from tether.db import models"}
    module = _module_path(module)
    return f"{module}.{name}", {f"import {module}"}


def serialize_deconstructed(path: str, args: Any, kwargs: dict[str, Any]) -> Result:
    name, imports = serialize_path(path)
    parts = []
    for arg in args:
        source, more = serializer_factory(arg).serialize()
        parts.append(source)
        imports |= more
    for key, value in sorted(kwargs.items()):
        source, more = serializer_factory(value).serialize()
        parts.append(f"{key}={source}")
        imports |= more
    return f"{name}({', '.join(parts)})", imports


class BaseSerializer:
    def __init__(self, value: Any) -> None:
        self.value = value

    def serialize(self) -> Result:
        raise NotImplementedError


class ReprSerializer(BaseSerializer):
    def serialize(self) -> Result:
        return repr(self.value), set()


class SequenceSerializer(BaseSerializer):
    opening, closing = "[", "]"

    def items(self) -> list[Any]:
        return list(self.value)

    def serialize(self) -> Result:
        imports: set[str] = set()
        parts = []
        for item in self.items():
            source, more = serializer_factory(item).serialize()
            parts.append(source)
            imports |= more
        body = ", ".join(parts)
        if isinstance(self.value, tuple) and len(parts) == 1:
            body += ","
        return f"{self.opening}{body}{self.closing}", imports


class TupleSerializer(SequenceSerializer):
    opening, closing = "(", ")"


class SetSerializer(SequenceSerializer):
    opening, closing = "{", "}"

    def items(self) -> list[Any]:
        return sorted(self.value, key=repr)

    def serialize(self) -> Result:
        if not self.value:
            return "set()", set()
        return super().serialize()


class FrozensetSerializer(SetSerializer):
    def serialize(self) -> Result:
        source, imports = super().serialize()
        return f"frozenset({source})", imports


class DictSerializer(BaseSerializer):
    def serialize(self) -> Result:
        imports: set[str] = set()
        parts = []
        for key, value in sorted(self.value.items(), key=lambda item: repr(item[0])):
            key_source, more = serializer_factory(key).serialize()
            imports |= more
            value_source, more = serializer_factory(value).serialize()
            imports |= more
            parts.append(f"{key_source}: {value_source}")
        return "{" + ", ".join(parts) + "}", imports


class DatetimeSerializer(BaseSerializer):
    def serialize(self) -> Result:
        value = self.value
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
            text = repr(value.replace(tzinfo=None))[:-1] + ", tzinfo=datetime.timezone.utc)"
            return text, {"import datetime"}
        return repr(value), {"import datetime"}


class DecimalSerializer(BaseSerializer):
    def serialize(self) -> Result:
        return repr(self.value), {"from decimal import Decimal"}


class UUIDSerializer(BaseSerializer):
    def serialize(self) -> Result:
        return f"uuid.{self.value!r}", {"import uuid"}


class EnumSerializer(BaseSerializer):
    def serialize(self) -> Result:
        cls = type(self.value)
        module = _module_path(cls.__module__)
        return f"{module}.{cls.__qualname__}[{self.value.name!r}]", {f"import {module}"}


class FunctionSerializer(BaseSerializer):
    def serialize(self) -> Result:
        value = self.value
        if getattr(value, "__self__", None) is not None and isinstance(value.__self__, type):
            klass = value.__self__
            module = _module_path(klass.__module__)
            return f"{module}.{klass.__qualname__}.{value.__name__}", {f"import {module}"}
        if value.__name__ == "<lambda>":
            raise ValueError("Cannot serialize function: lambda")
        if "<" in value.__qualname__:
            raise ValueError(f"Could not find function {value.__name__} in {value.__module__}.\n")
        module = _module_path(value.__module__)
        if not all(part.isidentifier() for part in module.split(".")):
            raise ValueError(
                f"Cannot serialize function {value.__qualname__}: it is defined in {module}, "
                "which cannot be imported by name (a migration file)."
            )
        if module == "__main__":
            raise ValueError(f"Cannot serialize function {value.__qualname__} from __main__")
        return f"{module}.{value.__qualname__}", {f"import {module}"}


class TypeSerializer(BaseSerializer):
    def serialize(self) -> Result:
        from tether.models import Model

        value = self.value
        if value is Model:
            return "models.Model", {"from tether.db import models"}
        if value is type(None):
            return "type(None)", set()
        if value.__module__ == "builtins":
            return value.__name__, set()
        module = _module_path(value.__module__)
        return f"{module}.{value.__qualname__}", {f"import {module}"}


class DeconstructableSerializer(BaseSerializer):
    def serialize(self) -> Result:
        deconstructed = self.value.deconstruct()
        if len(deconstructed) == 4:  # a field: (name, path, args, kwargs)
            _, path, args, kwargs = deconstructed
        else:
            path, args, kwargs = deconstructed
        return serialize_deconstructed(path, args, kwargs)


class ManagerSerializer(BaseSerializer):
    def serialize(self) -> Result:
        as_manager, path, qs_path, args, kwargs = self.value.deconstruct()
        if as_manager:
            name, imports = serialize_path(qs_path)
            return f"{name}.as_manager()", imports
        return serialize_deconstructed(path, args, kwargs)


class OperationSerializer(BaseSerializer):
    def serialize(self) -> Result:
        from tether.db.migrations.writer import OperationWriter

        source, imports = OperationWriter(self.value, indentation=0).serialize()
        return source.rstrip(","), imports


def serializer_factory(value: Any) -> BaseSerializer:
    from tether.db.migrations.operations.base import Operation
    from tether.models.manager import BaseManager

    if isinstance(value, Operation):
        return OperationSerializer(value)
    if isinstance(value, type):
        return TypeSerializer(value)
    if isinstance(value, BaseManager):
        return ManagerSerializer(value)
    if hasattr(value, "deconstruct"):
        return DeconstructableSerializer(value)
    if isinstance(value, enum.Enum):
        return EnumSerializer(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time | datetime.timedelta):
        return DatetimeSerializer(value)
    if isinstance(value, decimal.Decimal):
        return DecimalSerializer(value)
    if isinstance(value, uuid.UUID):
        return UUIDSerializer(value)
    if isinstance(value, frozenset):
        return FrozensetSerializer(value)
    if isinstance(value, set):
        return SetSerializer(value)
    if isinstance(value, tuple):
        return TupleSerializer(value)
    if isinstance(value, list):
        return SequenceSerializer(value)
    if isinstance(value, dict):
        return DictSerializer(value)
    if isinstance(value, types.FunctionType | types.BuiltinFunctionType | types.MethodType):
        return FunctionSerializer(value)
    if isinstance(value, functools.partial):
        raise ValueError("Cannot serialize functools.partial objects yet")
    if value is None or isinstance(value, bool | int | float | complex | str | bytes | range):
        return ReprSerializer(value)
    raise ValueError(
        f"Cannot serialize: {value!r}\nThere are some values Django cannot serialize into "
        "migration files.\nFor more, see "
        "https://docs.djangoproject.com/en/5.2/topics/migrations/#migration-serializing"
    )
