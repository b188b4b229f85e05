"""Date functions, as `django.db.models.functions.datetime`: Extract and its eleven named
kinds, Trunc and its ten, and Now.

Extract and Trunc are expressions (`annotate(y=ExtractYear("pub_date"))`) and registered
transforms (`pub_date__year`, `stamp__date`), as in Django. On a DateTimeField with use_tz
the value is looked at in the current time zone, or in `tzinfo=` when given. The SQL of each
backend is in datetime_sql.py; the year lookups (`pub_date__year=2005` as a BETWEEN over the
column) in datetime_lookups.py.
"""

from __future__ import annotations

import datetime
from typing import Any

from tether.conf import settings
from tether.models.expressions import Func, OutputFieldIsNoneError
from tether.models.fields import DateField, DateTimeField, Field, IntegerField
from tether.models.fields.temporal import DurationField, TimeField
from tether.models.functions.datetime_sql import (
    MySQLDates,
    PostgreSQLDates,
    SQLiteDates,
    extract_unit,
)
from tether.models.lookups import Transform
from tether.utils import timezone


class TimezoneMixin:
    tzinfo: datetime.tzinfo | None = None

    def get_tzname(self) -> str | None:
        """The zone a date-time is looked at in: None without use_tz."""
        if not settings.use_tz:
            return None
        if self.tzinfo is None:
            return timezone.get_current_timezone_name()
        return timezone.timezone_name(self.tzinfo)


class TemporalTransform(TimezoneMixin, Transform):  # type: ignore[misc]
    """A function of one date, time or date-time that is also a transform, as Django's
    Transform (a Func registered on fields).

    It binds values of its own (the kind, the time zone), so it is a leaf of the SQL cache
    whose get_params() renders it again.
    """

    arity = 1
    is_leaf = True
    lookup_name: str | None = ""  # type: ignore[assignment]
    # The output type every instance has (TruncDate, TruncTime, Extract), if any.
    class_output_field: Field | None = None
    dialect: Any = PostgreSQLDates

    def __init__(self, expression: Any, output_field: Any = None, **extra: Any) -> None:
        self.explicit_output_field = output_field
        super().__init__(expression, output_field=output_field, **extra)

    # ---- the Transform side --------------------------------------------------------------

    @property
    def lhs(self) -> Any:
        return self.source_expressions[0]

    @lhs.setter
    def lhs(self, value: Any) -> None:
        self.source_expressions = [value]

    def get_lookup(self, lookup: str) -> Any:
        return Transform.get_lookup(self, lookup)

    def get_transform(self, name: str) -> Any:
        return Transform.get_transform(self, name)

    def leaves(self, out: list[Any]) -> list[Any]:
        out.append(self)  # its get_params covers the argument's parameters too
        return out

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        # Rendered by itself, not through compiler.compile(), which would record it again.
        vendor_method = getattr(self, compiler._vendor_method, None) or self.as_sql
        return list(vendor_method(compiler, connection)[1])

    # ---- output type ---------------------------------------------------------------------

    def _get_output_field(self) -> Any:
        field = self.__dict__.get("_output_field")
        if field is None:
            field = self._resolve_output_field()
            if field is None:
                raise OutputFieldIsNoneError("Cannot resolve expression type, unknown output_field")
            self.__dict__["_output_field"] = field
        return field

    def _set_output_field(self, field: Any) -> None:
        self.__dict__["_output_field"] = field

    output_field = property(_get_output_field, _set_output_field)  # type: ignore[assignment]

    def _resolve_output_field(self) -> Any:
        if self.class_output_field is not None:
            return self.class_output_field
        return super()._resolve_output_field()

    # ---- SQL -----------------------------------------------------------------------------

    def shape_extra(self) -> Any:
        explicit = self.explicit_output_field
        return (
            self.lookup_name,
            getattr(self, "kind", None),
            None if self.tzinfo is None else timezone.timezone_name(self.tzinfo),
            None if explicit is None else type(explicit),
        )

    def render(self, compiler: Any, connection: Any, dialect: Any) -> tuple[str, list[Any]]:
        raise NotImplementedError

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        return self.render(compiler, connection, self.dialect)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return self.render(compiler, connection, SQLiteDates)

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return self.render(compiler, connection, PostgreSQLDates)

    def as_mysql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return self.render(compiler, connection, MySQLDates)

    def _compiled_lhs(self, compiler: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.lhs)
        return sql, list(params)


# ---- Extract -----------------------------------------------------------------------------

_DATE_ONLY_KINDS = ("year", "iso_year", "month", "week", "week_day", "iso_week_day", "quarter")


