"""Python functions registered on every SQLite connection (SQLite has no REGEXP, no time zones).

`REGEXP(pattern, value)` backs the regex lookups; `tether_dtdelta(connector, lhs, rhs)` adds
or subtracts a duration (microseconds) to or from a date or time-stamp. The date functions
behind Extract and Trunc are in datetime_functions.py.
STDDEV_POP/STDDEV_SAMP/VAR_POP/VAR_SAMP are aggregates (StdDev and Variance).
"""

from __future__ import annotations

import datetime
import functools
import operator
import re
import sqlite3
import statistics
from typing import Any

from tether.db.backends.sqlite import datetime_functions, math_functions, text_functions


@functools.lru_cache(maxsize=256)
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def bitxor(lhs: Any, rhs: Any) -> int | None:
    """`a # b` (F().bitxor()): SQLite has no XOR operator."""
    if lhs is None or rhs is None:
        return None
    return int(lhs) ^ int(rhs)


def regexp(pattern: Any, value: Any) -> bool | None:
    """`value REGEXP pattern`: Python's re.search; NULL when either side is NULL."""
    if pattern is None or value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    return _pattern(pattern).search(value) is not None


def _parse(value: str) -> datetime.date | datetime.time:
    if len(value) >= 10 and value[4] == "-":
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
        return datetime.datetime.fromisoformat(value)
    return datetime.time.fromisoformat(value)


def _moment(value: Any) -> datetime.date | datetime.timedelta:
    if isinstance(value, int | float):
        return datetime.timedelta(microseconds=value)
    parsed = _parse(str(value))
    if not isinstance(parsed, datetime.date):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(parsed, datetime.datetime) and parsed.tzinfo is not None:
        return parsed.replace(tzinfo=None)
    return parsed


def tether_dtdelta(connector: str, lhs: Any, rhs: Any) -> str | None:
    """A date or time-stamp (ISO text) plus or minus a duration (microseconds), as ISO text.

    A date stays a date (whole days of the duration count), as Python's and Django's do.
    """
    if lhs is None or rhs is None:
        return None
    left, right = _moment(lhs), _moment(rhs)
    # date - duration, date + duration or duration + date: the SQL only combines those.
    result = operator.sub(left, right) if connector == "-" else operator.add(left, right)
    if isinstance(result, datetime.datetime):
        return result.isoformat(" ")
    return result.isoformat() if isinstance(result, datetime.date) else None


class _Statistic:
    """An aggregate over the non-NULL values of a group (StdDev and Variance, which SQLite
    lacks); NULL when there are too few values, as PostgreSQL and MariaDB answer."""

    minimum = 1

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: Any) -> None:
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        if len(self.values) < self.minimum:
            return None
        return self.compute(self.values)  # type: ignore[attr-defined,no-any-return]


def _statistic(function: Any, minimum: int) -> type[_Statistic]:
    return type(
        function.__name__,
        (_Statistic,),
        {"compute": staticmethod(function), "minimum": minimum},
    )


AGGREGATES = {
    "STDDEV_POP": _statistic(statistics.pstdev, 1),
    "STDDEV_SAMP": _statistic(statistics.stdev, 2),
    "VAR_POP": _statistic(statistics.pvariance, 1),
    "VAR_SAMP": _statistic(statistics.variance, 2),
}


def register(raw: sqlite3.Connection) -> None:
    datetime_functions.register(raw)
    text_functions.register(raw)
    raw.create_function("REGEXP", 2, regexp, deterministic=True)
    raw.create_function("BITXOR", 2, bitxor, deterministic=True)
    raw.create_function("tether_dtdelta", 3, tether_dtdelta, deterministic=True)
    math_functions.register(raw)
    for name, aggregate in AGGREGATES.items():
        raw.create_aggregate(name, 1, aggregate)  # type: ignore[arg-type]
