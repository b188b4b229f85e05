"""Query.build_where() and Query(model, alias_cols=False), as Django's: a condition (a Q or a
boolean expression) built into a WHERE tree over the model's own table, without touching the
query's own WHERE; a condition that needs a join is refused. With alias_cols=False the columns
carry no table alias (the form a CHECK constraint or an index condition is written in)."""

from datetime import date

from tether.db import DEFAULT_DB_ALIAS, connection
from tether.exceptions import FieldError
from tether.models import BooleanField, CharField, F, Func, Q
from tether.models.expressions import Col
from tether.models.lookups import Exact, GreaterThan, IsNull, LessThan
from tether.models.sql.query import Query
from tether.models.sql.where import OR
from tether.test import SimpleTestCase

from .models import Egg, Reading, Shift


class BuildWhereTests(SimpleTestCase):
    def test_one_condition(self):
        query = Query(Reading)
        where = query.build_where(Q(low__gt=2))
        lookup = where.children[0]
        self.assertIsInstance(lookup, GreaterThan)
        self.assertEqual(lookup.rhs, 2)
        self.assertEqual(lookup.lhs.target, Reading._meta.get_field("low"))
        self.assertEqual(query.where.children, [])

    def test_or(self):
        where = Query(Reading).build_where(Q(low__gt=2) | Q(low__lt=0))
        self.assertEqual(where.connector, OR)
        self.assertIsInstance(where.children[0], GreaterThan)
        self.assertIsInstance(where.children[1], LessThan)

    def test_negated_nullable_column_keeps_its_null_test(self):
        where = Query(Reading).build_where(~Q(high__lt=5))
        self.assertTrue(where.negated)
        self.assertIsInstance(where.children[0], LessThan)
        self.assertIsInstance(where.children[1], IsNull)
        self.assertEqual(where.children[1].lhs.target, Reading._meta.get_field("high"))

    def test_relation_compared_without_a_join(self):
        where = Query(Shift).build_where(Q(day=None))
        self.assertEqual(where.children[0].lhs.target, Shift._meta.get_field("day"))

    def test_join_refused(self):
        msg = "Joined field references are not permitted in this query"
        with self.assertRaisesMessage(FieldError, msg):
            Query(Shift).build_where(Q(day__date__gt=date(2020, 1, 1)))

    def test_join_in_an_f_refused(self):
        with self.assertRaises(FieldError):
            Query(Egg).build_where(Q(id=F("hen__egg")))

    def test_join_in_an_expression_refused(self):
        msg = "Joined field references are not permitted in this query"
        with self.assertRaisesMessage(FieldError, msg):
            Query(Egg).build_where(Func("hen__egg", output_field=BooleanField()))

    def test_boolean_expression(self):
        where = Query(Reading).build_where(Func(output_field=BooleanField()))
        exact = where.children[0]
        self.assertIsInstance(exact, Exact)
        self.assertIsInstance(exact.lhs, Func)
        self.assertIs(exact.rhs, True)

    def test_non_conditional_expression_refused(self):
        msg = "Cannot filter against a non-conditional expression."
        with self.assertRaisesMessage(TypeError, msg):
            Query(Reading).build_where(Func(output_field=CharField()))


class AliasColsTests(SimpleTestCase):
    def test_columns_without_alias(self):
        query = Query(Reading, alias_cols=False)
        where = query.build_where(Q(low__gt=2, high__isnull=False) | Q(low__lt=F("spare")))
        high_isnull, low_gt = where.children[0].children
        self.assertIsInstance(low_gt.lhs, Col)
        self.assertIsNone(low_gt.lhs.alias)
        self.assertIsNone(high_isnull.lhs.alias)
        low_lt = where.children[1]
        self.assertIsNone(low_lt.lhs.alias)
        self.assertIsNone(low_lt.rhs.alias)

    def test_relation_without_alias(self):
        where = Query(Shift, alias_cols=False).build_where(Q(day=None))
        self.assertIsNone(where.children[0].lhs.alias)

    def test_rendered_unqualified(self):
        query = Query(Reading, alias_cols=False)
        where = query.build_where(Q(low__gt=F("spare")))
        sql, params = query.get_compiler(DEFAULT_DB_ALIAS).compile(where)
        qn = connection.ops.quote_name
        self.assertEqual((sql, params), (f"{qn('low')} > ({qn('spare')})", []))
