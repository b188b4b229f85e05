"""Func, F operators and ordering modifiers: the same results as Django 5.2 (differential)."""

from __future__ import annotations

from typing import Any

from .base import DifferentialTestCase, rows_of


def func_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, Author, F, Func, Value = m["Book"], m["Author"], m["F"], m["Func"], m["Value"]
    IntegerField = m["IntegerField"]
    books = Book.objects.order_by("pk")
    return {
        "func_function": lambda: rows_of(
            books.annotate(x=Func(F("pages") - 200, function="ABS")).values_list("title", "x")
        ),
        "func_template_and_extra": lambda: rows_of(
            books.annotate(
                x=Func(
                    F("pages"),
                    Value(7),
                    template="(%(expressions)s) %(op)s 2",
                    arg_joiner=" + ",
                    op="*",
                    output_field=IntegerField(),
                )
            ).values_list("x", flat=True)
        ),
        "func_in_filter": lambda: rows_of(
            books.annotate(x=Func(F("pages") - 300, function="ABS"))
            .filter(x__lt=110)
            .values_list("title", flat=True)
        ),
        "func_arity": lambda: type("One", (Func,), {"arity": 1, "function": "ABS"})(F("a"), F("b")),
        "bitand": lambda: rows_of(
            books.annotate(x=F("flags").bitand(6)).values_list("x", flat=True)
        ),
        "bitor": lambda: rows_of(books.annotate(x=F("flags").bitor(2)).values_list("x", flat=True)),
        "bitxor": lambda: rows_of(
            books.annotate(x=F("flags").bitxor(6)).values_list("x", flat=True)
        ),
        "bitleftshift": lambda: rows_of(
            books.annotate(x=F("flags").bitleftshift(2)).values_list("x", flat=True)
        ),
        "bitrightshift": lambda: rows_of(
            books.annotate(x=F("flags").bitrightshift(1)).values_list("x", flat=True)
        ),
        "bitwise_operator_error": lambda: F("flags") & 1,
        "power": lambda: rows_of(books.annotate(x=F("flags") ** 2).values_list("x", flat=True)),
        "desc_nulls_last": lambda: rows_of(
            Author.objects.order_by(F("rating").desc(nulls_last=True)).values_list(
                "name", flat=True
            )
        ),
        "asc_nulls_first": lambda: rows_of(
            Author.objects.order_by(F("rating").asc(nulls_first=True)).values_list(
                "name", flat=True
            )
        ),
        "asc_nulls_last": lambda: rows_of(
            Author.objects.order_by(F("rating").asc(nulls_last=True)).values_list("name", flat=True)
        ),
        "reverse_nulls": lambda: rows_of(
            Author.objects.order_by(F("rating").desc(nulls_first=True))
            .reverse()
            .values_list("name", flat=True)
        ),
        "order_by_func_with_value": lambda: rows_of(
            books.order_by(Func(F("pages") - Value(250), function="ABS"), "pk").values_list(
                "title", flat=True
            )
        ),
        "slice_f": lambda: rows_of(books.annotate(x=F("title")[1:3]).values_list("x", flat=True)),
        "slice_f_index": lambda: rows_of(
            books.annotate(x=F("title")[0]).values_list("x", flat=True)
        ),
        "slice_f_open": lambda: rows_of(
            books.annotate(x=F("title")[2:]).values_list("x", flat=True)
        ),
        "slice_negative": lambda: F("title")[-1],
        "slice_non_text": lambda: list(books.annotate(x=F("pages")[1:2])),
        "aggregate_default": lambda: Book.objects.filter(pages__gt=1000).aggregate(
            s=m["Sum"]("pages", default=0), c=m["Count"]("pk")
        ),
        "annotate_aggregate_of_aggregate": lambda: Author.objects.annotate(
            x=m["Sum"](m["Count"]("books"))
        ).count(),
        "aggregate_of_annotated_aggregate": lambda: Author.objects.annotate(
            n=m["Count"]("books")
        ).aggregate(x=m["Sum"]("n")),
        "count_star_filter": lambda: m["Count"]("*", filter=m["Q"](pages=1)),
        "q_equality": lambda: (
            m["Q"](a=1, b=2) == m["Q"](b=2, a=1),
            m["Q"](a=1) == m["Q"](a=2),
            hash(m["Q"](a=[1, 2])) == hash(m["Q"](a=[1, 2])),
            m["Q"](a=1).deconstruct()[1:],
        ),
        "q_create": lambda: m["Q"].create([("a", 1), ("b", 2)], connector="OR").deconstruct()[1:],
        "expression_equality": lambda: (
            F("a") + 1 == F("a") + 1,
            F("a") + 1 == F("a") + 2,
            Func(F("a"), function="X") == Func(F("a"), function="X"),
            Value(1) == Value(1),
            Value(1) == Value(2),
            len({Value(1), Value(1), Func(F("a"), function="X")}),
        ),
        "func_deconstruct": lambda: repr(Func(F("a"), function="X").deconstruct()[1:]),
        "func_repr": lambda: repr(Func(F("a"), Value(2), function="X")),
    }


class FuncTests(DifferentialTestCase):
    def test_func_and_operators(self) -> None:
        self.compare(func_scenarios)


class AggregateErrorTests(DifferentialTestCase):
    def test_aggregate_of_aggregate_fails_before_sql(self) -> None:
        # Django runs this and the database refuses it; tether says why before any SQL.
        from tether.exceptions import FieldError
        from tether.models import Count, Sum

        from .models import Author

        with (
            self.assertNumQueries(0),
            self.assertRaisesMessage(
                FieldError, "Cannot compute Sum('Count'): 'Count' is an aggregate"
            ),
        ):
            Author.objects.aggregate(x=Sum(Count("books")))
