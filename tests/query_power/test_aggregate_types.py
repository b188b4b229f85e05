"""Count, Sum, Avg, Min, Max, StdDev and Variance with distinct=, filter= and default=: the
same values and output types (int, float, Decimal, date, str, None) as Django 5.2 on the
same backend (differential)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .base import DifferentialTestCase
from .test_window import _error


def typed(rows: Any) -> list[Any]:
    """Each value with its type; floats and decimals to 4 places (MariaDB divides integers to
    4 places, Django on MariaDB as tether)."""

    def one(value: Any) -> Any:
        if isinstance(value, float | Decimal):
            return (type(value).__name__, round(float(value), 4))
        return (type(value).__name__, value)

    return [tuple(map(one, row)) if isinstance(row, tuple) else one(row) for row in rows]


def typed_dict(result: dict[str, Any]) -> dict[str, Any]:
    return dict(zip(result, typed(list(result.values())), strict=True))


def aggregate_type_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Author, Book, Q, F = m["Author"], m["Book"], m["Q"], m["F"]
    Count, Sum, Avg, Min, Max = m["Count"], m["Sum"], m["Avg"], m["Min"], m["Max"]
    StdDev, Variance = m["StdDev"], m["Variance"]
    none = Book.objects.filter(pages__gt=1000)

    def aggregate(qs: Any, **aggregates: Any) -> Any:
        return lambda: typed_dict(qs.aggregate(**aggregates))

    def per_author(**aggregates: Any) -> Any:
        return lambda: typed(
            Author.objects.order_by("name").annotate(**aggregates).values_list(*aggregates)
        )

    scenarios = {
        "types": aggregate(
            Book.objects,
            n=Count("pk"),
            s_int=Sum("pages"),
            s_dec=Sum("price"),
            s_float=Sum("author__rating"),
            a_int=Avg("pages"),
            a_dec=Avg("price"),
            a_float=Avg("editor__rating"),
            min_dec=Min("price"),
            max_date=Max("published"),
            min_text=Min("title"),
            max_null=Max("editor__rating"),
            sd=StdDev("price"),
            var=Variance("pages", sample=True),
        ),
        "types_empty": aggregate(
            none,
            n=Count("pk"),
            s=Sum("price"),
            a=Avg("pages"),
            mn=Min("published"),
            mx=Max("title"),
            sd=StdDev("pages"),
        ),
        "defaults_typed": aggregate(
            none,
            s_dec=Sum("price", default=0),
            a_int=Avg("pages", default=0),
            mn_text=Min("title", default=""),
            mx_float=Max("author__rating", default=-1.5),
        ),
        "default_unused": aggregate(
            Book.objects, s=Sum("price", default=0), mx=Max("title", default="")
        ),
        "distinct": aggregate(
            Book.objects,
            authors=Count("author", distinct=True),
            editors=Count("editor", distinct=True),
            editor_rows=Count("editor"),
            ages=Sum("author__age", distinct=True),
            age_rows=Sum("author__age"),
            avg_age=Avg("author__age", distinct=True),
            max_age=Max("author__age"),
        ),
        "distinct_and_filter": aggregate(
            Book.objects,
            n=Count("author", distinct=True, filter=Q(pages__gt=100)),
            s=Sum("author__age", distinct=True, filter=Q(price__lt=20)),
            none=Count("editor", distinct=True, filter=Q(pages__gt=1000)),
        ),
        "filter_and_default": aggregate(
            Book.objects,
            s=Sum("pages", filter=Q(pages__gt=1000), default=0),
            a=Avg("price", filter=Q(title__startswith="Z"), default=0),
            mx=Max("price", filter=~Q(author__name="Ann"), default=0),
        ),
        "filter_negated_and_related": aggregate(
            Author.objects,
            n=Count("books", filter=~Q(books__tags__label="db")),
            p=Sum("books__pages", filter=Q(books__tags__isnull=True) | Q(books__flags=0)),
        ),
        "annotate_distinct_m2m": per_author(
            tags=Count("books__tags", distinct=True),
            rows=Count("books__tags"),
            books=Count("books", distinct=True),
        ),
        "annotate_types": per_author(
            s=Sum("books__price"),
            a=Avg("books__pages"),
            mx=Max("books__published"),
        ),
        "annotate_default_type": per_author(e=Avg("edited__price", default=0)),
        "annotate_filter_default": per_author(
            s=Sum("books__pages", filter=Q(books__pages__lt=150), default=-1),
            n=Count("books", filter=Q(books__price__gt=20)),
        ),
        "group_by_values": lambda: typed(
            Book.objects.values("author__name")
            .annotate(n=Count("pk", distinct=True), s=Sum("price"), a=Avg("pages"))
            .order_by("author__name")
            .values_list("author__name", "n", "s", "a")
        ),
        "expression_argument": aggregate(
            Book.objects,
            s=Sum(F("pages") * 2),
            a=Avg(F("price") * F("flags")),
            mx=Max(m["Length"]("title")),
            n=Count(m["Lower"]("author__name"), distinct=True),
        ),
        "count_star": aggregate(Book.objects, n=Count("*"), f=Count("pk", filter=Q(flags=0))),
        "errors": lambda: [
            _error(lambda: StdDev("pages", distinct=True)),
            _error(lambda: Variance("pages", distinct=True)),
            _error(lambda: Count("pk", default=0)),
            _error(lambda: Count("*", distinct=True)),
            _error(lambda: Sum("pages", filter=1)),
            _error(lambda: Book.objects.aggregate(Sum("pages"), Sum("pages", distinct=True))),
        ],
        "repr": lambda: [
            repr(Count("pk", distinct=True)),
            repr(Sum("pages", filter=Q(pages=1))),
            repr(Avg("pages", default=0)),
            repr(Max("pages", filter=Q(pages=1), default=1)),
            _error(lambda: Max("pages", distinct=True)),
        ],
        # Arithmetic over dates: Django's SQLite backend refuses it before any SQL (dates are
        # text there), PostgreSQL has no SUM(date), MariaDB sums the dates as numbers.
        "date_sum": lambda: Book.objects.aggregate(Sum("published")),
        "date_avg": lambda: Book.objects.aggregate(x=Avg("published")),
        "default_aliases": lambda: sorted(
            Book.objects.aggregate(
                Count("author", distinct=True), Sum("pages"), Avg("price"), StdDev("flags")
            )
        ),
    }
    return scenarios


class AggregateTypeTests(DifferentialTestCase):
    def test_aggregate_types(self) -> None:
        self.compare(aggregate_type_scenarios)

    def test_mixed_argument_with_output_field(self) -> None:
        # The date/time check on SQLite passes over an argument whose types need the
        # aggregate's output_field (Django's check ignores its FieldError too).
        from tether.models import F, FloatField, Sum

        from .models import Book

        found = Book.objects.aggregate(
            s=Sum(F("author__rating") + F("pages") + F("price"), output_field=FloatField())
        )
        self.assertAlmostEqual(found["s"], 684.75)  # NULL ratings drop two rows
