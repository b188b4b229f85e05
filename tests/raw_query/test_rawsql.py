"""RawSQL in filter() and annotate(); str(queryset.query) with params; the bounded query log."""

from __future__ import annotations

from tether import models
from tether.db import connection
from tether.models import RawSQL
from tether.test import TestCase, override_config
from tether.test.utils import CaptureQueriesContext

from .models import Author, Book


class RawSQLTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.joe = Author.objects.create(first_name="Joe", last_name="Smith")
        cls.jill = Author.objects.create(first_name="Jill", last_name="Doe")
        Book.objects.create(title="a", author=cls.joe, opening_line="x")
        Book.objects.create(title="b", author=cls.joe, opening_line="y")

    def test_filter_boolean(self):
        qs = Author.objects.filter(
            RawSQL("first_name = %s", ["Jill"], output_field=models.BooleanField())
        )
        self.assertEqual(list(qs), [self.jill])

    def test_filter_combined_with_lookups(self):
        condition = RawSQL("last_name <> %s", ["Doe"], output_field=models.BooleanField())
        self.assertEqual(list(Author.objects.filter(condition, first_name="Joe")), [self.joe])
        self.assertEqual(list(Author.objects.filter(condition, first_name="Jill")), [])

    def test_filter_as_lookup_value(self):
        sql = "SELECT id FROM raw_query_author WHERE first_name = %s"
        self.assertEqual(list(Author.objects.filter(id__in=RawSQL(sql, ["Joe"]))), [self.joe])

    def test_params_bound_per_execution(self):
        # Same shape, other params: the cached statement must take the new values.
        for name, expected in (("Joe", [self.joe]), ("Jill", [self.jill]), ("x", [])):
            raw = RawSQL("first_name = %s", [name], output_field=models.BooleanField())
            self.assertEqual(list(Author.objects.filter(raw)), expected)

    def test_hostile_param(self):
        hostile = "'; DROP TABLE raw_query_author; --"
        raw = RawSQL("first_name = %s", [hostile], output_field=models.BooleanField())
        self.assertEqual(list(Author.objects.filter(raw)), [])
        self.assertEqual(Author.objects.count(), 2)

    def test_annotate(self):
        qs = Author.objects.annotate(
            books=RawSQL(
                "SELECT COUNT(*) FROM raw_query_book "
                "WHERE raw_query_book.author_id = raw_query_author.id",
                [],
                output_field=models.IntegerField(),
            )
        ).order_by("id")
        self.assertEqual([(a.first_name, a.books) for a in qs], [("Joe", 2), ("Jill", 0)])

    def test_annotate_with_params_and_filter(self):
        qs = Author.objects.annotate(
            greeting=RawSQL("%s", ["hello"], output_field=models.CharField())
        ).filter(first_name=RawSQL("%s", ["Joe"], output_field=models.CharField()))
        self.assertEqual([(a.pk, a.greeting) for a in qs], [(self.joe.pk, "hello")])

    def test_str_query_interpolates_params(self):
        # Django puts the parameters in as they are (str(query) is not runnable SQL).
        qs = Author.objects.filter(first_name="O'Neil", id__gt=3)
        text = str(qs.query)
        self.assertIn("= O'Neil AND", text)
        self.assertIn("3", text)
        self.assertNotIn("%s", text)
        self.assertNotIn("?", text)
        raw = Author.objects.filter(
            RawSQL("last_name = %s", ["Doe"], output_field=models.BooleanField())
        )
        self.assertIn("last_name = Doe", str(raw.query))


class QueryLogTests(TestCase):
    def test_no_log_without_debug(self):
        connection.queries_log.clear()
        list(Author.objects.all())
        Author.objects.count()
        self.assertEqual(connection.queries, [])

    def test_log_with_debug(self):
        connection.queries_log.clear()
        with override_config(debug=True):
            list(Author.objects.filter(first_name="Joe"))
            self.assertEqual(len(connection.queries), 1)
            self.assertIn("'Joe'", connection.queries[0]["sql"])
            self.assertEqual(set(connection.queries[0]), {"sql", "time"})
        list(Author.objects.all())
        self.assertEqual(len(connection.queries), 1)
        connection.queries_log.clear()

    def test_log_is_bounded(self):
        self.assertEqual(connection.queries_log.maxlen, connection.queries_limit)
        connection.queries_log.clear()
        limit = connection.queries_limit
        try:
            type(connection).queries_limit = 5
            # The deque is made per connection: check the bound on the live one instead.
            from collections import deque

            saved = connection.queries_log
            connection.queries_log = deque(maxlen=5)
            with override_config(debug=True):
                for _ in range(20):
                    Author.objects.count()
            self.assertEqual(len(connection.queries), 5)
        finally:
            type(connection).queries_limit = limit
            connection.queries_log = saved

    def test_capture_without_debug(self):
        with CaptureQueriesContext(connection) as ctx:
            Author.objects.count()
        self.assertEqual(len(ctx), 1)
        Author.objects.count()
        self.assertEqual(len(ctx), 1)
