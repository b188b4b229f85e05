"""The text functions: the same results, errors and output types as Django 5.2 (differential;
Django on the same backend), on every backend."""

from __future__ import annotations

from typing import Any

from tether.db import connection

from .base import DifferentialTestCase, rows_of
from .test_window import _error


def _values(qs: Any, **annotations: Any) -> Any:
    return rows_of(qs.annotate(**annotations).values_list(*annotations))


def text_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, Author, F, Value = m["Book"], m["Author"], m["F"], m["Value"]
    books = Book.objects.order_by("pk")
    authors = Author.objects.order_by("pk")
    scenarios = {
        "lower_upper": lambda: _values(books, a=m["Lower"]("title"), b=m["Upper"]("title")),
        "length": lambda: _values(books, a=m["Length"]("title"), b=m["Length"](Value("héllo"))),
        "trims": lambda: _values(
            authors,
            a=m["LTrim"](Value("  x  ")),
            b=m["RTrim"](Value("  x  ")),
            c=m["Trim"](Value("  x  ")),
        ),
        "reverse": lambda: _values(books, a=m["Reverse"]("title"), b=m["Reverse"](Value("añb"))),
        "left_right": lambda: _values(
            books, a=m["Left"]("title", 3), b=m["Right"]("title", 2), c=m["Left"]("title", 50)
        ),
        "left_right_expression": lambda: _values(
            books, a=m["Left"]("title", F("flags")), b=m["Right"]("title", F("flags") + 1)
        ),
        "substr": lambda: _values(
            books,
            a=m["Substr"]("title", 2),
            b=m["Substr"]("title", 2, 3),
            c=m["Substr"]("title", F("flags") + 1, 2),
        ),
        "pads": lambda: _values(
            books,
            a=m["LPad"]("title", 7),
            b=m["RPad"]("title", 7, Value("-=")),
            c=m["LPad"]("title", 3, Value("*")),
            d=m["RPad"](Value("ab"), F("flags"), Value("xyz")),
            e=m["LPad"](Value("ab"), 0),
        ),
        "repeat": lambda: _values(
            books, a=m["Repeat"]("title", 2), b=m["Repeat"](Value("ab"), F("flags"))
        ),
        "replace": lambda: _values(
            books,
            a=m["Replace"]("title", Value("a"), Value("4")),
            b=m["Replace"]("title", Value("ta")),
        ),
        "strindex": lambda: _values(
            books, a=m["StrIndex"]("title", Value("l")), b=m["StrIndex"]("title", Value("zz"))
        ),
        "chr_ord": lambda: _values(
            authors,
            a=m["Chr"](Value(77)),
            b=m["Ord"]("name"),
            c=m["Chr"](F("age") + 50),
            d=m["Ord"](Value("~")),
        ),
        "hashes": lambda: _values(
            books,
            md5=m["MD5"]("title"),
            sha1=m["SHA1"]("title"),
            sha224=m["SHA224"]("title"),
            sha256=m["SHA256"]("title"),
            sha384=m["SHA384"]("title"),
            sha512=m["SHA512"](Value("ü")),
        ),
        "concat": lambda: _values(
            books,
            a=m["Concat"]("title", Value(" by "), "author__name"),
            b=m["Concat"]("title", "editor__name"),
            c=m["Concat"](Value("#"), "pages", output_field=m["CharField"]()),
        ),
        "concat_pair": lambda: _values(books, a=m["ConcatPair"]("title", Value("!"))),
        "concat_null": lambda: _values(
            books, a=m["Concat"]("editor__name", Value(None), output_field=m["CharField"]())
        ),
        "nulls": lambda: _values(
            books.filter(editor=None),
            a=m["Lower"]("editor__name"),
            b=m["Length"]("editor__name"),
            c=m["LPad"]("editor__name", 3),
            d=m["Repeat"]("editor__name", 2),
            e=m["MD5"]("editor__name"),
            f=m["Reverse"]("editor__name"),
            g=m["Left"]("editor__name", 1),
        ),
        "filter_and_order": lambda: rows_of(
            books.annotate(n=m["Length"]("title"))
            .filter(n__gt=4)
            .order_by(m["Lower"]("title").desc())
            .values_list("title", flat=True)
        ),
        "annotation_filter_by_expression": lambda: (
            rows_of(
                books.annotate(a=m["Left"]("title", 1), b=m["Upper"](m["Right"]("title", 1)))
                .filter(a=F("b"))
                .values_list("title", flat=True)
            )
            + rows_of(
                books.annotate(n=m["Length"]("title"))
                .filter(n__lte=m["Length"]("author__name") + 2)
                .values_list("title", flat=True)
            )
        ),
        "order_by_length": lambda: rows_of(
            Book.objects.order_by(m["Length"]("title"), "title").values_list("title", flat=True)
        ),
        "nested": lambda: _values(
            books, a=m["Upper"](m["Concat"](m["Left"]("title", 2), m["Reverse"]("title")))
        ),
        "update": lambda: (
            Book.objects.filter(pk=r["b1"].pk).update(title=m["Upper"](m["Reverse"]("title"))),
            Book.objects.get(pk=r["b1"].pk).title,
        ),
        "output_fields": lambda: [
            type(f.output_field).__name__
            for f in (
                m["Length"](Value("a")),
                m["Ord"](Value("a")),
                m["StrIndex"](Value("a"), Value("b")),
                m["Chr"](Value(1)),
                m["Left"](Value("a"), 1),
                m["LPad"](Value("a"), 1),
                m["Repeat"](Value("a"), 1),
                m["Substr"](Value("a"), 1),
                m["Lower"](Value("a")),
            )
        ],
        "errors": lambda: [
            _error(lambda: m["Concat"]("title")),
            _error(lambda: m["Left"]("title", 0)),
            _error(lambda: m["Right"]("title", -1)),
            _error(lambda: m["LPad"]("title", -1)),
            _error(lambda: m["RPad"]("title", -2, Value("x"))),
            _error(lambda: m["Repeat"]("title", -1)),
            _error(lambda: m["Substr"]("title", 0)),
            _error(lambda: m["StrIndex"]("title")),
            _error(lambda: m["Lower"]("title", "pages")),
            _error(lambda: m["Left"]("title")),
            _error(lambda: m["Length"]()),
        ],
        "repr": lambda: [
            repr(m["Lower"]("title")),
            repr(m["Concat"]("a", "b", "c")),
            repr(m["Substr"]("a", 1, 2)),
            repr(m["LPad"]("a", 3)),
        ],
    }
    return scenarios


