"""Date and time transforms: `pub_date__year`, `__month`, `__day`, `__week_day`, `__iso_year`,
`__week`, `__quarter`, `__iso_week_day`, `__hour`, `__minute`, `__second`, `__date`, `__time`.

On a DateTimeField with use_tz the value is first converted to the current time zone
(`tether.utils.timezone.get_current_timezone()`), as in Django. The time zone name is a bound
parameter. PostgreSQL uses EXTRACT/AT TIME ZONE, MariaDB/MySQL its date functions with
CONVERT_TZ (the server needs its time zone tables loaded, as Django requires), SQLite a Python
function registered by the driver (`tether_dt`, see sqlite/driver.py).
"""

from __future__ import annotations

from typing import Any

from tether.models.fields import DateField, DateTimeField, IntegerField
from tether.models.fields.temporal import TimeField
from tether.models.lookups import Transform

_INTEGER = IntegerField()
_DATE = DateField()
_TIME = TimeField()

# EXTRACT field names on PostgreSQL.
_PG_FIELDS = {
    "year": "YEAR",
    "month": "MONTH",
    "day": "DAY",
    "week": "WEEK",
    "quarter": "QUARTER",
    "hour": "HOUR",
    "minute": "MINUTE",
    "iso_year": "ISOYEAR",
    "iso_week_day": "ISODOW",
}
# Date functions on MariaDB/MySQL, with {} for the value.
_MYSQL_FUNCTIONS = {
    "year": "YEAR({})",
    "month": "MONTH({})",
    "day": "DAYOFMONTH({})",
    "week": "WEEK({}, 3)",
    "week_day": "DAYOFWEEK({})",
    "iso_week_day": "(WEEKDAY({}) + 1)",
    "quarter": "QUARTER({})",
    "hour": "HOUR({})",
    "minute": "MINUTE({})",
    "second": "SECOND({})",
    "iso_year": "TRUNCATE(YEARWEEK({}, 3), -2) / 100",
    "date": "DATE({})",
    "time": "TIME({})",
}


class TemporalTransform(Transform):
    """One extraction or truncation; `lookup_name` says which."""

    def __init__(self, lhs: Any) -> None:
        super().__init__(lhs)
        self.converts_tz = isinstance(lhs.output_field, DateTimeField)
        self.has_params = True  # the SQLite form binds the kind and the time zone name

    @property
    def output_field(self) -> Any:
        if self.lookup_name == "date":
            return _DATE
        if self.lookup_name == "time":
            return _TIME
        return _INTEGER

    def _tzname(self) -> str | None:
        from tether.conf import settings
        from tether.utils.timezone import get_current_timezone_name

        if not self.converts_tz or not settings.use_tz:
            return None
        return get_current_timezone_name()

    def _tz_params(self, params: list[Any]) -> tuple[bool, list[Any]]:
        tzname = self._tzname()
        return tzname is not None, ([*params, tzname] if tzname is not None else list(params))

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.lhs)
        # The tz name is always bound (NULL when no conversion) so the SQL text never varies.
        return f"tether_dt(%s, {sql}, %s)", [self.lookup_name, *params, self._tzname()]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.lhs)
        convert, params = self._tz_params(params)
        if convert:
            sql = f"({sql} AT TIME ZONE %s)"
        name = self.lookup_name
        if name == "date":
            return f"({sql})::date", params
        if name == "time":
            return f"({sql})::time", params
        if name == "week_day":
            return f"(EXTRACT(DOW FROM {sql}) + 1)", params
        if name == "second":
            return f"FLOOR(EXTRACT(SECOND FROM {sql}))", params
        return f"EXTRACT({_PG_FIELDS[name]} FROM {sql})", params

    def as_mysql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.lhs)
        convert, params = self._tz_params(params)
        if convert:
            sql = f"CONVERT_TZ({sql}, 'UTC', %s)"
        return _MYSQL_FUNCTIONS[self.lookup_name].format(sql), params


def _transform(name: str) -> type[TemporalTransform]:
    cls_name = "Extract" + "".join(part.title() for part in name.split("_"))
    if name in ("date", "time"):
        cls_name = "Trunc" + name.title()
    return type(cls_name, (TemporalTransform,), {"lookup_name": name})


ExtractYear = _transform("year")
ExtractIsoYear = _transform("iso_year")
ExtractMonth = _transform("month")
ExtractDay = _transform("day")
ExtractWeek = _transform("week")
ExtractWeekDay = _transform("week_day")
ExtractIsoWeekDay = _transform("iso_week_day")
ExtractQuarter = _transform("quarter")
ExtractHour = _transform("hour")
ExtractMinute = _transform("minute")
ExtractSecond = _transform("second")
TruncDate = _transform("date")
TruncTime = _transform("time")

DATE_TRANSFORMS = (
    ExtractYear,
    ExtractIsoYear,
    ExtractMonth,
    ExtractDay,
    ExtractWeek,
    ExtractWeekDay,
    ExtractIsoWeekDay,
    ExtractQuarter,
)
TIME_TRANSFORMS = (ExtractHour, ExtractMinute, ExtractSecond)


def install() -> None:
    """Register the transforms on DateField (and so DateTimeField) and TimeField."""
    for transform in DATE_TRANSFORMS:
        DateField.register_lookup(transform)
    for transform in (*TIME_TRANSFORMS, TruncDate, TruncTime):
        DateTimeField.register_lookup(transform)
    for transform in TIME_TRANSFORMS:
        TimeField.register_lookup(transform)
