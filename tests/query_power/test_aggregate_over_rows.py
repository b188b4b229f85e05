"""aggregate() over rows computed first (grouped, distinct, sliced, or annotated with a window
or a subquery), aggregates naming each other, filter= conditions, and GROUP BY of annotations
that mix aggregates and columns: the same values and errors as Django 5.2."""

from __future__ import annotations

from typing import Any

from tether.db import connection
from tether.models import Count, Max
from tether.test.utils import CaptureQueriesContext

from .base import DifferentialTestCase, rows_of
from .models import Author


def over_rows_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Author, Book = m["Author"], m["Book"]
    Sum, Avg, Min, Max, Count = m["Sum"], m["Avg"], m["Min"], m["Max"], m["Count"]
    Q, F, Subquery, OuterRef = m["Q"], m["F"], m["Subquery"], m["OuterRef"]
    Window, Coalesce, Cast = m["Window"], m["Coalesce"], m["Cast"]
    Value, IntegerField = m["Value"], m["IntegerField"]
    counted = Author.objects.annotate(n=Count("books"))
    first_pages = Subquery(
        Book.objects.filter(author=OuterRef("pk")).order_by("pages").values("pages")[:1]
    )
    return {
        "combined_over_annotation": lambda: counted.aggregate(
            twice=Max("n") * 2, both=Max("n") + Sum("n")
        ),
        "filter_over_annotation": lambda: counted.aggregate(
            ages=Sum("age", filter=Q(n__gte=2)), few=Count("pk", filter=Q(n__lt=2))
        ),
        "filter_compares_annotation": lambda: Author.objects.annotate(
            longest=Max("books__pages")
        ).aggregate(n=Count("pk", filter=Q(age__lt=F("longest"))), m=Min("longest")),
        "filter_in_annotation_list": lambda: Author.objects.annotate(
            longest=Max("books__pages")
        ).aggregate(n=Count("pk", filter=Q(longest__in=[F("longest"), 0]))),
        "names_earlier_aggregate": lambda: Author.objects.aggregate(
            n=Count("books"), c=Coalesce("n", 0)
        ),
        "aggregates_earlier_aggregate": lambda: Author.objects.aggregate(
            n=Count("books"), s=Sum("n")
        ),
        "over_subquery_annotation": lambda: Author.objects.annotate(first=first_pages).aggregate(
            s=Sum("first"), n=Count("pk")
        ),
        "over_subquery_values": lambda: (
            Author.objects.annotate(first=first_pages)
            .values("pk", "first")
            .aggregate(s=Sum("first"))
        ),
        "over_window_annotation": lambda: Book.objects.annotate(
            share=Coalesce(Window(Sum("pages"), partition_by=F("author")), 0)
        ).aggregate(s=Sum("share"), n=Count("id")),
        "over_sliced_count_star": lambda: Book.objects.order_by("pages")[:3].aggregate(
            n=Count("*"), s=Sum("pages")
        ),
        "over_distinct_values": lambda: (
            Book.objects.values("author").distinct().aggregate(n=Count("author"), s=Sum("author"))
        ),
        "negated_multivalued_filter": lambda: Author.objects.aggregate(
            p=Sum("books__pages", filter=Q(books__tags__label="python") & ~Q(books__title="Beta"))
        ),
        "empty_in_filter": lambda: (
            rows_of(
                Book.objects.annotate(n=Count("tags", filter=Q(tags__in=[])))
                .order_by("title")
                .values_list("title", "n")
            ),
            Book.objects.aggregate(m=Max("pages", filter=Q(pages__in=[]))),
        ),
        "group_by_column_outside_aggregate": lambda: rows_of(
            Author.objects.values("name")
            .annotate(x=Sum("books__pages") + F("age"))
            .order_by("name")
            .values_list("name", "x")
        ),
        "unselected_annotation_not_grouped": lambda: rows_of(
            Book.objects.annotate(cost=F("price"))
            .values("author")
            .annotate(n=Count("pk"))
            .values_list("author__name", "n")
            .order_by("author__name")
        ),
        "default_with_parameters_grouped": lambda: rows_of(
            Author.objects.annotate(m=Min("books__pages", default=Cast(Value(5), IntegerField())))
            .order_by("name")
            .values_list("name", "m")
        ),
        "no_aggregates": lambda: Author.objects.aggregate(),
        "not_expressions": lambda: Author.objects.aggregate(Avg("age"), x=True, y=1),
        "order_by_aggregate": lambda: Author.objects.order_by(Avg("books__pages")),
    }


class AggregateOverRowsTests(DifferentialTestCase):
    def test_over_rows(self) -> None:
        self.compare(over_rows_scenarios)

    def test_derived_table_reads_only_what_it_needs(self) -> None:
        # One query; the outer SELECT reads the inner annotation by its alias, and the inner
        # one neither locks rows nor joins for select_related().
        queryset = Author.objects.select_related().order_by("pk").annotate(n=Count("books"))
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(queryset.aggregate(most=Max("n")), {"most": 3})
        sql = queries.captured_queries[0]["sql"].lower()
        self.assertEqual(sql.count("select"), 2)
        self.assertEqual(sql.count(connection.ops.quote_name("n")), 2)
        self.assertNotIn("order by", sql)
