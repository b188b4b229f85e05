"""Text functions SQLite lacks, registered on every connection under the names the other
databases use (LPAD, RPAD, REPEAT, REVERSE, MD5, SHA1 ... SHA512), as Django registers its own:
`tether.models.functions.text` writes the same SQL on SQLite as elsewhere.

Each gives NULL when an argument is NULL, as the SQL functions do.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from typing import Any


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def lpad(text: Any, length: Any, fill: Any) -> str | None:
    """`text` cut to `length` characters, or filled on the left with `fill` repeated."""
    if text is None or length is None or fill is None:
        return None
    text, length, fill = _text(text), int(length), _text(fill)
    missing = length - len(text)
    if missing <= 0:
        return text[:length]
    return (fill * length)[:missing] + text


def rpad(text: Any, length: Any, fill: Any) -> str | None:
    """`text` cut to `length` characters, or filled on the right with `fill` repeated."""
    if text is None or length is None or fill is None:
        return None
    text, length, fill = _text(text), int(length), _text(fill)
    return (text + fill * length)[:length]


def repeat(text: Any, count: Any) -> str | None:
    if text is None or count is None:
        return None
    return _text(text) * int(count)


def reverse(text: Any) -> str | None:
    return None if text is None else _text(text)[::-1]


def _digest(name: str) -> Callable[[Any], str | None]:
    def digest(text: Any) -> str | None:
        if text is None:
            return None
        return hashlib.new(name, _text(text).encode()).hexdigest()

    digest.__name__ = name
    return digest


def register(raw: sqlite3.Connection) -> None:
    raw.create_function("LPAD", 3, lpad, deterministic=True)
    raw.create_function("RPAD", 3, rpad, deterministic=True)
    raw.create_function("REPEAT", 2, repeat, deterministic=True)
    raw.create_function("REVERSE", 1, reverse, deterministic=True)
    for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512"):
        raw.create_function(name.upper(), 1, _digest(name), deterministic=True)
