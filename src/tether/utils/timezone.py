"""Time zone helpers, as django.utils.timezone: now(), the default and the current time zone
(activate/deactivate/override, per thread and per asyncio task), localtime, make_aware and
make_naive. The default time zone is settings.time_zone (UTC unless configured).
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

from tether.conf import settings

__all__ = [
    "activate",
    "deactivate",
    "get_current_timezone",
    "get_current_timezone_name",
    "get_default_timezone",
    "get_default_timezone_name",
    "is_aware",
    "is_naive",
    "localtime",
    "make_aware",
    "make_naive",
    "now",
    "override",
    "split_tzname_delta",
    "timezone_name",
]

_active: contextvars.ContextVar[datetime.tzinfo | None] = contextvars.ContextVar(
    "tether_active_timezone", default=None
)


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> datetime.tzinfo:
    if name == "UTC":
        return datetime.UTC
    return zoneinfo.ZoneInfo(name)


def default_timezone() -> datetime.tzinfo:
    return _zone(settings.time_zone)


get_default_timezone = default_timezone


def get_default_timezone_name() -> str:
    return timezone_name(default_timezone())


def timezone_name(tz: datetime.tzinfo) -> str:
    """The name of a zone as the database is given it: an IANA key, "UTC", "UTC+05:00"."""
    return str(getattr(tz, "key", None) or tz.tzname(None) or tz)


def get_current_timezone() -> datetime.tzinfo:
    """The active time zone (see activate/override), else the default one."""
    return _active.get() or default_timezone()


def get_current_timezone_name() -> str:
    return timezone_name(get_current_timezone())


def current_zone_is_utc() -> bool:
    """Whether the current zone is the one tether stores date-times in with use_tz."""
    return timezone_name(get_current_timezone()) == "UTC"


def activate(timezone: datetime.tzinfo | str) -> None:
    """Make `timezone` (a tzinfo or an IANA name) the current time zone."""
    if isinstance(timezone, str):
        timezone = _zone(timezone)
    if not isinstance(timezone, datetime.tzinfo):
        raise ValueError(f"Invalid timezone: {timezone!r}")
    _active.set(timezone)


def deactivate() -> None:
    """Go back to the default time zone."""
    _active.set(None)


class override:
    """Context manager / decorator: `timezone` is current inside (None: the default one)."""

    def __init__(self, timezone: datetime.tzinfo | str | None) -> None:
        self.timezone = timezone
        self._tokens: list[contextvars.Token[datetime.tzinfo | None]] = []

    def __enter__(self) -> None:
        tz = self.timezone
        if isinstance(tz, str):
            tz = _zone(tz)
        self._tokens.append(_active.set(tz))

    def __exit__(self, *exc: Any) -> None:
        _active.reset(self._tokens.pop())

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with override(self.timezone):
                return func(*args, **kwargs)

        return wrapper


def now() -> datetime.datetime:
    """An aware UTC datetime when use_tz, else a naive local one (as Django's timezone.now)."""
    if settings.use_tz:
        return datetime.datetime.now(datetime.UTC)
    return datetime.datetime.now()


def is_aware(value: datetime.datetime | datetime.time) -> bool:
    return value.utcoffset() is not None


def is_naive(value: datetime.datetime | datetime.time) -> bool:
    return value.utcoffset() is None


def localtime(
    value: datetime.datetime | None = None, timezone: datetime.tzinfo | None = None
) -> datetime.datetime:
    """An aware datetime (default: now) converted to `timezone` (default: the current one)."""
    if value is None:
        value = now()
    if timezone is None:
        timezone = get_current_timezone()
    if is_naive(value):
        raise ValueError("localtime() cannot be applied to a naive datetime")
    return value.astimezone(timezone)


def localdate(
    value: datetime.datetime | None = None, timezone: datetime.tzinfo | None = None
) -> datetime.date:
    return localtime(value, timezone).date()


def make_aware(
    value: datetime.datetime, timezone: datetime.tzinfo | None = None
) -> datetime.datetime:
    """Attach `timezone` (default: the current one) to a naive datetime."""
    if timezone is None:
        timezone = get_current_timezone()
    if is_aware(value):
        raise ValueError(f"Not naive datetime (tzinfo is already set): {value}")
    return value.replace(tzinfo=timezone)


def make_naive(
    value: datetime.datetime, timezone: datetime.tzinfo | None = None
) -> datetime.datetime:
    """Convert an aware datetime to `timezone` (default: the current one) and drop the tzinfo."""
    if timezone is None:
        timezone = get_current_timezone()
    if is_naive(value):
        raise ValueError("make_naive() cannot be applied to a naive datetime")
    return value.astimezone(timezone).replace(tzinfo=None)


# "+05:00", "UTC-03": a name, a sign and an offset (two-digit hours, or hours:minutes);
# "Etc/GMT-5" is a zone name.
_DELTA = re.compile(r"^(?P<name>.*?)(?P<sign>[+-])(?P<offset>\d{2}|\d{1,2}:\d{1,2})$")


def split_tzname_delta(tzname: str) -> tuple[str, str | None, str | None]:
    """("UTC", "+", "05:00") for "UTC+05:00"; (tzname, None, None) for a plain zone name.

    What the date functions bind for a zone: MariaDB takes the offset, PostgreSQL the
    name with the POSIX (inverted) sign."""
    match = _DELTA.match(tzname)
    if match is None:
        return tzname, None, None
    offset = match["offset"]
    hours, _, minutes = offset.partition(":")
    if int(hours) > 23 or (minutes and int(minutes) > 59):
        return tzname, None, None
    return match["name"], match["sign"], f"{int(hours):02d}:{int(minutes or 0):02d}"
