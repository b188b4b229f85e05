"""Hostile strings round-trip unchanged through save and every text lookup (hypothesis), on
every backend. NUL: stored where the backend can, refused with DataError before any SQL runs on
PostgreSQL (psycopg 3 refuses it while binding, as under Django 5.2)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tether.db import DataError, connection, transaction
from tether.test import TestCase

from .models import Text

HOSTILE = [
    "'",
    '"',
    "''; DROP TABLE x; --",
    "'; DROP TABLE x; --",
    "\\",
    "%_%",
    "emoji 🎉👩‍👩‍👧",
    "mixed Ελληνικά русский 中文 العربية",
    "tab\tnew\nline\r",
    "?",
    "%s %(x)s $1 :name",
]

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)

LOOKUPS = (
    "exact",
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
)


class HostileStringTests(TestCase):
    def check(self, value):
        obj = Text.objects.create(body=value)
        self.assertEqual(Text.objects.get(pk=obj.pk).body, value)
        for lookup in LOOKUPS:
            found = Text.objects.filter(pk=obj.pk, **{f"body__{lookup}": value})
            self.assertEqual(found.count(), 1, (lookup, value))
        self.assertEqual(Text.objects.filter(pk=obj.pk, body__in=[value, "zz"]).count(), 1)
        self.assertEqual(Text.objects.filter(pk=obj.pk).exclude(body=value).count(), 0)

    def test_hostile_samples(self):
        for value in HOSTILE:
            with self.subTest(value=value):
                self.check(value)
        self.assertEqual(Text.objects.count(), len(HOSTILE))

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(TEXT)
    def test_any_text(self, value):
        with transaction.atomic():
            self.check(value)
            transaction.set_rollback(True)

    def test_one_megabyte(self):
        value = ("ab'c😀" * 210_000)[:1_000_000]
        obj = Text.objects.create(body=value)
        self.assertEqual(Text.objects.get(pk=obj.pk).body, value)
        self.assertEqual(Text.objects.filter(body=value).count(), 1)

    def test_nul(self):
        value = "before\x00after"
        if connection.vendor == "postgresql":
            # psycopg refuses the value while binding it, client-side: the server never sees it.
            message = "PostgreSQL text fields cannot contain NUL (0x00) bytes"
            with self.assertRaisesMessage(DataError, message), transaction.atomic():
                Text.objects.create(body=value)
            with self.assertRaisesMessage(DataError, message):
                list(Text.objects.filter(body=value))
            self.assertEqual(Text.objects.count(), 0)
            return
        obj = Text.objects.create(body=value)
        self.assertEqual(Text.objects.get(pk=obj.pk).body, value)
        self.assertEqual(Text.objects.filter(body__contains="\x00").count(), 1)
