"""A Query of no model (Query(None)), as Django's: it selects its annotations and filters on
them, with no table (SELECT ... WHERE ...), run by its compiler's execute_sql()."""

from tether.db import DEFAULT_DB_ALIAS
from tether.exceptions import FieldError
from tether.models import BooleanField, Exists, Q, Value
from tether.models.expressions import RawSQL
from tether.models.sql.constants import MULTI, SINGLE
from tether.models.sql.query import Query
from tether.test import TestCase

from .models import Note


class QueryWithoutModelTests(TestCase):
    def test_annotation_selected(self):
        query = Query(None)
        query.add_annotation(RawSQL("%s = 1", (1,), BooleanField()), "flag")
        row = query.get_compiler(using=DEFAULT_DB_ALIAS).execute_sql(SINGLE)
        self.assertEqual(row[0], 1)

    def test_subquery_annotation(self):
        Note.objects.create(text="n")
        query = Query(None)
        query.add_annotation(Exists(Note.objects.filter(text="none")), "found")
        query.add_annotation(Exists(Note.objects.all()), "any")
        self.assertEqual(
            list(query.get_compiler(using=DEFAULT_DB_ALIAS).execute_sql(SINGLE)), [0, 1]
        )

    def test_filter_on_annotations(self):
        query = Query(None)
        query.add_annotation(Value(30), "price", select=False)
        query.add_annotation(Value(1), "one")
        query.add_q(Q(price__gt=20))
        compiler = query.get_compiler(using=DEFAULT_DB_ALIAS)
        self.assertEqual(compiler.execute_sql(MULTI), [(1,)])
        query.add_q(Q(price__gt=40))
        self.assertIsNone(query.get_compiler(using=DEFAULT_DB_ALIAS).execute_sql(SINGLE))

    def test_unknown_name(self):
        query = Query(None)
        msg = "Cannot resolve keyword 'nonexistent' into field."
        with self.assertRaisesMessage(FieldError, msg):
            query.names_to_path(["nonexistent"], opts=None)
        with self.assertRaisesMessage(FieldError, msg):
            query.add_q(Q(nonexistent=1))
