"""The "jsonl" format (JSON Lines): one object per line, so a dump streams and a load reads
one line at a time."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from tether.core.serializers.base import DeserializationError
from tether.core.serializers.json import TextDeserializer, json_options
from tether.core.serializers.python import StreamSerializer


class Serializer(StreamSerializer):
    def start_serialization(self) -> None:
        options = {k: v for k, v in self.options.items() if k != "indent"}
        self.json_kwargs = json_options(options, True)

    def write_object(self, data: dict[str, Any]) -> None:
        json.dump(data, self.stream, **self.json_kwargs)
        self.stream.write("\n")


def _objects(lines: Iterable[Any]) -> Iterator[dict[str, Any]]:
    for line in lines:
        if isinstance(line, bytes):
            line = line.decode()
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except Exception as exc:
            raise DeserializationError() from exc


class Deserializer(TextDeserializer):
    """Read JSON Lines from a string, bytes or a file."""

    def __init__(self, stream_or_string: Any, **options: Any) -> None:
        if isinstance(stream_or_string, bytes):
            stream_or_string = stream_or_string.decode()
        if isinstance(stream_or_string, str):
            stream_or_string = stream_or_string.splitlines()
        super().__init__(_objects(stream_or_string), **options)
