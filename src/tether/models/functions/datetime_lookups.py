"""The year lookups, registered on ExtractYear and ExtractIsoYear as Django registers them:
`pub_date__year=2005` compares the column itself with the first and last moments of the year
(`BETWEEN %s AND %s`), so an index on the column serves it; `__year__gt` and friends compare
with one bound. A right-hand side that is an expression keeps the extraction.

Date-time bounds are in the current time zone when use_tz is on (not the transform's
`tzinfo`), as Django's.
"""

from __future__ import annotations

import datetime
from typing import Any

from tether.conf import settings
from tether.models.fields import DateTimeField
from tether.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
    Lookup,
)
from tether.utils import timezone


def year_bounds(year: int, iso_year: bool, with_time: bool) -> tuple[Any, Any]:
    """The first and last day (or moment) of `year`, a calendar or an ISO-8601 year."""
    if iso_year:
        first = datetime.date.fromisocalendar(year, 1, 1)
        after = datetime.date.fromisocalendar(year + 1, 1, 1)
    else:
        first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    if not with_time:
        return first, after - datetime.timedelta(days=1)
    start = datetime.datetime.combine(first, datetime.time())
    end = datetime.datetime.combine(after, datetime.time()) - datetime.timedelta(microseconds=1)
    if settings.use_tz:
        zone = timezone.get_current_timezone()
        start, end = timezone.make_aware(start, zone), timezone.make_aware(end, zone)
    return start, end


class YearLookup(Lookup):
    """A comparison of an extracted year: with a plain value, a range over the column."""

    def bound_params(self, start: Any, finish: Any) -> list[Any]:
        raise NotImplementedError

    @property
    def compares_column(self) -> bool:
        """A plain year (not NULL, not an expression): compare the column with its bounds."""
        return self.rhs_is_direct_value and self.rhs is not None

    def direct_rhs_sql(self, connection: Any) -> str:
        return connection.ops.operators[self.lookup_name] % "%s"  # type: ignore[no-any-return]

    def _bounds(self, connection: Any) -> list[Any]:
        source = self.lhs.lhs.output_field
        start, finish = year_bounds(
            int(self.rhs),
            iso_year=self.lhs.lookup_name == "iso_year",
            with_time=isinstance(source, DateTimeField),
        )
        return [
            source.get_db_prep_value(bound, connection, prepared=True)
            for bound in self.bound_params(start, finish)
        ]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if not self.compares_column:
            return super().as_sql(compiler, connection)
        source = self.lhs.lhs
        sql, _ = compiler.compile(source)
        internal = source.output_field.get_internal_type()
        sql = connection.ops.lookup_cast(self.lookup_name, internal) % sql
        return f"{sql} {self.direct_rhs_sql(connection)}", self.get_params(compiler, connection)

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        if not self.compares_column:
            return super().get_params(compiler, connection)
        _, source_params = compiler.compile(self.lhs.lhs)
        return [*source_params, *self._bounds(connection)]


class YearExact(YearLookup, Exact):
    def direct_rhs_sql(self, connection: Any) -> str:
        return "BETWEEN %s AND %s"

    def bound_params(self, start: Any, finish: Any) -> list[Any]:
        return [start, finish]


class YearGt(YearLookup, GreaterThan):
    def bound_params(self, start: Any, finish: Any) -> list[Any]:
        return [finish]


class YearGte(YearLookup, GreaterThanOrEqual):
    def bound_params(self, start: Any, finish: Any) -> list[Any]:
        return [start]


class YearLt(YearLookup, LessThan):
    def bound_params(self, start: Any, finish: Any) -> list[Any]:
        return [start]


class YearLte(YearLookup, LessThanOrEqual):
    def bound_params(self, start: Any, finish: Any) -> list[Any]:
        return [finish]


YEAR_LOOKUPS = (YearExact, YearGt, YearGte, YearLt, YearLte)
