"""Window functions (CumeDist ... PercentRank): the same results and errors as Django 5.2
(differential), on each backend."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tether.db import connection

from .base import DifferentialTestCase
from .test_math import typed


def window_function_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, F, Window = m["Book"], m["F"], m["Window"]
    books = Book.objects.order_by("pk")
    by_pages = F("pages").asc()

    def over(function: Any, **window: Any) -> Any:
        window.setdefault("order_by", by_pages)
        return lambda: typed(books.annotate(x=Window(function, **window)).values_list("title", "x"))

    author = F("author")
    return {
        "cume_dist": over(m["CumeDist"]()),
        "cume_dist_partition": over(m["CumeDist"](), partition_by=author),
        "dense_rank": over(m["DenseRank"](), order_by=F("published").asc()),
        "percent_rank": over(m["PercentRank"](), partition_by=author),
        "ntile": over(m["Ntile"](3)),
        "ntile_default": over(m["Ntile"]()),
        "first_value": over(m["FirstValue"]("title"), partition_by=author),
        "first_value_decimal": over(m["FirstValue"]("price"), partition_by=author),
        "last_value": over(
            m["LastValue"]("pages"),
            partition_by=author,
            frame=m["RowRange"](start=None, end=None),
        ),
        "last_value_default_frame": over(m["LastValue"]("pages")),
        "nth_value": over(m["NthValue"]("title", nth=2), partition_by=author),
        "nth_value_default": over(m["NthValue"]("pages")),
        "lag": over(m["Lag"]("pages")),
        "lag_offset": over(m["Lag"]("title", offset=2), partition_by=author),
        "lag_decimal": over(m["Lag"]("price", 1)),
        "lead": over(m["Lead"]("pages")),
        "lead_offset": over(m["Lead"]("price", offset=2)),
        "lead_expression": over(m["Lead"](F("pages") * 2)),
        **(
            {
                "lag_default": over(m["Lag"]("pages", default=0)),
                "lead_default_decimal": over(m["Lead"]("price", default=Decimal("0.00"))),
            }
            if connection.features.supports_default_in_lead_lag
            else {}
        ),
        "output_fields": lambda: [
            type(e.resolve_expression(Book.objects.all().query).output_field).__name__
            for e in (
                m["CumeDist"](),
                m["DenseRank"](),
                m["PercentRank"](),
                m["Ntile"](2),
                m["FirstValue"]("price"),
                m["LastValue"]("title"),
                m["NthValue"]("pages", 2),
                m["Lag"]("price"),
                m["Lead"]("title"),
            )
        ],
        "repr": lambda: [
            repr(m["Lag"]("pages", 2)),
            repr(m["Ntile"](4)),
            repr(m["NthValue"]("title", nth=3)),
            repr(m["Window"](m["DenseRank"](), order_by=F("pages").desc())),
        ],
    }


def window_error_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    F = m["F"]
    return {
        "lag_negative_offset": lambda: m["Lag"]("pages", offset=-1),
        "lag_zero_offset": lambda: m["Lag"]("pages", offset=0),
        "lag_null_offset": lambda: m["Lag"]("pages", offset=None),
        "lead_negative_offset": lambda: m["Lead"]("pages", offset=-2),
        "lag_null_source": lambda: m["Lag"](None),
        "lead_null_source": lambda: m["Lead"](None),
        "nth_negative": lambda: m["NthValue"]("pages", nth=-1),
        "nth_null": lambda: m["NthValue"]("pages", nth=None),
        "nth_null_source": lambda: m["NthValue"](None),
        "ntile_zero": lambda: m["Ntile"](0),
        "ntile_negative": lambda: m["Ntile"](num_buckets=-3),
        "first_value_arity": lambda: m["FirstValue"](F("pages"), F("title")),
        "last_value_arity": lambda: m["LastValue"](),
        "not_window_compatible": lambda: m["Window"](m["Sqrt"]("pages")),
    }


def window_filter_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """Filters on window annotations that the query must evaluate outside (Django 4.2+)."""
    Book, F, Q, Window, Rank = m["Book"], m["F"], m["Q"], m["Window"], m["Rank"]
    Case, When, Count, Max = m["Case"], m["When"], m["Count"], m["Max"]
    rank = Window(Rank(), partition_by="author", order_by="-pages")
    ranked = Book.objects.annotate(r=rank).order_by("pk").values_list("title", flat=True)
    counted = Book.objects.annotate(r=rank, n=Count("tags")).order_by("pk")
    return {
        "column_ref_rhs": lambda: list(
            Book.objects.annotate(mx=Window(Max("pages"), partition_by="author"))
            .filter(mx=F("pages"))
            .order_by("pk")
            .values_list("title", flat=True)
        ),
        "case_over_window": lambda: list(
            Book.objects.annotate(r=rank, first=Case(When(r=1, then=True), default=False))
            .filter(first=True)
            .order_by("pk")
            .values_list("title", flat=True)
        ),
        "q_over_window": lambda: list(
            Book.objects.annotate(r=rank, first=Q(r=1))
            .filter(first=True)
            .order_by("pk")
            .values_list("title", flat=True)
        ),
        "and_with_column": lambda: list(ranked.filter(r=1, pages__gt=150)),
        "or_with_column": lambda: list(ranked.filter(Q(r=1) | Q(title__startswith="G"))),
        "nested_or_and": lambda: list(
            ranked.filter(Q(title__contains="a") & (Q(r=2) | Q(pages=80)))
        ),
        "negated_or": lambda: list(ranked.exclude(Q(r=1) | Q(pages=80))),
        "and_with_aggregate": lambda: list(
            counted.filter(r=1, n__gte=1).values_list("title", flat=True)
        ),
        "or_with_aggregate": lambda: list(
            counted.filter(Q(r=2) | Q(n__gte=3)).values_list("title", flat=True)
        ),
        "or_with_column_grouped": lambda: list(
            counted.filter(Q(r=1) | Q(title="Beta")).values_list("title", flat=True)
        ),
        "exclude_and_grouped": lambda: list(
            counted.exclude(r=1, title="Beta").values_list("title", flat=True)
        ),
        "insert_window": lambda: Book.objects.create(
            title="x",
            pages=Window(m["Sum"](m["Value"](1), order_by=F("pk").asc())),
            price=1,
            author=r["ann"],
            published=r["b1"].published,
        ),
        "insert_aggregate": lambda: Book.objects.create(
            title="x",
            pages=m["Sum"](m["Value"](1)),
            price=1,
            author=r["ann"],
            published=r["b1"].published,
        ),
    }


class WindowFunctionTests(DifferentialTestCase):
    def test_window_functions(self) -> None:
        self.compare(window_function_scenarios)

    def test_errors_when_built(self) -> None:
        self.compare(window_error_scenarios)

    def test_filters_on_windows(self) -> None:
        self.compare(window_filter_scenarios)
