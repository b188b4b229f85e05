"""The "json" format: a list of the python format's dicts, written as Django writes it
(the same separators and indentation, so a dump is byte-for-byte Django's)."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Iterator
from typing import Any

from tether.core.serializers.base import DeserializationError, DeserializedObject
from tether.core.serializers.python import Deserializer as PythonDeserializer
from tether.core.serializers.python import StreamSerializer


class DjangoJSONEncoder(json.JSONEncoder):
    """JSON for dates and times (ECMA-262 form: milliseconds, 'Z' for UTC), durations (ISO
    8601), decimals and UUIDs (as text)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            if o.microsecond:
                text = text[:23] + text[26:]
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.date):
            return o.isoformat()
        if isinstance(o, datetime.time):
            if o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            text = o.isoformat()
            return text[:12] if o.microsecond else text
        if isinstance(o, datetime.timedelta):
            return _iso_duration(o)
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


def _iso_duration(delta: datetime.timedelta) -> str:
    sign = ""
    if delta < datetime.timedelta(0):
        sign, delta = "-", -delta
    minutes, seconds = divmod(delta.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    fraction = f".{delta.microseconds:06d}" if delta.microseconds else ""
    return f"{sign}P{delta.days}DT{hours:02d}H{minutes:02d}M{seconds:02d}{fraction}S"


def json_options(options: dict[str, Any], indent: bool) -> dict[str, Any]:
    """json.dump's arguments from a serializer's options (an indented dump leaves no
    trailing spaces)."""
    kwargs = {k: v for k, v in options.items() if k not in ("stream", "fields")}
    if indent:
        kwargs["separators"] = (",", ": ")
    kwargs.setdefault("cls", DjangoJSONEncoder)
    kwargs.setdefault("ensure_ascii", False)
    return kwargs


class Serializer(StreamSerializer):
    """`[obj, obj]`, or with `indent` one object per block between brackets on their lines."""

    def start_serialization(self) -> None:
        self.indent = self.options.get("indent")
        self.json_kwargs = json_options(self.options, bool(self.indent))
        self.stream.write("[")

    def write_object(self, data: dict[str, Any]) -> None:
        if not self.first:
            self.stream.write("," if self.indent else ", ")
        if self.indent:
            self.stream.write("\n")
        json.dump(data, self.stream, **self.json_kwargs)

    def end_serialization(self) -> None:
        self.stream.write("\n]\n" if self.indent else "]")


def _read_text(stream_or_string: Any) -> str:
    if not isinstance(stream_or_string, bytes | str):
        stream_or_string = stream_or_string.read()
    if isinstance(stream_or_string, bytes):
        return stream_or_string.decode()
    return stream_or_string


class TextDeserializer(PythonDeserializer):
    """A deserializer of text: any error reading an object becomes a DeserializationError."""

    def handle_object(self, data: dict[str, Any]) -> Iterator[DeserializedObject]:
        try:
            yield from super().handle_object(data)
        except (GeneratorExit, DeserializationError):
            raise
        except Exception as exc:
            raise DeserializationError(f"Error deserializing object: {exc}") from exc


class Deserializer(TextDeserializer):
    """Read a JSON list of objects (from a string, bytes or a file)."""

    def __init__(self, stream_or_string: Any, **options: Any) -> None:
        try:
            objects = json.loads(_read_text(stream_or_string))
        except Exception as exc:
            raise DeserializationError() from exc
        super().__init__(objects, **options)
