"""GeneratedField through migrations: added to a populated table (SQLite rebuilds for a
stored column), kept through a rebuild of its table, refused when altered, and written by the
migration writer as Django writes it."""

from __future__ import annotations

from decimal import Decimal

from tests.migrations.test_operations import APP, _run, _tables

from tether import models
from tether.db import connection, migrations
from tether.db.migrations.serializer import serializer_factory
from tether.models import F
from tether.test import SimpleTestCase, TransactionTestCase


def _item() -> migrations.CreateModel:
    return migrations.CreateModel(
        "Item",
        [
            ("id", models.AutoField(primary_key=True, serialize=False)),
            ("quantity", models.IntegerField()),
            ("price", models.DecimalField(max_digits=8, decimal_places=2)),
        ],
    )


def _total(persist: bool = True, factor: int = 1) -> models.GeneratedField:
    return models.GeneratedField(
        expression=F("quantity") * F("price") * factor,
        output_field=models.DecimalField(max_digits=12, decimal_places=2),
        db_persist=persist,
    )


class GeneratedFieldMigrationTests(TransactionTestCase):
    def tearDown(self):
        with connection.schema_editor() as editor:
            if "migr_ops_item" in _tables():
                editor.execute(f"DROP TABLE {editor.quote_name('migr_ops_item')}")

    def test_added_to_a_populated_table_and_kept_through_later_changes(self):
        state = _run([_item()])
        Item = state.apps.get_model(APP, "Item")
        Item.objects.create(quantity=2, price=Decimal("1.25"))
        state = _run([migrations.AddField("item", "total", _total())], state=state)
        # A NOT NULL column with a default: SQLite rebuilds the table around the generated one.
        state = _run(
            [migrations.AddField("item", "note", models.CharField(max_length=5, default="n"))],
            state=state,
        )
        Item = state.apps.get_model(APP, "Item")
        self.assertEqual(Item.objects.get().total, Decimal("2.50"))
        Item.objects.create(quantity=4, price=Decimal("1.00"))
        self.assertEqual(
            sorted(Item.objects.values_list("total", flat=True)), [Decimal("2.50"), Decimal("4.00")]
        )
        state = _run([migrations.RemoveField("item", "total")], state=state)
        self.assertEqual(state.apps.get_model(APP, "Item").objects.count(), 2)

    def test_altering_the_expression_is_refused(self):
        state = _run([_item(), migrations.AddField("item", "total", _total())])
        with self.assertRaisesMessage(
            ValueError, "Modifying GeneratedFields is not supported - the field"
        ):
            _run([migrations.AlterField("item", "total", _total(factor=2))], state=state)


class WriterTests(SimpleTestCase):
    def test_written_as_django_writes_it(self):
        text, imports = serializer_factory(_total()).serialize()
        self.assertTrue(text.startswith("models.GeneratedField(db_persist=True, expression="))
        self.assertIn("output_field=models.DecimalField(decimal_places=2, max_digits=12)", text)
        self.assertIn("from tether.db import models", imports)
