"""connection.cursor() with Django's cursor API; async raw(); errors wrapped as tether.db's."""

from __future__ import annotations

import asyncio

from tether.db import DatabaseError, IntegrityError, ProgrammingError, connection, transaction
from tether.db.errors import InterfaceError
from tether.test import TestCase, TransactionTestCase
from tether.test.utils import CaptureQueriesContext

from .models import Author


class CursorTests(TestCase):
    def test_execute_fetch(self):
        Author.objects.create(first_name="Joe", last_name="Smith")
        Author.objects.create(first_name="Jill", last_name="Doe")
        with connection.cursor() as cursor:
            result = cursor.execute(
                "SELECT first_name, last_name FROM raw_query_author WHERE last_name <> %s "
                "ORDER BY first_name",
                ["nobody"],
            )
            self.assertIs(result, cursor)
            self.assertEqual([col[0] for col in cursor.description], ["first_name", "last_name"])
            self.assertEqual(len(cursor.description[0]), 7)
            self.assertEqual(cursor.fetchone(), ("Jill", "Doe"))
            self.assertEqual(cursor.fetchone(), ("Joe", "Smith"))
            self.assertIsNone(cursor.fetchone())

    def test_fetchmany_fetchall_iteration(self):
        for i in range(5):
            Author.objects.create(first_name=f"n{i}", last_name="x")
        with connection.cursor() as cursor:
            cursor.execute("SELECT first_name FROM raw_query_author ORDER BY first_name")
            self.assertEqual(cursor.fetchmany(2), [("n0",), ("n1",)])
            self.assertEqual(cursor.fetchmany(), [("n2",)])
            self.assertEqual(cursor.fetchall(), [("n3",), ("n4",)])
            self.assertEqual(cursor.fetchall(), [])
            cursor.execute("SELECT first_name FROM raw_query_author ORDER BY first_name")
            self.assertEqual([row[0] for row in cursor], [f"n{i}" for i in range(5)])

    def test_rowcount_lastrowid_executemany(self):
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO raw_query_author (first_name, last_name) VALUES (%s, %s)",
                [("a", "b"), ("c", "d"), ("e", "f")],
            )
            self.assertEqual(Author.objects.count(), 3)
            cursor.execute(
                "UPDATE raw_query_author SET last_name = %s WHERE first_name <> %s", ["z", "a"]
            )
            self.assertEqual(cursor.rowcount, 2)
            self.assertIsNone(cursor.description)
            if connection.vendor != "postgresql":
                cursor.execute(
                    "INSERT INTO raw_query_author (first_name, last_name) VALUES (%s, %s)",
                    ["g", "h"],
                )
                self.assertEqual(cursor.lastrowid, Author.objects.get(first_name="g").pk)

    def test_params_none_sends_sql_as_is(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT '100%'")
            self.assertEqual(cursor.fetchone(), ("100%",))
            cursor.execute("SELECT %s", ["50%"])
            self.assertEqual(cursor.fetchone(), ("50%",))
            cursor.execute("SELECT '10%%', %s", [1])
            self.assertEqual(cursor.fetchone(), ("10%", 1))

    def test_dict_params(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT %(a)s, %(b)s, %(a)s", {"a": 1, "b": "two"})
            self.assertEqual(cursor.fetchone(), (1, "two", 1))

    def test_hostile_params(self):
        hostile = "'; DROP TABLE raw_query_author; -- 😀"
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s", [hostile])
            self.assertEqual(cursor.fetchone(), (hostile,))
        self.assertEqual(Author.objects.count(), 0)

    def test_closed_cursor(self):
        cursor = connection.cursor()
        cursor.close()
        self.assertTrue(cursor.closed)
        with self.assertRaises(InterfaceError):
            cursor.execute("SELECT 1")

    def test_errors_are_wrapped(self):
        with self.assertRaises(DatabaseError) as ctx:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT * FROM no_such_table_at_all")
        self.assertIsInstance(ctx.exception, DatabaseError)
        Author.objects.create(first_name="a", last_name="b")
        with self.assertRaises(IntegrityError):
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "INSERT INTO raw_query_author (id, first_name, last_name) "
                        "SELECT id, first_name, last_name FROM raw_query_author"
                    )
        # Syntax errors: OperationalError on SQLite, ProgrammingError on the servers (Django).
        expected = DatabaseError if connection.vendor == "sqlite" else ProgrammingError
        with self.assertRaises(expected):
            with transaction.atomic():
                connection.cursor().execute("SELEC nonsense")

    def test_logged(self):
        with CaptureQueriesContext(connection) as ctx:
            with connection.cursor() as cursor:
                cursor.execute("SELECT %s", ["logged"])
                cursor.executemany(
                    "INSERT INTO raw_query_author (first_name, last_name) VALUES (%s, %s)",
                    [("a", "b")],
                )
        self.assertEqual(len(ctx), 2)
        self.assertIn("'logged'", ctx[0]["sql"])

    def test_in_atomic_rolls_back(self):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "INSERT INTO raw_query_author (first_name, last_name) VALUES (%s, %s)",
                        ["a", "b"],
                    )
                raise RuntimeError
        except RuntimeError:
            pass
        self.assertEqual(Author.objects.count(), 0)


class AsyncRawTests(TransactionTestCase):
    def test_async_iteration(self):
        Author.objects.create(first_name="Joe", last_name="Smith")

        async def scenario():
            return [
                a.first_name async for a in Author.objects.raw("SELECT * FROM raw_query_author")
            ]

        self.assertEqual(asyncio.run(scenario()), ["Joe"])
