"""QuerySet.dates() and datetimes(): the distinct dates (or date-times) a field takes, cut down
to a kind, as Django's: an annotation truncating the field, selected alone, DISTINCT, rows
whose field is NULL left out, sorted. Both return QuerySets (iterate them with `for` or
`async for`), so they need no async twin.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from tether.conf import settings
from tether.models.expressions import F
from tether.models.fields import DateField, DateTimeField
from tether.models.functions.datetime import Trunc
from tether.utils import timezone

if TYPE_CHECKING:
    from tether.models.query import QuerySet

DATE_KINDS = ("year", "month", "week", "day")
DATETIME_KINDS = (*DATE_KINDS, "hour", "minute", "second")


def _check_order(order: str) -> str:
    if order not in ("ASC", "DESC"):
        raise ValueError("'order' must be either 'ASC' or 'DESC'.")
    return "-" if order == "DESC" else ""


class DatesMixin:
    """dates() / datetimes() for QuerySet (which provides annotate, values_list, ...)."""

    def dates(self, field_name: str, kind: str, order: str = "ASC") -> QuerySet[Any]:
        """The distinct dates of `field_name`, each cut to the first day of its `kind`."""
        if kind not in DATE_KINDS:
            raise ValueError("'kind' must be one of 'year', 'month', 'week', or 'day'.")
        direction = _check_order(order)
        queryset: Any = self
        return (  # type: ignore[no-any-return]
            queryset.annotate(
                datefield=Trunc(field_name, kind, output_field=DateField()),
                plain_field=F(field_name),
            )
            .values_list("datefield", flat=True)
            .distinct()
            .filter(plain_field__isnull=False)
            .order_by(direction + "datefield")
        )

    def datetimes(
        self,
        field_name: str,
        kind: str,
        order: str = "ASC",
        tzinfo: datetime.tzinfo | None = None,
    ) -> QuerySet[Any]:
        """The distinct date-times of `field_name`, each cut to the start of its `kind`, in
        `tzinfo` (default: the current time zone) when use_tz is on."""
        if kind not in DATETIME_KINDS:
            raise ValueError(
                "'kind' must be one of 'year', 'month', 'week', 'day', "
                "'hour', 'minute', or 'second'."
            )
        direction = _check_order(order)
        if not settings.use_tz:
            tzinfo = None
        elif tzinfo is None:
            tzinfo = timezone.get_current_timezone()
        queryset: Any = self
        return (  # type: ignore[no-any-return]
            queryset.annotate(
                datetimefield=Trunc(field_name, kind, output_field=DateTimeField(), tzinfo=tzinfo),
                plain_field=F(field_name),
            )
            .values_list("datetimefield", flat=True)
            .distinct()
            .filter(plain_field__isnull=False)
            .order_by(direction + "datetimefield")
        )
