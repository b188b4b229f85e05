"""Math functions registered on every SQLite connection, for `tether.models.functions.math`.

COT, SIGN and RAND are never built into SQLite (its RANDOM() is a 64-bit integer, Random()
is a float in [0, 1)). The others are built in when SQLite was compiled with
ENABLE_MATH_FUNCTIONS (3.35+, the usual build); without it they are Python functions here,
as Django does. Every one answers NULL for a NULL argument, as SQL functions do.
"""

from __future__ import annotations

import math
import random
import sqlite3
from collections.abc import Callable
from typing import Any


def _null_safe(function: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        if any(arg is None for arg in args):
            return None
        return function(*args)

    return call


def _sign(x: Any) -> int:
    return (x > 0) - (x < 0)


def _log(base: Any, x: Any) -> float:
    # SQL's LOG(b, x) is Python's log(x, b).
    return math.log(x, base)


# Always registered.
_EXTRA: dict[str, tuple[int, Callable[..., Any]]] = {
    "COT": (1, lambda x: 1 / math.tan(x)),
    "SIGN": (1, _sign),
}

# Registered when SQLite lacks its own math functions.
_MATH: dict[str, tuple[int, Callable[..., Any]]] = {
    "ACOS": (1, math.acos),
    "ASIN": (1, math.asin),
    "ATAN": (1, math.atan),
    "ATAN2": (2, math.atan2),
    "CEILING": (1, math.ceil),
    "COS": (1, math.cos),
    "DEGREES": (1, math.degrees),
    "EXP": (1, math.exp),
    "FLOOR": (1, math.floor),
    "LN": (1, math.log),
    "LOG": (2, _log),
    "PI": (0, lambda: math.pi),
    "MOD": (2, math.fmod),
    "POWER": (2, lambda x, y: x**y),
    "RADIANS": (1, math.radians),
    "SIN": (1, math.sin),
    "SQRT": (1, math.sqrt),
    "TAN": (1, math.tan),
}


def register(raw: sqlite3.Connection) -> None:
    """Add the math functions this connection's SQLite lacks."""
    row = raw.execute("SELECT sqlite_compileoption_used('ENABLE_MATH_FUNCTIONS')").fetchone()
    functions = dict(_EXTRA) if row[0] else {**_EXTRA, **_MATH}
    for name, (arity, function) in functions.items():
        raw.create_function(name, arity, _null_safe(function), deterministic=True)
    # Not deterministic: each call draws anew.
    raw.create_function("RAND", 0, random.random)
