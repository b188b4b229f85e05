"""Case/When, ExpressionWrapper, conditional expressions in filter(), F in __in/__range:
the same results as Django 5.2 (differential)."""

from __future__ import annotations

from typing import Any

from .base import DifferentialTestCase, rows_of


def conditional_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, Author, F, Q, Value = m["Book"], m["Author"], m["F"], m["Q"], m["Value"]
    Case, When, Count = m["Case"], m["When"], m["Count"]
    CharField, BooleanField, IntegerField = m["CharField"], m["BooleanField"], m["IntegerField"]
    books = Book.objects.order_by("pk")
    size = Case(
        When(pages__lt=100, then=Value("short")),
        When(Q(pages__lt=300) & Q(price__lt=20), then=Value("medium")),
        default=Value("long"),
        output_field=CharField(),
    )
    return {
        "case_when_lookups": lambda: rows_of(
            books.annotate(size=size).values_list("size", flat=True)
        ),
        "case_when_no_default": lambda: rows_of(
            books.annotate(x=Case(When(pages__gt=250, then=F("pages")))).values_list("x", flat=True)
        ),
        "case_when_across_fk": lambda: rows_of(
            books.annotate(
                x=Case(When(author__name="Ann", then=Value(1)), default=Value(0))
            ).values_list("x", flat=True)
        ),
        "case_when_nullable_fk": lambda: rows_of(
            books.annotate(
                x=Case(When(editor__age__gt=30, then=F("editor__name")), default=Value("-"))
            ).values_list("x", flat=True)
        ),
        "case_in_filter": lambda: rows_of(
            books.filter(
                Case(When(pages__gt=150, then=True), default=False, output_field=BooleanField())
            ).values_list("title", flat=True)
        ),
        "case_in_order_by": lambda: rows_of(
            books.order_by(
                Case(When(flags__gt=4, then=Value(0)), default=Value(1)), "title"
            ).values_list("title", flat=True)
        ),
        "case_filter_on_annotation": lambda: rows_of(
            books.annotate(size=size).filter(size="medium").values_list("title", flat=True)
        ),
        "case_update": lambda: (
            Book.objects.update(
                flags=Case(When(pages__gt=250, then=Value(100)), default=F("flags"))
            ),
            rows_of(books.values_list("flags", flat=True)),
        ),
        "case_in_aggregate": lambda: Book.objects.aggregate(
            long=m["Sum"](Case(When(pages__gt=150, then=Value(1)), default=Value(0)))
        ),
        "case_group_by": lambda: rows_of(
            Book.objects.annotate(size=size)
            .values("size")
            .annotate(n=Count("pk"))
            .order_by("size")
            .values_list("size", "n")
        ),
        "count_with_q_filter": lambda: rows_of(
            Author.objects.annotate(n=Count("books", filter=Q(books__pages__gt=150)))
            .order_by("name")
            .values_list("name", "n")
        ),
        "when_errors": lambda: [
            _error(lambda: When()),
            _error(lambda: When(Q())),
            _error(lambda: When(F("pages"))),
            _error(lambda: Case(Value(1))),
        ],
        "non_conditional_filter": lambda: list(books.filter(F("pages"))),
        "expression_wrapper": lambda: rows_of(
            books.annotate(
                x=m["ExpressionWrapper"](F("pages") * F("price"), output_field=m["DecimalField"]())
            ).values_list("x", flat=True)
        ),
        "f_in_range": lambda: rows_of(
            books.filter(pages__range=(F("flags") * 10, 250)).values_list("title", flat=True)
        ),
        "f_in_in": lambda: rows_of(
            books.filter(pages__in=[F("flags") * 10, 300, F("flags") + 448]).values_list(
                "title", flat=True
            )
        ),
        "q_and_expression": lambda: rows_of(
            books.filter(
                Q(pages__gt=100)
                & Case(When(flags__gt=4, then=True), default=False, output_field=BooleanField())
            ).values_list("title", flat=True)
        ),
        "int_case_output": lambda: rows_of(
            books.annotate(
                x=Case(When(pages__gt=250, then=1), default=0, output_field=IntegerField())
            ).values_list("x", flat=True)
        ),
    }


def _error(func: Any) -> Any:
    try:
        func()
    except Exception as exc:
        return (type(exc).__name__, str(exc))
    return "no error"


class ConditionalTests(DifferentialTestCase):
    def test_conditional_expressions(self) -> None:
        self.compare(conditional_scenarios)
