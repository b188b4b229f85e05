"""FilteredRelation in annotate() and alias(): its join and ON condition, used by filter(),
exclude(), values(), order_by() and aggregates, and its errors, as Django 5.2's."""

from __future__ import annotations

from typing import Any

from tether.db import connection
from tether.models import FilteredRelation, Q
from tether.test import SimpleTestCase
from tether.test.utils import CaptureQueriesContext

from .base import DifferentialTestCase, rows_of
from .models import Author


def filtered_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Author, Book = m["Author"], m["Book"]
    FilteredRelation, Q, F, Count, Sum = (
        m["FilteredRelation"],
        m["Q"],
        m["F"],
        m["Count"],
        m["Sum"],
    )

    def long_books() -> Any:
        # A new one for each query: Django renames the condition of the instance it is given.
        return FilteredRelation("books", condition=Q(books__pages__gt=150))

    return {
        "reverse_foreign_key": lambda: rows_of(
            Author.objects.annotate(long=long_books())
            .order_by("name", "long__title")
            .values_list("name", "long__title")
        ),
        "filter_on_alias": lambda: rows_of(
            Author.objects.annotate(long=long_books())
            .filter(long__isnull=False)
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        ),
        "missing_related_rows": lambda: rows_of(
            Author.objects.annotate(long=long_books())
            .filter(long__isnull=True)
            .order_by("name")
            .values_list("name", flat=True)
        ),
        "alias_and_count": lambda: rows_of(
            Author.objects.alias(long=long_books())
            .annotate(n=Count("long"), p=Sum("long__pages"))
            .order_by("name")
            .values_list("name", "n", "p")
        ),
        "plain_relation_alongside": lambda: rows_of(
            Author.objects.annotate(long=long_books())
            .filter(books__title="Alpha")
            .order_by("long__title")
            .values_list("name", "long__title")
        ),
        "exclude_on_alias": lambda: rows_of(
            Author.objects.annotate(long=long_books())
            .exclude(long__title="Beta")
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        ),
        "many_to_many": lambda: rows_of(
            Book.objects.annotate(db=FilteredRelation("tags", condition=Q(tags__label="db")))
            .filter(db__isnull=False)
            .order_by("title")
            .values_list("title", "db__label")
        ),
        "foreign_key_condition_on_value": lambda: rows_of(
            Book.objects.annotate(young=FilteredRelation("author", condition=Q(author__age__lt=40)))
            .order_by("title")
            .values_list("title", "young__name")
        ),
        "condition_with_f": lambda: rows_of(
            Author.objects.annotate(
                big=FilteredRelation("books", condition=Q(books__pages__gt=F("books__flags") * 20))
            )
            .filter(big__isnull=False)
            .order_by("name", "big__title")
            .values_list("name", "big__title")
        ),
        "two_values_two_queries": lambda: [
            rows_of(
                Author.objects.annotate(
                    t=FilteredRelation("books", condition=Q(books__title=title))
                )
                .filter(t__isnull=False)
                .values_list("name", flat=True)
            )
            for title in ("Alpha", "Gamma")
        ],
        "condition_names_an_earlier_join": lambda: rows_of(
            Author.objects.annotate(
                ed=FilteredRelation("books__editor", condition=Q(books__author__age=28))
            )
            .filter(ed__isnull=True)
            .order_by("name", "books__title")
            .values_list("name", "books__title")
        ),
        "empty_relation_name": lambda: FilteredRelation(""),
        "condition_not_q": lambda: FilteredRelation("books", condition="x"),
        "relation_name_with_lookup": lambda: list(
            Author.objects.annotate(
                x=FilteredRelation("books__title__icontains", condition=Q(books__pages=1))
            )
        ),
        "condition_outside_relation": lambda: list(
            Author.objects.annotate(
                x=FilteredRelation("books", condition=Q(edited__title__icontains="a"))
            )
        ),
        "condition_deeper_than_relation": lambda: list(
            Author.objects.annotate(
                x=FilteredRelation("books", condition=Q(books__editor__name="Ann"))
            )
        ),
        "alias_with_period": lambda: list(
            Author.objects.annotate(**{"x.y": FilteredRelation("books")})
        ),
        "only_refused": lambda: Author.objects.annotate(long=long_books()).only("long__title"),
        "prefetch_refused": lambda: Author.objects.annotate(long=long_books()).prefetch_related(
            "long"
        ),
        "alias_with_quote": lambda: list(
            Author.objects.annotate(**{'x"y': FilteredRelation("books")})
        ),
        "alias_conflicts_with_field": lambda: Author.objects.annotate(
            name=FilteredRelation("books")
        ),
    }


# Django leaves a filtered relation's alias unquoted, and `long` is a reserved word on
# MariaDB; tether quotes every identifier.
UNQUOTED_ALIAS = "Django does not quote the alias `long`"
ANSWERS = {
    "mysql": {
        name: UNQUOTED_ALIAS
        for name in (
            "reverse_foreign_key",
            "filter_on_alias",
            "missing_related_rows",
            "alias_and_count",
        )
    }
}


class FilteredRelationTests(DifferentialTestCase):
    def test_filtered_relation(self) -> None:
        self.compare(filtered_scenarios, ANSWERS)

    def test_one_join_with_its_condition(self) -> None:
        rows = (
            Author.objects.annotate(
                long=FilteredRelation("books", condition=Q(books__pages__gt=150))
            )
            .filter(long__pages__lt=400)
            .values_list("name", "long__title")
        )
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(sorted(rows), [("Ann", "Beta"), ("Ann", "Epsilon")])
        sql = queries.captured_queries[0]["sql"]
        self.assertEqual(sql.count("JOIN"), 1)
        self.assertIn(" AND (", sql)


class FilteredRelationObjectTests(SimpleTestCase):
    def test_equality(self) -> None:
        condition = Q(books__pages=1)
        self.assertEqual(
            FilteredRelation("books", condition=condition),
            FilteredRelation("books", condition=Q(books__pages=1)),
        )
        self.assertNotEqual(FilteredRelation("books"), FilteredRelation("edited"))
