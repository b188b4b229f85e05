"""Tables, indexes, constraints and many-to-many tables through the schema editor, and the
introspection that reads them back, on every backend."""

from __future__ import annotations

from tether import models
from tether.db import IntegrityError, connection, transaction
from tether.test import skipUnlessDBFeature
from tether.test.utils import isolate_apps

from .base import SchemaTestCase, author_model


def book_model(author: object, **extra: object) -> object:
    attrs = {
        "__module__": "tests.schema.models",
        "title": models.CharField(max_length=30),
        "author": models.ForeignKey(author, models.CASCADE),
        **extra,
    }
    return type("Book", (models.Model,), attrs)


class IntrospectionTests(SchemaTestCase):
    def test_created_table_is_described(self) -> None:
        Author = author_model(code=models.CharField(max_length=5, unique=True))
        Book = book_model(Author)
        self.create(Author, Book)
        introspection = connection.introspection
        names = [info.name for info in introspection.get_table_list(None)]
        self.assertIn("schema_author", names)
        self.assertIn("schema_book", introspection.table_names())
        columns = self.columns("schema_author")
        self.assertEqual(sorted(columns), ["age", "code", "id", "name"])
        self.assertFalse(columns["name"].null_ok)
        self.assertTrue(columns["age"].null_ok)
        self.assertEqual(introspection.get_primary_key_column(None, "schema_author"), "id")
        self.assertEqual(
            introspection.get_relations(None, "schema_book"),
            {"author_id": ("id", "schema_author")},
        )
        self.assertEqual(len(self.constraints_on("schema_author", ["code"], unique=True)), 1)
        # The foreign key's index: ForeignKeyIndexTests.
        self.assertEqual(
            [s["column"] for s in introspection.get_sequences(None, "schema_author")], ["id"]
        )
        self.assertEqual(introspection.identifier_converter("schema_author"), "schema_author")
        types = {
            info.name: introspection.get_field_type(info.type_code, info)
            for info in introspection.get_table_description(None, "schema_author")
        }
        expected = connection.features.introspected_field_types
        self.assertEqual(types["id"], expected["AutoField"])
        self.assertEqual(types["name"], "CharField")
        self.assertEqual(types["age"], expected["IntegerField"])
        self.assertEqual(columns["name"].display_size, 50)


