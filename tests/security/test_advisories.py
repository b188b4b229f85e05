"""Django's past ORM injection advisories, each replayed against tether with Django 5.2's error.

The registry (registry.py) drives every entry point with random hostile strings; these are the
exact cases of the advisories, with the exact message Django 5.2.19 raises. Cases whose feature
tether does not have yet skip with the reason and run once it exists.
"""

from __future__ import annotations

import unittest

import tether.models as models
from tether.db import connection
from tether.exceptions import FieldError
from tether.models import Count, F, Q, Sum
from tether.test import TestCase

from .models import Tag
from .oracle import captured, data_statements, refused_before_sql

ALIAS_MESSAGE = (
    "Column aliases cannot contain whitespace characters, hashes, control characters, "
    "quotation marks, semicolons, or SQL comments."
)

# Aliases refused by Django 5.2.19: CVE-2022-28346 (quotes, ;, comments, whitespace),
# CVE-2025-59681 (# on MySQL/MariaDB), CVE-2026-1287 (control characters).
BAD_ALIASES = [
    "alias; DROP TABLE x",
    "a'b",
    'a"b',
    "a`b",
    "a[b]",
    "a--b",
    "a/*b*/",
    "a#b",
    "a b",
    "a\tb",
    "a\nb",
    "a\x00b",
    "a\x1fb",
    "a\x7fb",
    "a\x9fb",
]


class AliasAdvisoryTests(TestCase):
    """CVE-2022-28346, CVE-2025-59681, CVE-2026-1287: kwargs of annotate(), alias(),
    aggregate(), values() and values_list() used as column aliases."""

    def test_bad_aliases_refused_before_sql(self):
        calls = {
            "annotate": lambda a: list(Tag.objects.annotate(**{a: F("rank")})),
            "alias": lambda a: list(Tag.objects.alias(**{a: F("rank")})),
            "aggregate": lambda a: Tag.objects.aggregate(**{a: Sum("rank")}),
            "values": lambda a: list(Tag.objects.values(**{a: F("rank")})),
            "annotate count": lambda a: list(Tag.objects.annotate(**{a: Count("items")})),
        }
        for alias in BAD_ALIASES:
            for name, call in calls.items():
                with self.subTest(method=name, alias=alias):
                    refused_before_sql(
                        self, lambda c=call, a=alias: c(a), ValueError, ALIAS_MESSAGE
                    )

    def test_allowed_aliases_are_quoted(self):
        for alias in ("plain", "with.period", "with%percent", "dollar$", "ünï", "x__y"):
            with self.subTest(alias=alias):
                Tag.objects.create(name="a", rank=3)
                with captured() as ctx:
                    rows = list(Tag.objects.annotate(**{alias: F("rank")}).values(alias))
                quoted = connection.ops.to_driver_sql(connection.ops.quote_name(alias))
                self.assertIn(quoted, ctx.sent[-1][0])
                self.assertTrue(all(row[alias] == 3 for row in rows))
                Tag.objects.all().delete()


class FilterAdvisoryTests(TestCase):
    def test_cve_2025_64459_connector(self):
        refused_before_sql(
            self,
            lambda: list(Tag.objects.filter(**{"_connector": " OR 1=1 OR ", "name": "zz"})),
            TypeError,
            "The following kwargs are invalid: '_connector'",
        )
        with self.assertRaisesMessage(
            ValueError, "_connector must be one of 'AND', 'OR', 'XOR', or None."
        ):
            Q(_connector=" OR 1=1 OR ", name="zz")

    def test_cve_2021_35042_order_by(self):
        message = "Cannot resolve keyword 'name); DROP TABLE x; --' into field."
        refused_before_sql(
            self,
            lambda: list(Tag.objects.order_by("name); DROP TABLE x; --")),
            FieldError,
            message,
        )

    def test_cve_2022_34265_transform_names(self):
        # Trunc()/Extract() with a caller's kind do not exist yet; the transform names are
        # looked up in the registered lookups, never written into SQL.
        refused_before_sql(
            self,
            lambda: list(Tag.objects.filter(**{"stamp__year' FROM x)--": 1})),
            FieldError,
            "Unsupported lookup",
        )

    def test_cve_2022_34265_extract_kind(self):
        import tether.models.functions as functions

        if not hasattr(functions, "Extract"):
            raise unittest.SkipTest("Extract() with a caller's lookup_name is not in tether yet")
        refused_before_sql(
            self,
            lambda: list(
                Tag.objects.annotate(
                    y=functions.Extract("stamp", "year' FROM x)--")  # type: ignore[attr-defined]
                )
            ),
            ValueError,
        )

    def test_cve_2024_42005_values_json_key(self):
        # A key that could break out of the alias is refused, as Django 5.2 does...
        key = "k') FROM security_tag; --"
        for call in (Tag.objects.values, Tag.objects.values_list):
            with self.subTest(method=call.__name__):
                refused_before_sql(
                    self, lambda c=call: list(c(f"data__{key}")), ValueError, ALIAS_MESSAGE
                )
        # ... and elsewhere (filters, ordering) the key is a bound parameter.
        Tag.objects.create(name="a", data={key: 5, "p%s.$": 6})
        with captured() as ctx:
            self.assertEqual(Tag.objects.filter(**{f"data__{key}": 5}).count(), 1)
            self.assertEqual(len(list(Tag.objects.order_by(f"data__{key}"))), 1)
            self.assertEqual(list(Tag.objects.values_list("data__p%s.$", flat=True)), [6])
        for sql, _ in ctx.sent:
            self.assertNotIn("FROM security_tag; --", sql)
        bound = [p for _, params in ctx.sent for p in params if isinstance(p, str)]
        self.assertTrue(any(key in p for p in bound), bound)

    def test_cve_2025_57833_and_2026_1312_filtered_relation_alias(self):
        if not hasattr(models, "FilteredRelation"):
            raise unittest.SkipTest("FilteredRelation is not in tether yet")
        relation = models.FilteredRelation  # type: ignore[attr-defined]
        refused_before_sql(
            self,
            lambda: list(Tag.objects.annotate(**{"a b": relation("items")})),
            ValueError,
            ALIAS_MESSAGE,
        )
        refused_before_sql(
            self,
            lambda: list(Tag.objects.annotate(**{"book.alice": relation("items")})),
            ValueError,
            "FilteredRelation doesn't support aliases with periods (got 'book.alice').",
        )

    def test_cve_2022_28347_explain_options(self):
        if not hasattr(Tag.objects.all(), "explain"):
            raise unittest.SkipTest("QuerySet.explain() is not in tether yet")
        refused_before_sql(
            self,
            lambda: Tag.objects.all().explain(**{"FORMAT JSON) SELECT 1; --": True}),
            ValueError,
            "Invalid option name",
        )


class NoStatementAfterRefusalTests(TestCase):
    def test_refusals_leave_the_transaction_usable(self):
        with self.assertRaises(ValueError):
            Tag.objects.aggregate(**{"a b": Sum("rank")})
        with captured() as ctx:
            self.assertEqual(Tag.objects.count(), 0)
        self.assertEqual(len(data_statements(ctx.captured_queries)), 1)
