"""The autodetector and the writer through the API: model states in, operations and files out
(no database)."""

from __future__ import annotations

from tether import models
from tether.db import migrations
from tether.db.migrations.autodetector import MigrationAutodetector
from tether.db.migrations.graph import MigrationGraph
from tether.db.migrations.migration import Migration
from tether.db.migrations.optimizer import MigrationOptimizer
from tether.db.migrations.questioner import MigrationQuestioner
from tether.db.migrations.state import ModelState, ProjectState
from tether.db.migrations.writer import MigrationWriter
from tether.test import SimpleTestCase

APP = "detect"


def _id():
    return (
        "id",
        models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
    )


def _state(*model_states):
    state = ProjectState()
    for model_state in model_states:
        state.add_model(model_state)
    return state


def _author(*extra, options=None):
    return ModelState(
        APP, "Author", [_id(), ("name", models.CharField(max_length=200)), *extra], options
    )


def _book(*extra):
    return ModelState(
        APP,
        "Book",
        [_id(), ("author", models.ForeignKey("detect.Author", models.CASCADE)), *extra],
    )


def _changes(before, after, questioner=None, graph=None):
    graph = graph or MigrationGraph()
    detector = MigrationAutodetector(
        before, after, questioner or MigrationQuestioner(specified_apps=[APP])
    )
    return detector.changes(graph)


def _ops(changes, app=APP):
    return [
        (op.deconstruct()[0], op.deconstruct()[2])
        for m in changes.get(app, [])
        for op in m.operations
    ]


class AutodetectorTests(SimpleTestCase):
    def test_initial_migration_orders_models_by_dependency(self):
        changes = _changes(ProjectState(), _state(_book(), _author()))
        migration = changes[APP][0]
        self.assertEqual(migration.name, "0001_initial")
        self.assertTrue(migration.initial)
        self.assertEqual([op.name for op in migration.operations], ["Author", "Book"])
        self.assertEqual([n for n, _ in migration.operations[1].fields], ["id", "author"])

    def _graph_with_initial(self):
        graph = MigrationGraph()
        graph.add_node((APP, "0001_initial"), Migration("0001_initial", APP))
        return graph

    def test_added_removed_and_altered_fields(self):
        before = _state(_author(("age", models.IntegerField())))
        after = _state(_author(("email", models.EmailField(null=True))))
        after.models[(APP, "author")].fields["name"] = models.CharField(max_length=100)
        changes = _changes(before, after, graph=self._graph_with_initial())
        migration = changes[APP][0]
        self.assertEqual(migration.dependencies, [(APP, "0001_initial")])
        self.assertEqual(
            [type(op).__name__ for op in migration.operations],
            ["RemoveField", "AddField", "AlterField"],
        )
        self.assertEqual(migration.name, "0002_remove_author_age_author_email_alter_author_name")

    def test_not_null_addition_takes_the_questioners_default(self):
        class Answers(MigrationQuestioner):
            def ask_not_null_addition(self, field_name, model_name):
                return 7

        before = _state(_author())
        after = _state(_author(("age", models.IntegerField())))
        (op,) = _changes(before, after, Answers(), self._graph_with_initial())[APP][0].operations
        self.assertFalse(op.preserve_default)
        self.assertEqual(op.field.default, 7)

    def test_rename_field_when_confirmed(self):
        before = _state(_author(("age", models.IntegerField())))
        after = _state(_author(("years", models.IntegerField())))
        questioner = MigrationQuestioner({"ask_rename": True})
        ops = _ops(_changes(before, after, questioner, self._graph_with_initial()))
        self.assertEqual(
            ops, [("RenameField", {"model_name": "author", "old_name": "age", "new_name": "years"})]
        )

    def test_rename_model_when_confirmed(self):
        before = _state(_author())
        after = _state(ModelState(APP, "Writer", list(_author().fields.items())))
        questioner = MigrationQuestioner({"ask_rename_model": True})
        ops = _ops(_changes(before, after, questioner, self._graph_with_initial()))
        self.assertEqual(ops, [("RenameModel", {"old_name": "Author", "new_name": "Writer"})])

    def test_m2m_added_and_removed(self):
        tag = ModelState(APP, "Tag", [_id()])
        before = _state(_author(), tag)
        after = _state(_author(("tags", models.ManyToManyField("detect.Tag"))), tag)
        ops = _ops(_changes(before, after, graph=self._graph_with_initial()))
        self.assertEqual(ops[0][0], "AddField")
        ops = _ops(_changes(after, before, graph=self._graph_with_initial()))
        self.assertEqual(ops, [("RemoveField", {"model_name": "author", "name": "tags"})])

    def test_options_indexes_constraints_unique_together(self):
        before = _state(_author())
        after = _state(
            _author(
                options={
                    "ordering": ["name"],
                    "indexes": [models.Index(fields=["name"], name="author_name_idx")],
                    "constraints": [models.UniqueConstraint(fields=["name"], name="uniq_name")],
                    "unique_together": {("id", "name")},
                    "db_table": "writers",
                }
            )
        )
        names = [
            name for name, _ in _ops(_changes(before, after, graph=self._graph_with_initial()))
        ]
        self.assertEqual(
            sorted(names),
            [
                "AddConstraint",
                "AddIndex",
                "AlterModelOptions",
                "AlterModelTable",
                "AlterUniqueTogether",
            ],
        )
        back = [name for name, _ in _ops(_changes(after, before, graph=self._graph_with_initial()))]
        self.assertIn("RemoveIndex", back)
        self.assertIn("RemoveConstraint", back)

    def test_deleted_model_after_the_models_pointing_at_it(self):
        before = _state(_author(), _book())
        changes = _changes(before, ProjectState(), graph=self._graph_with_initial())
        self.assertEqual([op.name for op in changes[APP][0].operations], ["Book", "Author"])

    def test_automatic_m2m_switched_to_through_takes_the_table_over(self):
        student = ModelState(APP, "Student", [_id()])
        course = ModelState(
            APP,
            "Course",
            [_id(), ("students", models.ManyToManyField("detect.Student", related_name="courses"))],
        )
        enrollment = ModelState(
            APP,
            "Enrollment",
            [
                _id(),
                ("student", models.ForeignKey("detect.Student", models.CASCADE)),
                ("course", models.ForeignKey("detect.Course", models.CASCADE)),
                ("enrollment_date", models.DateField(null=True)),
            ],
        )
        through_course = ModelState(
            APP,
            "Course",
            [
                _id(),
                (
                    "students",
                    models.ManyToManyField(
                        "detect.Student", related_name="courses", through="detect.Enrollment"
                    ),
                ),
            ],
        )
        changes = _changes(
            _state(student, course),
            _state(student, through_course, enrollment),
            graph=self._graph_with_initial(),
        )
        operations = changes[APP][0].operations
        self.assertEqual(
            [type(op).__name__ for op in operations],
            ["SeparateDatabaseAndState", "AlterModelTable", "AddField"],
        )
        separate = operations[0]
        self.assertEqual(separate.database_operations, [])
        create, alter = separate.state_operations
        self.assertEqual(create.options, {"db_table": "detect_course_students"})
        self.assertEqual([n for n, _ in create.fields], ["id", "course", "student"])
        self.assertEqual(alter.field.deconstruct()[3]["through"], "detect.Enrollment")