class Extract(TemporalTransform):
    """A component of a date, time, date-time or duration, as an integer."""

    lookup_name: str | None = None
    class_output_field = IntegerField()

    def __init__(
        self,
        expression: Any,
        lookup_name: str | None = None,
        tzinfo: datetime.tzinfo | None = None,
        **extra: Any,
    ) -> None:
        if self.lookup_name is None:
            self.lookup_name = lookup_name
        if self.lookup_name is None:
            raise ValueError("lookup_name must be provided")
        self.tzinfo = tzinfo
        super().__init__(expression, **extra)

    def render(self, compiler: Any, connection: Any, dialect: Any) -> tuple[str, list[Any]]:
        sql, params = self._compiled_lhs(compiler)
        kind = str(self.lookup_name)
        extract_unit(kind)
        field = self.lhs.output_field
        if isinstance(field, DateTimeField):
            return dialect.datetime_extract(kind, sql, params, self.get_tzname())  # type: ignore[no-any-return]
        if self.tzinfo is not None:
            raise ValueError("tzinfo can only be used with DateTimeField.")
        if isinstance(field, DateField):
            return dialect.date_extract(kind, sql, params)  # type: ignore[no-any-return]
        if isinstance(field, TimeField):
            return dialect.time_extract(kind, sql, params)  # type: ignore[no-any-return]
        if isinstance(field, DurationField):
            if not connection.features.has_native_duration_field:
                raise ValueError("Extract requires native DurationField database support.")
            return dialect.time_extract(kind, sql, params)  # type: ignore[no-any-return]
        raise ValueError(
            "Extract input expression must be DateField, DateTimeField, TimeField, or "
            "DurationField."
        )

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        copy = super().resolve_expression(*args, **kwargs)
        field = getattr(copy.lhs, "_output_field_or_none", None)
        if field is None:
            return copy
        if not isinstance(field, DateField | TimeField | DurationField):
            raise ValueError(
                "Extract input expression must be DateField, DateTimeField, TimeField, or "
                "DurationField."
            )
        # A time component of a date is most likely a mistake.
        if type(field) is DateField and copy.lookup_name in ("hour", "minute", "second"):
            raise ValueError(
                f"Cannot extract time component '{copy.lookup_name}' from DateField '{field.name}'."
            )
        if isinstance(field, DurationField) and copy.lookup_name in _DATE_ONLY_KINDS:
            raise ValueError(
                f"Cannot extract component '{copy.lookup_name}' from DurationField '{field.name}'."
            )
        return copy


def _extract(name: str, doc: str) -> type[Extract]:
    cls_name = "Extract" + "".join(part.title() for part in name.split("_"))
    return type(cls_name, (Extract,), {"lookup_name": name, "__doc__": doc})


ExtractYear = _extract("year", "The year.")
ExtractIsoYear = _extract("iso_year", "The ISO-8601 week-numbering year.")
ExtractMonth = _extract("month", "The month, 1-12.")
ExtractDay = _extract("day", "The day of the month.")
ExtractWeek = _extract("week", "The ISO-8601 week, 1-53 (weeks start on Monday).")
ExtractWeekDay = _extract("week_day", "The day of the week, Sunday=1 to Saturday=7.")
ExtractIsoWeekDay = _extract("iso_week_day", "The ISO-8601 day of the week, Monday=1.")
ExtractQuarter = _extract("quarter", "The quarter, 1-4.")
ExtractHour = _extract("hour", "The hour.")
ExtractMinute = _extract("minute", "The minute.")
ExtractSecond = _extract("second", "The whole seconds.")


# ---- Trunc -------------------------------------------------------------------------------

_TIME_KINDS = ("hour", "minute", "second", "time")
_DATE_KINDS = ("year", "quarter", "month", "week", "day", "date")


class TruncBase(TemporalTransform):
    """A date, time or date-time cut down to the start of its `kind` (year ... second)."""

    kind: str | None = None

    def __init__(
        self,
        expression: Any,
        output_field: Any = None,
        tzinfo: datetime.tzinfo | None = None,
        **extra: Any,
    ) -> None:
        self.tzinfo = tzinfo
        super().__init__(expression, output_field=output_field, **extra)

    def render(self, compiler: Any, connection: Any, dialect: Any) -> tuple[str, list[Any]]:
        sql, params = self._compiled_lhs(compiler)
        tzname = None
        if isinstance(self.lhs.output_field, DateTimeField):
            tzname = self.get_tzname()
        elif self.tzinfo is not None:
            raise ValueError("tzinfo can only be used with DateTimeField.")
        output = self.output_field
        if isinstance(output, DateTimeField):
            return dialect.datetime_trunc(self.kind, sql, params, tzname)  # type: ignore[no-any-return]
        if isinstance(output, DateField):
            return dialect.date_trunc(self.kind, sql, params, tzname)  # type: ignore[no-any-return]
        if isinstance(output, TimeField):
            return dialect.time_trunc(self.kind, sql, params, tzname)  # type: ignore[no-any-return]
        raise ValueError("Trunc only valid on DateField, TimeField, or DateTimeField.")

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        copy = super().resolve_expression(*args, **kwargs)
        field = copy.lhs.output_field
        if not isinstance(field, DateField | TimeField):
            raise TypeError(f"{field.name!r} isn't a DateField, TimeField, or DateTimeField.")
        if not isinstance(copy.output_field, DateField | DateTimeField | TimeField):
            raise ValueError("output_field must be either DateField, TimeField, or DateTimeField")
        output = self.class_output_field or copy.output_field
        # Dates or times cut to a date-time are most likely a mistake.
        explicit = self.class_output_field is not None or type(field) is not type(output)
        target = type(output).__name__ if explicit else "DateTimeField"
        if type(field) is DateField and (
            isinstance(output, DateTimeField) or copy.kind in _TIME_KINDS
        ):
            raise ValueError(f"Cannot truncate DateField '{field.name}' to {target}.")
        if isinstance(field, TimeField) and (
            isinstance(output, DateTimeField) or copy.kind in _DATE_KINDS
        ):
            raise ValueError(f"Cannot truncate TimeField '{field.name}' to {target}.")
        return copy

    def get_db_converters(self, connection: Any) -> list[Any]:
        # After the field's own (which parse SQLite's text and attach UTC).
        field_converters = list(self.output_field.get_db_converters(connection))
        return [*field_converters, self.convert]

    def convert(self, value: Any) -> Any:
        """The database's wall-clock result in the zone it was computed in."""
        if value is None:
            return None
        output = self.output_field
        if isinstance(output, DateTimeField):
            if settings.use_tz:
                tz = self.tzinfo or timezone.get_current_timezone()
                return timezone.make_aware(value.replace(tzinfo=None), tz)
            return value
        if isinstance(value, datetime.datetime):
            if isinstance(output, DateField):
                return value.date()
            if isinstance(output, TimeField):
                return value.time()
        return value


