"""Pattern lookups (contains, startswith, ...) whose right-hand side is an expression.

Django builds the LIKE pattern in SQL: the expression's value with its %, _ and \\ escaped by
REPLACE(), joined to the wildcards by concatenation (|| or CONCAT()). The expected rows were
read from Django 5.2 running the same data on SQLite.
"""

from tether.db import connection
from tether.models import F, Value
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .models import Employee

# (firstname, lastname): lastname is matched against firstname taken as a literal text.
ROWS = [
    ("a%c", "xa%cx"),
    ("a%c", "xabcx"),
    ("a_c", "a_cz"),
    ("a_c", "abcz"),
    ("a\\c", "za\\c"),
    ("a\\c", "zac"),
    ("Ab", "zab"),
    ("ab", "AB"),
    ("ab", "ab"),
]


class PatternWithExpressionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for first, last in ROWS:
            Employee.objects.create(firstname=first, lastname=last)

    def matched(self, lookup, rhs=None, cased=True):
        """Pairs matched by lastname__<lookup>=rhs; cased=False drops the mixed-case rows."""
        rhs = F("firstname") if rhs is None else rhs
        rows = Employee.objects.filter(**{f"lastname__{lookup}": rhs}).order_by("pk")
        pairs = [(e.firstname, e.lastname) for e in rows]
        if not cased:
            return [p for p in pairs if p not in (("Ab", "zab"), ("ab", "AB"))]
        return pairs

    def test_contains(self):
        expected = [("a%c", "xa%cx"), ("a_c", "a_cz"), ("a\\c", "za\\c"), ("ab", "ab")]
        self.assertEqual(self.matched("contains", cased=False), expected)

    def test_icontains(self):
        self.assertEqual(
            self.matched("icontains"),
            [
                ("a%c", "xa%cx"),
                ("a_c", "a_cz"),
                ("a\\c", "za\\c"),
                ("Ab", "zab"),
                ("ab", "AB"),
                ("ab", "ab"),
            ],
        )

    def test_startswith(self):
        self.assertEqual(self.matched("startswith", cased=False), [("a_c", "a_cz"), ("ab", "ab")])
        self.assertEqual(self.matched("istartswith"), [("a_c", "a_cz"), ("ab", "AB"), ("ab", "ab")])

    def test_endswith(self):
        self.assertEqual(self.matched("endswith", cased=False), [("a\\c", "za\\c"), ("ab", "ab")])
        self.assertEqual(
            self.matched("iendswith"),
            [("a\\c", "za\\c"), ("Ab", "zab"), ("ab", "AB"), ("ab", "ab")],
        )

    def test_iexact(self):
        self.assertEqual(self.matched("iexact"), [("ab", "AB"), ("ab", "ab")])

    def test_value_and_function(self):
        self.assertEqual(self.matched("contains", Value("%c")), [("a%c", "xa%cx")])
        self.assertEqual(self.matched("endswith", Value("\\c")), [("a\\c", "za\\c")])
        self.assertEqual(self.matched("istartswith", Value("A_")), [("a_c", "a_cz")])

    def test_exclude_and_across_f(self):
        excluded = Employee.objects.exclude(lastname__icontains=F("firstname"))
        self.assertEqual(
            sorted((e.firstname, e.lastname) for e in excluded),
            [("a%c", "xabcx"), ("a\\c", "zac"), ("a_c", "abcz")],
        )

    def test_sql_escapes_the_expression(self):
        with CaptureQueriesContext(connection) as ctx:
            list(Employee.objects.filter(lastname__contains=F("firstname")))
        sql = ctx.captured_queries[0]["sql"]
        self.assertIn("REPLACE(REPLACE(REPLACE(", sql)
        concat = "CONCAT(" if connection.vendor == "mysql" else "||"
        self.assertIn(concat, sql)
