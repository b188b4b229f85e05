"""TimeField and DurationField (DateField and DateTimeField live in fields/__init__.py).

Durations travel as native intervals where the backend has them (PostgreSQL) and as a bigint
count of microseconds elsewhere, as in Django.
"""

from __future__ import annotations

import datetime
import decimal
import re
from typing import Any

from tether.exceptions import ValidationError
from tether.models.fields import AutoNowField, Field


class TimeField(AutoNowField[datetime.time]):
    internal_type = "TimeField"
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": (
            "“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format."
        ),
        "invalid_time": (
            "“%(value)s” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an "
            "invalid time."
        ),
    }

    def to_python(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, datetime.time):
            return value
        if isinstance(value, datetime.datetime):
            return value.time()
        text = str(value)
        try:
            return datetime.time.fromisoformat(text)
        except ValueError:
            code = (
                "invalid_time"
                if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2}(\.\d{1,6})?)?", text)
                else "invalid"
            )
            raise ValidationError(
                self.error_messages[code], code=code, params={"value": value}
            ) from None

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_timefield_value(value)

    def clock_value(self) -> Any:
        from tether.utils.timezone import localtime, now

        current = now()
        return (localtime(current) if current.tzinfo else current).time()


_DURATION = re.compile(
    r"^(?:(?P<days>-?\d+) (days?, )?)?(?P<sign>-?)((?:(?P<hours>\d+):)(?=\d+:\d+))?"
    r"(?:(?P<minutes>\d+):)?(?P<seconds>\d+)(?:[.,](?P<microseconds>\d{1,6})\d{0,6})?$"
)


def parse_duration(text: str) -> datetime.timedelta | None:
    """'3 days, 10:11:12.5' / '10:11:12' / '-1 day, 23:59:59' / a plain number of seconds."""
    match = _DURATION.match(text)
    if not match:
        return None
    parts = match.groupdict()
    sign = -1 if parts.pop("sign") == "-" else 1
    if parts["microseconds"]:
        parts["microseconds"] = parts["microseconds"].ljust(6, "0")
    days = datetime.timedelta(float(parts.pop("days") or 0))
    values = {k: float(v) for k, v in parts.items() if v is not None}
    return days + sign * datetime.timedelta(**values)


def duration_string(delta: datetime.timedelta) -> str:
    """'[D ]HH:MM:SS[.uuuuuu]', the text parse_duration reads back (Django's fixture form)."""
    days, rest = (
        delta.days,
        datetime.timedelta(seconds=delta.seconds, microseconds=delta.microseconds),
    )
    minutes, seconds = divmod(rest.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    if days:
        text = f"{days} {text}"
    if rest.microseconds:
        text += f".{rest.microseconds:06d}"
    return text


def duration_microseconds(delta: datetime.timedelta) -> int:
    return (24 * 60 * 60 * delta.days + delta.seconds) * 1_000_000 + delta.microseconds


class DurationField(Field[datetime.timedelta]):
    internal_type = "DurationField"
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": (
            "“%(value)s” value has an invalid format. It must be in "
            "[DD] [[HH:]MM:]ss[.uuuuuu] format."
        )
    }

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, datetime.timedelta):
            return value
        parsed = parse_duration(str(value))
        if parsed is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return parsed

    def get_prep_value(self, value: Any) -> Any:
        if hasattr(value, "resolve_expression"):
            return value
        return self.to_python(value)

    def value_to_string(self, obj: Any) -> Any:
        value = self.value_from_object(obj)
        return "" if value is None else duration_string(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or getattr(connection.features, "has_native_duration_field", False):
            return value
        return duration_microseconds(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, int):
            return datetime.timedelta(microseconds=value)
        if isinstance(value, float | decimal.Decimal):
            # Computed (an average, a product): microseconds, not always whole ones.
            return datetime.timedelta(microseconds=float(value))
        return value
