"""Operations through the API: state changes (every operation) and database changes, run with
a schema editor on the test database of each backend."""

from __future__ import annotations

from tether import models
from tether.db import connection, migrations
from tether.db.migrations.exceptions import IrreversibleError
from tether.db.migrations.migration import Migration
from tether.db.migrations.state import ModelState, ProjectState
from tether.test import SimpleTestCase, TransactionTestCase

APP = "migr_ops"


def _pony(**options):
    return migrations.CreateModel(
        "Pony",
        [
            ("id", models.AutoField(primary_key=True, serialize=False)),
            ("pink", models.IntegerField(default=3)),
            ("weight", models.FloatField()),
        ],
        options=options or None,
    )


def _state(*operations):
    state = ProjectState()
    for operation in operations:
        operation.state_forwards(APP, state)
    return state


def _tables():
    return {name.lower() for name in connection.introspection.table_names()}


def _run(operations, state=None, backwards=False):
    migration = type("Migration", (Migration,), {"operations": list(operations)})("0001", APP)
    state = state or ProjectState()
    with connection.schema_editor(atomic=migration.atomic) as editor:
        if backwards:
            return migration.unapply(state, editor)
        return migration.apply(state, editor)


class StateTests(SimpleTestCase):
    def test_create_model_renders_a_historical_model_in_its_own_registry(self):
        state = _state(_pony())
        Pony = state.apps.get_model(APP, "Pony")
        self.assertEqual(Pony._meta.db_table, "migr_ops_pony")
        self.assertEqual([f.name for f in Pony._meta.fields], ["id", "pink", "weight"])
        import tether.apps

        self.assertNotIn(APP, tether.apps.apps.all_models)

    def test_field_operations_change_the_state(self):
        state = _state(
            _pony(),
            migrations.AddField("Pony", "height", models.FloatField(null=True)),
            migrations.AlterField("Pony", "pink", models.IntegerField(default=5)),
            migrations.RenameField("Pony", "weight", "mass"),
            migrations.RemoveField("Pony", "height"),
        )
        fields = state.models[(APP, "pony")].fields
        self.assertEqual(list(fields), ["id", "pink", "mass"])
        self.assertEqual(fields["pink"].default, 5)

    def test_rename_model_repoints_relations(self):
        rider = migrations.CreateModel(
            "Rider",
            [
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("pony", models.ForeignKey("Pony", models.CASCADE)),
                ("friends", models.ManyToManyField("Pony", related_name="+")),
            ],
        )
        state = _state(_pony(), rider, migrations.RenameModel("Pony", "Horse"))
        fields = state.models[(APP, "rider")].fields
        self.assertEqual(fields["pony"].deconstruct()[3]["to"], f"{APP}.horse")
        self.assertEqual(fields["friends"].deconstruct()[3]["to"], f"{APP}.horse")
        Rider = state.apps.get_model(APP, "Rider")
        self.assertEqual(Rider._meta.get_field("pony").related_model.__name__, "Horse")

    def test_option_operations(self):
        index = models.Index(fields=["pink"], name="pony_pink_idx")
        constraint = models.CheckConstraint(condition=models.Q(pink__gt=0), name="pink_gt_0")
        state = _state(
            _pony(),
            migrations.AlterModelTable("Pony", "ponies"),
            migrations.AlterModelOptions("Pony", {"ordering": ["pink"]}),
            migrations.AlterUniqueTogether("Pony", [("pink", "weight")]),
            migrations.AddIndex("Pony", index),
            migrations.RenameIndex("Pony", new_name="pony_pink_2_idx", old_name="pony_pink_idx"),
            migrations.AddConstraint("Pony", constraint),
            migrations.AlterModelTableComment("Pony", "ponies they are"),
        )
        Pony = state.apps.get_model(APP, "Pony")
        self.assertEqual(Pony._meta.db_table, "ponies")
        self.assertEqual(Pony._meta.ordering, ["pink"])
        self.assertEqual(Pony._meta.unique_together, (("pink", "weight"),))
        self.assertEqual([i.name for i in Pony._meta.indexes], ["pony_pink_2_idx"])
        self.assertEqual([c.name for c in Pony._meta.constraints], ["pink_gt_0"])
        self.assertEqual(Pony._meta.db_table_comment, "ponies they are")
        state = _state(
            _pony(),
            migrations.AddIndex("Pony", index),
            migrations.RemoveIndex("Pony", "pony_pink_idx"),
            migrations.AddConstraint("Pony", constraint),
            migrations.RemoveConstraint("Pony", "pink_gt_0"),
            migrations.DeleteModel("Pony"),
        )
        self.assertEqual(state.models, {})

    def test_model_state_from_model_round_trips(self):
        state = _state(_pony(ordering=["weight"]))
        Pony = state.apps.get_model(APP, "Pony")
        again = ModelState.from_model(Pony)
        self.assertEqual(again, state.models[(APP, "pony")])

    def test_describe_and_name_fragments_are_djangos(self):
        cases = [
            (_pony(), "Create model Pony", "pony"),
            (migrations.DeleteModel("Pony"), "Delete model Pony", "delete_pony"),
            (
                migrations.AddField("Pony", "age", models.IntegerField()),
                "Add field age to Pony",
                "pony_age",
            ),
            (
                migrations.RenameField("Pony", "a", "b"),
                "Rename field a on Pony to b",
                "rename_a_pony_b",
            ),
            (
                migrations.RenameModel("Pony", "Horse"),
                "Rename model Pony to Horse",
                "rename_pony_horse",
            ),
            (migrations.RunSQL("SELECT 1"), "Raw SQL operation", None),
        ]
        for operation, description, fragment in cases:
            self.assertEqual(operation.describe(), description)
            self.assertEqual(operation.migration_name_fragment, fragment)

    def test_runpython_needs_a_callable(self):
        with self.assertRaisesMessage(ValueError, "RunPython must be supplied with a callable"):
            migrations.RunPython("not code")


