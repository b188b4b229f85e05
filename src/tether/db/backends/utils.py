"""Naming helpers shared by the backends: hashed short names within identifier limits."""

from __future__ import annotations

import hashlib


def names_digest(*parts: str, length: int) -> str:
    """A short stable digest of `parts`, used to keep generated names unique and short."""
    digest = hashlib.md5(usedforsecurity=False)
    for part in parts:
        digest.update(part.encode())
    return digest.hexdigest()[:length]


def truncate_name(name: str, length: int | None = None, hash_len: int = 4) -> str:
    """Shorten `name` to `length` characters, replacing its tail with a hash of the whole.

    Django names long tables (and automatic many-to-many tables) this way, so tables created by
    either project have the same names.
    """
    if length is None or len(name) <= length:
        return name
    digest = names_digest(name, length=hash_len)
    return f"{name[: length - hash_len]}{digest}"
