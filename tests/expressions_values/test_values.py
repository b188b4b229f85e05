"""values() and values_list() with transforms ("pub_date__year", "written__hour",
"data__key", "writer__name__..."), with expressions (values(**expressions) and expressions
given to values_list()), and order_by() on transforms: Django 5.2's names and result shapes.
"""

from __future__ import annotations

import datetime

from tether.db import connection
from tether.exceptions import FieldError
from tether.models import Count, F, RawSQL, Value
from tether.test import TestCase

from .models import Entry, Writer

UTC = datetime.UTC


class ValuesTransformTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ann = Writer.objects.create(name="Ann")
        Entry.objects.create(
            headline="first",
            rating=3,
            pub_date=datetime.date(2005, 7, 28),
            written=datetime.datetime(2005, 7, 28, 9, 30, tzinfo=UTC),
            data={"key": "alpha", "n": 1, "nested": {"deep": [1, 2]}},
            writer=ann,
        )
        Entry.objects.create(
            headline="second",
            rating=5,
            pub_date=datetime.date(2007, 1, 2),
            written=datetime.datetime(2007, 1, 2, 17, 5, tzinfo=UTC),
            data={"key": "beta", "n": 2},
        )

    def test_values_list_year(self):
        self.assertEqual(
            list(Entry.objects.order_by("pk").values_list("pub_date__year", flat=True)),
            [2005, 2007],
        )
        self.assertEqual(
            list(Entry.objects.order_by("pk").values_list("headline", "pub_date__month")),
            [("first", 7), ("second", 1)],
        )

    def test_values_dict_names(self):
        self.assertEqual(
            list(Entry.objects.order_by("pk").values("written__hour", "pub_date__day")),
            [
                {"written__hour": 9, "pub_date__day": 28},
                {"written__hour": 17, "pub_date__day": 2},
            ],
        )

    def test_transform_through_a_relation(self):
        self.assertEqual(
            list(Writer.objects.values_list("name", "entry__pub_date__year")), [("Ann", 2005)]
        )
        self.assertEqual(
            list(Writer.objects.values("entry__written__minute")),
            [{"entry__written__minute": 30}],
        )

    def test_json_key_transform(self):
        self.assertEqual(
            list(Entry.objects.order_by("pk").values("data__key")),
            [{"data__key": "alpha"}, {"data__key": "beta"}],
        )
        self.assertEqual(
            list(Entry.objects.order_by("pk").values_list("data__n", flat=True)), [1, 2]
        )
        self.assertEqual(
            list(Entry.objects.order_by("pk").values_list("data__nested__deep", flat=True)),
            [[1, 2], None],
        )

    def test_group_by_transform(self):
        Entry.objects.create(headline="third", pub_date=datetime.date(2005, 1, 1))
        self.assertEqual(
            list(
                Entry.objects.values("pub_date__year")
                .annotate(n=Count("id"))
                .order_by("pub_date__year")
            ),
            [{"pub_date__year": 2005, "n": 2}, {"pub_date__year": 2007, "n": 1}],
        )

    def test_order_by_transform(self):
        Entry.objects.create(headline="third", pub_date=datetime.date(2006, 12, 31))
        self.assertEqual(
            list(Entry.objects.order_by("pub_date__month").values_list("headline", flat=True)),
            ["second", "first", "third"],
        )
        self.assertEqual(
            list(Entry.objects.order_by("-pub_date__year").values_list("headline", flat=True)),
            ["second", "third", "first"],
        )

    def test_unknown_transform(self):
        with self.assertRaisesMessage(
            FieldError,
            "Cannot resolve keyword 'nope' into field. Join on 'pub_date' not permitted.",
        ):
            Entry.objects.values("pub_date__nope")
        with self.assertRaisesMessage(
            FieldError,
            "Cannot resolve keyword 'nope' into field. Join on 'headline' not permitted.",
        ):
            list(Entry.objects.values_list("headline__nope"))


class ValuesExpressionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Entry.objects.create(headline="one", rating=2, pub_date=datetime.date(2020, 1, 1))
        Entry.objects.create(headline="two", rating=7, pub_date=datetime.date(2021, 1, 1))

    def test_values_with_expressions(self):
        rows = list(
            Entry.objects.order_by("pk").values("headline", double=F("rating") * 2, one=Value(1))
        )
        self.assertEqual(
            rows,
            [
                {"headline": "one", "double": 4, "one": 1},
                {"headline": "two", "double": 14, "one": 1},
            ],
        )

    def test_values_expression_only(self):
        self.assertEqual(
            list(Entry.objects.order_by("pk").values(r=F("rating"))), [{"r": 2}, {"r": 7}]
        )

    def test_values_rawsql(self):
        quoted = connection.ops.quote_name("rating")
        rows = Entry.objects.order_by("pk").values("headline", plus=RawSQL(f"{quoted} + %s", (10,)))
        self.assertEqual([r["plus"] for r in rows], [12, 17])

    def test_values_expression_then_filter_and_order(self):
        rows = Entry.objects.values(double=F("rating") * 2).filter(double__gt=5).order_by("-double")
        self.assertEqual(list(rows), [{"double": 14}])

    def test_values_list_with_expressions(self):
        self.assertEqual(
            list(Entry.objects.order_by("pk").values_list("headline", F("rating") + 1)),
            [("one", 3), ("two", 8)],
        )
        self.assertEqual(
            list(Entry.objects.order_by("pk").values_list(F("rating"), flat=True)), [2, 7]
        )
        named = list(Entry.objects.order_by("pk").values_list(F("rating"), named=True))
        self.assertEqual(named[0]._fields, ("f1",))

    def test_values_list_expression_names(self):
        qs = Entry.objects.values_list(Count("id"), F("rating"))
        self.assertEqual(qs._fields, ("id__count1", "f1"))

    def test_values_expression_clashes_with_field(self):
        with self.assertRaisesMessage(
            ValueError, "The annotation 'rating' conflicts with a field on the model."
        ):
            Entry.objects.values(rating=F("pk"))

    def test_values_expression_with_aggregate_groups(self):
        # Django annotates before narrowing to the fields: grouped by every column.
        Entry.objects.create(headline="one", rating=4, pub_date=datetime.date(2022, 1, 1))
        rows = Entry.objects.values("headline", total=Count("id")).order_by("headline")
        self.assertEqual(
            list(rows),
            [
                {"headline": "one", "total": 1},
                {"headline": "one", "total": 1},
                {"headline": "two", "total": 1},
            ],
        )
