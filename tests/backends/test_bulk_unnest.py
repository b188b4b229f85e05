"""bulk_create's columnar INSERT (`SELECT * FROM UNNEST(%s::type[], ...)`) where the backend
has it (PostgreSQL), and the VALUES rows everywhere else: same results, RETURNING and ON
CONFLICT included, one SQL text whatever the number of rows.
"""

from __future__ import annotations

import datetime
import decimal
import uuid

from tether import models
from tether.db import connection
from tether.models.sql.dml import columns_of, unnest_types
from tether.test import CaptureQueriesContext, TestCase, skipUnlessDBFeature


class Owner(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "backends"


class Reading(models.Model):
    code = models.CharField(max_length=10, unique=True)
    value = models.FloatField(null=True)
    amount = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    at = models.DateTimeField(null=True)
    key = models.UUIDField(null=True)
    data = models.JSONField(null=True)
    blob = models.BinaryField(null=True)
    owner = models.ForeignKey(Owner, models.CASCADE, null=True)

    class Meta:
        app_label = "backends"


class WithDbDefault(models.Model):
    n = models.IntegerField(db_default=7)

    class Meta:
        app_label = "backends"


UTC = datetime.UTC


def _readings(prefix: str, count: int) -> list[Reading]:
    return [
        Reading(
            code=f"{prefix}{i}",
            value=i / 2,
            amount=decimal.Decimal(f"{i}.25"),
            at=datetime.datetime(2024, 1, 1, 12, i, tzinfo=UTC),
            key=uuid.UUID(int=i),
            data={"i": i, "q": 'it\'s "x"'},
            blob=bytes([i, 0, 39]),
        )
        for i in range(count)
    ]


def _inserts(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]


class ColumnarTests(TestCase):
    def test_columns_of(self) -> None:
        self.assertEqual(columns_of([[1, "a"], [2, None]]), [[1, 2], ["a", None]])
        # A column mixing types cannot go as one typed array: VALUES rows then.
        self.assertIsNone(columns_of([[1, "a"], [2.5, "b"]]))

    def test_round_trip_values_and_returning(self) -> None:
        owner = Owner.objects.create(name="o")
        objs = _readings("r", 5)
        objs[1].owner = owner
        objs[2].value = objs[2].amount = objs[2].at = objs[2].key = None
        objs[2].data = objs[2].blob = None
        created = Reading.objects.bulk_create(objs)
        if connection.features.can_return_rows_from_bulk_insert:
            self.assertTrue(all(o.pk is not None for o in created))
            self.assertEqual(
                [o.code for o in created], [Reading.objects.get(pk=o.pk).code for o in created]
            )
        got = {r.code: r for r in Reading.objects.all()}
        self.assertEqual(len(got), 5)
        self.assertEqual(got["r3"].value, 1.5)
        self.assertEqual(got["r3"].amount, decimal.Decimal("3.25"))
        self.assertEqual(got["r3"].at, datetime.datetime(2024, 1, 1, 12, 3, tzinfo=UTC))
        self.assertEqual(got["r3"].key, uuid.UUID(int=3))
        self.assertEqual(got["r3"].data, {"i": 3, "q": 'it\'s "x"'})
        self.assertEqual(bytes(got["r3"].blob), bytes([3, 0, 39]))
        self.assertEqual(got["r1"].owner_id, owner.pk)
        self.assertIsNone(got["r2"].value)
        self.assertIsNone(got["r2"].data)

    @skipUnlessDBFeature("supports_unnest_bulk_insert")
    def test_unnest_sql_is_one_text_for_any_row_count(self) -> None:
        with CaptureQueriesContext(connection) as captured:
            Reading.objects.bulk_create(_readings("a", 3))
            Reading.objects.bulk_create(_readings("b", 7))
        first, second = _inserts(captured)
        self.assertIn("UNNEST(", first)
        self.assertIn("::varchar(10)[]", first)
        self.assertIn("RETURNING", first)
        self.assertEqual(first.split(" UNNEST(")[0], second.split(" UNNEST(")[0])
        self.assertEqual(Reading.objects.count(), 10)

    @skipUnlessDBFeature("supports_unnest_bulk_insert")
    def test_values_rows_where_unnest_does_not_fit(self) -> None:
        with CaptureQueriesContext(connection) as captured:
            Reading.objects.bulk_create(_readings("c", 1))  # one row
            WithDbDefault.objects.bulk_create([WithDbDefault(n=1), WithDbDefault(n=2)])
        self.assertTrue(all("UNNEST" not in sql for sql in _inserts(captured)))
        self.assertIsNone(unnest_types(connection, [WithDbDefault._meta.get_field("n")]))

    @skipUnlessDBFeature("supports_unnest_bulk_insert")
    def test_batch_size_splits_into_same_statement(self) -> None:
        with CaptureQueriesContext(connection) as captured:
            Reading.objects.bulk_create(_readings("e", 7), batch_size=3)
        inserts = _inserts(captured)
        self.assertEqual(len(inserts), 3)
        self.assertIn("UNNEST(", inserts[0])
        self.assertNotIn("UNNEST(", inserts[2])  # the last batch holds one row
        self.assertEqual(Reading.objects.count(), 7)

    @skipUnlessDBFeature("supports_ignore_conflicts")
    def test_ignore_conflicts(self) -> None:
        Reading.objects.bulk_create(_readings("f", 2))
        Reading.objects.bulk_create(_readings("f", 4), ignore_conflicts=True)
        self.assertEqual(Reading.objects.count(), 4)

    @skipUnlessDBFeature("supports_update_conflicts")
    def test_update_conflicts(self) -> None:
        Reading.objects.bulk_create(_readings("g", 2))
        again = _readings("g", 3)
        for obj in again:
            obj.value = 100.5
        kwargs: dict = {"update_conflicts": True, "update_fields": ["value"]}
        if connection.features.supports_update_conflicts_with_target:
            kwargs["unique_fields"] = ["code"]
        Reading.objects.bulk_create(again, **kwargs)
        self.assertEqual(Reading.objects.count(), 3)
        self.assertEqual(set(Reading.objects.values_list("value", flat=True)), {100.5})
