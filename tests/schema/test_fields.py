"""add_field, remove_field and alter_field on a populated table, on every backend: every row
and value survives, and introspection sees the column's new shape."""

from __future__ import annotations

from tether import models
from tether.db import IntegrityError, connection, transaction

from .base import SchemaTestCase, author_model


class FieldTests(SchemaTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.Author = author_model()
        self.create(self.Author)
        self.Author.objects.bulk_create(
            [self.Author(name="Ann", age=30), self.Author(name="Bob", age=None)]
        )

    def test_add_nullable_field(self) -> None:
        field = self.field(models.CharField(max_length=20, null=True), "nick")
        with connection.schema_editor() as editor:
            editor.add_field(self.Author, field)
        self.assertEqual(
            self.rows("schema_author", "name", "age", "nick"),
            [("Ann", 30, None), ("Bob", None, None)],
        )
        self.assertTrue(self.columns("schema_author")["nick"].null_ok)

    def test_add_field_with_default_fills_rows_and_keeps_no_default(self) -> None:
        field = self.field(models.IntegerField(default=7), "rank")
        with connection.schema_editor() as editor:
            editor.add_field(self.Author, field)
        self.assertEqual(self.rows("schema_author", "name", "rank"), [("Ann", 7), ("Bob", 7)])
        info = self.columns("schema_author")["rank"]
        self.assertFalse(info.null_ok)
        self.assertIsNone(info.default)  # Django drops the DEFAULT after filling the rows

    def test_default_with_percent_and_quote(self) -> None:
        field = self.field(models.CharField(max_length=20, default="100% 'sure'"), "motto")
        with connection.schema_editor() as editor:
            editor.add_field(self.Author, field)
        self.assertEqual(self.rows("schema_author", "motto"), [("100% 'sure'",)] * 2)
        with connection.schema_editor(collect_sql=True) as editor:
            editor.add_field(self.Author, self.field(models.IntegerField(default=1), "x"))
            editor.execute("UPDATE schema_author SET age = %s WHERE name = %s", [1, "it's"])
        self.assertIn("'it''s'", editor.collected_sql[-1])

    def test_add_field_with_db_default_keeps_it(self) -> None:
        field = self.field(models.IntegerField(db_default=3), "level")
        with connection.schema_editor() as editor:
            editor.add_field(self.Author, field)
        self.assertEqual(self.rows("schema_author", "level"), [(3,), (3,)])
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO schema_author (name) VALUES (%s)", ["Cy"])
        self.assertEqual(self.rows("schema_author", "level")[-1], (3,))

    def test_add_field_with_expression_db_default(self) -> None:
        field = self.field(models.IntegerField(db_default=models.Value(5) + 1), "level")
        with connection.schema_editor() as editor:
            editor.add_field(self.Author, field)
        self.assertEqual(self.rows("schema_author", "level"), [(6,), (6,)])

    def test_add_unique_field(self) -> None:
        field = self.field(models.CharField(max_length=20, null=True, unique=True), "code")
        with connection.schema_editor() as editor:
            editor.add_field(self.Author, field)
        self.assertEqual(len(self.constraints_on("schema_author", ["code"], unique=True)), 1)
        self.assertEqual(self.rows("schema_author", "name"), [("Ann",), ("Bob",)])

    def test_add_indexed_field(self) -> None:
        field = self.field(models.IntegerField(null=True, db_index=True), "score")
        with connection.schema_editor() as editor:
            editor.add_field(self.Author, field)
        self.assertEqual(
            len(self.constraints_on("schema_author", ["score"], index=True, unique=False)), 1
        )

    def test_add_foreign_key(self) -> None:
        Book = type(
            "Book",
            (models.Model,),
            {"__module__": "tests.schema.models", "title": models.CharField(max_length=20)},
        )
        self.create(Book)
        Book.objects.create(title="T")
        field = self.field(models.ForeignKey(self.Author, models.CASCADE, null=True), "author")
        field.model = Book
        with connection.schema_editor() as editor:
            editor.add_field(Book, field)
        relations = connection.introspection.get_relations(None, "schema_book")
        self.assertEqual(relations, {"author_id": ("id", "schema_author")})
        self.assertEqual(self.rows("schema_book", "title", "author_id"), [("T", None)])

    def test_remove_field(self) -> None:
        with connection.schema_editor() as editor:
            editor.remove_field(self.Author, self.Author._meta.get_field("age"))
        self.assertNotIn("age", self.columns("schema_author"))
        self.assertEqual(self.rows("schema_author", "name"), [("Ann",), ("Bob",)])

    def test_remove_indexed_unique_field(self) -> None:
        field = self.field(models.CharField(max_length=20, null=True, unique=True), "code")
        with connection.schema_editor() as editor:
            editor.add_field(self.Author, field)
        with connection.schema_editor() as editor:
            editor.remove_field(self.Author, field)
        self.assertNotIn("code", self.columns("schema_author"))
        self.assertEqual(self.constraints_on("schema_author", ["code"]), [])
        self.assertEqual(self.rows("schema_author", "name", "age"), [("Ann", 30), ("Bob", None)])

    def test_alter_type_keeps_values(self) -> None:
        old = self.Author._meta.get_field("name")
        new = self.field(models.TextField(), "name")
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, old, new, strict=True)
        old_age = self.Author._meta.get_field("age")
        new_age = self.field(models.BigIntegerField(null=True), "age")
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, old_age, new_age, strict=True)
        self.assertEqual(self.rows("schema_author", "name", "age"), [("Ann", 30), ("Bob", None)])
        self.assertIn("big", str(self.columns("schema_author")["age"].type_code).lower())

    def test_alter_null_to_not_null_with_default_fills_nulls(self) -> None:
        old = self.Author._meta.get_field("age")
        new = self.field(models.IntegerField(default=18), "age")
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, old, new, strict=True)
        self.assertEqual(self.rows("schema_author", "name", "age"), [("Ann", 30), ("Bob", 18)])
        self.assertFalse(self.columns("schema_author")["age"].null_ok)
        with self.assertRaises(IntegrityError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO schema_author (name, age) VALUES (%s, NULL)", ["x"])

    def test_alter_not_null_to_null(self) -> None:
        old = self.Author._meta.get_field("name")
        new = self.field(models.CharField(max_length=50, null=True), "name")
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, old, new, strict=True)
        self.assertTrue(self.columns("schema_author")["name"].null_ok)
        self.assertEqual(self.rows("schema_author", "name"), [("Ann",), ("Bob",)])

    def test_alter_unique_on_and_off(self) -> None:
        old = self.Author._meta.get_field("name")
        unique = self.field(models.CharField(max_length=50, unique=True), "name")
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, old, unique, strict=True)
        self.assertEqual(len(self.constraints_on("schema_author", ["name"], unique=True)), 1)
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, unique, old, strict=True)
        self.assertEqual(self.constraints_on("schema_author", ["name"], unique=True), [])
        self.assertEqual(self.rows("schema_author", "name"), [("Ann",), ("Bob",)])

    def test_alter_db_index_on_and_off(self) -> None:
        old = self.Author._meta.get_field("age")
        indexed = self.field(models.IntegerField(null=True, db_index=True), "age")
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, old, indexed, strict=True)
        self.assertEqual(
            len(self.constraints_on("schema_author", ["age"], index=True, unique=False)), 1
        )
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, indexed, old, strict=True)
        self.assertEqual(self.constraints_on("schema_author", ["age"], index=True), [])

    def test_field_becomes_primary_key(self) -> None:
        Tag = type(
            "Tag",
            (models.Model,),
            {
                "__module__": "tests.schema.models",
                "number": models.IntegerField(),
                "code": models.CharField(max_length=10, unique=True),
            },
        )
        self.create(Tag)
        Tag.objects.bulk_create([Tag(number=1, code="a"), Tag(number=2, code="b")])
        old = Tag._meta.get_field("code")
        new = self.field(models.CharField(max_length=10, primary_key=True), "code")
        with connection.schema_editor() as editor:
            editor.alter_field(Tag, old, new)
        self.assertEqual(
            connection.introspection.get_primary_key_column(None, "schema_tag"), "code"
        )
        self.assertEqual(
            self.rows("schema_tag", "code", "number", order_by="code"), [("a", 1), ("b", 2)]
        )

    def test_rename_column(self) -> None:
        old = self.Author._meta.get_field("age")
        new = self.field(models.IntegerField(null=True, db_column="years"), "age")
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, old, new, strict=True)
        self.assertNotIn("age", self.columns("schema_author"))
        self.assertEqual(self.rows("schema_author", "years"), [(30,), (None,)])

    def test_rename_and_retype_column(self) -> None:
        old = self.Author._meta.get_field("age")
        new = self.field(models.BigIntegerField(default=0, db_column="years"), "years")
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, old, new, strict=True)
        self.assertEqual(self.rows("schema_author", "name", "years"), [("Ann", 30), ("Bob", 0)])

    def test_db_default_set_and_dropped(self) -> None:
        old = self.Author._meta.get_field("age")
        new = self.field(models.IntegerField(null=True, db_default=42), "age")
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, old, new, strict=True)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO schema_author (name) VALUES (%s)", ["Cy"])
        self.assertEqual(self.rows("schema_author", "age"), [(30,), (None,), (42,)])
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, new, old, strict=True)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO schema_author (name) VALUES (%s)", ["Di"])
        self.assertEqual(self.rows("schema_author", "age")[-1], (None,))

    def test_unchanged_field_runs_nothing(self) -> None:
        old = self.Author._meta.get_field("age")
        new = self.field(models.IntegerField(null=True, verbose_name="years", help_text="h"), "age")
        with connection.schema_editor(collect_sql=True) as editor:
            editor.alter_field(self.Author, old, new)
        self.assertEqual(editor.collected_sql, [])

    def test_m2m_and_plain_field_cannot_be_swapped(self) -> None:
        Reader = type(
            "Reader",
            (models.Model,),
            {
                "__module__": "tests.schema.models",
                "plain": models.IntegerField(null=True),
                "authors": models.ManyToManyField(self.Author),
            },
        )
        old, m2m = Reader._meta.get_field("plain"), Reader._meta.get_field("authors")
        with self.assertRaisesMessage(ValueError, "they are not compatible types"):
            with connection.schema_editor(collect_sql=True) as editor:
                editor.alter_field(Reader, old, m2m)


