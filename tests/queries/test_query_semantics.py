"""Query semantics pinned against Django's results: exclude() keeps the rows whose compared
columns are NULL on either side (`exclude(a=F("b"))` with b NULL keeps the row: NOT of an
unknown is unknown in SQL, so the condition gets `b IS NOT NULL`); floats against integer
columns; DISTINCT subqueries sorted by other columns; exists() of distinct rows."""

from datetime import date

from tether.db import connection
from tether.exceptions import FieldError
from tether.models import F
from tether.test import TestCase, skipUnlessDBFeature
from tether.test.utils import CaptureQueriesContext

from .models import Day, Reading, Shift


class ExcludeNullableComparisonTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.no_high = Reading.objects.create(low=1, spare=1)
        cls.equal = Reading.objects.create(low=2, high=2, spare=2)
        cls.no_spare = Reading.objects.create(low=3, high=4)

    def test_non_null_column_against_nullable_one(self):
        self.assertSequenceEqual(
            Reading.objects.exclude(low=F("high")).order_by("low"), [self.no_high, self.no_spare]
        )

    def test_nullable_columns_on_both_sides(self):
        self.assertSequenceEqual(
            Reading.objects.exclude(high=F("spare")).order_by("low"),
            [self.no_high, self.no_spare],
        )

    def test_filter_is_unchanged(self):
        self.assertSequenceEqual(Reading.objects.filter(high=F("spare")), [self.equal])
        self.assertSequenceEqual(Reading.objects.filter(high__gt=F("low")), [self.no_spare])


class FloatAgainstIntegerColumnTests(TestCase):
    """A float compared with an integer column matches the integers it would in Python."""

    @classmethod
    def setUpTestData(cls):
        cls.rows = [Reading.objects.create(low=n) for n in (4, 8, 12)]

    def test_each_comparison(self):
        def lows(**kwargs):
            return sorted(Reading.objects.filter(**kwargs).values_list("low", flat=True))

        for value in (11.9, 12, 12.0, 12.1):
            with self.subTest(value=value):
                self.assertEqual(lows(low__gt=value), [n for n in (4, 8, 12) if n > value])
                self.assertEqual(lows(low__gte=value), [n for n in (4, 8, 12) if n >= value])
                self.assertEqual(lows(low__lt=value), [n for n in (4, 8, 12) if n < value])
                self.assertEqual(lows(low__lte=value), [n for n in (4, 8, 12) if n <= value])


class DistinctSortedSubqueryTests(TestCase):
    """A DISTINCT subquery sorted by a column it does not select still gives one column."""

    @skipUnlessDBFeature("allow_sliced_subqueries_with_in")
    def test_in_distinct_sorted_sliced_subquery(self):
        for low, high in ((1, 9), (2, 8), (3, 7), (4, 6)):
            Reading.objects.create(low=low, high=high)
        picked = Reading.objects.distinct().order_by("high")[:2]
        self.assertEqual(
            list(
                Reading.objects.filter(pk__in=picked).order_by("low").values_list("low", flat=True)
            ),
            [3, 4],
        )
        ids = Reading.objects.distinct().order_by("-high").values("id")[:2]
        self.assertEqual(
            list(Reading.objects.filter(id__in=ids).order_by("low").values_list("low", flat=True)),
            [1, 2],
        )


class DistinctExistsTests(TestCase):
    def test_exists_of_distinct_rows_reads_no_column(self):
        Reading.objects.create(low=1)
        with CaptureQueriesContext(connection) as captured:
            self.assertIs(Reading.objects.distinct().exists(), True)
            self.assertIs(Reading.objects.distinct()[1:2].exists(), False)
        plain, sliced = (q["sql"] for q in captured.captured_queries)
        self.assertNotIn(connection.ops.quote_name("low"), plain)
        self.assertIn(connection.ops.quote_name("low"), sliced)  # a slice of distinct rows


class TransformOfForeignKeyTests(TestCase):
    """order_by() through a transform of a foreign key applies it to the key's values (a date
    key's month), as Django's; filter() refuses it, as Django's."""

    @classmethod
    def setUpTestData(cls):
        cls.dec = Shift.objects.create(name="dec", day=Day.objects.create(date=date(2021, 12, 10)))
        cls.nov = Shift.objects.create(name="nov", day=Day.objects.create(date=date(2022, 11, 10)))

    def test_order_by_and_values(self):
        self.assertSequenceEqual(Shift.objects.order_by("day__month"), [self.nov, self.dec])
        self.assertSequenceEqual(Shift.objects.order_by("-day__year"), [self.nov, self.dec])

    def test_filter_refuses_it(self):
        with self.assertRaisesMessage(FieldError, "Unsupported lookup 'month' for ForeignKey"):
            Shift.objects.filter(day__month=12)
