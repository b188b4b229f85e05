"""Time zone helpers: now() and the default time zone from settings (UTC unless configured)."""

from __future__ import annotations

import datetime
import zoneinfo

from tether.conf import settings


def default_timezone() -> datetime.tzinfo:
    name = settings.time_zone
    if name == "UTC":
        return datetime.UTC
    return zoneinfo.ZoneInfo(name)


def now() -> datetime.datetime:
    """An aware UTC datetime when use_tz, else a naive local one (as Django's timezone.now)."""
    if settings.use_tz:
        return datetime.datetime.now(datetime.UTC)
    return datetime.datetime.now()
