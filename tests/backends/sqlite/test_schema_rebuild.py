"""SQLite's table rebuild (CREATE new__t, copy, DROP, RENAME): rows, references from other
tables, indexes and constraints survive; foreign keys are checked before the commit."""

from __future__ import annotations

import pytest
from tests.schema.base import SchemaTestCase

from tether import models
from tether.db import IntegrityError, NotSupportedError, connection, transaction

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the table rebuild is SQLite's way to alter"
)


def _statements(run) -> list[str]:
    with connection.schema_editor(collect_sql=True) as editor:
        run(editor)
    return editor.collected_sql


class RebuildTests(SchemaTestCase):
    def setUp(self) -> None:
        super().setUp()
        meta = type(
            "Meta",
            (),
            {
                "app_label": "schema",
                "indexes": [models.Index(fields=["age"], name="author_age_idx")],
                "unique_together": [("name", "age")],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(age__gte=0), name="age_gte_0")
                ],
            },
        )
        self.Author = type(
            "Author",
            (models.Model,),
            {
                "__module__": "tests.schema.models",
                "name": models.CharField(max_length=50),
                "age": models.IntegerField(null=True),
                "Meta": meta,
            },
        )
        self.Book = type(
            "Book",
            (models.Model,),
            {
                "__module__": "tests.schema.models",
                "author": models.ForeignKey(self.Author, models.CASCADE),
            },
        )
        self.create(self.Author, self.Book)
        self.authors = self.Author.objects.bulk_create(
            [self.Author(name=f"a{i}", age=i) for i in range(5)]
        )
        self.Book.objects.bulk_create([self.Book(author=a) for a in self.authors])

    def test_alter_field_rebuilds_and_keeps_everything(self) -> None:
        old = self.Author._meta.get_field("name")
        new = self.field(models.CharField(max_length=80, null=True), "name")
        statements = _statements(lambda e: e.alter_field(self.Author, old, new))
        self.assertTrue(any(s.startswith('CREATE TABLE "new__schema_author"') for s in statements))
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, old, new, strict=True)
        self.assertEqual(
            self.rows("schema_author", "id", "name", "age"),
            [(a.pk, a.name, a.age) for a in self.authors],
        )
        names = set(self.constraints("schema_author"))
        self.assertIn("author_age_idx", names)
        self.assertIn("age_gte_0", names)
        self.assertEqual(len(self.constraints_on("schema_author", ["name", "age"], unique=True)), 1)
        self.assertEqual(
            connection.introspection.get_relations(None, "schema_book"),
            {"author_id": ("id", "schema_author")},
        )
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            self.assertEqual(cursor.fetchall(), [])
            cursor.execute("PRAGMA foreign_keys")
            self.assertEqual(cursor.fetchone()[0], 1)  # enforcement is back on
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.Author.objects.create(name="neg", age=-1)
        # The rebuilt table still numbers new rows after the old ones.
        self.assertGreater(self.Author.objects.create(name="z", age=1).pk, self.authors[-1].pk)

    def test_rename_only_uses_rename_column(self) -> None:
        old = self.Author._meta.get_field("age")
        new = self.field(models.IntegerField(null=True, db_column="years"), "age")
        statements = _statements(lambda e: e.alter_field(self.Author, old, new))
        self.assertEqual(
            statements, ['ALTER TABLE "schema_author" RENAME COLUMN "age" TO "years";']
        )

    def test_remove_field_rebuilds_when_constrained(self) -> None:
        with connection.schema_editor() as editor:
            editor.remove_field(self.Book, self.Book._meta.get_field("author"))
        self.assertEqual(list(self.columns("schema_book")), ["id"])
        self.assertEqual(len(self.rows("schema_book", "id")), 5)

    def test_dangling_reference_rolls_back(self) -> None:
        old = self.Author._meta.get_field("name")
        new = self.field(models.TextField(), "name")
        with self.assertRaisesMessage(IntegrityError, "has an invalid foreign key"):
            with connection.schema_editor() as editor:
                editor.alter_field(self.Author, old, new)
                editor.execute("DELETE FROM schema_author WHERE name = %s", ["a0"])
        self.assertEqual(len(self.rows("schema_author", "id")), 5)
        self.assertIn("varchar", self.columns("schema_author")["name"].type_code)

    def test_rebuild_inside_a_transaction_is_refused(self) -> None:
        old = self.Author._meta.get_field("name")
        new = self.field(models.TextField(), "name")
        with self.assertRaisesMessage(NotSupportedError, "foreign key constraint checks"):
            with transaction.atomic(), connection.schema_editor() as editor:
                editor.alter_field(self.Author, old, new)

    def test_add_not_null_field_rebuilds_with_default(self) -> None:
        field = self.field(models.CharField(max_length=5, default="x"), "code")
        with connection.schema_editor() as editor:
            editor.add_field(self.Author, field)
        self.assertEqual({row[0] for row in self.rows("schema_author", "code")}, {"x"})
        self.assertIsNone(self.columns("schema_author")["code"].default)
