"""Cast, Coalesce, Collate, Greatest, Least, NullIf, and Transform as a function: the same
results as Django 5.2 (differential; Django on the same backend), and the per-backend differences
Django documents (NULL in Greatest/Least, collation names) checked against Django's rule."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from tether.db import connection
from tether.models import F, Value
from tether.models.functions import Collate, Greatest, Least

from .base import DifferentialTestCase, rows_of
from .models import Author, Book
from .test_window import _error


def cast_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, Author, Cast, F, Value = m["Book"], m["Author"], m["Cast"], m["F"], m["Value"]
    books = Book.objects.order_by("pk")

    def cast(expression: Any, field: Any, qs: Any = books) -> Any:
        return rows_of(qs.annotate(x=Cast(expression, field)).values_list("x", flat=True))

    return {
        "to_float": lambda: cast("pages", m["FloatField"]()),
        # Whole prices only: rounding of a fraction differs per backend, in Django too.
        "to_integer": lambda: cast(
            "price", m["IntegerField"](), books.filter(price__in=[Decimal(25), Decimal(40)])
        ),
        "text_to_integer": lambda: cast(Value("12"), m["IntegerField"]()),
        "to_char": lambda: cast("pages", m["CharField"](max_length=10)),
        "to_char_no_length": lambda: cast("pages", m["CharField"]()),
        "to_text": lambda: cast("pages", m["TextField"]()),
        "to_decimal": lambda: cast("pages", m["DecimalField"](max_digits=8, decimal_places=2)),
        "to_date": lambda: cast(Value("2020-01-05"), m["DateField"]()),
        "date_to_datetime": lambda: cast("published", m["DateTimeField"]()),
        "to_json": lambda: cast(Value('{"a": [1, 2]}'), m["JSONField"]()),
        "null": lambda: cast(Value(None), m["IntegerField"]()),
        "nullable_column": lambda: cast(
            "rating", m["IntegerField"](), Author.objects.order_by("pk")
        ),
        "in_filter": lambda: rows_of(
            books.annotate(x=Cast("pages", m["CharField"](max_length=10)))
            .filter(x="300")
            .values_list("title", flat=True)
        ),
        "expression": lambda: cast(F("pages") + 1, m["FloatField"]()),
        "output_field": lambda: type(Cast("pages", m["FloatField"]()).output_field).__name__,
        "repr": lambda: repr(Cast("pages", m["FloatField"]())),
        "arity": lambda: _error(lambda: Cast("pages")),
    }


def coalesce_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, Author, Coalesce, Value = m["Book"], m["Author"], m["Coalesce"], m["Value"]
    Sum, Count = m["Sum"], m["Count"]
    books = Book.objects.order_by("pk")
    authors = Author.objects.order_by("pk")
    return {
        "columns": lambda: rows_of(
            books.annotate(x=Coalesce("editor__name", "author__name")).values_list("x", flat=True)
        ),
        "value": lambda: rows_of(
            authors.annotate(x=Coalesce("rating", Value(0.0))).values_list("x", flat=True)
        ),
        "three": lambda: rows_of(
            books.annotate(
                x=Coalesce("editor__rating", Value(None), "author__rating", Value(-1.0))
            ).values_list("x", flat=True)
        ),
        "aggregate_default": lambda: books.filter(pages__gt=1000).aggregate(
            x=Coalesce(Sum("pages"), 0)
        ),
        "aggregate_none": lambda: Book.objects.none().aggregate(x=Coalesce(Sum("pages"), 42)),
        "annotate_count": lambda: rows_of(
            authors.annotate(x=Coalesce(Count("edited"), 0)).values_list("name", "x")
        ),
        "order_by": lambda: rows_of(
            books.order_by(Coalesce("editor__name", Value("")).desc(), "pk").values_list(
                "title", flat=True
            )
        ),
        "one_expression": lambda: _error(lambda: Coalesce("pages")),
        "mixed_types": lambda: _error(lambda: list(books.annotate(x=Coalesce("title", "pages")))),
        "mixed_types_output_field": lambda: rows_of(
            books.annotate(
                x=Coalesce("editor__age", "pages", output_field=m["IntegerField"]())
            ).values_list("x", flat=True)
        ),
    }


def other_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, F, Value = m["Book"], m["F"], m["Value"]
    Greatest, Least, NullIf, Collate = m["Greatest"], m["Least"], m["NullIf"], m["Collate"]
    books = Book.objects.order_by("pk")
    return {
        "greatest": lambda: rows_of(
            books.annotate(x=Greatest("pages", F("flags") * 30)).values_list("x", flat=True)
        ),
        "least": lambda: rows_of(
            books.annotate(x=Least("pages", F("flags") * 30, Value(100))).values_list(
                "x", flat=True
            )
        ),
        "greatest_dates": lambda: rows_of(
            books.annotate(x=Greatest("published", Value(datetime.date(2021, 1, 1)))).values_list(
                "x", flat=True
            )
        ),
        "greatest_one": lambda: _error(lambda: Greatest("pages")),
        "least_one": lambda: _error(lambda: Least("pages")),
        "greatest_filter": lambda: rows_of(
            books.annotate(x=Greatest("pages", 200))
            .filter(x__gt=200)
            .values_list("title", flat=True)
        ),
        "nullif": lambda: rows_of(
            books.annotate(x=NullIf("flags", Value(0))).values_list("x", flat=True)
        ),
        "nullif_columns": lambda: rows_of(
            books.annotate(x=NullIf("pages", F("flags") * 100)).values_list("x", flat=True)
        ),
        "nullif_arity": lambda: _error(lambda: NullIf("flags")),
        "collate_invalid": lambda: [
            _error(lambda name=name: Collate("title", name))
            for name in ("", None, "a b", "x; DROP TABLE y", "nocase'")
        ],
        "collate_repr": lambda: repr(Collate(F("title"), "nocase")),
    }


def transform_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """A user's Transform subclass is both a function and a lookup, as in Django."""
    Book, F, Transform, CharField = m["Book"], m["F"], m["Transform"], m["CharField"]
    books = Book.objects.order_by("pk")
    Shout = type("Shout", (Transform,), {"function": "UPPER", "lookup_name": "shout"})

    def registered(func: Any) -> Any:
        CharField.register_lookup(Shout)
        try:
            return func()
        finally:
            CharField._unregister_lookup(Shout)

    return {
        "as_function": lambda: rows_of(
            books.annotate(x=Shout("title")).values_list("x", flat=True)
        ),
        "nested": lambda: rows_of(
            books.annotate(x=Shout(Shout(F("title")))).values_list("x", flat=True)
        ),
        "as_lookup": lambda: registered(
            lambda: (
                rows_of(books.filter(title__shout="BETA").values_list("pk", flat=True))
                == [r["b2"].pk]
            )
        ),
        "lookup_chain": lambda: registered(
            lambda: rows_of(
                books.filter(title__shout__contains="LP").values_list("title", flat=True)
            )
        ),
        "in_values": lambda: registered(
            lambda: rows_of(books.values_list("title__shout", flat=True))
        ),
        "arity": lambda: _error(lambda: Shout("title", "pages")),
        "output_field": lambda: type(Shout(Value("a")).output_field).__name__,
    }


