"""Bad input on the blog: Django's exception class and message, the database untouched, and
hostile strings only ever sent as bound parameters (never inside the SQL text)."""

from __future__ import annotations

from unittest import mock

from tether.db import connection
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .bad_input import CASES, HOSTILE, MARKERS, NUL, QUOTES
from .scenario import clean, outcome, seed
from .test_differential import fresh_django, tether_namespace

TABLES = ["Author", "Profile", "Tag", "Post", "Comment", "Group", "Membership"]


def snapshot(ns):
    """Every row of every table (and of the automatic m2m table), by primary key."""
    rows = {name: list(getattr(ns, name).objects.order_by("pk").values_list()) for name in TABLES}
    rows["Post_tags"] = list(ns.Post.tags.through.objects.order_by("pk").values_list())
    return rows


class RawStatements:
    """Record (sql, params) exactly as handed to the driver, while CaptureQueriesContext runs."""

    def __init__(self):
        self.statements = []

    def __enter__(self):
        original = connection.ops.last_executed_query

        def record(sql, params):
            self.statements.append((sql, params))
            return original(sql, params)

        self._patch = mock.patch.object(connection.ops, "last_executed_query", record)
        self._patch.start()
        self._capture = CaptureQueriesContext(connection).__enter__()
        return self

    def __exit__(self, *exc):
        self._capture.__exit__(*exc)
        self._patch.stop()


class BadInputTests(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        seed(tether_namespace())

    @classmethod
    def django_outcomes(cls):
        if not hasattr(cls, "_django_outcomes"):
            dj = fresh_django()
            seed(dj)
            before = snapshot(dj)
            cls._django_outcomes = {name: outcome(dj, func) for name, func in CASES}
            assert snapshot(dj) == before, "a bad-input case changed Django's database"
        return cls._django_outcomes

    def test_errors_match_django_and_nothing_changes(self):
        expected = self.django_outcomes()
        ns = tether_namespace()
        for name, func in CASES:
            with self.subTest(name):
                before = snapshot(ns)
                with RawStatements() as raw:
                    mine = outcome(ns, func)
                self.assertEqual(mine, expected[name])
                self.assertEqual(snapshot(ns), before)
                for sql, _params in raw.statements:
                    for marker in MARKERS:
                        self.assertNotIn(marker, sql)

    def test_hostile_values_round_trip_as_parameters(self):
        values = [HOSTILE, QUOTES, "Robert'); DROP TABLE diffblog_tag;--", "\\' OR 1=1 --"]
        if connection.vendor == "sqlite":  # PostgreSQL refuses NUL in text (a DataError)
            values.append(NUL)

        def run(ns):
            author = ns.Author.objects.get(name="ann")
            made = [ns.Tag.objects.create(name=v) for v in values]
            post = ns.Post.objects.create(author=author, title=HOSTILE, meta={QUOTES: HOSTILE})
            post.tags.add(*made)
            return clean(
                {
                    "exact": [str(t) for t in ns.Tag.objects.filter(name__in=values)],
                    "lookup": ns.Post.objects.filter(title=HOSTILE).count(),
                    "json": list(ns.Post.objects.filter(title=HOSTILE).values_list("meta")),
                    "m2m": sorted(ns.Post.objects.get(title=HOSTILE).tags.values_list("name")),
                    "updated": ns.Tag.objects.filter(name=QUOTES).update(name=QUOTES + "!"),
                    "deleted": ns.Tag.objects.filter(name__in=values).delete()[0],
                    "tables": ns.Post.objects.count(),
                }
            )

        dj = fresh_django()
        seed(dj)
        expected = run(dj)
        with RawStatements() as raw:
            mine = run(tether_namespace())
        self.assertEqual(mine, expected)
        for sql, _params in raw.statements:
            for marker in MARKERS:
                self.assertNotIn(marker, sql)
        self.assertTrue(any(HOSTILE in map(str, params or ()) for _sql, params in raw.statements))
