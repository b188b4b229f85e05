"""CVE-2025-64459: `_connector` and `_negated` passed by dictionary expansion.

Django 5.2.8+ refuses both names in every keyword-taking filter entry point (TypeError) and
refuses a `_connector` that is not AND, OR, XOR or None in Q() (ValueError), before any SQL.
"""

from __future__ import annotations

from tether.models import Q
from tether.test import TestCase

from .models import Item, Tag
from .oracle import refused_before_sql

HOSTILE_CONNECTOR = " OR 1=1 OR "


class ConnectorKwargTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tags = [Tag.objects.create(name=name) for name in ("a", "b", "c")]
        cls.item = Item.objects.create(title="x", tag=cls.tags[0])

    def refused(self, call, *names):
        listed = ", ".join(f"'{name}'" for name in sorted(names))
        refused_before_sql(self, call, TypeError, f"The following kwargs are invalid: {listed}")

    def test_every_filter_entry_point_refuses_connector(self):
        kwargs = {"_connector": HOSTILE_CONNECTOR, "name": "zz"}
        manager = Tag.objects
        entry_points = {
            "filter": lambda: list(manager.filter(**kwargs)),
            "exclude": lambda: list(manager.exclude(**kwargs)),
            "get": lambda: manager.get(**kwargs),
            "get_or_create": lambda: manager.get_or_create(**kwargs),
            "update_or_create": lambda: manager.update_or_create(**kwargs),
            "complex_filter": lambda: list(manager.complex_filter(kwargs)),
            "queryset.filter": lambda: list(manager.all().filter(**kwargs)),
            "reverse fk filter": lambda: list(
                self.tags[0].items.filter(_connector=HOSTILE_CONNECTOR, title="x")
            ),
            "m2m filter": lambda: list(self.item.tags.filter(**kwargs)),
            "reverse fk get_or_create": lambda: self.tags[0].items.get_or_create(
                _connector=HOSTILE_CONNECTOR, title="zz"
            ),
            "m2m get_or_create": lambda: self.item.tags.get_or_create(**kwargs),
        }
        for name, call in entry_points.items():
            with self.subTest(entry_point=name):
                self.refused(call, "_connector")
        self.assertEqual(Tag.objects.count(), 3)

    def test_negated_is_refused(self):
        self.refused(lambda: list(Tag.objects.filter(_negated=True, name="a")), "_negated")
        self.refused(lambda: Tag.objects.get(_negated=True, name="a"), "_negated")
        self.refused(
            lambda: Tag.objects.filter(_negated=True, _connector="OR", name="a"),
            "_connector",
            "_negated",
        )

    def test_legitimate_filters_still_work(self):
        self.assertEqual(Tag.objects.filter(name="zz").count(), 0)
        self.assertEqual(Tag.objects.exclude(name="a").count(), 2)


class ConnectorAsyncTests(TestCase):
    async def test_async_entry_points_refuse_connector(self):
        kwargs = {"_connector": HOSTILE_CONNECTOR, "name": "zz"}
        message = "The following kwargs are invalid: '_connector'"
        with self.assertRaisesMessage(TypeError, message):
            await Tag.objects.aget(**kwargs)
        with self.assertRaisesMessage(TypeError, message):
            await Tag.objects.aget_or_create(**kwargs)
        with self.assertRaisesMessage(TypeError, message):
            await Tag.objects.aupdate_or_create(**kwargs)


class QConnectorTests(TestCase):
    message = "_connector must be one of 'AND', 'OR', 'XOR', or None."

    def test_q_refuses_unknown_connector(self):
        for connector in (HOSTILE_CONNECTOR, "and", "", "NOT", " AND "):
            with self.subTest(connector=connector):
                with self.assertRaisesMessage(ValueError, self.message):
                    Q(_connector=connector, name="zz")

    def test_q_accepts_known_connectors(self):
        Tag.objects.create(name="a")
        Tag.objects.create(name="b", rank=5)
        cases = (("AND", []), ("OR", ["a", "b"]), ("XOR", ["a", "b"]), (None, []))
        for connector, expected in cases:
            with self.subTest(connector=connector):
                q = Q(name="a", rank=5, _connector=connector)
                self.assertEqual([t.name for t in Tag.objects.filter(q)], expected)

    def test_q_negated_is_allowed(self):
        # Django keeps _negated as a Q() argument (only the filter kwargs refuse it).
        Tag.objects.create(name="a")
        Tag.objects.create(name="b")
        self.assertEqual(Tag.objects.filter(Q(_negated=True, name="a")).count(), 1)
