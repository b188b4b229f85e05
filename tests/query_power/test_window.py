"""Window expressions and frames: the same results as Django 5.2 (differential)."""

from __future__ import annotations

from typing import Any

from .base import DifferentialTestCase, rows_of


def window_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, F, Window, Rank, RowNumber = m["Book"], m["F"], m["Window"], m["Rank"], m["RowNumber"]
    Sum, RowRange, ValueRange = m["Sum"], m["RowRange"], m["ValueRange"]
    books = Book.objects.order_by("pk")
    rank = Window(Rank(), partition_by=F("author"), order_by=F("pages").desc())
    return {
        "rank_partition": lambda: rows_of(books.annotate(r=rank).values_list("title", "r")),
        "row_number_string_order": lambda: rows_of(
            books.annotate(n=Window(RowNumber(), order_by="-pages")).values_list("title", "n")
        ),
        "row_number_list_order": lambda: rows_of(
            books.annotate(n=Window(RowNumber(), order_by=["-published", "title"])).values_list(
                "title", "n"
            )
        ),
        "running_sum_rows": lambda: rows_of(
            books.annotate(
                s=Window(Sum("pages"), order_by=F("pk").asc(), frame=RowRange(start=-1, end=0))
            ).values_list("title", "s")
        ),
        "running_sum_range": lambda: rows_of(
            books.annotate(
                s=Window(Sum("pages"), order_by=F("pk").asc(), frame=ValueRange(end=0))
            ).values_list("title", "s")
        ),
        "sum_over_partition": lambda: rows_of(
            books.annotate(s=Window(Sum("pages"), partition_by=[F("author")])).values_list(
                "title", "s"
            )
        ),
        "frame_errors": lambda: [
            _error(
                lambda: list(books.annotate(s=Window(Sum("pages"), frame=RowRange(start=3, end=1))))
            ),
            _error(lambda: list(books.annotate(s=Window(Sum("pages"), frame=ValueRange(end=-1))))),
            _error(lambda: RowRange(exclusion="x")),
            _error(lambda: Window(F("pages"))),
            _error(lambda: Window(Rank(), order_by=1)),
        ],
        "frame_str": lambda: [str(RowRange(-2, 3)), str(ValueRange(None, 0)), str(RowRange())],
        "order_by_window": lambda: rows_of(
            books.annotate(r=rank).order_by("r", "title").values_list("title", flat=True)
        ),
    }


def qualify_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """Filters on window annotations (the query is wrapped in a subquery)."""
    Book, F, Window, Rank = m["Book"], m["F"], m["Window"], m["Rank"]
    books = Book.objects.order_by("pk")
    rank = Window(Rank(), partition_by=F("author"), order_by=F("pages").desc())
    return {
        "filter_rank": lambda: rows_of(
            books.annotate(r=rank).filter(r=1).values_list("title", "r")
        ),
        "filter_rank_and_field": lambda: rows_of(
            books.annotate(r=rank).filter(r__lte=2, pages__gt=100).values_list("title", flat=True)
        ),
        "filter_rank_ordered_sliced": lambda: rows_of(
            Book.objects.annotate(r=rank)
            .filter(r=1)
            .order_by("-pages")
            .values_list("title", flat=True)[:1]
        ),
        "filter_rank_models": lambda: [
            (str(b), b.r) for b in Book.objects.annotate(r=rank).filter(r__gt=1).order_by("title")
        ],
        "exclude_rank": lambda: rows_of(
            books.annotate(r=rank).exclude(r=1).values_list("title", flat=True)
        ),
        "count_filtered_rank": lambda: Book.objects.annotate(r=rank).filter(r=1).count(),
        "filter_rank_alias": lambda: rows_of(
            books.alias(r=rank).filter(r=1).values_list("title", flat=True)
        ),
        "filter_rank_or": lambda: rows_of(
            books.annotate(r=rank).filter(m["Q"](r=1) | m["Q"](r=3)).values_list("title", flat=True)
        ),
        "filter_rank_heterogeneous_or": lambda: [
            str(b) for b in books.annotate(r=rank).filter(m["Q"](r=1) | m["Q"](pages__gt=100))
        ],
        "filter_rank_order_by_expression": lambda: rows_of(
            Book.objects.annotate(r=rank)
            .filter(r__lte=2)
            .order_by(F("price").desc(), "title")
            .values_list("title", flat=True)
        ),
        "filter_rank_with_value_params": lambda: rows_of(
            books.annotate(r=rank, x=F("pages") + 1000)
            .filter(r=m["Value"](2), x__gt=1100, title__startswith="E")
            .values_list("title", "x")
        ),
        "update_with_window": lambda: Book.objects.update(pages=rank),
        "outerref_to_window": lambda: list(
            books.annotate(r=rank).annotate(
                x=m["Exists"](Book.objects.filter(pages=m["OuterRef"]("r")))
            )
        ),
        "filter_rank_exists": lambda: Book.objects.annotate(r=rank).filter(r=1).exists(),
    }


def _error(func: Any) -> Any:
    try:
        func()
    except Exception as exc:
        return (type(exc).__name__, str(exc))
    return "no error"


class WindowTests(DifferentialTestCase):
    def test_window_expressions(self) -> None:
        self.compare(window_scenarios)

    def test_filter_on_windows(self) -> None:
        self.compare(qualify_scenarios)
