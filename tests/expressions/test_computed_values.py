"""Values the database computes, read back as Django reads them: averages and products of
durations, empty EXISTS, subqueries grouped by the outer columns they read, the type of a
subquery selecting a transform, aggregates over no rows, and F() joins within one filter()."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tether.db import connection
from tether.exceptions import FieldError
from tether.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Max,
    OuterRef,
    RawSQL,
    Subquery,
)
from tether.models.functions import Coalesce
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .models import Company, Employee, Moment, Reading


class ComputedValuesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.ann = Employee.objects.create(firstname="Ann", lastname="A", salary=10)
        cls.bob = Employee.objects.create(firstname="Bob", lastname="B", salary=20)
        Company.objects.create(name="One", num_employees=3, num_chairs=3, ceo=cls.ann)
        Company.objects.create(name="Two", num_employees=5, num_chairs=2, ceo=cls.ann)
        Moment.objects.create(day=datetime.date(2020, 1, 2), length=datetime.timedelta(days=1))
        Moment.objects.create(day=datetime.date(2021, 5, 6), length=datetime.timedelta(days=2))

    def test_average_and_product_of_durations(self) -> None:
        self.assertEqual(
            Moment.objects.aggregate(Avg("length")),
            {"length__avg": datetime.timedelta(days=1, hours=12)},
        )
        scaled = Moment.objects.annotate(
            x=ExpressionWrapper(F("length") * 1.5, output_field=DurationField())
        ).order_by("day")
        self.assertEqual(
            [m.x for m in scaled], [datetime.timedelta(hours=36), datetime.timedelta(days=3)]
        )

    def test_negated_empty_exists_is_selected_true(self) -> None:
        rows = Employee.objects.annotate(e=~Exists(Employee.objects.none())).filter(pk=self.ann.pk)
        self.assertIs(rows.get().e, True)

    def test_correlated_subquery_groups_by_outer_columns(self) -> None:
        richest = Company.objects.filter(ceo=OuterRef("pk")).order_by("-num_employees")
        rows = (
            Employee.objects.annotate(
                top=Subquery(richest.values("num_employees")[:1]), n=Count("company_ceo_set")
            )
            .order_by("firstname")
            .values_list("firstname", "top", "n")
        )
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(list(rows), [("Ann", 5, 2), ("Bob", None, 0)])
        sql = queries.captured_queries[0]["sql"]
        self.assertEqual(sql.count(connection.ops.quote_name("top")), 1)

    def test_subquery_of_a_transform_has_its_type(self) -> None:
        year = Subquery(Moment.objects.filter(pk=OuterRef("pk")).values("day__year")[:1])
        self.assertEqual(Moment.objects.annotate(y=year).filter(y=2021).count(), 1)

    def test_aggregates_over_no_rows(self) -> None:
        raw_count = Func("salary", function="COUNT")
        raw_count.contains_aggregate = True
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(Employee.objects.none().aggregate(n=raw_count), {"n": 0})
        self.assertEqual(len(queries.captured_queries), 1)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(
                Employee.objects.none().aggregate(m=Coalesce(Max("salary"), 0)), {"m": 0}
            )
        self.assertEqual(len(queries.captured_queries), 0)
        latest = Moment.objects.none().aggregate(
            at=Coalesce(Max("when"), RawSQL("CURRENT_TIMESTAMP", []))
        )["at"]
        self.assertIsInstance(latest, datetime.datetime)

    def test_unknown_name_after_a_relation(self) -> None:
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'nope' into field."):
            list(Company.objects.filter(ceo__pk=F("point_of_contact__nope")))
        message = "Cannot resolve keyword 'nope' into field. Join on 'name' not permitted."
        with self.assertRaisesMessage(FieldError, message):
            list(Company.objects.filter(name=F("name__nope")))

    def test_f_shares_the_joins_of_its_filter_call(self) -> None:
        same = Employee.objects.filter(
            company_ceo_set__num_chairs=F("company_ceo_set__num_employees")
        )
        self.assertEqual(str(same.query).count("JOIN"), 1)
        self.assertEqual(list(same), [self.ann])
        chained = Employee.objects.filter(company_ceo_set__num_chairs=2).filter(
            company_ceo_set__num_employees=F("company_ceo_set__num_chairs")
        )
        self.assertEqual(str(chained.query).count("JOIN"), 2)

    def test_decimal_arithmetic_keeps_the_digits_of_a_double(self) -> None:
        reading = Reading.objects.create(value=Decimal("0.5"))
        reading.value = F("value") - Decimal("0.4")
        reading.save()
        reading.refresh_from_db()
        self.assertEqual(reading.value, Decimal("0.1"))
        self.assertEqual(Reading.objects.annotate(x=F("value") * 3).get().x, Decimal("0.3"))
