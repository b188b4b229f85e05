"""Math functions: the same values and types as Django 5.2 (differential), on each backend."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tether.db import connection

from .base import DifferentialTestCase


def typed(rows: Any) -> list[Any]:
    """Each value with its type; floats and decimals to 9 significant digits (backends
    compute in double or exact numeric, and differ beyond)."""

    def one(value: Any) -> Any:
        if isinstance(value, float | Decimal):
            return (type(value).__name__, float(f"{round(float(value), 12):.9g}"))
        return (type(value).__name__, value)

    return [tuple(one(v) for v in row) if isinstance(row, tuple) else one(row) for row in rows]


UNARY = "ATan Cos Cot Degrees Radians Sin Tan Abs Ceil Floor Sign Round".split()
# Decimal arithmetic by a decimal: SQLite divides whole decimals (stored as integers) as
# integers, in Django as in tether, where the servers do not.
CENT = Decimal("0.01")
UNIT = ["ACos", "ASin"]  # arguments in [-1, 1]
POSITIVE = ["Ln", "Sqrt", "Exp"]


def math_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, Author, F = m["Book"], m["Author"], m["F"]
    books = Book.objects.order_by("pk")
    authors = Author.objects.order_by("pk")

    def on_books(expression: Any) -> Any:
        return lambda: typed(books.annotate(x=expression).values_list("x", flat=True))

    def on_authors(expression: Any) -> Any:
        return lambda: typed(authors.annotate(x=expression).values_list("x", flat=True))

    scenarios: dict[str, Any] = {}
    for name in UNARY:
        f = m[name]
        scenarios[f"{name}_int"] = on_books(f(F("pages") - 201))
        scenarios[f"{name}_decimal"] = on_books(f(F("price") - 20))
        scenarios[f"{name}_float_and_null"] = on_authors(f(F("rating") - 3.9))
    for name in UNIT:
        f = m[name]
        scenarios[f"{name}_int"] = on_books(f(m["Sign"](F("flags") - 5)))
        scenarios[f"{name}_decimal"] = on_books(f(F("price") * CENT))
        scenarios[f"{name}_float_and_null"] = on_authors(f(F("rating") / 10))
    for name in POSITIVE:
        f = m[name]
        scenarios[f"{name}_int"] = on_books(f(F("flags") + 1))
        scenarios[f"{name}_decimal"] = on_books(f(F("price") * CENT * 10))
        scenarios[f"{name}_float_and_null"] = on_authors(f(F("rating")))
    for name, first in (("ATan2", "pages"), ("Log", "pages"), ("Mod", "pages"), ("Power", "flags")):
        f = m[name]
        scenarios[f"{name}_int"] = on_books(f(F("flags") + 2, F(first)))
        scenarios[f"{name}_decimal"] = on_books(f(F("price"), F(first)))
        scenarios[f"{name}_decimal_pair"] = on_books(f(F("price"), F("price") * CENT * 25))
        scenarios[f"{name}_float_and_null"] = on_books(f(F("author__rating"), F(first)))
    scenarios.update(
        {
            # MariaDB sends PI() as 3.141593 (Django's test allows 5 places).
            "Pi": lambda: [
                (type(x).__name__, round(x, 5))
                for x in authors.annotate(x=m["Pi"]()).values_list("x", flat=True)
            ],
            "Round_precision": on_books(m["Round"](F("price") * CENT * 33, 2)),
            "Round_precision_float": on_authors(m["Round"](F("rating") / 7, 3)),
            "Round_precision_int": on_books(m["Round"](F("pages"), 2)),
            "Power_float_exponent": on_authors(m["Power"](F("age"), 0.5)),
            "Random": lambda: [
                (type(x).__name__, 0 <= x < 1)
                for x in authors.annotate(x=m["Random"]()).values_list("x", flat=True)
            ],
            "Random_ordering_and_aggregate": lambda: (
                sorted(Book.objects.order_by(m["Random"]()).values_list("title", flat=True)),
                sorted(
                    (a, n)
                    for a, n in Book.objects.annotate(r=m["Random"]())
                    .values("author__name")
                    .annotate(n=m["Count"]("pk"))
                    .values_list("author__name", "n")
                ),
            ),
            "filter_on_function": lambda: list(
                books.annotate(x=m["Sqrt"]("pages"))
                .filter(x__gt=12)
                .values_list("title", flat=True)
            ),
            "nested": on_books(m["Round"](m["Degrees"](m["ATan2"](F("flags"), F("pages"))), 4)),
            "arity_log": lambda: m["Log"](F("pages")),
            "arity_abs": lambda: m["Abs"](F("pages"), F("flags")),
            "arity_pi": lambda: m["Pi"](F("pages")),
            "repr": lambda: [
                repr(m["Round"](F("price"), 2)),
                repr(m["Sqrt"]("pages")),
                repr(m["Pi"]()),
            ],
            "output_fields": lambda: [
                type(e.resolve_expression(Book.objects.all().query).output_field).__name__
                for e in (
                    m["Sqrt"]("pages"),
                    m["Sqrt"]("price"),
                    m["Abs"]("pages"),
                    m["Ceil"]("price"),
                    m["Round"]("flags", 1),
                    m["Power"]("pages", "price"),
                    m["Pi"](),
                    m["Random"](),
                )
            ],
        }
    )
    return scenarios


def transform_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """Registered on a field, the one-argument functions are transforms (`price__abs`)."""
    Book, DecimalField, IntegerField = m["Book"], m["DecimalField"], m["IntegerField"]

    def registered(field: Any, function: Any, query: Any) -> Any:
        def run() -> Any:
            field.register_lookup(function)
            try:
                return query()
            finally:
                field._unregister_lookup(function)

        return run

    books = Book.objects.order_by("pk")
    return {
        "abs_filter": registered(
            DecimalField,
            m["Abs"],
            lambda: list(books.filter(price__abs__gt=20).values_list("title", flat=True)),
        ),
        "sqrt_chain": registered(
            IntegerField,
            m["Sqrt"],
            lambda: list(books.filter(pages__sqrt__lt=12).values_list("title", flat=True)),
        ),
        "values_transform": registered(
            DecimalField,
            m["Ceil"],
            lambda: typed(books.values_list("price__ceil", flat=True)),
        ),
        "order_by_transform": registered(
            IntegerField,
            m["Sqrt"],
            lambda: list(books.order_by("-flags__sqrt").values_list("title", flat=True)),
        ),
        "round_transform": registered(
            DecimalField,
            m["Round"],
            lambda: list(books.filter(price__round=25).values_list("title", flat=True)),
        ),
    }


class MathFunctionTests(DifferentialTestCase):
    def test_math_functions(self) -> None:
        self.compare(math_scenarios)

    def test_registered_as_transforms(self) -> None:
        self.compare(transform_scenarios)

    def test_negative_precision(self) -> None:
        # SQLite's ROUND has no negative precision: Django's ValueError, before any SQL.
        from tether.models.functions import Round

        from .models import Book

        query = Book.objects.order_by("pk").annotate(x=Round("pages", -2)).values_list("x")
        if connection.vendor == "sqlite":
            with (
                self.assertNumQueries(0),
                self.assertRaisesMessage(ValueError, "SQLite does not support negative precision."),
            ):
                list(query)
        else:
            self.assertEqual([x for (x,) in query], [100, 300, 100, 500, 200])