class DatabaseOperationTests(TransactionTestCase):
    def tearDown(self):
        with connection.schema_editor() as editor:
            for table in ("migr_ops_pony", "migr_ops_rider_friends", "migr_ops_rider", "sql_t"):
                if table in _tables():
                    editor.execute(f"DROP TABLE {editor.quote_name(table)}")

    def test_create_and_delete_model_forwards_and_backwards(self):
        rider = migrations.CreateModel(
            "Rider",
            [
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("pony", models.ForeignKey("Pony", models.CASCADE)),
                ("friends", models.ManyToManyField("Pony", related_name="+")),
            ],
        )
        state = _run([_pony(), rider])
        self.assertLessEqual(
            {"migr_ops_pony", "migr_ops_rider", "migr_ops_rider_friends"}, _tables()
        )
        Pony = state.apps.get_model(APP, "Pony")
        Pony.objects.create(weight=1.5)
        self.assertEqual(Pony.objects.get().pink, 3)
        _run([_pony(), rider], backwards=True)
        self.assertFalse({"migr_ops_pony", "migr_ops_rider"} & _tables())

    def test_run_python_gets_historical_models_and_reverses(self):
        def forwards(apps, schema_editor):
            Pony = apps.get_model(APP, "Pony")
            Pony.objects.using(schema_editor.connection.alias).create(weight=2)

        def backwards(apps, schema_editor):
            apps.get_model(APP, "Pony").objects.all().delete()

        state = _run([_pony()])
        run_python = migrations.RunPython(forwards, backwards)
        _run([run_python], state=state.clone())
        Pony = state.apps.get_model(APP, "Pony")
        self.assertEqual(Pony.objects.count(), 1)
        _run([run_python], state=state.clone(), backwards=True)
        self.assertEqual(Pony.objects.count(), 0)
        with self.assertRaises(IrreversibleError):
            _run([migrations.RunPython(forwards)], state=state.clone(), backwards=True)

    def test_run_sql_splits_statements_and_reverses(self):
        sql = (
            "CREATE TABLE sql_t (id integer PRIMARY KEY, v varchar(10));\n"
            "-- a comment; with a semicolon\n"
            "INSERT INTO sql_t (id, v) VALUES (1, 'a;b');"
        )
        _run([migrations.RunSQL(sql, reverse_sql="DROP TABLE sql_t")])
        with connection.cursor() as cursor:
            cursor.execute("SELECT v FROM sql_t")
            self.assertEqual([tuple(row) for row in cursor.fetchall()], [("a;b",)])
        _run([migrations.RunSQL(sql, reverse_sql="DROP TABLE sql_t")], backwards=True)
        self.assertNotIn("sql_t", _tables())

    def test_separate_database_and_state(self):
        create_sql = migrations.RunSQL(
            "CREATE TABLE migr_ops_pony (id integer PRIMARY KEY, pink integer NOT NULL, "
            "weight double precision NOT NULL)",
            reverse_sql="DROP TABLE migr_ops_pony",
        )
        operation = migrations.SeparateDatabaseAndState(
            database_operations=[create_sql], state_operations=[_pony()]
        )
        state = _run([operation])
        self.assertIn((APP, "pony"), state.models)
        self.assertIn("migr_ops_pony", _tables())
        state.apps.get_model(APP, "Pony").objects.create(id=1, pink=1, weight=1)
        _run([operation], state=_state(_pony()), backwards=True)
        self.assertNotIn("migr_ops_pony", _tables())

    def test_collect_sql_runs_nothing(self):
        migration = type("Migration", (Migration,), {"operations": [_pony()]})("0001", APP)
        with connection.schema_editor(collect_sql=True) as editor:
            migration.apply(ProjectState(), editor, collect_sql=True)
        self.assertEqual(editor.collected_sql[:3], ["--", "-- Create model Pony", "--"])
        self.assertIn("CREATE TABLE", editor.collected_sql[3])
        self.assertNotIn("migr_ops_pony", _tables())