class TableTests(SchemaTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.Author = author_model()
        self.Book = book_model(self.Author)
        self.create(self.Author, self.Book)
        self.author = self.Author.objects.create(name="Ann", age=3)
        self.Book.objects.create(title="One", author=self.author)

    def test_alter_db_table_keeps_rows_and_references(self) -> None:
        with connection.schema_editor() as editor:
            editor.alter_db_table(self.Author, "schema_author", "schema_writer")
        self.tables.append("schema_writer")
        names = connection.introspection.table_names()
        self.assertIn("schema_writer", names)
        self.assertNotIn("schema_author", names)
        self.assertEqual(self.rows("schema_writer", "name", "age"), [("Ann", 3)])
        self.assertEqual(
            connection.introspection.get_relations(None, "schema_book"),
            {"author_id": ("id", "schema_writer")},
        )
        with connection.schema_editor() as editor:
            editor.alter_db_table(self.Author, "schema_writer", "schema_author")
        self.assertEqual(self.rows("schema_author", "name"), [("Ann",)])

    @skipUnlessDBFeature("supports_comments")
    def test_comments(self) -> None:
        with connection.schema_editor() as editor:
            editor.alter_db_table_comment(self.Author, None, "People who write")
        comments = {i.name: i.comment for i in connection.introspection.get_table_list(None)}
        self.assertEqual(comments["schema_author"], "People who write")
        old = self.Author._meta.get_field("age")
        new = self.field(models.IntegerField(null=True, db_comment="In years"), "age")
        with connection.schema_editor() as editor:
            editor.alter_field(self.Author, old, new, strict=True)
        self.assertEqual(self.columns("schema_author")["age"].comment, "In years")
        self.assertEqual(self.rows("schema_author", "age"), [(3,)])

    def test_tablespace_change_is_accepted(self) -> None:
        with connection.schema_editor(collect_sql=True) as editor:
            editor.alter_db_tablespace(self.Author, "", "")

    def test_add_remove_and_rename_index(self) -> None:
        index = models.Index(fields=["name", "age"], name="author_name_age_idx")
        with connection.schema_editor() as editor:
            editor.add_index(self.Author, index)
        self.assertIn("author_name_age_idx", self.constraints("schema_author"))
        self.assertEqual(
            self.constraints("schema_author")["author_name_age_idx"]["columns"], ["name", "age"]
        )
        renamed = models.Index(fields=["name", "age"], name="author_renamed_idx")
        with connection.schema_editor() as editor:
            editor.rename_index(self.Author, index, renamed)
        found = self.constraints("schema_author")
        self.assertNotIn("author_name_age_idx", found)
        self.assertIn("author_renamed_idx", found)
        with connection.schema_editor() as editor:
            editor.remove_index(self.Author, renamed)
        self.assertNotIn("author_renamed_idx", self.constraints("schema_author"))
        self.assertEqual(self.rows("schema_author", "name"), [("Ann",)])

    def test_add_and_remove_check_constraint(self) -> None:
        constraint = models.CheckConstraint(condition=models.Q(age__gte=0), name="age_gte_0")
        with connection.schema_editor() as editor:
            editor.add_constraint(self.Author, constraint)
        self.assertTrue(self.constraints("schema_author")["age_gte_0"]["check"])
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.Author.objects.create(name="Neg", age=-1)
        with connection.schema_editor() as editor:
            editor.remove_constraint(self.Author, constraint)
        self.assertNotIn("age_gte_0", self.constraints("schema_author"))
        self.Author.objects.create(name="Neg", age=-1)
        self.assertEqual(self.rows("schema_author", "name"), [("Ann",), ("Neg",)])
        self.assertEqual(self.rows("schema_book", "title"), [("One",)])

    def test_add_and_remove_unique_constraint(self) -> None:
        constraint = models.UniqueConstraint(fields=["name", "age"], name="name_age_uniq")
        with connection.schema_editor() as editor:
            editor.add_constraint(self.Author, constraint)
        info = self.constraints("schema_author")["name_age_uniq"]
        self.assertEqual((info["columns"], info["unique"]), (["name", "age"], True))
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.Author.objects.create(name="Ann", age=3)
        with connection.schema_editor() as editor:
            editor.remove_constraint(self.Author, constraint)
        self.assertNotIn("name_age_uniq", self.constraints("schema_author"))
        self.assertEqual(self.rows("schema_book", "title"), [("One",)])

    @skipUnlessDBFeature("supports_partial_indexes")
    def test_conditional_unique_constraint(self) -> None:
        constraint = models.UniqueConstraint(
            fields=["name"], condition=models.Q(age__gt=10), name="old_name_uniq"
        )
        with connection.schema_editor() as editor:
            editor.add_constraint(self.Author, constraint)
        self.assertTrue(self.constraints("schema_author")["old_name_uniq"]["unique"])
        with connection.schema_editor() as editor:
            editor.remove_constraint(self.Author, constraint)
        self.assertNotIn("old_name_uniq", self.constraints("schema_author"))

    def test_unique_together_and_index_together(self) -> None:
        with connection.schema_editor() as editor:
            editor.alter_unique_together(self.Author, [], [("name", "age")])
        self.assertEqual(len(self.constraints_on("schema_author", ["name", "age"], unique=True)), 1)
        with connection.schema_editor() as editor:
            editor.alter_unique_together(self.Author, [("name", "age")], [])
        self.assertEqual(self.constraints_on("schema_author", ["name", "age"], unique=True), [])
        with connection.schema_editor() as editor:
            editor.alter_index_together(self.Author, [], [("age", "name")])
        self.assertEqual(
            len(self.constraints_on("schema_author", ["age", "name"], index=True, unique=False)),
            1,
        )
        with connection.schema_editor() as editor:
            editor.alter_index_together(self.Author, [("age", "name")], [])
        self.assertEqual(self.constraints_on("schema_author", ["age", "name"], index=True), [])

    def test_collect_sql_runs_nothing(self) -> None:
        field = self.field(models.IntegerField(default=5), "rank")
        with connection.schema_editor(collect_sql=True) as editor:
            editor.add_field(self.Author, field)
            editor.alter_db_table(self.Author, "schema_author", "schema_other")
        self.assertTrue(editor.collected_sql)
        self.assertTrue(all(sql.endswith(";") for sql in editor.collected_sql))
        self.assertIn("5", " ".join(editor.collected_sql))
        self.assertNotIn("rank", self.columns("schema_author"))
        self.assertIn("schema_author", connection.introspection.table_names())

    def test_quote_value(self) -> None:
        with connection.schema_editor(collect_sql=True) as editor:
            self.assertEqual(editor.quote_value("it's"), "'it''s'")
            self.assertEqual(editor.quote_value(12), "12")
            self.assertEqual(editor.quote_value(None), "NULL")

    def test_execute_with_params(self) -> None:
        with connection.schema_editor() as editor:
            editor.execute("UPDATE schema_author SET age = %s WHERE name = %s", [9, "Ann"])
        self.assertEqual(self.rows("schema_author", "age"), [(9,)])

    def test_deferred_sql_runs_at_exit(self) -> None:
        field = self.field(models.IntegerField(null=True, db_index=True), "score")
        with connection.schema_editor() as editor:
            editor.add_field(self.Author, field)
            self.assertTrue(any("score" in sql for sql in editor.deferred_sql))
        self.assertEqual(editor.deferred_sql, [])
        self.assertEqual(len(self.constraints_on("schema_author", ["score"], index=True)), 1)


class ManyToManyTests(SchemaTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.Author = author_model()
        self.Tag = type(
            "Tag",
            (models.Model,),
            {"__module__": "tests.schema.models", "label": models.CharField(max_length=9)},
        )
        self.create(self.Author, self.Tag)

    def test_add_alter_and_remove_m2m(self) -> None:
        Post = type(
            "Post",
            (models.Model,),
            {
                "__module__": "tests.schema.models",
                "tags": models.ManyToManyField(self.Tag),
                "labels": models.ManyToManyField(self.Tag, related_name="+"),
            },
        )
        with connection.schema_editor() as editor:
            editor.create_model(Post)
        self.tables += ["schema_post", "schema_post_tags", "schema_post_labels"]
        tag = self.Tag.objects.create(label="a")
        post = Post.objects.create()
        post.tags.add(tag)
        # alter_field from one automatic m2m to another: the through table is renamed.
        old, new = Post._meta.get_field("tags"), Post._meta.get_field("labels")
        with connection.schema_editor() as editor:
            editor.remove_field(Post, new)
        self.assertNotIn("schema_post_labels", connection.introspection.table_names())
        with connection.schema_editor() as editor:
            editor.alter_field(Post, old, new)
        names = connection.introspection.table_names()
        self.assertIn("schema_post_labels", names)
        self.assertNotIn("schema_post_tags", names)
        self.assertEqual(self.rows("schema_post_labels", "post_id", "tag_id"), [(post.pk, tag.pk)])
        with connection.schema_editor() as editor:
            editor.remove_field(Post, new)
        self.assertNotIn("schema_post_labels", connection.introspection.table_names())
        with connection.schema_editor() as editor:
            editor.add_field(Post, old)
        self.assertIn("schema_post_tags", connection.introspection.table_names())
        self.assertEqual(
            connection.introspection.get_relations(None, "schema_post_tags"),
            {"post_id": ("id", "schema_post"), "tag_id": ("id", "schema_tag")},
        )

    def test_retarget_m2m_keeps_links(self) -> None:
        def post(target: object) -> object:
            return type(
                "Post",
                (models.Model,),
                {"__module__": "tests.schema.models", "refs": models.ManyToManyField(target)},
            )

        OldPost = post(self.Tag)
        with isolate_apps("schema"):
            NewPost = post(self.Author)
        with connection.schema_editor() as editor:
            editor.create_model(OldPost)
        self.tables += ["schema_post", "schema_post_refs"]
        tag = self.Tag.objects.create(id=7, label="t")
        self.Author.objects.create(id=7, name="a")
        first = OldPost.objects.create()
        first.refs.add(tag)
        old, new = OldPost._meta.get_field("refs"), NewPost._meta.get_field("refs")
        with connection.schema_editor() as editor:
            editor.alter_field(OldPost, old, new)
        self.assertEqual(
            connection.introspection.get_relations(None, "schema_post_refs"),
            {"post_id": ("id", "schema_post"), "author_id": ("id", "schema_author")},
        )
        self.assertEqual(self.rows("schema_post_refs", "post_id", "author_id"), [(first.pk, 7)])


class ForeignKeyIndexTests(SchemaTestCase):
    """On MariaDB/MySQL InnoDB indexes a foreign key's column itself (under the constraint's
    name) unless an index led by that column exists: as Django, no index of tether's own there,
    and one made before dropping the index that stood in for it."""

    def first_column_indexes(self, table: str, column: str) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT index_name FROM information_schema.statistics"
                " WHERE table_schema = DATABASE() AND table_name = %s AND column_name = %s"
                " AND seq_in_index = 1",
                [table, column],
            )
            return [row[0] for row in cursor.fetchall()]

    def test_foreign_key_column_gets_an_index_on_other_backends_only(self) -> None:
        Author = author_model()
        Book = book_model(Author)
        with connection.schema_editor(collect_sql=True) as editor:
            editor.create_model(Book)
            editor.add_field(
                Author, self.field(models.ForeignKey(Author, models.CASCADE), "mentor")
            )
        indexes = [sql for sql in editor.collected_sql if sql.startswith("CREATE INDEX")]
        if connection.vendor == "mysql":
            self.assertEqual(indexes, [])
        else:
            self.assertEqual(len(indexes), 2)

    def test_unindexed_foreign_key_still_gets_its_index(self) -> None:
        Author = author_model(mentor=models.ForeignKey("self", models.CASCADE, db_constraint=False))
        with connection.schema_editor(collect_sql=True) as editor:
            editor.create_model(Author)
        self.assertEqual(
            len([sql for sql in editor.collected_sql if sql.startswith("CREATE INDEX")]), 1
        )

    @skipUnlessDBFeature("supports_foreign_keys")
    def test_created_foreign_key_is_indexed(self) -> None:
        Author = author_model()
        Book = book_model(Author)
        self.create(Author, Book)
        if connection.vendor == "mysql":
            fk = self.constraints_on(
                "schema_book", ["author_id"], foreign_key=("schema_author", "id")
            )
            self.assertEqual(self.first_column_indexes("schema_book", "author_id"), fk)
        else:
            self.assertEqual(
                len(self.constraints_on("schema_book", ["author_id"], index=True, unique=False)), 1
            )

    def book_led_by_its_author(self, **meta: object) -> object:
        Author = author_model()
        Book = book_model(Author, Meta=type("Meta", (), {"app_label": "schema", **meta}))
        self.create(Author, Book)
        return Book

    def assert_author_still_indexed(self) -> None:
        if connection.vendor == "mysql":
            self.assertEqual(len(self.first_column_indexes("schema_book", "author_id")), 1)

    def test_unique_together_led_by_a_foreign_key_is_removed(self) -> None:
        Book = self.book_led_by_its_author(unique_together=[("author", "title")])
        with connection.schema_editor() as editor:
            editor.alter_unique_together(Book, [("author", "title")], [])
        self.assertEqual(self.constraints_on("schema_book", ["author_id", "title"]), [])
        self.assert_author_still_indexed()

    def test_index_led_by_a_foreign_key_is_removed(self) -> None:
        index = models.Index(fields=["author", "title"], name="book_author_title_idx")
        Book = self.book_led_by_its_author(indexes=[index])
        with connection.schema_editor() as editor:
            editor.remove_index(Book, index)
        self.assertNotIn("book_author_title_idx", self.constraints("schema_book"))
        self.assert_author_still_indexed()

    def test_unique_constraint_led_by_a_foreign_key_is_removed(self) -> None:
        constraint = models.UniqueConstraint(
            fields=["author", "title"], name="book_author_title_uniq"
        )
        Book = self.book_led_by_its_author(constraints=[constraint])
        with connection.schema_editor() as editor:
            editor.remove_constraint(Book, constraint)
        self.assertNotIn("book_author_title_uniq", self.constraints("schema_book"))
        self.assert_author_still_indexed()
