"""The date functions SQLite lacks, registered on every connection: what Extract and Trunc
(`tether.models.functions.datetime`) call on SQLite.

Each takes the stored ISO text and, for date-times, the zone to look at it in (`tzname`) and
the zone it is stored in (`conn_tzname`, UTC with use_tz); both are NULL without use_tz, when
the text is taken as it is. A value that does not parse gives NULL, as a bad date does in SQL.
"""

from __future__ import annotations

import datetime
import functools
import sqlite3
import zoneinfo
from collections.abc import Callable
from typing import Any

from tether.utils.timezone import split_tzname_delta


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> datetime.tzinfo:
    return datetime.UTC if name == "UTC" else zoneinfo.ZoneInfo(name)


def _parse_timestamp(value: Any) -> datetime.datetime | datetime.date | None:
    text = str(value)
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text)
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return None


def _parse_time(value: Any) -> datetime.time | None:
    try:
        return datetime.time.fromisoformat(str(value))
    except ValueError:
        return None


def _in_zone(value: Any, tzname: str | None, conn_tzname: str | None) -> Any:
    """The stored value as a wall-clock date-time in `tzname` (None when it does not parse)."""
    if value is None:
        return None
    parsed = _parse_timestamp(value)
    if not isinstance(parsed, datetime.datetime):
        return parsed
    if parsed.tzinfo is not None:  # text written with an offset: read it in the stored zone
        parsed = parsed.astimezone(_zone(conn_tzname or "UTC"))
    parsed = parsed.replace(tzinfo=None)
    if conn_tzname:
        parsed = parsed.replace(tzinfo=_zone(conn_tzname))
    if tzname is not None and tzname != conn_tzname:
        name, sign, offset = split_tzname_delta(tzname)
        if offset:
            hours, minutes = offset.split(":")
            delta = datetime.timedelta(hours=int(hours), minutes=int(minutes))
            parsed += delta if sign == "+" else -delta
        # A bare offset ("+03:00") leaves no name: the stored zone then names the clock.
        parsed = parsed.astimezone(_zone(name or conn_tzname or "UTC"))
    return parsed


def _component(kind: str, value: Any) -> Any:
    if kind == "week_day":
        return value.isoweekday() % 7 + 1
    if kind == "iso_week_day":
        return value.isoweekday()
    if kind == "week":
        return value.isocalendar()[1]
    if kind == "iso_year":
        return value.isocalendar()[0]
    if kind == "quarter":
        return (value.month + 2) // 3
    return getattr(value, kind)


def date_extract(kind: str, value: Any) -> Any:
    parsed = _in_zone(value, None, None)
    return None if parsed is None else _component(kind, parsed)


def datetime_extract(kind: str, value: Any, tzname: Any, conn_tzname: Any) -> Any:
    parsed = _in_zone(value, tzname, conn_tzname)
    return None if parsed is None else _component(kind, parsed)


def time_extract(kind: str, value: Any) -> Any:
    if value is None:
        return None
    parsed = _parse_time(value)
    return None if parsed is None else getattr(parsed, kind)


def _date_start(kind: str, value: datetime.date) -> datetime.date:
    if kind == "year":
        return value.replace(month=1, day=1)
    if kind == "quarter":
        return value.replace(month=value.month - (value.month - 1) % 3, day=1)
    if kind == "month":
        return value.replace(day=1)
    if kind == "week":
        return value - datetime.timedelta(days=value.weekday())
    if kind == "day":
        return value
    raise ValueError(f"Unsupported lookup type: {kind!r}")


def date_trunc(kind: str, value: Any, tzname: Any, conn_tzname: Any) -> str | None:
    parsed = _in_zone(value, tzname, conn_tzname)
    if parsed is None:
        return None
    day = parsed.date() if isinstance(parsed, datetime.datetime) else parsed
    return _date_start(kind, day).isoformat()


def _time_start(kind: str, value: datetime.time | datetime.datetime) -> str:
    if kind == "hour":
        return f"{value.hour:02d}:00:00"
    if kind == "minute":
        return f"{value.hour:02d}:{value.minute:02d}:00"
    if kind == "second":
        return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    raise ValueError(f"Unsupported lookup type: {kind!r}")


def time_trunc(kind: str, value: Any, tzname: Any, conn_tzname: Any) -> str | None:
    if value is None:
        return None
    parsed = _in_zone(value, tzname, conn_tzname)
    if not isinstance(parsed, datetime.datetime):
        parsed = _parse_time(value)
    return None if parsed is None else _time_start(kind, parsed)


def datetime_trunc(kind: str, value: Any, tzname: Any, conn_tzname: Any) -> str | None:
    parsed = _in_zone(value, tzname, conn_tzname)
    if parsed is None:
        return None
    if kind in ("hour", "minute", "second"):
        return f"{parsed.date().isoformat()} {_time_start(kind, parsed)}"
    day = parsed.date() if isinstance(parsed, datetime.datetime) else parsed
    return f"{_date_start(kind, day).isoformat()} 00:00:00"


def datetime_cast_date(value: Any, tzname: Any, conn_tzname: Any) -> str | None:
    parsed = _in_zone(value, tzname, conn_tzname)
    if isinstance(parsed, datetime.datetime):
        return parsed.date().isoformat()
    return None if parsed is None else parsed.isoformat()


def datetime_cast_time(value: Any, tzname: Any, conn_tzname: Any) -> str | None:
    parsed = _in_zone(value, tzname, conn_tzname)
    if isinstance(parsed, datetime.datetime):
        return parsed.time().isoformat()
    return None


FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "tether_date_extract": (2, date_extract),
    "tether_datetime_extract": (4, datetime_extract),
    "tether_time_extract": (2, time_extract),
    "tether_date_trunc": (4, date_trunc),
    "tether_time_trunc": (4, time_trunc),
    "tether_datetime_trunc": (4, datetime_trunc),
    "tether_datetime_cast_date": (3, datetime_cast_date),
    "tether_datetime_cast_time": (3, datetime_cast_time),
}


def register(raw: sqlite3.Connection) -> None:
    for name, (arity, function) in FUNCTIONS.items():
        raw.create_function(name, arity, function, deterministic=True)