class CastTests(DifferentialTestCase):
    def test_cast(self) -> None:
        self.compare(cast_scenarios)


class CoalesceTests(DifferentialTestCase):
    def test_coalesce(self) -> None:
        self.compare(coalesce_scenarios)


class ComparisonTests(DifferentialTestCase):
    def test_greatest_least_nullif_collate(self) -> None:
        self.compare(other_scenarios)


class TransformAsFunctionTests(DifferentialTestCase):
    def test_transform(self) -> None:
        self.compare(transform_scenarios)


class BackendDifferenceTests(DifferentialTestCase):
    """What Django's own tests say differs per backend."""

    def test_greatest_least_with_null(self) -> None:
        authors = Author.objects.order_by("pk")
        greatest = list(
            authors.annotate(x=Greatest("rating", Value(4.0))).values_list("x", flat=True)
        )
        least = list(authors.annotate(x=Least("rating", Value(4.0))).values_list("x", flat=True))
        if connection.vendor == "postgresql":  # NULLs are ignored
            self.assertEqual(greatest, [4.5, 4.0, 4.0])
            self.assertEqual(least, [4.0, 4.0, 3.0])
        else:  # any NULL gives NULL
            self.assertEqual(greatest, [4.5, None, 4.0])
            self.assertEqual(least, [4.0, None, 3.0])

    def test_collate_orders_by_the_named_collation(self) -> None:
        names = {"sqlite": "nocase", "postgresql": "C", "mysql": "utf8mb4_bin"}
        name = names[connection.vendor]
        Book.objects.create(
            title="alpha",
            pages=1,
            price=Decimal(1),
            author=Author.objects.first(),
            published=datetime.date(2020, 1, 1),
        )
        ordered = list(
            Book.objects.order_by(Collate("title", name), "pk").values_list("title", flat=True)
        )
        if name == "nocase":
            self.assertEqual(ordered[:2], ["Alpha", "alpha"])
        else:  # binary: upper case first
            self.assertEqual(ordered[0], "Alpha")
            self.assertEqual(ordered[-1], "alpha")
        matched = Book.objects.annotate(t=Collate(F("title"), name)).filter(t="alpha").count()
        self.assertEqual(matched, 2 if name == "nocase" else 1)
