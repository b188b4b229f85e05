"""Aggregates over two multi-valued relations (issue 12 item 7): Django's multiplied numbers by
default, with MultipliedAggregateWarning only where a number really is multiplied, and the
right numbers under separate_aggregates()."""

from __future__ import annotations

import warnings
from typing import Any

from seeds.press.models import Article, Publication
from tether.db import NotSupportedError
from tether.exceptions import FieldError
from tether.models import Avg, Count, F, Max, Min, MultipliedAggregateWarning, Q, Sum
from tether.test import TestCase

from .base import DifferentialTestCase, rows_of
from .models import Author, Book

# ann wrote b1, b2, b5 and edited b3; bob wrote b3, b4 and edited b2; cid edited b5.
# Tags per book: b1 2, b2 1, b3 0, b4 3, b5 1.


def multiplied_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """Queries Django multiplies: tether's default gives the same numbers."""
    Author, Book = m["Author"], m["Book"]
    Count, Sum, Avg, Q = m["Count"], m["Sum"], m["Avg"], m["Q"]
    authors = Author.objects.order_by("name")
    return {
        "two_reverse_fks": lambda: rows_of(
            authors.annotate(nb=Count("books"), ne=Count("edited")).values_list("name", "nb", "ne")
        ),
        "sum_and_avg": lambda: rows_of(
            authors.annotate(
                s=Sum("books__pages"), a=Avg("edited__pages"), n=Count("books__tags")
            ).values_list("name", "s", "a", "n")
        ),
        "own_field_with_m2m": lambda: rows_of(
            Book.objects.order_by("title")
            .annotate(n=Count("tags"), s=Sum("pages"))
            .values_list("title", "n", "s")
        ),
        "grouped_values": lambda: rows_of(
            Book.objects.values("author__name")
            .annotate(n=Count("tags"), e=Count("author__edited"))
            .order_by("author__name")
            .values_list("author__name", "n", "e")
        ),
        "filtered": lambda: rows_of(
            authors.filter(age__lt=50)
            .annotate(nb=Count("books", filter=Q(books__pages__gt=100)), ne=Count("edited"))
            .values_list("name", "nb", "ne")
        ),
        "aggregate": lambda: Author.objects.aggregate(nb=Count("books"), ne=Count("edited")),
    }


class DjangoNumbersByDefaultTests(DifferentialTestCase):
    def test_multiplied_as_django(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MultipliedAggregateWarning)
            self.compare(multiplied_scenarios)


def _warned(build: Any) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        queryset = build()
        if hasattr(queryset, "_fetch_all"):
            list(queryset)
    return [str(w.message) for w in caught if issubclass(w.category, MultipliedAggregateWarning)]


