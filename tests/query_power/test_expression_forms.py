"""Value, ~F, Q as an expression, ExpressionList, RawSQL and OrderBy: the same results, output
types and errors as Django 5.2 on the same backend (differential)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from .base import DifferentialTestCase, rows_of
from .test_window import _error


def typed(rows: Any) -> list[Any]:
    """Each value with its type's name, so that int, float, Decimal and bool are told apart."""

    def one(value: Any) -> Any:
        return (type(value).__name__, value)

    return [tuple(map(one, row)) if isinstance(row, tuple) else one(row) for row in rows]


def value_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, Value, F = m["Book"], m["Value"], m["F"]
    one = Book.objects.filter(pk=r["b1"].pk)

    def annotated(value: Any, **kwargs: Any) -> Any:
        return lambda: typed(one.annotate(x=Value(value, **kwargs)).values_list("x", flat=True))

    scenarios = {
        "int": annotated(7),
        "negative_int": annotated(-7),
        "float": annotated(1.5),
        "decimal": annotated(Decimal("-3.25")),
        "text": annotated("héllo ✓"),
        "empty_text": annotated(""),
        "true": annotated(True),
        "false": annotated(False),
        "none": annotated(None),
        # MariaDB sends a selected date parameter back as text, and no converter reads it.
        "date": annotated(datetime.date(2020, 2, 29)),
        "none_typed": annotated(None, output_field=m["IntegerField"]()),
        "int_as_decimal": annotated(
            3, output_field=m["DecimalField"](max_digits=5, decimal_places=2)
        ),
        "arithmetic_types": lambda: typed(
            one.annotate(
                a=F("pages") + Value(1),
                b=F("pages") * Value(0.5),
                c=F("price") + Value(Decimal("0.25")),
                d=F("pages") / Value(7),
                e=Value(-1) * F("flags"),
            ).values_list("a", "b", "c", "d", "e")
        ),
        "filter_by_value": lambda: rows_of(
            Book.objects.filter(pages__gt=Value(150)).order_by("pk").values_list("title", flat=True)
        ),
        "int_plus_decimal": lambda: typed(
            one.annotate(x=F("pages") + F("price")).values_list("x", flat=True)
        ),
        "mixed_types_error": lambda: list(
            one.annotate(x=F("title") + F("published")).values_list("x", flat=True)
        ),
        "output_fields": lambda: [
            type(Value(v)._resolve_output_field()).__name__
            for v in (1, 1.5, Decimal(1), "a", True, datetime.date(2020, 1, 1), b"x")
        ],
        "unknown_output_field": lambda: _error(lambda: Value(object())._resolve_output_field()),
        "repr": lambda: [repr(Value(1)), repr(Value("a")), repr(Value(None))],
    }
    return scenarios


def negation_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """~F and Q/ExpressionWrapper of a condition as expressions, in annotate, filter and
    order_by."""
    Book, F, Q = m["Book"], m["F"], m["Q"]
    BooleanField, ExpressionWrapper, Exists = m["BooleanField"], m["ExpressionWrapper"], m["Exists"]
    books = Book.objects.order_by("pk")

    def big() -> Any:
        return ExpressionWrapper(Q(pages__gt=150), output_field=BooleanField())

    return {
        "wrapped_q": lambda: typed(books.annotate(x=big()).values_list("x", flat=True)),
        "q_annotation": lambda: typed(
            books.annotate(x=Q(pages__gt=150) | Q(editor=None)).values_list("x", flat=True)
        ),
        "negated_q_annotation": lambda: typed(
            books.annotate(x=~Q(pages__gt=150)).values_list("x", flat=True)
        ),
        "invert_f": lambda: typed(
            books.annotate(b=big()).annotate(x=~F("b")).values_list("b", "x")
        ),
        "filter_invert_f": lambda: rows_of(
            books.annotate(b=big()).filter(~F("b")).values_list("title", flat=True)
        ),
        "filter_f": lambda: rows_of(
            books.annotate(b=big()).filter(F("b")).values_list("title", flat=True)
        ),
        "double_invert": lambda: rows_of(
            books.annotate(b=big()).filter(~~F("b")).values_list("title", flat=True)
        ),
        "invert_exists": lambda: rows_of(
            books.filter(
                ~Exists(Book.objects.filter(editor=m["OuterRef"]("author"), pages__gt=100))
            ).values_list("title", flat=True)
        ),
        "order_by_q": lambda: rows_of(
            Book.objects.order_by(
                ExpressionWrapper(Q(flags__gt=4), output_field=BooleanField()).desc(), "title"
            ).values_list("title", flat=True)
        ),
        "q_in_case": lambda: typed(
            books.annotate(
                x=m["Case"](m["When"](Q(pages__lt=150) & ~Q(flags=0), then=F("pages")), default=0)
            ).values_list("x", flat=True)
        ),
        "invert_non_conditional": lambda: list(books.annotate(x=~F("pages"))),
        "invert_repr": lambda: repr(~F("b")),
        "invert_twice_repr": lambda: repr(~~F("b")),
    }


def expression_list_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, F, ExpressionList, Window = m["Book"], m["F"], m["ExpressionList"], m["Window"]
    Rank, Func, Value, OrderBy = m["Rank"], m["Func"], m["Value"], m["OrderBy"]
    books = Book.objects.order_by("pk")
    return {
        "partition_by": lambda: rows_of(
            books.annotate(
                r=Window(
                    Rank(),
                    partition_by=ExpressionList(F("author"), F("editor")),
                    order_by=F("pages").desc(),
                )
            ).values_list("title", "r")
        ),
        "order_by": lambda: rows_of(
            books.annotate(
                r=Window(Rank(), order_by=ExpressionList(F("author").asc(), F("pages").desc()))
            ).values_list("title", "r")
        ),
        "function_argument": lambda: rows_of(
            books.annotate(
                x=Func(
                    ExpressionList(F("title"), Value("!")),
                    function="COALESCE",
                    output_field=m["CharField"](),
                )
            ).values_list("x", flat=True)
        ),
        "str": lambda: str(ExpressionList(F("a"), F("b"))),
        "repr": lambda: repr(ExpressionList(F("a"), Value(1))),
        "empty": lambda: _error(lambda: ExpressionList()),
        "order_by_expression": lambda: repr(OrderBy(ExpressionList(F("a")))),
    }


