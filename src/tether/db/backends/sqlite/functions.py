"""Python functions registered on every SQLite connection (SQLite has no REGEXP, no time zones).

`REGEXP(pattern, value)` backs the regex lookups; `tether_dt(kind, value, tzname)` backs the
date/time transforms (`__year`, `__date`, `__hour`, ...): `value` is the stored ISO text,
converted from UTC to `tzname` first when that is not NULL. `tether_dtdelta(connector, lhs,
rhs)` adds or subtracts a duration (microseconds) to or from a date or time-stamp.
"""

from __future__ import annotations

import datetime
import functools
import operator
import re
import sqlite3
import zoneinfo
from typing import Any


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


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> datetime.tzinfo:
    return datetime.UTC if name == "UTC" else zoneinfo.ZoneInfo(name)


def _parse(value: str) -> datetime.date | datetime.time:
    if len(value) >= 10 and value[4] == "-":
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
        return datetime.datetime.fromisoformat(value)
    return datetime.time.fromisoformat(value)


def extract(kind: str, value: datetime.date | datetime.time) -> Any:
    """The transform `kind` of a date, datetime or time value."""
    if kind == "date":
        return value.date() if isinstance(value, datetime.datetime) else value
    if kind == "time":
        return value.time() if isinstance(value, datetime.datetime) else value
    if kind in ("hour", "minute", "second"):
        return getattr(value, kind)
    assert isinstance(value, datetime.date)
    if kind == "week_day":
        return value.isoweekday() % 7 + 1
    if kind == "iso_week_day":
        return value.isoweekday()
    if kind == "week":
        return value.isocalendar()[1]
    if kind == "iso_year":
        return value.isocalendar()[0]
    if kind == "quarter":
        return (value.month - 1) // 3 + 1
    return getattr(value, kind)


def tether_dt(kind: str, value: Any, tzname: Any) -> Any:
    if value is None:
        return None
    try:
        parsed = _parse(str(value))
    except ValueError:
        return None
    if tzname is not None and isinstance(parsed, datetime.datetime):
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.UTC)
        parsed = parsed.astimezone(_zone(tzname)).replace(tzinfo=None)
    result = extract(kind, parsed)
    if isinstance(result, datetime.date | datetime.time):
        return result.isoformat()
    return result


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


def register(raw: sqlite3.Connection) -> None:
    raw.create_function("REGEXP", 2, regexp, deterministic=True)
    raw.create_function("BITXOR", 2, bitxor, deterministic=True)
    raw.create_function("tether_dt", 3, tether_dt, deterministic=True)
    raw.create_function("tether_dtdelta", 3, tether_dtdelta, deterministic=True)