class Trunc(TruncBase):
    def __init__(
        self,
        expression: Any,
        kind: str,
        output_field: Any = None,
        tzinfo: datetime.tzinfo | None = None,
        **extra: Any,
    ) -> None:
        self.kind = kind
        super().__init__(expression, output_field=output_field, tzinfo=tzinfo, **extra)


def _trunc(kind: str, doc: str) -> type[TruncBase]:
    return type(f"Trunc{kind.title()}", (TruncBase,), {"kind": kind, "__doc__": doc})


TruncYear = _trunc("year", "The first day of the year.")
TruncQuarter = _trunc("quarter", "The first day of the quarter.")
TruncMonth = _trunc("month", "The first day of the month.")
TruncWeek = _trunc("week", "Midnight on the Monday of the week.")
TruncDay = _trunc("day", "Midnight of the day.")
TruncHour = _trunc("hour", "The start of the hour.")
TruncMinute = _trunc("minute", "The start of the minute.")
TruncSecond = _trunc("second", "The start of the second.")


class TruncDate(TruncBase):
    """The date of a date-time (a cast, not a truncation)."""

    kind = "date"
    lookup_name = "date"
    class_output_field = DateField()

    def render(self, compiler: Any, connection: Any, dialect: Any) -> tuple[str, list[Any]]:
        sql, params = self._compiled_lhs(compiler)
        return dialect.cast_date(sql, params, self.get_tzname())  # type: ignore[no-any-return]


class TruncTime(TruncBase):
    """The time of a date-time (a cast, not a truncation)."""

    kind = "time"
    lookup_name = "time"
    class_output_field = TimeField()

    def render(self, compiler: Any, connection: Any, dialect: Any) -> tuple[str, list[Any]]:
        sql, params = self._compiled_lhs(compiler)
        return dialect.cast_time(sql, params, self.get_tzname())  # type: ignore[no-any-return]


# ---- Now ---------------------------------------------------------------------------------


class Now(Func):
    """The current date-time, read when the statement runs."""

    template = "CURRENT_TIMESTAMP"

    def _resolve_output_field(self) -> Any:
        return DateTimeField()

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        # CURRENT_TIMESTAMP is the start of the transaction on PostgreSQL.
        return "STATEMENT_TIMESTAMP()", []

    def as_mysql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return "CURRENT_TIMESTAMP(6)", []

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # Microseconds, in the text form date-times are stored in (%% is a literal %).
        return "STRFTIME('%%Y-%%m-%%d %%H:%%M:%%f', 'NOW')", []


# ---- registration ------------------------------------------------------------------------

DATE_TRANSFORMS = (
    ExtractYear,
    ExtractMonth,
    ExtractDay,
    ExtractWeekDay,
    ExtractIsoWeekDay,
    ExtractWeek,
    ExtractIsoYear,
    ExtractQuarter,
)
TIME_TRANSFORMS = (ExtractHour, ExtractMinute, ExtractSecond)


def install() -> None:
    """Register the transforms on the fields (and the year lookups on the year transforms)."""
    from tether.models.functions.datetime_lookups import YEAR_LOOKUPS

    for transform in DATE_TRANSFORMS:
        DateField.register_lookup(transform)
    for on_datetime in (*TIME_TRANSFORMS, TruncDate, TruncTime):
        DateTimeField.register_lookup(on_datetime)
    for transform in TIME_TRANSFORMS:
        TimeField.register_lookup(transform)
    for lookup in YEAR_LOOKUPS:
        ExtractYear.register_lookup(lookup)
        ExtractIsoYear.register_lookup(lookup)
