"""QuerySet.explain(): Django 5.2's prefixes, formats, option checks and output shape."""

from __future__ import annotations

import json
import xml.etree.ElementTree
from typing import Any

from tether.db import NotSupportedError, connection, transaction
from tether.models import Count
from tether.test import CaptureQueriesContext, TestCase, skipUnlessDBFeature

from .base import DifferentialTestCase
from .models import Author, Book


def explain_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Author, Book = m["Author"], m["Book"]
    return {
        "unknown_options": lambda: Author.objects.explain(TEST=1, TEST2=1),
        "invalid_option_name": lambda: Author.objects.explain(**{"SUMMARY true) SELECT 1; --": 1}),
        "invalid_option_dashes": lambda: Author.objects.explain(**{"option--": 1}),
        "invalid_option_quote": lambda: Author.objects.explain(**{'opt"ion': 1}),
        "unknown_format": lambda: Author.objects.explain(format="does not exist"),
        "sqlite_plan": lambda: Book.objects.filter(author__name="Ann").explain(),
        "sqlite_union_plan": lambda: (
            Author.objects.order_by().union(Author.objects.order_by().filter(age=3)).explain()
        ),
    }


class ExplainDifferentialTests(DifferentialTestCase):
    def test_sqlite(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("Django's outcomes are SQLite's")
        self.compare(explain_scenarios)


@skipUnlessDBFeature("supports_explaining_query_execution")
class ExplainTests(TestCase):
    def test_formats(self) -> None:
        querysets = [
            Author.objects.filter(name="x"),
            Author.objects.filter(name="x").annotate(Count("books")),
            Author.objects.filter(name="x").values_list("name"),
            Book.objects.select_related("author").filter(title="x"),
            Author.objects.order_by().union(Author.objects.order_by().filter(name="x")),
        ]
        formats = connection.features.supported_explain_formats
        for index, queryset in enumerate(querysets):
            for format in (None, *formats, *(f.lower() for f in formats)):
                with self.subTest(format=format, queryset=index):
                    with CaptureQueriesContext(connection) as captured:
                        result = queryset.explain(format=format)
                    self.assertEqual(len(captured), 1)
                    self.assertTrue(captured[0]["sql"].startswith(connection.ops.explain_prefix))
                    self.assertIsInstance(result, str)
                    self.assertTrue(result)
                    if format and format.lower() == "json":
                        json.loads(result)
                    elif format and format.lower() == "xml":
                        xml.etree.ElementTree.fromstring(result)

    def test_empty(self) -> None:
        self.assertEqual(Author.objects.none().explain(), "")

    def test_unknown_format_message(self) -> None:
        formats = connection.features.supported_explain_formats
        message = "DOES NOT EXIST is not a recognized format."
        if formats:
            message += " Allowed formats: " + ", ".join(sorted(formats))
        else:
            message += f" {connection.display_name} does not support any formats."
        with self.assertRaisesMessage(ValueError, message):
            Author.objects.explain(format="does not exist")

    def test_postgresql_options(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's options")
        queryset = Author.objects.filter(name="x")
        for options in (
            {"COSTS": False, "BUFFERS": True, "ANALYZE": True},
            {"verbose": True, "timing": True, "analyze": True},
            {"summary": True},
            {"settings": True},
        ):
            with self.subTest(**options), transaction.atomic():
                with CaptureQueriesContext(connection) as captured:
                    queryset.explain(format="text", **options)
                for name, value in options.items():
                    option = f"{name.upper()} {'true' if value else 'false'}"
                    self.assertIn(option, captured[0]["sql"])
        with self.assertRaisesMessage(ValueError, "Unknown options: NOPE"):
            queryset.explain(nope=True)

    def test_mysql_prefixes(self) -> None:
        if connection.vendor != "mysql":
            self.skipTest("MySQL's and MariaDB's prefixes")
        queryset = Author.objects.filter(name="x")
        with CaptureQueriesContext(connection) as captured:
            queryset.explain(format="text")
            queryset.explain(analyze=True)
            queryset.explain(analyze=True, format="JSON")
        self.assertIn("FORMAT=TRADITIONAL", captured[0]["sql"])
        analyze = "ANALYZE " if connection.mysql_is_mariadb else "EXPLAIN ANALYZE "
        self.assertTrue(captured[1]["sql"].startswith(analyze))
        self.assertEqual("FORMAT=JSON" in captured[2]["sql"], connection.mysql_is_mariadb)


class ExplainUnsupportedTests(TestCase):
    def test_message(self) -> None:
        ops = type(connection.ops)
        original = ops.__dict__.get("explain_prefix")
        ops.explain_prefix = None
        try:
            self.assertFalse(connection.features.supports_explaining_query_execution)
            with self.assertRaisesMessage(
                NotSupportedError, "This backend does not support explaining query execution."
            ):
                Author.objects.explain()
        finally:
            if original is None:
                del ops.explain_prefix
            else:
                ops.explain_prefix = original