class ForeignKeyAlterTests(SchemaTestCase):
    def test_retarget_foreign_key(self) -> None:
        Author = author_model()
        Tag = type(
            "Tag",
            (models.Model,),
            {"__module__": "tests.schema.models", "label": models.CharField(max_length=9)},
        )
        Book = type(
            "Book",
            (models.Model,),
            {
                "__module__": "tests.schema.models",
                "author": models.ForeignKey(Author, models.CASCADE),
            },
        )
        self.create(Author, Tag, Book)
        author = Author.objects.create(name="A")
        Tag.objects.create(id=author.pk, label="t")
        Book.objects.create(author=author)
        old = Book._meta.get_field("author")
        new = self.field(models.ForeignKey(Tag, models.CASCADE), "author")
        new.model = Book
        with connection.schema_editor() as editor:
            editor.alter_field(Book, old, new, strict=True)
        relations = connection.introspection.get_relations(None, "schema_book")
        self.assertEqual(relations, {"author_id": ("id", "schema_tag")})
        self.assertEqual(self.rows("schema_book", "author_id"), [(author.pk,)])

    def test_primary_key_type_change_follows_into_foreign_keys(self) -> None:
        Author = author_model()
        Book = type(
            "Book",
            (models.Model,),
            {
                "__module__": "tests.schema.models",
                "author": models.ForeignKey(Author, models.CASCADE),
            },
        )
        self.create(Author, Book)
        author = Author.objects.create(name="A")
        Book.objects.create(author=author)
        old = Author._meta.get_field("id")
        new = self.field(models.BigAutoField(primary_key=True), "id")
        new.model = Author
        with connection.schema_editor() as editor:
            editor.alter_field(Author, old, new, strict=True)
        self.assertEqual(
            self.columns("schema_book")["author_id"].type_code,
            self.columns("schema_author")["id"].type_code,
        )
        self.assertEqual(self.rows("schema_book", "author_id"), [(author.pk,)])
        relations = connection.introspection.get_relations(None, "schema_book")
        self.assertEqual(relations, {"author_id": ("id", "schema_author")})
        # The identity still numbers new rows.
        self.assertGreater(Author.objects.create(name="B").pk, author.pk)