def raw_sql_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, RawSQL, F = m["Book"], m["RawSQL"], m["F"]
    IntegerField = m["IntegerField"]
    books = Book.objects.order_by("pk")
    table = Book._meta.db_table
    return {
        "annotate": lambda: typed(
            books.annotate(x=RawSQL("pages + %s", (5,), output_field=IntegerField())).values_list(
                "x", flat=True
            )
        ),
        "annotate_text_param": lambda: rows_of(
            books.annotate(x=RawSQL("%s", ("it's ✓",), output_field=m["CharField"]())).values_list(
                "x", flat=True
            )
        ),
        "filter": lambda: rows_of(
            books.filter(pages__gt=RawSQL("%s * 2", (100,))).values_list("title", flat=True)
        ),
        "filter_in_subselect": lambda: rows_of(
            books.filter(
                pk__in=RawSQL(f"SELECT id FROM {table} WHERE pages < %s", (150,))
            ).values_list("title", flat=True)
        ),
        "order_by": lambda: rows_of(
            Book.objects.order_by(RawSQL("flags", ()).desc()).values_list("title", flat=True)
        ),
        "order_by_asc_nulls": lambda: rows_of(
            Book.objects.order_by(
                RawSQL("editor_id", ()).asc(nulls_first=True), "title"
            ).values_list("title", flat=True)
        ),
        "in_expression": lambda: typed(
            books.annotate(
                x=m["ExpressionWrapper"](
                    RawSQL("pages", ()) - F("flags"), output_field=IntegerField()
                )
            ).values_list("x", flat=True)
        ),
        "group_by": lambda: rows_of(
            Book.objects.annotate(y=RawSQL("flags %% 2", (), output_field=IntegerField()))
            .values("y")
            .annotate(n=m["Count"]("pk"))
            .order_by("y")
            .values_list("y", "n")
        ),
        "update": lambda: (
            Book.objects.filter(pk=r["b2"].pk).update(pages=RawSQL("pages - %s", (1,))),
            Book.objects.get(pk=r["b2"].pk).pages,
        ),
        "repr": lambda: repr(RawSQL("a = %s", (1,))),
        "equality": lambda: (
            RawSQL("a", (1,)) == RawSQL("a", (1,)),
            RawSQL("a", (1,)) == RawSQL("a", (2,)),
        ),
    }


def order_by_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Author, Book, F, OrderBy = m["Author"], m["Book"], m["F"], m["OrderBy"]
    Lower = m["Lower"]

    def authors(*ordering: Any) -> Any:
        return lambda: rows_of(Author.objects.order_by(*ordering).values_list("name", flat=True))

    return {
        "descending": authors(OrderBy(F("age"), descending=True)),
        "ascending": authors(OrderBy(F("age"))),
        "nulls_first": authors(OrderBy(F("rating"), nulls_first=True)),
        "nulls_last_desc": authors(OrderBy(F("rating"), descending=True, nulls_last=True)),
        "nulls_first_desc": authors(OrderBy(F("rating"), descending=True, nulls_first=True)),
        "function": lambda: rows_of(
            Book.objects.order_by(OrderBy(Lower("title"), descending=True)).values_list(
                "title", flat=True
            )
        ),
        "reverse": lambda: rows_of(
            Author.objects.order_by(OrderBy(F("rating"), nulls_last=True))
            .reverse()
            .values_list("name", flat=True)
        ),
        "annotation": lambda: rows_of(
            Book.objects.annotate(p=F("pages") % 100)
            .order_by(OrderBy(F("p"), descending=True), "title")
            .values_list("title", flat=True)
        ),
        "in_window": lambda: rows_of(
            Book.objects.order_by("pk")
            .annotate(
                r=m["Window"](m["RowNumber"](), order_by=OrderBy(F("price"), descending=True))
            )
            .values_list("title", "r")
        ),
        "both_nulls": lambda: _error(lambda: OrderBy(F("a"), nulls_first=True, nulls_last=True)),
        "nulls_false": lambda: _error(lambda: OrderBy(F("a"), nulls_first=False)),
        "not_expression": lambda: _error(lambda: OrderBy("a")),
        "repr": lambda: [
            repr(OrderBy(F("a"))),
            repr(OrderBy(F("a"), descending=True, nulls_last=True)),
            repr(F("a").desc(nulls_first=True)),
        ],
        "reverse_ordering": lambda: repr(OrderBy(F("a"), nulls_first=True).reverse_ordering()),
        "equality": lambda: (
            OrderBy(F("a")) == F("a").asc(),
            OrderBy(F("a")) == F("a").desc(),
        ),
    }


class ExpressionFormTests(DifferentialTestCase):
    def test_value(self) -> None:
        self.compare(value_scenarios)

    def test_negation_and_q_expressions(self) -> None:
        self.compare(negation_scenarios)

    def test_expression_list(self) -> None:
        self.compare(expression_list_scenarios)

    def test_raw_sql(self) -> None:
        self.compare(raw_sql_scenarios)

    def test_order_by(self) -> None:
        self.compare(order_by_scenarios)
