"""Manager.raw(): RawQuerySet with params and translations, deferred and extra columns."""

from __future__ import annotations

import datetime

from tether.db import connection
from tether.exceptions import FieldDoesNotExist
from tether.models.query.raw import RawQuerySet
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .models import Author, Book, MixedCaseIDColumn


def q(name: str) -> str:
    return connection.ops.quote_name(name)


class RawQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a1 = Author.objects.create(
            first_name="Joe", last_name="Smith", dob=datetime.date(1950, 9, 20)
        )
        cls.a2 = Author.objects.create(
            first_name="Jill", last_name="Doe", dob=datetime.date(1920, 4, 2)
        )
        cls.a3 = Author.objects.create(first_name="Bob", last_name="O'Brien", dob=None)
        cls.b1 = Book.objects.create(title="The awesome book", author=cls.a1, opening_line="It was")
        cls.b2 = Book.objects.create(
            title="100% sure", author=cls.a2, paperback=True, opening_line="'"
        )

    def test_simple(self):
        qs = Author.objects.raw("SELECT * FROM raw_query_author ORDER BY id")
        self.assertIsInstance(qs, RawQuerySet)
        self.assertEqual(list(qs), [self.a1, self.a2, self.a3])
        first = qs[0]
        self.assertEqual((first.first_name, first.last_name), ("Joe", "Smith"))
        self.assertEqual(first.dob, datetime.date(1950, 9, 20))
        self.assertFalse(first._state.adding)
        self.assertEqual(first._state.db, "default")

    def test_lazy_and_cached(self):
        with self.assertNumQueries(0):
            qs = Author.objects.raw("SELECT * FROM raw_query_author")
        with self.assertNumQueries(1):
            self.assertEqual(len(qs), 3)
            list(qs)
            self.assertTrue(qs)

    def test_params(self):
        qs = Author.objects.raw("SELECT * FROM raw_query_author WHERE last_name = %s", ["O'Brien"])
        self.assertEqual([a.pk for a in qs], [self.a3.pk])
        hostile = "'; DROP TABLE raw_query_author; --"
        self.assertEqual(
            list(
                Author.objects.raw(
                    "SELECT * FROM raw_query_author WHERE first_name = %s", [hostile]
                )
            ),
            [],
        )
        self.assertEqual(Author.objects.count(), 3)

    def test_dict_params(self):
        qs = Author.objects.raw(
            "SELECT * FROM raw_query_author WHERE first_name = %(name)s", {"name": "Jill"}
        )
        self.assertEqual(list(qs), [self.a2])

    def test_percent_literal(self):
        qs = Book.objects.raw("SELECT * FROM raw_query_book WHERE title LIKE '100%%'")
        self.assertEqual(list(qs), [self.b2])
        qs = Book.objects.raw("SELECT * FROM raw_query_book WHERE title LIKE %s", ["%sure"])
        self.assertEqual(list(qs), [self.b2])

    def test_converters(self):
        book = Book.objects.raw("SELECT * FROM raw_query_book WHERE paperback = %s", [True])[0]
        self.assertIs(book.paperback, True)
        self.assertEqual(book.author_id, self.a2.pk)
        self.assertEqual(book.author, self.a2)

    def test_translations(self):
        sql = "SELECT id AS pk_col, first_name AS first, last_name AS last FROM raw_query_author"
        qs = Author.objects.raw(
            sql, translations={"pk_col": "id", "first": "first_name", "last": "last_name"}
        )
        self.assertEqual(qs.columns, ["id", "first_name", "last_name"])
        self.assertEqual(sorted(a.first_name for a in qs), ["Bob", "Jill", "Joe"])

    def test_columns(self):
        qs = Author.objects.raw("SELECT id, first_name FROM raw_query_author")
        self.assertEqual(qs.columns, ["id", "first_name"])
        self.assertIn("first_name", qs.model_fields)

    def test_deferred_fields(self):
        author = Author.objects.raw(
            "SELECT id, first_name FROM raw_query_author WHERE id = %s", [self.a1.pk]
        )[0]
        self.assertEqual(author.get_deferred_fields(), {"last_name", "dob"})
        with self.assertNumQueries(1):
            self.assertEqual(author.last_name, "Smith")
        with self.assertNumQueries(0):
            self.assertEqual(author.last_name, "Smith")

    def test_missing_pk(self):
        qs = Author.objects.raw("SELECT first_name FROM raw_query_author")
        with self.assertRaisesMessage(FieldDoesNotExist, "Raw query must include the primary key"):
            list(qs)

    def test_annotations(self):
        sql = (
            "SELECT a.id, a.first_name, COUNT(b.id) AS book_count "
            "FROM raw_query_author a LEFT JOIN raw_query_book b ON b.author_id = a.id "
            "GROUP BY a.id, a.first_name ORDER BY a.id"
        )
        counts = [(a.first_name, a.book_count) for a in Author.objects.raw(sql)]
        self.assertEqual(counts, [("Joe", 1), ("Jill", 1), ("Bob", 0)])

    def test_extra_column_order_and_pk_not_first(self):
        sql = "SELECT last_name, 'x' AS extra, id FROM raw_query_author WHERE id = %s"
        author = Author.objects.raw(sql, [self.a2.pk])[0]
        self.assertEqual((author.pk, author.last_name, author.extra), (self.a2.pk, "Doe", "x"))

    def test_db_column(self):
        obj = MixedCaseIDColumn.objects.create(label="x")
        sql = f"SELECT {q('MyID')}, {q('Label')} FROM raw_query_mixedcaseidcolumn"
        self.assertEqual(
            [(o.id, o.label) for o in MixedCaseIDColumn.objects.raw(sql)], [(obj.id, "x")]
        )

    def test_iterator_and_getitem(self):
        qs = Author.objects.raw("SELECT * FROM raw_query_author ORDER BY id")
        self.assertEqual([a.pk for a in qs.iterator()], [self.a1.pk, self.a2.pk, self.a3.pk])
        self.assertIsNone(qs._result_cache)
        self.assertEqual(qs[1:], [self.a2, self.a3])
        self.assertEqual(qs[-1], self.a3)

    def test_using(self):
        qs = Author.objects.raw("SELECT * FROM raw_query_author").using("default")
        self.assertEqual(len(qs), 3)
        self.assertEqual(
            Author.objects.db_manager("default").raw("SELECT * FROM raw_query_author").db, "default"
        )

    def test_repr(self):
        qs = Author.objects.raw("SELECT * FROM raw_query_author WHERE last_name = %s", ["foo"])
        self.assertEqual(
            repr(qs), "<RawQuerySet: SELECT * FROM raw_query_author WHERE last_name = foo>"
        )
        self.assertEqual(str(qs.query), "SELECT * FROM raw_query_author WHERE last_name = foo")

    def test_logged(self):
        with CaptureQueriesContext(connection) as ctx:
            list(
                Author.objects.raw("SELECT * FROM raw_query_author WHERE first_name = %s", ["Joe"])
            )
        self.assertEqual(len(ctx), 1)
        self.assertIn("'Joe'", ctx[0]["sql"])

    def test_hostile_strings_round_trip(self):
        for text in [
            "'; DROP TABLE x; --",
            "emoji 😀 and ✓",
            "mixed Ελληνικά русский",
            "x" * 100_000,
        ]:
            author = Author.objects.create(first_name=text[:255], last_name=text[:255])
            got = Author.objects.raw(
                "SELECT * FROM raw_query_author WHERE first_name = %s", [text[:255]]
            )[0]
            self.assertEqual((got.pk, got.last_name), (author.pk, text[:255]))
