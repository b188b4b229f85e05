"""The SQL of Extract, Trunc, TruncDate and TruncTime on each backend.

One class per dialect with the same eight methods; each takes the compiled argument (`sql`,
`params`) and the time zone to look at a date-time in (`tzname`, None without use_tz or for a
date or time argument) and returns (sql, params). Every value is bound: the kind of a
truncation and the time zone names are parameters; an EXTRACT unit, which SQL cannot bind,
is checked against the units SQL knows before it is written.

Stored date-times are UTC when use_tz is on (tether's connections run in UTC), so a
conversion is from UTC to `tzname`. MariaDB/MySQL convert with CONVERT_TZ only when the zone
differs from UTC, as Django does: CONVERT_TZ with a named zone needs the server's time zone
tables (`tether check --database` says when they are empty).
"""

from __future__ import annotations

import re
from typing import Any

from tether.conf import settings
from tether.utils.timezone import split_tzname_delta

Params = list[Any]
# The zone stored date-times are in with use_tz (the connections' session time zone).
STORED_ZONE = "UTC"
_UNIT = re.compile(r"[A-Z_]+")


def extract_unit(kind: str) -> str:
    """The SQL unit of an extraction kind; a kind that is not a plain word is refused on
    every backend (SQLite binds it, but refusing it there too fails before any SQL)."""
    unit = kind.upper()
    if not _UNIT.fullmatch(unit):
        raise ValueError(f"Invalid lookup type: {unit!r}")
    return unit


class SQLiteDates:
    """Python functions registered on the connection (db/backends/sqlite/datetime_functions)."""

    @staticmethod
    def _zones(tzname: str | None) -> Params:
        if tzname and settings.use_tz:
            return [tzname, STORED_ZONE]
        return [None, None]

    @staticmethod
    def date_extract(kind: str, sql: str, params: Params) -> tuple[str, Params]:
        return f"tether_date_extract(%s, {sql})", [kind.lower(), *params]

    @classmethod
    def datetime_extract(
        cls, kind: str, sql: str, params: Params, tzname: str | None
    ) -> tuple[str, Params]:
        return f"tether_datetime_extract(%s, {sql}, %s, %s)", [
            kind.lower(),
            *params,
            *cls._zones(tzname),
        ]

    @staticmethod
    def time_extract(kind: str, sql: str, params: Params) -> tuple[str, Params]:
        return f"tether_time_extract(%s, {sql})", [kind.lower(), *params]

    @classmethod
    def _trunc(
        cls, function: str, kind: str, sql: str, params: Params, tzname: str | None
    ) -> tuple[str, Params]:
        return f"{function}(%s, {sql}, %s, %s)", [kind.lower(), *params, *cls._zones(tzname)]

    @classmethod
    def date_trunc(
        cls, kind: str, sql: str, params: Params, tzname: str | None
    ) -> tuple[str, Params]:
        return cls._trunc("tether_date_trunc", kind, sql, params, tzname)

    @classmethod
    def datetime_trunc(
        cls, kind: str, sql: str, params: Params, tzname: str | None
    ) -> tuple[str, Params]:
        return cls._trunc("tether_datetime_trunc", kind, sql, params, tzname)

    @classmethod
    def time_trunc(
        cls, kind: str, sql: str, params: Params, tzname: str | None
    ) -> tuple[str, Params]:
        return cls._trunc("tether_time_trunc", kind, sql, params, tzname)

    @classmethod
    def cast_date(cls, sql: str, params: Params, tzname: str | None) -> tuple[str, Params]:
        return f"tether_datetime_cast_date({sql}, %s, %s)", [*params, *cls._zones(tzname)]

    @classmethod
    def cast_time(cls, sql: str, params: Params, tzname: str | None) -> tuple[str, Params]:
        return f"tether_datetime_cast_time({sql}, %s, %s)", [*params, *cls._zones(tzname)]


class PostgreSQLDates:
    """EXTRACT, DATE_TRUNC and casts; the zone with AT TIME ZONE."""

    @staticmethod
    def _convert(sql: str, params: Params, tzname: str | None) -> tuple[str, Params]:
        if not (tzname and settings.use_tz):
            return sql, params
        name, sign, offset = split_tzname_delta(tzname)
        if offset:
            # POSIX zone names count offsets west of Greenwich as positive: flip the sign.
            name = f"{name}{'-' if sign == '+' else '+'}{offset}"
        return f"{sql} AT TIME ZONE %s", [*params, name]

    @staticmethod
    def date_extract(kind: str, sql: str, params: Params) -> tuple[str, Params]:
        if kind == "week_day":
            return f"EXTRACT(DOW FROM {sql}) + 1", params  # Sunday=1 .. Saturday=7
        if kind == "iso_week_day":
            return f"EXTRACT(ISODOW FROM {sql})", params
        if kind == "iso_year":
            return f"EXTRACT(ISOYEAR FROM {sql})", params
        return f"EXTRACT({extract_unit(kind)} FROM {sql})", params

    @classmethod
    def time_extract(cls, kind: str, sql: str, params: Params) -> tuple[str, Params]:
        if kind == "second":
            # Whole seconds, as the other backends give.
            return f"EXTRACT(SECOND FROM DATE_TRUNC(%s, {sql}))", ["second", *params]
        return cls.date_extract(kind, sql, params)

    @classmethod
    def datetime_extract(
        cls, kind: str, sql: str, params: Params, tzname: str | None
    ) -> tuple[str, Params]:
        sql, params = cls._convert(sql, params, tzname)
        return cls.time_extract(kind, sql, params)

    @classmethod
    def datetime_trunc(
        cls, kind: str, sql: str, params: Params, tzname: str | None
    ) -> tuple[str, Params]:
        sql, params = cls._convert(sql, params, tzname)
        return f"DATE_TRUNC(%s, {sql})", [kind, *params]

    date_trunc = datetime_trunc

    @classmethod
    def time_trunc(
        cls, kind: str, sql: str, params: Params, tzname: str | None
    ) -> tuple[str, Params]:
        sql, params = cls.datetime_trunc(kind, sql, params, tzname)
        return f"{sql}::time", params

    @classmethod
    def cast_date(cls, sql: str, params: Params, tzname: str | None) -> tuple[str, Params]:
        sql, params = cls._convert(sql, params, tzname)
        return f"({sql})::date", params

    @classmethod
    def cast_time(cls, sql: str, params: Params, tzname: str | None) -> tuple[str, Params]:
        sql, params = cls._convert(sql, params, tzname)
        return f"({sql})::time", params


