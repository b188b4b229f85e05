"""The text functions over edge inputs (empty strings, NULL, non-ASCII text, zero and negative
numbers): the same results as Django 5.2 on the same backend (differential)."""

from __future__ import annotations

from typing import Any

from tether.db import connection

from .base import DifferentialTestCase, rows_of

EMPTY, ACCENTED = "", "añb ✓ 🙂"


def text_edge_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, F, Value = m["Book"], m["F"], m["Value"]
    one = Book.objects.filter(pk=r["b1"].pk)

    def values(**annotations: Any) -> Any:
        return lambda: rows_of(one.annotate(**annotations).values_list(*annotations))

    scenarios: dict[str, Any] = {}
    for label, text in (("empty", EMPTY), ("accented", ACCENTED)):
        v = Value(text)
        scenarios[f"{label}_measure"] = values(
            a=m["Length"](v), b=m["StrIndex"](v, Value("✓")), c=m["StrIndex"](Value("x"), v)
        )
        scenarios[f"{label}_cut"] = values(
            a=m["Left"](v, 2),
            b=m["Right"](v, 3),
            c=m["Substr"](v, 2, 2),
            d=m["Reverse"](v),
        )
        scenarios[f"{label}_pad"] = values(
            a=m["LPad"](v, 9, Value("·")), b=m["RPad"](v, 1), c=m["Repeat"](v, 3)
        )
        scenarios[f"{label}_join"] = values(
            a=m["Concat"](v, "title", v), b=m["Replace"]("title", Value("a"), v)
        )
        scenarios[f"{label}_trim"] = values(
            a=m["Trim"](Value(f"  {text} ")), b=m["LTrim"](v), c=m["RTrim"](v)
        )
        scenarios[f"{label}_hash"] = values(
            a=m["MD5"](v), b=m["SHA1"](v), c=m["SHA256"](v), d=m["SHA512"](v)
        )
    scenarios.update(
        {
            "chr": values(a=m["Chr"](Value(233)), b=m["Chr"](Value(8364))),
            "zero_counts": values(
                a=m["Repeat"]("title", 0), b=m["RPad"]("title", 0), c=m["LPad"](Value(EMPTY), 0)
            ),
            "count_beyond_length": values(
                a=m["Substr"]("title", 9), b=m["Right"]("title", 50), c=m["Left"](Value("é"), 5)
            ),
            "null_arguments": values(
                a=m["Replace"]("title", Value("A"), Value(None)),
                b=m["StrIndex"](Value(None), Value("a")),
                c=m["Substr"]("title", 1, F("editor__age")),
                d=m["Repeat"]("title", F("editor__age")),
            ),
            "concat_of_nulls": values(
                a=m["Concat"](Value(None), Value(None), output_field=m["CharField"]())
            ),
            "replace_everything": values(
                a=m["Replace"](Value("aaa"), Value("a"), Value("bb")),
                b=m["Replace"](Value("ñañ"), Value("ñ")),
            ),
            "empty_matches": lambda: rows_of(
                Book.objects.annotate(e=Value(EMPTY))
                .filter(title__startswith=F("e"))
                .order_by("pk")
                .values_list("title", flat=True)
            ),
            "filter_on_accented": lambda: rows_of(
                Book.objects.annotate(t=m["Concat"]("title", Value("é")))
                .filter(t__endswith="aé")
                .order_by("pk")
                .values_list("title", flat=True)
            ),
        }
    )
    # The database's own answers: SQLite's LOWER/UPPER map ASCII letters only, the servers'
    # every letter; UNICODE('') is NULL on SQLite, ASCII('') and ORD('') 0 on the servers;
    # MariaDB's ORD gives the UTF-8 bytes of a letter beyond ASCII as one number, and its
    # CHAR(... USING utf16) misreads a letter beyond the BMP.
    scenarios["accented_case"] = values(a=m["Upper"](Value(ACCENTED)), b=m["Lower"](Value("ÀÉ")))
    scenarios["ord"] = values(
        a=m["Ord"](Value(EMPTY)), b=m["Ord"](Value("🙂")), c=m["Chr"](Value(128578))
    )
    return scenarios


class TextEdgeTests(DifferentialTestCase):
    def test_text_edges(self) -> None:
        if connection.vendor == "postgresql":
            # SHA1 uses pgcrypto's DIGEST() on PostgreSQL, as in Django (rolled back after).
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        self.compare(
            text_edge_scenarios, {"postgresql": {"concat_of_nulls": "Value(None) in Concat"}}
        )
