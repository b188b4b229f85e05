"""SQLite's SQL snippets and value conversions (dates as ISO text, decimals as text)."""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Sequence
from typing import Any

from tether.conf import settings
from tether.db.backends.base.operations import BaseDatabaseOperations, Converter

_PLACEHOLDER = re.compile(r"%(.)")


def _to_qmark(match: re.Match[str]) -> str:
    char = match.group(1)
    if char == "s":
        return "?"
    if char == "%":
        return "%"
    return match.group(0)


def _parse_datetime(value: Any) -> Any:
    if isinstance(value, str):
        parsed = datetime.datetime.fromisoformat(value)
        if settings.use_tz:
            if parsed.tzinfo is None:
                return parsed.replace(tzinfo=datetime.UTC)
            return parsed.astimezone(datetime.UTC)
        return parsed
    return value


def _parse_datetime_utc(value: Any) -> Any:
    """_parse_datetime with use_tz on (chosen when a statement is compiled).

    Stored text is naive UTC: parsing it with "+00:00" appended makes it aware in one C call
    (datetime.replace(tzinfo=...) costs ten times more). Text that already carries an offset,
    or a bare date (where "+" reads as the date/time separator), takes the general path.
    """
    if value.__class__ is str:
        try:
            parsed = _fromisoformat(value + "+00:00")
        except ValueError:
            return _parse_datetime(value)
        if parsed.tzinfo is not None:
            return parsed
    return _parse_datetime(value)


_fromisoformat = datetime.datetime.fromisoformat
_combine = datetime.datetime.combine


def _parse_date(value: Any) -> Any:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _parse_time(value: Any) -> Any:
    return datetime.time.fromisoformat(value) if isinstance(value, str) else value


class DatabaseOperations(BaseDatabaseOperations):
    placeholder = "?"
    explain_prefix = "EXPLAIN QUERY PLAN"
    operators = {
        "exact": "= %s",
        "iexact": "LIKE %s ESCAPE '\\'",
        "contains": "LIKE %s ESCAPE '\\'",
        "icontains": "LIKE %s ESCAPE '\\'",
        "gt": "> %s",
        "gte": ">= %s",
        "lt": "< %s",
        "lte": "<= %s",
        "startswith": "LIKE %s ESCAPE '\\'",
        "endswith": "LIKE %s ESCAPE '\\'",
        "istartswith": "LIKE %s ESCAPE '\\'",
        "iendswith": "LIKE %s ESCAPE '\\'",
        "regex": "REGEXP %s",
        "iregex": "REGEXP '(?i)' || %s",
    }
    case_insensitive_lhs = "%s"
    no_limit_value = -1
    max_identifier_length = None
    cast_char_field_without_max_length = "text"
    cast_data_types = {"DateField": "TEXT", "DateTimeField": "TEXT"}

    def begin_write_sql(self) -> str:
        return "BEGIN IMMEDIATE"

    def is_transient_error(self, error: Exception) -> bool:
        """SQLITE_BUSY and SQLITE_LOCKED: another connection held the lock too long."""
        cause = error.__cause__
        code = getattr(cause, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in (5, 6)
        return "database is locked" in str(cause or error)

    def to_driver_sql(self, sql: str) -> str:
        return _PLACEHOLDER.sub(_to_qmark, sql) if "%" in sql else sql

    def combine_duration_sql(self, connector: str, lhs: str, rhs: str, duration_side: str) -> str:
        """Dates are ISO text and durations microseconds: a registered function does the sum."""
        return f"tether_dtdelta('{connector}', {lhs}, {rhs})"

    def adapt_datetimefield_value(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        if value.tzinfo is not None:
            if not settings.use_tz:
                raise ValueError(
                    "SQLite backend does not support timezone-aware datetimes when USE_TZ is False."
                )
            value = value.astimezone(datetime.UTC)
            # The naive UTC wall time; combine() is ten times cheaper than replace(tzinfo=None).
            if value.__class__ is datetime.datetime:
                value = _combine(value, value.time())
            else:
                value = value.replace(tzinfo=None)
        return value.isoformat(" ")

    def adapt_datefield_value(self, value: Any) -> Any:
        return None if value is None else value.isoformat()

    def adapt_timefield_value(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        if value.tzinfo is not None:
            raise ValueError("SQLite backend does not support timezone-aware times.")
        return value.isoformat()

    def adapt_decimalfield_value(
        self, value: Any, max_digits: int | None = None, decimal_places: int | None = None
    ) -> Any:
        if value is None:
            return None
        return str(value)

    def get_db_converters(self, internal_type: str, field: Any) -> list[Converter]:
        if internal_type == "DateTimeField":
            return [_parse_datetime_utc if settings.use_tz else _parse_datetime]
        if internal_type == "DateField":
            return [_parse_date]
        if internal_type == "TimeField":
            return [_parse_time]
        if internal_type == "BooleanField":
            return [bool]
        if internal_type == "DecimalField":
            return [_decimal_converter(field)]
        return []

    def sql_flush(
        self, tables: Sequence[str], reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        statements = [f"DELETE FROM {self.quote_name(t)}" for t in tables]
        if reset_sequences and tables:
            names = ", ".join(self.quote_literal(t) for t in tables)
            statements.append(f'UPDATE "sqlite_sequence" SET "seq" = 0 WHERE "name" IN ({names})')
        return statements


_FLOAT_DIGITS = decimal.Context(prec=15)


def _decimal_converter(field: Any) -> Converter:
    places = getattr(field, "decimal_places", None)
    context = decimal.Context(prec=getattr(field, "max_digits", None) or 28)
    if places is None:
        # A computed decimal (Sqrt("price")): a float keeps the 15 digits a double holds, as
        # Django's converter does.
        return lambda value: (
            _FLOAT_DIGITS.create_decimal_from_float(value)
            if isinstance(value, float)
            else (value if isinstance(value, decimal.Decimal) else decimal.Decimal(value))
        )
    quantum = decimal.Decimal(1).scaleb(-places)

    def convert(value: Any) -> decimal.Decimal:
        if isinstance(value, float):
            # The 15 digits a double holds, then the field's places (Django's order): a REAL
            # 0.09999999999999998 read into 17 places is 0.1.
            digits = _FLOAT_DIGITS.create_decimal_from_float(value)
            return digits.quantize(quantum, context=context)
        return decimal.Decimal(str(value)).quantize(quantum, context=context)

    return convert
