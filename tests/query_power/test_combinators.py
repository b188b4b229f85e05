"""union(), intersection(), difference(): the same rows and errors as Django 5.2.

Every model here has Meta.ordering, which SQLite refuses inside a compound statement (Django's
DatabaseError), so the differential scenarios clear it with order_by() on each part; the
backend-specific behaviour (ordering and slicing inside parts) is tested per feature flag.
"""

from __future__ import annotations

from typing import Any

from tether.db import DatabaseError, NotSupportedError, connection
from tether.test import skipIfDBFeature, skipUnlessDBFeature

from .base import DifferentialTestCase, rows_of
from .models import Author, Book


def out(queryset: Any) -> list[Any]:
    """Rows comparable across the two ORMs: model instances by their str()."""
    return [str(row) if hasattr(row, "_meta") else row for row in rows_of(queryset)]


def combinator_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Author, Book, F, Count = m["Author"], m["Book"], m["F"], m["Count"]
    a = Author.objects.order_by()
    b = Book.objects.order_by()
    young, old = a.filter(age__lt=40), a.filter(age__gt=50)
    return {
        "union_models": lambda: sorted(map(str, young.union(old))),
        "union_ordered": lambda: out(young.union(old).order_by("-name")),
        "union_ordered_expression": lambda: out(
            a.filter(age=34).union(a.filter(age=28)).order_by(F("age").desc())
        ),
        "union_ordered_by_fk": lambda: out(
            b.filter(pages__lt=150).union(b.filter(pages__gt=400)).order_by("author", "title")
        ),
        "union_values_list_two_models": lambda: out(
            a.values_list("name", "age").union(b.values_list("title", "pages")).order_by("-age")
        ),
        "union_values_two_models": lambda: out(
            a.values("name").union(b.values("title")).order_by("name")
        ),
        "union_values_after": lambda: out(
            a.union(a).values_list("name", flat=True).order_by("name")
        ),
        "union_values_dicts_after": lambda: out(a.union(a).values("name", "age").order_by("age")),
        "union_values_list_ordered": lambda: out(
            a.union(a).values_list("name", "age").order_by("-age")
        ),
        "union_count": lambda: a.union(a).count(),
        "union_all_count": lambda: a.union(a, all=True).count(),
        "union_all_rows": lambda: out(
            young.values_list("name", flat=True)
            .union(a.values_list("name"), all=True)
            .order_by("name")
        ),
        "union_exists": lambda: a.union(a).exists(),
        "union_empty_exists": lambda: a.filter(age=1).union(a.filter(age=2)).exists(),
        "union_slice": lambda: out(a.union(a).order_by("age")[1:2]),
        "union_slice_unordered_len": lambda: len(a.filter(age=34).union(a.filter(age=28))[:1]),
        "union_first": lambda: str(a.union(a).order_by("name").first()),
        "union_last": lambda: str(a.union(a).order_by("name").last()),
        "union_reverse": lambda: out(a.union(a).order_by("name").reverse()),
        "union_get": lambda: str(a.filter(age=34).union(a.filter(age=1)).get()),
        "union_get_filters": lambda: a.filter(age=34).union(a.filter(age=28)).get(name="x"),
        "union_three": lambda: out(
            a.filter(age=34).union(a.filter(age=28), a.filter(age=51)).order_by("-age")
        ),
        "union_nested": lambda: out(
            a.union(a.filter(age=1).union(a.filter(age=34))).order_by("name")
        ),
        "union_none_first": lambda: out(a.none().union(a.filter(age=34))),
        "union_none_second": lambda: out(a.filter(age=34).union(a.none())),
        "union_none_sliced": lambda: out(a.filter(age=34).union(a.none())[:1]),
        "union_none_both": lambda: out(a.none().union(a.none())),
        "union_annotated": lambda: out(
            a.annotate(n=Count("books"))
            .union(a.annotate(n=Count("edited")))
            .order_by("n", "name")
            .values_list("name", "n")
        ),
        "union_in_subquery": lambda: out(
            Author.objects.filter(
                pk__in=a.filter(age=34).union(a.filter(age=28)).values("pk")
            ).values_list("name", flat=True)
        ),
        "union_with_params": lambda: out(
            a.filter(name__startswith="A")
            .union(a.filter(name__startswith="C"), a.filter(age__gte=51))
            .order_by("name")
        ),
        "union_outerref_exists": lambda: out(
            Author.objects.filter(
                m["Exists"](
                    b.filter(author=m["OuterRef"]("pk"), pages__gt=400).union(
                        b.filter(editor=m["OuterRef"]("pk"))
                    )
                )
            ).values_list("name", flat=True)
        ),
        "union_order_by_unselected": lambda: out(
            a.filter(age__lt=40)
            .union(a.filter(age__gt=50))
            .order_by("-age")
            .values_list("name", flat=True)
        ),
        "union_order_by_expression": lambda: out(
            a.union(a).order_by(F("age") * -1).values_list("name", flat=True)
        ),
        "union_none_after": lambda: out(a.union(a).none()),
        "xor": lambda: out((a.filter(age__lt=40) ^ a.filter(age__gt=30)).order_by("name")),
        "xor_after_union": lambda: a.union(a) ^ a,
        "intersection": lambda: out(a.intersection(young).order_by("name")),
        "intersection_none": lambda: out(a.intersection(a.none())),
        "difference": lambda: out(a.difference(young).order_by("name")),
        "difference_none_second": lambda: out(a.difference(a.none()).order_by("name")),
        "difference_none_first": lambda: out(a.none().difference(a)),
        "intersection_then_difference": lambda: out(
            a.intersection(young).difference(a.filter(name="Ann"))
        ),
        "difference_values": lambda: sorted(
            a.values_list("age", flat=True).difference(b.values_list("pages", flat=True))
        ),
        "filter_after": lambda: a.union(a).filter(age=3),
        "exclude_after": lambda: a.union(a).exclude(age=3),
        "annotate_after": lambda: a.union(a).annotate(n=Count("books")),
        "distinct_after": lambda: a.union(a).distinct(),
        "select_related_after": lambda: a.union(a).select_related("books"),
        "defer_after": lambda: a.union(a).defer("age"),
        "only_after": lambda: a.intersection(a).only("age"),
        "update_after": lambda: a.difference(a).update(age=3),
        "delete_after": lambda: a.union(a).delete(),
        "order_by_missing": lambda: list(
            a.values_list("name").union(a.values_list("name")).order_by("age")
        ),
        "order_by_unknown": lambda: list(a.union(a).order_by("nope")),
        "and_after": lambda: a.union(a) & a,
    }


