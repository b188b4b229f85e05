"""Text-like scalar fields: EmailField, SlugField, URLField, GenericIPAddressField, UUIDField,
BinaryField.

Each knows its Python type, its validators and how values travel to each backend (through the
backend's operations); none knows SQL.
"""

from __future__ import annotations

import base64
import ipaddress
import uuid
from typing import Any

from tether import validators
from tether.exceptions import ValidationError
from tether.models.fields import CharField, Field


class EmailField(CharField):
    internal_type = "CharField"
    default_error_messages = {"invalid": "Enter a valid email address."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(*args, **kwargs)

    def default_validators(self) -> list[Any]:
        return [*super().default_validators(), validators.validate_email]


class URLField(CharField):
    internal_type = "CharField"

    def __init__(
        self, verbose_name: str | None = None, name: str | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 200:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def default_validators(self) -> list[Any]:
        return [*super().default_validators(), validators.URLValidator()]


class SlugField(CharField):
    internal_type = "SlugField"

    def __init__(
        self,
        *args: Any,
        max_length: int = 50,
        db_index: bool = True,
        allow_unicode: bool = False,
        **kwargs: Any,
    ) -> None:
        self.allow_unicode = allow_unicode
        super().__init__(*args, max_length=max_length, db_index=db_index, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 50:
            del kwargs["max_length"]
        if self.db_index:
            kwargs.pop("db_index", None)
        else:
            kwargs["db_index"] = False
        if self.allow_unicode:
            kwargs["allow_unicode"] = True
        return name, path, args, kwargs

    def default_validators(self) -> list[Any]:
        slug = validators.validate_unicode_slug if self.allow_unicode else validators.validate_slug
        return [*super().default_validators(), slug]


class GenericIPAddressField(Field[str]):
    internal_type = "GenericIPAddressField"
    empty_strings_allowed = False

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        protocol: str = "both",
        unpack_ipv4: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        self.unpack_ipv4 = unpack_ipv4
        self.protocol = protocol
        self._ip_validators = validators.ip_address_validators(protocol, unpack_ipv4)
        kwargs["max_length"] = 39
        super().__init__(verbose_name, name, *args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.unpack_ipv4:
            kwargs["unpack_ipv4"] = True
        if self.protocol != "both":
            kwargs["protocol"] = self.protocol
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def default_validators(self) -> list[Any]:
        return list(self._ip_validators)

    def to_python(self, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            value = str(value)
        value = value.strip()
        if ":" in value:
            return _clean_ipv6(value, self.unpack_ipv4)
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if value and ":" in str(value):
            try:
                return _clean_ipv6(str(value), self.unpack_ipv4)
            except ValidationError:
                pass
        return str(value) if value != "" else None

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return value or None


def _clean_ipv6(value: str, unpack_ipv4: bool) -> str:
    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        raise ValidationError(
            "This is not a valid IPv6 address.", code="invalid", params={"protocol": "IPv6"}
        ) from None
    if unpack_ipv4 and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    if address.ipv4_mapped:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


class UUIDField(Field[uuid.UUID]):
    internal_type = "UUIDField"
    default_error_messages = {"invalid": "“%(value)s” is not a valid UUID."}
    empty_strings_allowed = False

    def __init__(self, verbose_name: str | None = None, **kwargs: Any) -> None:
        kwargs["max_length"] = 32
        super().__init__(verbose_name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, uuid.UUID):
            return value
        try:
            if isinstance(value, int):
                return uuid.UUID(int=value)
            return uuid.UUID(str(value))
        except (AttributeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def get_prep_value(self, value: Any) -> Any:
        if hasattr(value, "resolve_expression"):
            return value
        return self.to_python(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if value is None:
            return None
        if not isinstance(value, uuid.UUID):
            value = self.to_python(value)
        if connection.features.has_native_uuid_field:
            return connection.ops.adapt_native_uuid_value(value)
        return value.hex

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(str(value))


class BinaryField(Field[bytes | memoryview]):
    internal_type = "BinaryField"
    empty_values = [None, b""]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def default_validators(self) -> list[Any]:
        if self.max_length is None:
            return []
        return [validators.MaxLengthValidator(self.max_length)]

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.editable:
            kwargs["editable"] = True
        else:
            kwargs.pop("editable", None)
        return name, path, args, kwargs

    def get_default(self) -> Any:
        if self.has_default() and not callable(self.default):
            return self.default
        default = super().get_default()
        return b"" if default == "" else default

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return memoryview(base64.b64decode(value.encode("ascii")))
        return value

    def value_to_string(self, obj: Any) -> Any:
        """Bytes travel in fixtures as base64 text, as Django's."""
        return base64.b64encode(self.value_from_object(obj)).decode("ascii")

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        if isinstance(value, memoryview | bytearray):
            return bytes(value)
        return value

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, memoryview | bytearray):
            return bytes(value)
        return value
