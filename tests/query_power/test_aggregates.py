"""StdDev/Variance, default= on every aggregate, aggregates of aggregates and aggregate()
over annotated rows: the same values and errors as Django 5.2."""

from __future__ import annotations

from typing import Any

from tether.exceptions import FieldError
from tether.models import Count, StdDev, Sum, Variance

from .base import DifferentialTestCase, rows_of
from .models import Author


def _rounded(result: dict[str, Any]) -> dict[str, Any]:
    """Floats to 2 places: MariaDB computes STDDEV/VARIANCE of integers to 4 decimals."""
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}


def aggregate_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Author, Book = m["Author"], m["Book"]
    Sum, Avg, Min, Max, Count = m["Sum"], m["Avg"], m["Min"], m["Max"], m["Count"]
    StdDev, Variance, Q, F, Value = m["StdDev"], m["Variance"], m["Q"], m["F"], m["Value"]
    none = Book.objects.filter(pages__gt=1000)
    return {
        "stddev_variance": lambda: _rounded(
            Author.objects.aggregate(
                sd=StdDev("age"),
                var=Variance("age"),
                sds=StdDev("age", sample=True),
                vs=Variance("age", sample=True),
            )
        ),
        "stddev_filter": lambda: _rounded(
            Book.objects.aggregate(sd=StdDev("pages", filter=Q(pages__gt=100)))
        ),
        "defaults_empty": lambda: _rounded(
            none.aggregate(
                s=Sum("pages", default=0),
                a=Avg("pages", default=0.5),
                mn=Min("pages", default=-1),
                mx=Max("pages", default=-2),
                sd=StdDev("pages", default=0.0),
                v=Variance("pages", default=1.5),
            )
        ),
        "defaults_values": lambda: _rounded(
            Book.objects.aggregate(s=Sum("pages", default=0), mx=Max("pages", default=-2))
        ),
        "default_annotate_m2m": lambda: rows_of(
            Author.objects.order_by("name")
            .annotate(s=Sum("books__pages", default=0), m=Max("edited__pages", default=-1))
            .values_list("name", "s", "m")
        ),
        "count_default": lambda: Book.objects.aggregate(n=Count("pk", default=0)),
        "annotate_aggregate_of_aggregate": lambda: list(
            Author.objects.annotate(x=Sum(Count("books")))
        ),
        "aggregate_refers_aggregate": lambda: Author.objects.aggregate(
            n=Count("books"), s=Sum("n")
        ),
        "over_annotation": lambda: Author.objects.annotate(n=Count("books")).aggregate(
            total=Sum("n"), most=Max("n")
        ),
        "over_annotation_plain_field": lambda: Author.objects.annotate(n=Count("books")).aggregate(
            oldest=Max("age"), total=Sum("n")
        ),
        "over_sliced": lambda: Author.objects.order_by("age")[:2].aggregate(Sum("age")),
        "over_distinct": lambda: (
            Book.objects.values("author").distinct().aggregate(n=Count("author"))
        ),
        "filter_default_alias": lambda: rows_of(
            Book.objects.annotate(Count("tags"))
            .filter(tags__count__gt=1)
            .order_by("-tags__count", "pk")
            .values_list("title", "tags__count")
        ),
        "exclude_default_alias": lambda: rows_of(
            Author.objects.annotate(Count("books"))
            .exclude(books__count=0)
            .order_by("name")
            .values_list("name", flat=True)
        ),
        # Ordered by a related model's Meta.ordering: grouped by that column too (PostgreSQL
        # refused the statement with GroupingError).
        "grouped_ordered_by_relation": lambda: list(
            Book.objects.values("editor")
            .annotate(n=Count("tags"))
            .order_by("editor")
            .values_list("n", flat=True)
        ),
        "unknown_field": lambda: Author.objects.aggregate(Sum("nope")),
        "not_an_aggregate": lambda: Author.objects.aggregate(x=F("age")),
        "complex_needs_alias": lambda: Author.objects.aggregate(Sum(F("age") + 1)),
        "value_aggregate": lambda: Author.objects.aggregate(s=Sum(Value(2))),
    }


class AggregateTests(DifferentialTestCase):
    def test_aggregates(self) -> None:
        self.compare(aggregate_scenarios)

    def test_statistics_of_nulls_and_empty_sets(self) -> None:
        # Django's SQLite functions raise on NULL and on too few values; tether answers NULL
        # as PostgreSQL and MariaDB do (docs/differences-from-django.md).
        found = Author.objects.aggregate(sd=StdDev("rating"), vs=Variance("age", sample=True))
        self.assertAlmostEqual(found["sd"], 0.75)
        self.assertAlmostEqual(found["vs"], 142.333333, places=3)
        rows = Author.objects.order_by("name").annotate(
            v=Variance("books__pages"), s=StdDev("books__pages", sample=True)
        )
        self.assertEqual(
            [(a.name, a.v is None, a.s is None) for a in rows],
            [("Ann", False, False), ("Bob", False, False), ("Cid", True, True)],
        )
        self.assertEqual(Author.objects.filter(age=0).aggregate(v=Variance("age"))["v"], None)

    def test_aggregate_of_aggregate(self) -> None:
        # Refused before any SQL (Django sends it and the database refuses it).
        message = "Cannot compute Sum('Count'): 'Count' is an aggregate"
        with self.assertRaisesMessage(FieldError, message):
            Author.objects.aggregate(x=Sum(Count("books")))