class WarningTests(DifferentialTestCase):
    def test_warns_where_multiplied(self):
        messages = _warned(lambda: Author.objects.annotate(Count("books"), Count("edited")))
        self.assertEqual(len(messages), 2)
        self.assertIn("books__count=Count(F(books))", messages[0])
        self.assertIn("'edited'", messages[0])
        self.assertIn("separate_aggregates()", messages[0])

    def test_warning_points_at_the_callers_line(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            Author.objects.annotate(Count("books"), Count("edited"))
        self.assertEqual(caught[0].filename, __file__)

    def test_warns_across_annotate_calls_and_for_an_own_field(self):
        self.assertEqual(
            len(_warned(lambda: Author.objects.annotate(Count("books")).annotate(Count("edited")))),
            2,
        )
        messages = _warned(lambda: Book.objects.annotate(Count("tags"), Sum("pages")))
        self.assertEqual(len(messages), 1)
        self.assertIn("pages__sum", messages[0])

    def test_warns_in_aggregate(self):
        self.assertEqual(
            len(_warned(lambda: Author.objects.aggregate(Count("books"), Count("edited")))), 2
        )

    def test_no_warning_where_not_multiplied(self):
        for build in (
            # one multi-valued path, also reached deeper
            lambda: Author.objects.annotate(Count("books"), Sum("books__pages")),
            lambda: Author.objects.annotate(Count("books__tags"), Sum("books__tags__id")),
            # distinct counts and Min/Max over the multiplied rows
            lambda: Author.objects.annotate(
                Count("books", distinct=True), Count("edited", distinct=True)
            ),
            lambda: Author.objects.annotate(Max("books__pages"), Min("edited__pages")),
            # aggregate() over annotated rows reads a derived table
            lambda: Author.objects.annotate(n=Count("books")).aggregate(Sum("n"), Max("n")),
            # a multi-valued filter() is Django's documented filter/annotate interplay
            lambda: Author.objects.filter(edited__pages__gt=0).annotate(Count("books")),
            # under the switch
            lambda: Author.objects.separate_aggregates().annotate(Count("books"), Count("edited")),
        ):
            self.assertEqual(_warned(build), [])

    def test_no_warning_before_an_error(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with self.assertRaisesMessage(FieldError, "'n' is an aggregate"):
                Author.objects.aggregate(n=Count("books"), s=Sum("n"))

    def test_no_warning_under_warnings_as_errors(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            rows = Author.objects.annotate(
                Count("books", distinct=True), Count("edited", distinct=True)
            ).values_list("name", "books__count", "edited__count")
            self.assertEqual(list(rows), [("Ann", 3, 1), ("Bob", 2, 1), ("Cid", 0, 1)])


class SeparateAggregatesTests(DifferentialTestCase):
    def separate(self) -> Any:
        return Author.objects.order_by("name").separate_aggregates()

    def test_counts(self):
        rows = self.separate().annotate(nb=Count("books"), ne=Count("edited"))
        self.assertEqual(
            rows_of(rows.values_list("name", "nb", "ne")),
            [("Ann", 3, 1), ("Bob", 2, 1), ("Cid", 0, 1)],
        )

    def test_model_instances(self):
        ann = self.separate().annotate(nb=Count("books"), nt=Count("books__tags")).first()
        assert ann is not None
        self.assertEqual((ann.name, ann.nb, ann.nt), ("Ann", 3, 4))

    def test_sums_averages_and_defaults(self):
        rows = self.separate().annotate(
            s=Sum("books__pages", default=0),
            a=Avg("edited__pages"),
            t=Count("books__tags"),
            mx=Max("edited__pages"),
        )
        self.assertEqual(
            rows_of(rows.values_list("name", "s", "a", "t", "mx")),
            [("Ann", 620, 80.0, 4, 80), ("Bob", 530, 300.0, 3, 300), ("Cid", 0, 200.0, 0, 200)],
        )

    def test_own_fields_stay_in_the_query(self):
        rows = (
            Book.objects.order_by("title")
            .separate_aggregates()
            .annotate(n=Count("tags"), s=Sum("pages"), twice=Count("tags") * 2)
        )
        self.assertEqual(
            rows_of(rows.values_list("title", "n", "s", "twice")),
            [
                ("Alpha", 2, 120, 4),
                ("Beta", 1, 300, 2),
                ("Delta", 3, 450, 6),
                ("Epsilon", 1, 200, 2),
                ("Gamma", 0, 80, 0),
            ],
        )

    def test_aggregate_filter_and_queryset_filter(self):
        rows = (
            self.separate()
            .filter(age__lt=50)
            .annotate(nb=Count("books", filter=Q(books__pages__gt=150)), ne=Count("edited"))
        )
        self.assertEqual(
            rows_of(rows.values_list("name", "nb", "ne")), [("Ann", 2, 1), ("Cid", 0, 1)]
        )

    def test_filter_and_order_by_the_annotation(self):
        rows = (
            self.separate()
            .annotate(nb=Count("books"), ne=Count("edited"))
            .filter(nb__gte=2)
            .order_by("-nb")
        )
        self.assertEqual(rows_of(rows.values_list("name", "nb")), [("Ann", 3), ("Bob", 2)])

    def test_values_grouping(self):
        rows = (
            Book.objects.separate_aggregates()
            .values("author__name")
            .annotate(n=Count("tags"), e=Count("author__edited"), p=Sum("pages"))
            .order_by("author__name")
        )
        # Over each group's books: ann's b1, b2, b5 have 2 + 1 + 1 tags and 3 x 1 author's
        # edited books; bob's b3, b4 0 + 3 tags and 2 x 1.
        self.assertEqual(
            rows_of(rows.values_list("author__name", "n", "e", "p")),
            [("Ann", 4, 3, 620), ("Bob", 3, 2, 530)],
        )

    def test_values_grouping_with_a_filter_and_a_null_group(self):
        rows = (
            Book.objects.separate_aggregates()
            .filter(pages__gt=100)
            .values("editor")
            .annotate(n=Count("tags"), w=Count("author__books"))
        )
        bob, cid = (self.rows[k].pk for k in ("bob", "cid"))
        # pages > 100: b1 (no editor, 2 tags), b2 (bob, 1), b4 (no editor, 3), b5 (cid, 1).
        expected = {None: (5, 5), bob: (1, 3), cid: (1, 3)}
        found = list(rows.values_list("editor", "n", "w"))
        self.assertEqual(len(found), 3)  # one row per group
        self.assertEqual({row[0]: row[1:] for row in found}, expected)

    def test_one_row_per_object_next_to_a_multi_valued_filter(self):
        rows = (
            self.separate()
            .filter(books__pages__gt=0)
            .annotate(ne=Count("edited"), nb=Count("books"))
            .order_by("name")
        )
        self.assertEqual(
            rows_of(rows.values_list("name", "ne", "nb")), [("Ann", 1, 3), ("Bob", 1, 2)]
        )

    def test_aggregate(self):
        result = Author.objects.separate_aggregates().aggregate(
            nb=Count("books"), ne=Count("edited"), a=Avg("books__pages"), n=Count("pk")
        )
        self.assertEqual(result, {"nb": 5, "ne": 3, "a": 230.0, "n": 3})
        filtered = (
            Author.objects.separate_aggregates()
            .filter(name__in=["Ann", "Cid"])
            .aggregate(nb=Count("books"), ne=Count("edited"))
        )
        self.assertEqual(filtered, {"nb": 3, "ne": 2})

    def test_aggregate_refuses_an_expression_of_separated_aggregates(self):
        with self.assertRaises(NotSupportedError):
            Author.objects.separate_aggregates().aggregate(x=Count("books") + Count("edited"))

    def test_must_come_before_annotate(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MultipliedAggregateWarning)
            with self.assertRaisesMessage(TypeError, "separate_aggregates() must be called"):
                Author.objects.annotate(Count("books")).separate_aggregates()
        Author.objects.annotate(Count("pk")).separate_aggregates()  # own rows: fine

    def test_values_after_annotate_groups_by_row(self):
        rows = (
            self.separate()
            .annotate(nb=Count("books"), ne=F("age") + Count("edited"))
            .values("name", "nb", "ne")
        )
        self.assertEqual(
            [tuple(row.values()) for row in rows],
            [("Ann", 3, 35), ("Bob", 2, 52), ("Cid", 0, 29)],
        )


class ArticlesAndPublicationsTests(TestCase):
    """The many-to-many seeds: articles per publication next to the links of those articles."""

    @classmethod
    def setUpTestData(cls) -> None:
        science, nature, times = (
            Publication.objects.create(title=title) for title in ("Science", "Nature", "Times")
        )
        for headline, publications in (
            ("A", [science, nature, times]),
            ("B", [science, nature]),
            ("C", [science]),
        ):
            Article.objects.create(headline=headline).publications.set(publications)

    def test_django_multiplies_and_warns(self):
        with self.assertWarns(MultipliedAggregateWarning):
            rows = (
                Publication.objects.order_by("title")
                .annotate(articles=Count("article"), links=Count("article__publications"))
                .values_list("title", "articles", "links")
            )
        # Science's 3 articles, each counted once per link it has: 3 + 2 + 1.
        self.assertEqual(rows_of(rows), [("Nature", 5, 5), ("Science", 6, 6), ("Times", 3, 3)])

    def test_separate_aggregates(self):
        rows = (
            Publication.objects.order_by("title")
            .separate_aggregates()
            .annotate(articles=Count("article"), links=Count("article__publications"))
            .values_list("title", "articles", "links")
        )
        self.assertEqual(rows_of(rows), [("Nature", 2, 5), ("Science", 3, 6), ("Times", 1, 3)])

    def test_articles_per_publication_alone_is_not_multiplied(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            rows = Publication.objects.annotate(n=Count("article")).order_by("-n", "title")
            self.assertEqual(
                rows_of(rows.values_list("title", "n")),
                [("Science", 3), ("Nature", 2), ("Times", 1)],
            )
