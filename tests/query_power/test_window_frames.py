"""Window frames that exclude rows (RowRange/ValueRange exclusion=): the same results as
Django 5.2 on the same backend (differential); MariaDB has no frame exclusion and says so
before any SQL, as Django's backend there."""

from __future__ import annotations

from typing import Any

from tether.db import NotSupportedError, connection

from .base import DifferentialTestCase, rows_of
from .test_window import _error


def frame_exclusion_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, F, Window, Sum, RowRange = m["Book"], m["F"], m["Window"], m["Sum"], m["RowRange"]
    ValueRange, Exclusion = m["ValueRange"], m["WindowFrameExclusion"]
    books = Book.objects.order_by("pk")

    def summed(frame: Any) -> Any:
        return lambda: rows_of(
            books.annotate(s=Window(Sum("pages"), order_by=F("pk").asc(), frame=frame)).values_list(
                "title", "s"
            )
        )

    return {
        "exclude_current_row": summed(RowRange(-1, 1, exclusion=Exclusion.CURRENT_ROW)),
        "exclude_group": summed(ValueRange(None, 0, exclusion=Exclusion.GROUP)),
        "exclude_ties": summed(RowRange(None, None, exclusion=Exclusion.TIES)),
        "exclude_no_others": summed(RowRange(-2, 0, exclusion=Exclusion.NO_OTHERS)),
        "str": lambda: str(RowRange(-1, 1, exclusion=Exclusion.CURRENT_ROW)),
        "repr": lambda: repr(Exclusion.TIES),
        "not_an_exclusion": lambda: _error(lambda: ValueRange(exclusion="TIES")),
    }


class FrameExclusionTests(DifferentialTestCase):
    def test_frame_exclusions(self) -> None:
        self.compare(frame_exclusion_scenarios)

    def test_refused_where_unsupported(self) -> None:
        # Django's MariaDB/MySQL backend has no frame exclusion and says so before any SQL.
        if connection.features.supports_frame_exclusion:
            self.skipTest("the backend excludes rows from frames")
        from tether.models import F, RowRange, Sum, Window, WindowFrameExclusion

        from .models import Book

        frame = RowRange(-1, 1, exclusion=WindowFrameExclusion.CURRENT_ROW)
        query = Book.objects.annotate(s=Window(Sum("pages"), order_by=F("pk").asc(), frame=frame))
        with (
            self.assertNumQueries(0),
            self.assertRaisesMessage(
                NotSupportedError, "This backend does not support window frame exclusions."
            ),
        ):
            list(query)