class CombinatorTests(DifferentialTestCase):
    def test_combinators(self) -> None:
        self.compare(combinator_scenarios)

    @skipIfDBFeature("supports_slicing_ordering_in_compound")
    def test_ordering_in_a_part_is_refused(self) -> None:
        with self.assertRaisesMessage(
            DatabaseError, "ORDER BY not allowed in subqueries of compound statements."
        ):
            list(Author.objects.union(Author.objects.all()))
        with self.assertRaisesMessage(
            DatabaseError, "LIMIT/OFFSET not allowed in subqueries of compound statements."
        ):
            list(Author.objects.order_by()[:1].union(Author.objects.order_by()))

    @skipUnlessDBFeature("supports_slicing_ordering_in_compound")
    def test_ordering_and_slicing_in_parts(self) -> None:
        oldest = Author.objects.order_by("-age")[:1]
        youngest = Author.objects.order_by("age")[:1]
        self.assertEqual(
            sorted(oldest.union(youngest).values_list("name", flat=True)), ["Bob", "Cid"]
        )
        self.assertEqual(
            list(oldest.union(youngest).order_by("name").values_list("name", flat=True)),
            ["Bob", "Cid"],
        )
        two_oldest = Author.objects.order_by("-age")[:2]  # the cached statement, new LIMIT
        self.assertEqual(
            list(two_oldest.union(youngest).order_by("name").values_list("name", flat=True)),
            ["Ann", "Bob", "Cid"],
        )
        self.assertEqual(oldest.union(youngest, Author.objects.all()).count(), 3)
        self.assertEqual(len(Author.objects.union(Author.objects.all())[:1]), 1)
        only_part = Author.objects.order_by("-age")[:2].union(Author.objects.none())
        self.assertEqual([a.name for a in only_part.order_by("age")[:1]], ["Ann"])
        nested = Book.objects.order_by("-pages")[:2].union(Book.objects.order_by("pages")[:1])
        self.assertEqual(
            list(Book.objects.filter(pk__in=nested.values("pk")).values_list("title", flat=True)),
            ["Beta", "Delta", "Gamma"],
        )

    @skipUnlessDBFeature("supports_select_intersection", "supports_select_difference")
    def test_features(self) -> None:
        features = connection.features
        self.assertTrue(features.supports_select_union)
        self.assertEqual(features.supports_parentheses_in_compound, connection.vendor != "sqlite")

    def test_unsupported_combinator(self) -> None:
        features = connection.features
        cls = type(features)
        original = cls.__dict__.get("supports_select_difference")
        cls.supports_select_difference = False  # type: ignore[attr-defined]
        try:
            with self.assertRaisesMessage(
                NotSupportedError, "difference is not supported on this database backend."
            ):
                list(Author.objects.order_by().difference(Author.objects.order_by()))
        finally:
            if original is None:
                del cls.supports_select_difference
            else:
                cls.supports_select_difference = original
