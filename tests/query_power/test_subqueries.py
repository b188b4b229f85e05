"""Subquery, OuterRef (nested), Exists, __in with querysets: the same results as Django 5.2."""

from __future__ import annotations

from typing import Any

from .base import DifferentialTestCase, rows_of


def subquery_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, Author, Tag, Q = m["Book"], m["Author"], m["Tag"], m["Q"]
    Subquery, OuterRef, Exists, Count = m["Subquery"], m["OuterRef"], m["Exists"], m["Count"]
    authors = Author.objects.order_by("pk")
    newest = Book.objects.filter(author=OuterRef("pk")).order_by("-published", "title")
    long_books = Book.objects.filter(author=OuterRef("pk"), pages__gt=250)
    return {
        "subquery_annotation": lambda: rows_of(
            authors.annotate(newest=Subquery(newest.values("title")[:1])).values_list(
                "name", "newest"
            )
        ),
        "subquery_filter": lambda: rows_of(
            authors.annotate(newest=Subquery(newest.values("pages")[:1]))
            .filter(newest__gt=150)
            .values_list("name", flat=True)
        ),
        "subquery_count": lambda: rows_of(
            authors.annotate(
                n=Subquery(
                    Book.objects.filter(author=OuterRef("pk"))
                    .values("author")
                    .annotate(c=Count("pk"))
                    .values("c")
                )
            ).values_list("name", "n")
        ),
        "exists_filter": lambda: rows_of(
            authors.filter(Exists(long_books)).values_list("name", flat=True)
        ),
        "exists_negated": lambda: rows_of(
            authors.filter(~Exists(long_books)).values_list("name", flat=True)
        ),
        "exists_annotate": lambda: rows_of(
            authors.annotate(has=Exists(long_books)).values_list("name", "has")
        ),
        "exists_order_by": lambda: rows_of(
            authors.order_by(Exists(long_books).desc(), "name").values_list("name", flat=True)
        ),
        "exists_with_q": lambda: rows_of(
            authors.filter(Q(age__lt=30) | Exists(long_books)).values_list("name", flat=True)
        ),
        "exists_same_table": lambda: rows_of(
            Book.objects.filter(
                Exists(Book.objects.filter(author=OuterRef("author"), pages__gt=OuterRef("pages")))
            )
            .order_by("pk")
            .values_list("title", flat=True)
        ),
        "nested_outerref": lambda: rows_of(
            authors.annotate(
                x=Exists(
                    Book.objects.filter(
                        author=OuterRef("pk"),
                        pk__in=Subquery(
                            Book.objects.filter(
                                tags__label="python", editor__age__gt=OuterRef(OuterRef("age"))
                            ).values("pk")
                        ),
                    )
                )
            ).values_list("name", "x")
        ),
        "in_queryset": lambda: rows_of(
            authors.filter(pk__in=Book.objects.filter(pages__gt=250).values("author")).values_list(
                "name", flat=True
            )
        ),
        "in_queryset_of_models": lambda: rows_of(
            Book.objects.filter(author__in=Author.objects.filter(age__gt=30))
            .order_by("pk")
            .values_list("title", flat=True)
        ),
        "in_sliced_queryset": lambda: rows_of(
            Book.objects.filter(pk__in=Book.objects.order_by("-pages").values("pk")[:2])
            .order_by("pk")
            .values_list("title", flat=True)
        ),
        "in_subquery_outerref": lambda: rows_of(
            authors.filter(
                pk__in=Subquery(Book.objects.filter(editor=OuterRef("pk")).values("author"))
            ).values_list("name", flat=True)
        ),
        "m2m_exists": lambda: rows_of(
            Tag.objects.filter(Exists(Book.objects.filter(tags=OuterRef("pk"), pages__gt=250)))
            .order_by("pk")
            .values_list("label", flat=True)
        ),
        "subquery_in_values_param": lambda: rows_of(
            authors.annotate(
                n=Subquery(
                    Book.objects.filter(author=OuterRef("pk"), pages__gt=100)
                    .order_by("pages")
                    .values("pages")[:1]
                )
            ).values_list("name", "n")
        ),
        "exact_queryset": lambda: rows_of(
            Book.objects.filter(author=Author.objects.filter(name="Bob")[:1])
            .order_by("pk")
            .values_list("title", flat=True)
        ),
        "outerref_outside": lambda: list(Book.objects.filter(author=OuterRef("pk"))),
        "empty_subquery": lambda: rows_of(
            authors.annotate(
                x=Subquery(Book.objects.filter(pk__in=[]).values("pages")[:1]),
                e=Exists(Book.objects.none()),
            ).values_list("name", "x", "e")
        ),
    }


class SubqueryTests(DifferentialTestCase):
    def test_subqueries(self) -> None:
        # MariaDB refuses LIMIT in an IN subquery: tether wraps it in a derived table.
        self.compare(subquery_scenarios, {"mysql": {"in_sliced_queryset": "sliced IN"}})
