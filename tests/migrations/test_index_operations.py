"""Index and constraint operations that the differential test against Django found missing,
through the API on the test database of each backend: an Index's condition and descending
fields, a UniqueConstraint over expressions, and a multi-table child's historical model."""

from __future__ import annotations

from tests.migrations.test_operations import APP, _run, _state, _tables

from tether import models
from tether.db import IntegrityError, connection, migrations, transaction
from tether.models.functions import Lower, Upper
from tether.test import SimpleTestCase, TransactionTestCase


def _pupil() -> migrations.CreateModel:
    return migrations.CreateModel(
        "Pupil",
        [
            ("id", models.AutoField(primary_key=True, serialize=False)),
            ("name", models.CharField(max_length=20)),
            ("age", models.IntegerField(null=True)),
        ],
    )


def _indexes() -> dict[str, dict]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "migr_ops_pupil")
    return {name: info for name, info in found.items() if info["index"]}


class IndexOperationTests(TransactionTestCase):
    def tearDown(self):
        with connection.schema_editor() as editor:
            if "migr_ops_pupil" in _tables():
                editor.execute(f"DROP TABLE {editor.quote_name('migr_ops_pupil')}")

    def test_index_keeps_its_condition_and_descending_fields(self):
        index = models.Index(
            fields=["-name", "age"], name="adult_idx", condition=models.Q(age__gte=18)
        )
        with connection.schema_editor(collect_sql=True) as editor:
            sql = index.create_sql(_state(_pupil()).apps.get_model(APP, "Pupil"), editor)
        name = connection.ops.quote_name("name")
        self.assertIn(f"{name} DESC", sql)
        if connection.features.supports_partial_indexes:
            self.assertIn("WHERE", sql)
            self.assertIn("18", sql)
        else:
            self.assertNotIn("WHERE", sql)
        state = _run([_pupil(), migrations.AddIndex("pupil", index)])
        self.assertIn("adult_idx", _indexes())
        _run([migrations.RemoveIndex("pupil", "adult_idx")], state=state)
        self.assertNotIn("adult_idx", _indexes())

    def test_unique_constraint_over_an_expression(self):
        constraint = models.UniqueConstraint(Lower("name"), name="unique_lower_name")
        state = _run([_pupil(), migrations.AddConstraint("pupil", constraint)])
        Pupil = state.apps.get_model(APP, "Pupil")
        Pupil.objects.create(name="Ann")
        if not connection.features.supports_expression_indexes:
            # MariaDB has no index on an expression: the constraint is skipped, as Django's.
            self.assertNotIn("unique_lower_name", _indexes())
            return
        self.assertTrue(_indexes()["unique_lower_name"]["unique"])
        with self.assertRaises(IntegrityError), transaction.atomic():
            Pupil.objects.create(name="ANN")
        state = _run([migrations.RemoveConstraint("pupil", "unique_lower_name")], state=state)
        Pupil.objects.create(name="ANN")
        self.assertNotIn("unique_lower_name", _indexes())

    def test_index_over_expressions(self):
        # Index(Lower("name")) was accepted and silently created nothing.
        index = models.Index(Lower("name").desc(), "age", name="lower_name_idx")
        Pupil = _state(_pupil()).apps.get_model(APP, "Pupil")
        with connection.schema_editor(collect_sql=True) as editor:
            sql = index.create_sql(Pupil, editor)
        if not connection.features.supports_expression_indexes:
            # MariaDB cannot index an expression: skipped, as Django's schema editor does.
            self.assertIsNone(sql)
            state = _run([_pupil(), migrations.AddIndex("pupil", index)])
            self.assertNotIn("lower_name_idx", _indexes())
            return
        name, age = (connection.ops.quote_name(column) for column in ("name", "age"))
        # A function is parenthesised, a bare column is not; DESC stays outside.
        self.assertIn(f"((LOWER({name})) DESC, {age})", sql)
        state = _run([_pupil(), migrations.AddIndex("pupil", index)])
        self.assertEqual(_indexes()["lower_name_idx"]["columns"] != [], True)
        _run([migrations.RemoveIndex("pupil", "lower_name_idx")], state=state)
        self.assertNotIn("lower_name_idx", _indexes())

    def test_a_value_naming_the_table_is_written_as_given(self):
        # The DDL used to drop '"table".' from the whole statement text, literals included.
        Pupil = _state(_pupil()).apps.get_model(APP, "Pupil")
        literal = f"{connection.ops.quote_name('migr_ops_pupil')}.name"
        check = models.CheckConstraint(condition=~models.Q(name=literal), name="not_literal")
        with connection.schema_editor(collect_sql=True) as editor:
            sql = check.create_sql(Pupil, editor)
        self.assertIn(editor.quote_value(literal), sql)

    def test_covering_index_and_opclasses(self):
        index = models.Index(
            fields=["name"], name="name_cover_idx", include=["age"], opclasses=["text_pattern_ops"]
        )
        Pupil = _state(_pupil()).apps.get_model(APP, "Pupil")
        with connection.schema_editor(collect_sql=True) as editor:
            sql = index.create_sql(Pupil, editor)
        age = connection.ops.quote_name("age")
        if connection.vendor == "postgresql":
            self.assertIn("text_pattern_ops", sql)
            self.assertIn(f"INCLUDE ({age})", sql)
        else:  # neither has a meaning elsewhere: left out, as Django leaves them
            self.assertNotIn("text_pattern_ops", sql)
            self.assertNotIn("INCLUDE", sql)
        state = _run([_pupil(), migrations.AddIndex("pupil", index)])
        self.assertIn("name_cover_idx", _indexes())
        _run([migrations.RemoveIndex("pupil", "name_cover_idx")], state=state)