_DATETIME_FORMATS = ("%Y-", "%m", "-%d", " %H:", "%i", ":%s")
_DATETIME_DEFAULTS = ("0000-", "01", "-01", " 00:", "00", ":00")
_DATETIME_KINDS = ("year", "month", "day", "hour", "minute", "second")


class MySQLDates:
    """MariaDB/MySQL date functions; DATE_FORMAT patterns are bound values."""

    @staticmethod
    def _convert(sql: str, params: Params, tzname: str | None) -> tuple[str, Params]:
        if not (tzname and settings.use_tz) or tzname == STORED_ZONE:
            return sql, params
        name, sign, offset = split_tzname_delta(tzname)
        target = f"{sign}{offset}" if offset else name
        # From the session's own offset: needs no time zone table (a named target does).
        return f"CONVERT_TZ({sql}, %s, %s)", [*params, "+00:00", target]

    @staticmethod
    def date_extract(kind: str, sql: str, params: Params) -> tuple[str, Params]:
        if kind == "week_day":
            return f"DAYOFWEEK({sql})", params
        if kind == "iso_week_day":
            return f"WEEKDAY({sql}) + 1", params
        if kind == "week":
            return f"WEEK({sql}, 3)", params  # ISO weeks: Monday first, 1-53
        if kind == "iso_year":
            return f"TRUNCATE(YEARWEEK({sql}, 3), -2) / 100", params
        return f"EXTRACT({extract_unit(kind)} FROM {sql})", params

    time_extract = date_extract

    @classmethod
    def datetime_extract(
        cls, kind: str, sql: str, params: Params, tzname: str | None
    ) -> tuple[str, Params]:
        sql, params = cls._convert(sql, params, tzname)
        return cls.date_extract(kind, sql, params)

    @staticmethod
    def _quarter_start(sql: str, params: Params) -> tuple[str, Params]:
        return (
            f"MAKEDATE(YEAR({sql}), 1) + INTERVAL QUARTER({sql}) QUARTER - INTERVAL 1 QUARTER",
            [*params, *params],
        )

    @classmethod
    def date_trunc(
        cls, kind: str, sql: str, params: Params, tzname: str | None
    ) -> tuple[str, Params]:
        sql, params = cls._convert(sql, params, tzname)
        if kind in ("year", "month"):
            pattern = "%Y-01-01" if kind == "year" else "%Y-%m-01"
            return f"CAST(DATE_FORMAT({sql}, %s) AS DATE)", [*params, pattern]
        if kind == "quarter":
            return cls._quarter_start(sql, params)
        if kind == "week":
            # DATE() first: a date-time's Monday would keep its time of day (Django's SQL
            # does, so dates(..., "week") of a DateTimeField repeats a week on MySQL).
            return f"DATE_SUB(DATE({sql}), INTERVAL WEEKDAY({sql}) DAY)", [*params, *params]
        return f"DATE({sql})", params

    @classmethod
    def datetime_trunc(
        cls, kind: str, sql: str, params: Params, tzname: str | None
    ) -> tuple[str, Params]:
        sql, params = cls._convert(sql, params, tzname)
        if kind == "quarter":
            start, params = cls._quarter_start(sql, params)
            return f"CAST(DATE_FORMAT({start}, %s) AS DATETIME)", [
                *params,
                "%Y-%m-01 00:00:00",
            ]
        if kind == "week":
            return (
                f"CAST(DATE_FORMAT(DATE_SUB({sql}, INTERVAL WEEKDAY({sql}) DAY), %s) AS DATETIME)",
                [*params, *params, "%Y-%m-%d 00:00:00"],
            )
        if kind not in _DATETIME_KINDS:
            return sql, params
        cut = _DATETIME_KINDS.index(kind) + 1
        pattern = "".join(_DATETIME_FORMATS[:cut] + _DATETIME_DEFAULTS[cut:])
        return f"CAST(DATE_FORMAT({sql}, %s) AS DATETIME)", [*params, pattern]

    @classmethod
    def time_trunc(
        cls, kind: str, sql: str, params: Params, tzname: str | None
    ) -> tuple[str, Params]:
        sql, params = cls._convert(sql, params, tzname)
        patterns = {"hour": "%H:00:00", "minute": "%H:%i:00", "second": "%H:%i:%s"}
        if kind in patterns:
            return f"CAST(DATE_FORMAT({sql}, %s) AS TIME)", [*params, patterns[kind]]
        return f"TIME({sql})", params

    @classmethod
    def cast_date(cls, sql: str, params: Params, tzname: str | None) -> tuple[str, Params]:
        sql, params = cls._convert(sql, params, tzname)
        return f"DATE({sql})", params

    @classmethod
    def cast_time(cls, sql: str, params: Params, tzname: str | None) -> tuple[str, Params]:
        sql, params = cls._convert(sql, params, tzname)
        return f"TIME({sql})", params