def lookup_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """The one-argument functions as transforms once registered (none is by default)."""
    Book, CharField = m["Book"], m["CharField"]
    books = Book.objects.order_by("pk")

    def registered(*transforms: Any) -> Any:
        def run(func: Any) -> Any:
            for transform in transforms:
                CharField.register_lookup(transform)
            try:
                return func()
            finally:
                for transform in transforms:
                    CharField._unregister_lookup(transform)

        return run

    with_text = registered(m["Lower"], m["Length"], m["Reverse"], m["MD5"], m["Upper"])
    return {
        "unregistered": lambda: _error(lambda: list(books.filter(title__lower="beta"))),
        "lower": lambda: with_text(
            lambda: rows_of(books.filter(title__lower="beta").values_list("title", flat=True))
        ),
        "length_gt": lambda: with_text(
            lambda: rows_of(books.filter(title__length__gt=5).values_list("title", flat=True))
        ),
        "chain": lambda: with_text(
            lambda: rows_of(
                books.filter(title__reverse__upper__startswith="AT").values_list("title", flat=True)
            )
        ),
        "values": lambda: with_text(
            lambda: rows_of(books.values_list("title__length", "title__md5"))
        ),
        "order_by": lambda: with_text(
            lambda: rows_of(
                Book.objects.order_by("title__length", "-title").values_list("title", flat=True)
            )
        ),
    }


class TextFunctionTests(DifferentialTestCase):
    def test_text_functions(self) -> None:
        if connection.vendor == "postgresql":
            # SHA1 uses pgcrypto's DIGEST() on PostgreSQL, as in Django (rolled back after).
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        # Django casts Concat's arguments on PostgreSQL, and Value(None) has no type.
        self.compare(text_scenarios, {"postgresql": {"concat_null": "Value(None) in Concat"}})

    def test_as_lookups(self) -> None:
        self.compare(lookup_scenarios)

    def test_cached_statement_params(self) -> None:
        # The second run of one query shape binds the parameters from the cache's record of
        # leaves: SQLite's SUBSTR forms of Left/Right and Concat's COALESCE must bind the same.
        from tether.models import F, Value
        from tether.models.functions import Concat, Left, Right

        from .models import Book

        for n in (2, 3):
            rows = list(
                Book.objects.filter(pk=self.rows["b1"].pk)
                .annotate(
                    a=Left("title", n),
                    b=Right("title", F("flags") - n),
                    c=Concat(Value("<"), "title"),
                )
                .values_list("a", "b", "c")
            )
            self.assertEqual(rows, [("Alpha"[:n], "Alpha"[-(5 - n) :] if 5 - n else "", "<Alpha")])

    def test_concat_casts_only_non_text_to_text_on_postgresql(self) -> None:
        from tether.models import TextField, Value
        from tether.models.functions import Concat

        from .models import Book

        qs = Book.objects.annotate(
            t=Concat("title", Value(":"), "pages", output_field=TextField())
        ).order_by("pk")
        self.assertEqual(qs.values_list("t", flat=True)[0], "Alpha:120")
        sql = str(qs.query)
        self.assertEqual(sql.count("::text"), 1 if connection.vendor == "postgresql" else 0)
