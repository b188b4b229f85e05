"""QuerySet.extra(): the same rows and errors as Django 5.2 (the fragments are written in SQL
that SQLite, PostgreSQL and MariaDB all accept)."""

from __future__ import annotations

from typing import Any

from .base import DifferentialTestCase, rows_of
from .models import Author


def extra_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Author, Book, Count = m["Author"], m["Book"], m["Count"]
    authors = Author.objects.order_by("pk")
    books = Book.objects.order_by("pk")
    return {
        "select_param": lambda: rows_of(
            authors.extra(select={"x": "age + %s"}, select_params=[1]).values_list("name", "x")
        ),
        "select_attribute": lambda: [
            (a.name, a.double) for a in authors.extra(select={"double": "age * 2"})
        ],
        "select_params_stay_tied": lambda: rows_of(
            authors.extra(select={"alpha": "%s"}, select_params=(1,))
            .extra(select={"beta": "%s"}, select_params=(2,))
            .values_list("alpha", "beta")[:1]
        ),
        "select_two_params": lambda: rows_of(
            authors.extra(
                select={"a": "age + %s", "b": "age - %s"}, select_params=(10, 20)
            ).values_list("a", "b")
        ),
        "select_escaped_percent": lambda: rows_of(
            authors.extra(select={"p": "'100%%'"}).values_list("p", flat=True)[:1]
        ),
        "where_params": lambda: rows_of(
            authors.extra(where=["age > %s", "name <> %s"], params=[30, "Bob"]).values_list(
                "name", flat=True
            )
        ),
        "where_or_anded": lambda: rows_of(
            authors.extra(where=["name = 'Ann' OR name = 'Bob'", "age < 40"]).values_list(
                "name", flat=True
            )
        ),
        "where_with_filter": lambda: rows_of(
            authors.filter(age__lt=50)
            .extra(where=["rating IS NOT NULL"])
            .exclude(name="Cid")
            .values_list("name", flat=True)
        ),
        "tables": lambda: rows_of(
            books.extra(
                tables=["query_power_author"],
                where=[
                    "query_power_author.id = query_power_book.author_id",
                    "query_power_author.name = %s",
                ],
                params=["Ann"],
            ).values_list("title", flat=True)
        ),
        "order_by_extra_select": lambda: rows_of(
            Author.objects.extra(select={"neg": "0 - age"}, order_by=["neg"]).values_list(
                "name", flat=True
            )
        ),
        "order_by_extra_select_desc": lambda: rows_of(
            Author.objects.extra(select={"neg": "0 - age"})
            .order_by("-neg")
            .values_list("name", flat=True)
        ),
        "order_by_table_column": lambda: rows_of(
            Author.objects.extra(order_by=["-query_power_author.age"]).values_list(
                "name", flat=True
            )
        ),
        "order_by_replaces_extra": lambda: rows_of(
            Author.objects.extra(order_by=["-age"]).order_by("age").values_list("name", flat=True)
        ),
        "extra_order_by_reversed": lambda: rows_of(
            Author.objects.extra(order_by=["age"]).reverse().values_list("name", flat=True)
        ),
        "values_all_then_extra": lambda: [
            [(key, value) for key, value in row.items() if key != "id"]  # sequences differ
            for row in authors.values().extra(select={"x": "age + 1"})[:1]
        ],
        "values_list_all_with_extra": lambda: [
            row[:2] + row[3:]
            for row in authors.extra(
                select={"x": "age + 1", "y": "%s"}, select_params=[7]
            ).values_list()[:1]
        ],
        "values_named_then_extra": lambda: rows_of(
            authors.values("name").extra(select={"x": "age + 1"})
        ),
        "values_extra_subset": lambda: rows_of(
            authors.extra(select={"x": "age + 1", "y": "age + 2"}).values_list("y", "name")
        ),
        "distinct_ordered_by_unselected_extra": lambda: rows_of(
            Book.objects.extra(select={"p": "pages"})
            .values_list("author__name", flat=True)
            .distinct()
            .order_by("-p")
        ),
        "tables_already_joined": lambda: rows_of(
            books.extra(
                tables=["query_power_author"], where=["query_power_author.age > %s"], params=[40]
            )
            .order_by("author", "title")
            .values_list("title", flat=True)
        ),
        "count": lambda: Author.objects.extra(where=["age > %s"], params=[30]).count(),
        "exists": lambda: Author.objects.extra(where=["age > %s"], params=[99]).exists(),
        "annotate_count": lambda: rows_of(
            authors.extra(select={"old": "age > 40"})
            .annotate(n=Count("books"))
            .values_list("name", "n")
        ),
        "in_subquery": lambda: rows_of(
            Book.objects.filter(
                author__in=Author.objects.extra(where=["age < %s"], params=[40]).values("pk")
            )
            .order_by("pk")
            .values_list("title", flat=True)
        ),
        "or_combined": lambda: rows_of(
            (authors.filter(name="Bob") | authors.extra(where=["age < %s"], params=[30]))
            .order_by("pk")
            .values_list("name", flat=True)
        ),
        "update": lambda: Author.objects.extra(where=["age > %s"], params=[40]).update(age=1),
        "sliced": lambda: Author.objects.all()[:1].extra(where=["1 = 1"]),
        "after_union": lambda: (
            Author.objects.order_by().union(Author.objects.order_by()).extra(where=["1 = 1"])
        ),
        "bad_alias": lambda: Author.objects.extra(select={"x y": "1"}),
    }


class ExtraTests(DifferentialTestCase):
    def test_extra(self) -> None:
        self.compare(extra_scenarios)

    def test_values_are_parameters(self) -> None:
        hostile = "x'); DROP TABLE query_power_author; --"
        self.assertEqual(list(Author.objects.extra(where=["name = %s"], params=[hostile])), [])
        self.assertEqual(Author.objects.count(), 3)
