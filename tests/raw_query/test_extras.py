"""cursor.callproc() (PostgreSQL functions called through SELECT, MariaDB procedures through
CALL, SQLite: none), cursor.connection, tether.db.reset_queries() and
RawQuerySet.prefetch_related(), as Django 5.2 has them."""

from __future__ import annotations

from tether.db import NotSupportedError, connection, connections, reset_queries
from tether.test import TestCase, TransactionTestCase, override_config
from tether.test.utils import CaptureQueriesContext

from .models import Author, Book


class CallprocTests(TransactionTestCase):
    def setUp(self):
        self.features = connection.features
        if self.features.callproc_sql is None:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "CREATE OR REPLACE FUNCTION tether_add(a integer, b integer) "
                    "RETURNS integer AS $$ SELECT a + b $$ LANGUAGE sql"
                )
                cursor.execute(
                    "CREATE OR REPLACE FUNCTION tether_none() RETURNS integer AS $$ SELECT 7 $$ "
                    "LANGUAGE sql"
                )
            else:
                cursor.execute("DROP PROCEDURE IF EXISTS tether_add")
                cursor.execute("DROP PROCEDURE IF EXISTS tether_none")
                cursor.execute("CREATE PROCEDURE tether_add(a INT, b INT) SELECT a + b")
                cursor.execute("CREATE PROCEDURE tether_none() SELECT 7")

    def tearDown(self):
        if self.features.callproc_sql is None:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("DROP FUNCTION IF EXISTS tether_add(integer, integer)")
                cursor.execute("DROP FUNCTION IF EXISTS tether_none()")
            else:
                cursor.execute("DROP PROCEDURE IF EXISTS tether_add")
                cursor.execute("DROP PROCEDURE IF EXISTS tether_none")

    def test_callproc(self):
        if self.features.callproc_sql is None:
            with connection.cursor() as cursor, self.assertRaises(NotSupportedError):
                cursor.callproc("anything")
            return
        with connection.cursor() as cursor:
            self.assertEqual(cursor.callproc("tether_add", [2, 40]), [2, 40])
            self.assertEqual(cursor.fetchall(), [(42,)])
            self.assertIsNone(cursor.callproc("tether_none"))
            self.assertEqual(cursor.fetchone(), (7,))

    def test_callproc_kparams(self):
        with (
            connection.cursor() as cursor,
            self.assertRaisesMessage(
                NotSupportedError,
                "Keyword parameters for callproc are not supported on this database backend.",
            ),
        ):
            cursor.callproc("tether_add", [1], {"b": 2})

    def test_callproc_is_logged(self):
        if self.features.callproc_sql is None:
            return
        with CaptureQueriesContext(connection) as ctx, connection.cursor() as cursor:
            cursor.callproc("tether_add", [1, 2])
        self.assertEqual(len(ctx), 1)
        self.assertIn("tether_add", ctx[0]["sql"])


class CursorConnectionTests(TestCase):
    def test_cursor_connection_is_the_driver_connection(self):
        with connection.cursor() as cursor:
            raw = cursor.connection
            self.assertIs(raw, connection.ensure_connection().raw)
            self.assertTrue(hasattr(raw, "cursor"))
            driver_cursor = raw.cursor()
            driver_cursor.execute("SELECT 1")
            self.assertEqual(tuple(driver_cursor.fetchone()), (1,))
            driver_cursor.close()


class ResetQueriesTests(TestCase):
    def test_reset_queries_clears_every_log(self):
        with override_config(debug=True):
            Author.objects.count()
            self.assertTrue(connection.queries)
            reset_queries()
            self.assertEqual(connection.queries, [])
            for conn in connections.all():
                self.assertEqual(conn.queries, [])


class RawPrefetchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.joe = Author.objects.create(first_name="Joe", last_name="Smith")
        cls.jill = Author.objects.create(first_name="Jill", last_name="Doe")
        for title in ("a", "b"):
            Book.objects.create(title=title, author=cls.joe, opening_line="x")
        Book.objects.create(title="c", author=cls.jill, opening_line="x")

    def test_prefetch_reverse_fk(self):
        authors = Author.objects.raw("SELECT * FROM raw_query_author ORDER BY id").prefetch_related(
            "book_set"
        )
        with self.assertNumQueries(2):
            titles = {a.first_name: sorted(b.title for b in a.book_set.all()) for a in authors}
        self.assertEqual(titles, {"Joe": ["a", "b"], "Jill": ["c"]})

    def test_prefetch_forward_fk_and_clear(self):
        books = Book.objects.raw("SELECT * FROM raw_query_book ORDER BY id")
        prefetched = books.prefetch_related("author")
        self.assertEqual(prefetched._prefetch_related_lookups, ("author",))
        self.assertEqual(prefetched.prefetch_related(None)._prefetch_related_lookups, ())
        self.assertEqual(books._prefetch_related_lookups, ())
        with self.assertNumQueries(2):
            names = [b.author.first_name for b in prefetched]
        self.assertEqual(names, ["Joe", "Joe", "Jill"])
        self.assertEqual(prefetched.using("default")._prefetch_related_lookups, ("author",))

    async def test_async_iteration_prefetches(self):
        authors = Author.objects.raw("SELECT * FROM raw_query_author ORDER BY id").prefetch_related(
            "book_set"
        )
        counts = [len(a.book_set.all()) async for a in authors]
        self.assertEqual(counts, [2, 1])