class OptimizerTests(SimpleTestCase):
    def test_create_model_absorbs_later_operations(self):
        create = migrations.CreateModel("Pony", [_id()])
        result = MigrationOptimizer().optimize(
            [
                create,
                migrations.AddField("Pony", "age", models.IntegerField()),
                migrations.AlterModelOptions("Pony", {"ordering": ["age"]}),
                migrations.RenameField("Pony", "age", "years"),
            ],
            APP,
        )
        (only,) = result
        self.assertEqual([n for n, _ in only.fields], ["id", "years"])
        self.assertEqual(only.options, {"ordering": ["age"]})

    def test_create_then_delete_is_nothing(self):
        self.assertEqual(
            MigrationOptimizer().optimize(
                [migrations.CreateModel("Pony", [_id()]), migrations.DeleteModel("Pony")], APP
            ),
            [],
        )


class WriterTests(SimpleTestCase):
    def test_file_is_djangos_shape_with_tether_imports(self):
        migration = type(
            "Migration",
            (Migration,),
            {
                "initial": True,
                "operations": [
                    migrations.CreateModel(
                        "Book",
                        [_id(), ("author", models.ForeignKey("detect.author", models.CASCADE))],
                        options={"ordering": ["id"]},
                    ),
                    migrations.RunSQL("SELECT 1", migrations.RunSQL.noop),
                ],
            },
        )("0001_initial", APP)
        source = MigrationWriter(migration, include_header=False).as_string()
        self.assertEqual(
            source,
            "import tether.db.models.deletion\n"
            "from tether.db import migrations, models\n\n\n"
            "class Migration(migrations.Migration):\n\n"
            "    initial = True\n\n"
            "    dependencies = [\n    ]\n\n"
            "    operations = [\n"
            "        migrations.CreateModel(\n"
            "            name='Book',\n"
            "            fields=[\n"
            "                ('id', models.AutoField(auto_created=True, primary_key=True, "
            "serialize=False, verbose_name='ID')),\n"
            "                ('author', models.ForeignKey(on_delete=tether.db.models.deletion."
            "CASCADE, to='detect.author')),\n"
            "            ],\n"
            "            options={\n"
            "                'ordering': ['id'],\n"
            "            },\n"
            "        ),\n"
            "        migrations.RunSQL(\n"
            "            sql='SELECT 1',\n"
            "            reverse_sql='',\n"
            "        ),\n"
            "    ]\n",
        )
        namespace: dict[str, object] = {}
        exec(compile(source, "0001_initial.py", "exec"), namespace)  # noqa: S102
        loaded = namespace["Migration"]("0001_initial", APP)  # type: ignore[operator]
        self.assertEqual(
            [op.deconstruct()[0] for op in loaded.operations], ["CreateModel", "RunSQL"]
        )