class IndexDefinitionTests(SimpleTestCase):
    def test_django_s_argument_errors(self):
        cases = [
            ({"fields": ["a"], "opclasses": ["x"]}, "An index must be named to use opclasses."),
            (
                {"fields": ["a"], "name": "i", "condition": "a"},
                "Index.condition must be a Q instance.",
            ),
            (
                {"fields": ["a"], "condition": models.Q(a=1)},
                "An index must be named to use condition.",
            ),
            ({"fields": "a", "name": "i"}, "Index.fields must be a list or tuple."),
            (
                {"fields": ["a"], "name": "i", "opclasses": "x"},
                "Index.opclasses must be a list or tuple.",
            ),
            ({}, "At least one field or expression is required to define an index."),
            (
                {"fields": ["a", "b"], "name": "i", "opclasses": ["x"]},
                "Index.fields and Index.opclasses must have the same number of elements.",
            ),
            (
                {"fields": [1], "name": "i"},
                "Index.fields must contain only strings with field names.",
            ),
            ({"fields": ["a"], "include": ["b"]}, "A covering index must be named."),
            (
                {"fields": ["a"], "name": "i", "include": "b"},
                "Index.include must be a list or tuple.",
            ),
        ]
        for kwargs, message in cases:
            with self.subTest(message), self.assertRaisesMessage(ValueError, message):
                models.Index(**kwargs)
        with self.assertRaisesMessage(
            ValueError, "Index.fields and expressions are mutually exclusive."
        ):
            models.Index(Lower("a"), fields=["b"], name="i")
        with self.assertRaisesMessage(ValueError, "An index must be named to use expressions."):
            models.Index(Lower("a"))
        with self.assertRaisesMessage(ValueError, "Index.opclasses cannot be used with"):
            models.Index(Lower("a"), name="i", opclasses=["x"])

    def test_deconstruct_and_repr_keep_every_argument(self):
        index = models.Index(
            Lower("name"), "age", name="i", db_tablespace="fast", condition=models.Q(age=1)
        )
        path, args, kwargs = index.deconstruct()
        self.assertEqual(path, "tether.models.Index")
        self.assertEqual(args, (Lower("name"), models.F("age")))
        self.assertEqual(
            kwargs, {"name": "i", "db_tablespace": "fast", "condition": models.Q(age=1)}
        )
        self.assertEqual(index.clone(), index)
        self.assertNotEqual(index, models.Index(Upper("name"), "age", name="i"))
        self.assertEqual(
            repr(models.Index(fields=["name"], name="n", include=["age"], opclasses=["o"])),
            "<Index: fields=['name'] name='n' include=('age',) opclasses=['o']>",
        )

    def test_wrappers_must_be_topmost(self):
        index = models.Index(Lower(models.F("name").desc()), name="i")
        Pupil = _state(_pupil()).apps.get_model(APP, "Pupil")
        if not connection.features.supports_expression_indexes:  # never compiled there
            with connection.schema_editor(collect_sql=True) as editor:
                self.assertIsNone(index.create_sql(Pupil, editor))
            return
        with (
            connection.schema_editor(collect_sql=True) as editor,
            self.assertRaisesMessage(
                ValueError, "OrderBy, Collate must be topmost expressions in an indexed expression."
            ),
        ):
            index.create_sql(Pupil, editor)


class InheritanceStateTests(SimpleTestCase):
    def test_child_with_its_parent_link_as_migrations_write_it(self):
        # makemigrations writes the link to 'app.model' in lower case.
        child = migrations.CreateModel(
            "Graduate",
            [
                (
                    "pupil_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=models.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to=f"{APP}.pupil",
                    ),
                ),
                ("year", models.IntegerField()),
            ],
            bases=(f"{APP}.pupil",),
        )
        Graduate = _state(_pupil(), child).apps.get_model(APP, "Graduate")
        self.assertEqual([f.name for f in Graduate._meta.local_fields], ["pupil_ptr", "year"])
        self.assertTrue(Graduate._meta.pk.remote_field.parent_link)


class RebuildThenDropIndexTests(TransactionTestCase):
    def tearDown(self):
        IndexOperationTests.tearDown(self)  # type: ignore[arg-type]

    def test_index_dropped_after_a_table_rebuild_in_the_same_migration(self):
        # Backwards, RemoveConstraint rebuilds the SQLite table (recreating its indexes) and
        # RemoveIndex then drops one of them: the rebuild must have made it already.
        operations = [
            _pupil(),
            migrations.AddIndex("pupil", models.Index(fields=["name"], name="pupil_name_idx")),
            migrations.AddConstraint(
                "pupil", models.CheckConstraint(condition=models.Q(age__gte=0), name="age_ok")
            ),
        ]
        _run(operations)
        self.assertIn("pupil_name_idx", _indexes())
        _run(operations, backwards=True)
        self.assertNotIn("migr_ops_pupil", _tables())


class RenameIndexStateTests(SimpleTestCase):
    def test_rename_leaves_the_create_model_operation_alone(self):
        index = models.Index(fields=["name"], name="old_idx")
        create = _pupil()
        create.options["indexes"] = [index]
        state = _state(
            create, migrations.RenameIndex("pupil", new_name="new_idx", old_name="old_idx")
        )
        self.assertEqual(
            [i.name for i in state.models[(APP, "pupil")].options["indexes"]], ["new_idx"]
        )
        self.assertEqual(index.name, "old_idx")
        self.assertEqual(
            [i.name for i in _state(create).models[(APP, "pupil")].options["indexes"]], ["old_idx"]
        )
