"""The output type of `lhs <operator> rhs` (Django's table of combinations): mixed numbers,
values, NULL, positive integers, and the FieldError for a mix Django cannot infer."""

from __future__ import annotations

from typing import Any

from tether.exceptions import FieldError
from tether.models import Value
from tether.models.expressions import CombinedExpression, Expression
from tether.models.fields import (
    DecimalField,
    FloatField,
    IntegerField,
    PositiveIntegerField,
)
from tether.test import SimpleTestCase

from .base import DifferentialTestCase, rows_of


def combined_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, Author = m["Book"], m["Author"]
    F, Value, Sum = m["F"], m["Value"], m["Sum"]
    books = Book.objects.order_by("pages")
    return {
        "integer_times_float_value": lambda: rows_of(
            books.annotate(x=F("pages") * Value(1.5)).values_list("x", flat=True)
        ),
        "integer_plus_decimal": lambda: rows_of(
            books.annotate(x=F("pages") + F("price")).values_list("x", flat=True)
        ),
        "decimal_times_integer_value": lambda: rows_of(
            books.annotate(x=F("price") * 2).values_list("x", flat=True)
        ),
        "integer_with_null": lambda: rows_of(
            books.annotate(x=F("pages") + Value(None)).values_list("x", flat=True)
        ),
        "foreign_key_plus_integer": lambda: rows_of(
            books.annotate(x=F("author") + 1 - F("author")).values_list("x", flat=True)
        ),
        "float_plus_decimal": lambda: list(
            Author.objects.annotate(x=F("rating") + F("books__price"))
        ),
        "sums_of_mixed_types": lambda: list(
            Book.objects.annotate(x=Sum("pages") + Sum("price") + Sum("author__rating"))
        ),
        "text_plus_integer": lambda: list(Book.objects.annotate(x=F("title") + 1)),
    }


class CombinedTypesTests(DifferentialTestCase):
    def test_combined_types(self) -> None:
        self.compare(combined_scenarios)


class CombinedOutputFieldTests(SimpleTestCase):
    def test_types(self) -> None:
        def output(lhs: Any, connector: str, rhs: Any) -> Any:
            return CombinedExpression(Expression(lhs), connector, Expression(rhs)).output_field

        self.assertIsInstance(output(IntegerField(), "*", FloatField()), FloatField)
        self.assertIsInstance(output(DecimalField(), "-", IntegerField()), DecimalField)
        positive = output(PositiveIntegerField(), "+", PositiveIntegerField())
        self.assertIsInstance(positive, PositiveIntegerField)
        difference = output(PositiveIntegerField(), "-", PositiveIntegerField())
        self.assertNotIsInstance(difference, PositiveIntegerField)
        self.assertIsInstance(difference, IntegerField)
        message = (
            "Cannot infer type of '^' expression involving these types: IntegerField, "
            "FloatField. You must set output_field."
        )
        with self.assertRaisesMessage(FieldError, message):
            output(IntegerField(), "^", FloatField())

    def test_value_takes_its_type(self) -> None:
        expr = CombinedExpression(Expression(IntegerField()), "*", Value(1.5))
        self.assertIsInstance(expr.output_field, FloatField)
