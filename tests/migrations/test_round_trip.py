"""No lost rows: a populated table goes through every schema operation forwards and then
backwards, one migration per operation, and its rows (and its many-to-many links) are compared
after each step, on every backend."""

from __future__ import annotations

from tether import models
from tether.db import connection, migrations
from tether.db.migrations.migration import Migration
from tether.db.migrations.state import ProjectState
from tether.test import TransactionTestCase

APP = "migr_rows"


def _id():
    return (
        "id",
        models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
    )


INITIAL = [
    migrations.CreateModel("Tag", [_id(), ("label", models.CharField(max_length=20))]),
    migrations.CreateModel(
        "Item",
        [
            _id(),
            ("name", models.CharField(max_length=30)),
            ("size", models.IntegerField(null=True)),
            ("tag", models.ForeignKey("migr_rows.Tag", models.CASCADE, null=True)),
            ("tags", models.ManyToManyField("migr_rows.Tag", related_name="items")),
        ],
    ),
]

STEPS = [
    migrations.AddField("item", "weight", models.IntegerField(default=5)),
    migrations.AlterField("item", "name", models.CharField(max_length=60)),
    migrations.AlterField("item", "size", models.BigIntegerField(null=True)),
    migrations.RenameField("item", "size", "volume"),
    migrations.AddIndex("item", models.Index(fields=["name"], name="item_name_idx")),
    migrations.RenameIndex("item", new_name="item_name_2_idx", old_name="item_name_idx"),
    migrations.AddConstraint(
        "item", models.CheckConstraint(condition=models.Q(weight__gte=0), name="weight_gte_0")
    ),
    migrations.AlterUniqueTogether("item", {("name", "weight")}),
    migrations.AlterModelTable("item", "rows_items"),
    migrations.RenameModel("Item", "Thing"),
    migrations.AlterField(
        "thing",
        "tag",
        models.ForeignKey("migr_rows.Tag", models.SET_NULL, null=True, db_index=False),
    ),
    migrations.RemoveIndex("thing", "item_name_2_idx"),
    migrations.RemoveConstraint("thing", "weight_gte_0"),
    migrations.AlterUniqueTogether("thing", set()),
    migrations.AddField("tag", "things", models.ManyToManyField("migr_rows.Thing")),
    migrations.RemoveField("tag", "things"),
    migrations.RemoveField("thing", "weight"),
]


def _migration(name, operations):
    return type("Migration", (Migration,), {"operations": list(operations)})(name, APP)


def _snapshot(state):
    Tag = state.apps.get_model(APP, "Tag")
    model = next(m for m in state.apps.get_models() if m._meta.model_name in ("item", "thing"))
    rows = sorted(
        (obj.pk, obj.name, getattr(obj, "size", getattr(obj, "volume", None)), obj.tag_id)
        for obj in model.objects.all()
    )
    links = sorted((obj.pk, t.pk) for obj in model.objects.all() for t in obj.tags.all())
    return rows, links, sorted(Tag.objects.values_list("pk", "label"))


class RoundTripTests(TransactionTestCase):
    def tearDown(self):
        existing = {t.lower() for t in connection.introspection.table_names()}
        with connection.schema_editor() as editor:
            for table in sorted(existing, key=len, reverse=True):
                if table.startswith(("migr_rows", "rows_items")):
                    editor.execute(
                        f"DROP TABLE {editor.quote_name(table)}"
                        + (" CASCADE" if connection.vendor == "postgresql" else "")
                    )

    def test_every_operation_forwards_and_backwards_keeps_every_row(self):
        state = ProjectState()
        with connection.schema_editor() as editor:
            state = _migration("0001", INITIAL).apply(state, editor)
        Tag = state.apps.get_model(APP, "Tag")
        Item = state.apps.get_model(APP, "Item")
        red, blue = Tag.objects.create(label="red"), Tag.objects.create(label="blue")
        for n in range(20):
            item = Item.objects.create(
                name=f"item {n}", size=n * 10 if n % 3 else None, tag=red if n % 2 else None
            )
            item.tags.add(*([red, blue] if n % 4 else [blue]))
        expected = _snapshot(state)
        states = [state]
        for index, operation in enumerate(STEPS):
            migration = _migration(f"{index + 2:04d}", [operation])
            with connection.schema_editor(atomic=migration.atomic) as editor:
                state = migration.apply(states[-1].clone(), editor)
            states.append(state)
            self.assertEqual(_snapshot(state), expected, operation.describe())
        for index in reversed(range(len(STEPS))):
            migration = _migration(f"{index + 2:04d}", [STEPS[index]])
            with connection.schema_editor(atomic=migration.atomic) as editor:
                migration.unapply(states[index].clone(), editor)
            self.assertEqual(_snapshot(states[index]), expected, f"undo {STEPS[index].describe()}")
