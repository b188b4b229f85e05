"""F() and arithmetic in filter(), update() and order_by(); joins chosen as Django chooses them."""

import datetime

from tether.db import connection
from tether.exceptions import FieldError
from tether.models import ExpressionWrapper, F, FloatField, Q, Value
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .models import Company, Employee


def names(qs):
    return sorted(c.name for c in qs)


class ExpressionsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.max = Employee.objects.create(firstname="Max", lastname="Mustermann", salary=10)
        cls.joe = Employee.objects.create(firstname="Joe", lastname="Smith", salary=20)
        cls.frank = Employee.objects.create(firstname="Frank", lastname="Meyer", salary=30)
        Company.objects.create(name="Example Inc.", num_employees=2300, num_chairs=5, ceo=cls.joe)
        Company.objects.create(
            name="Foobar Ltd.",
            num_employees=3,
            num_chairs=4,
            ceo=cls.frank,
            point_of_contact=cls.max,
        )
        Company.objects.create(
            name="Test GmbH", num_employees=32, num_chairs=1, ceo=cls.max, point_of_contact=cls.max
        )

    def test_filter_against_field(self):
        self.assertEqual(
            names(Company.objects.filter(num_employees__gt=F("num_chairs"))),
            ["Example Inc.", "Test GmbH"],
        )
        self.assertEqual(
            names(Company.objects.filter(num_employees=F("num_chairs") - 1)), ["Foobar Ltd."]
        )

    def test_arithmetic(self):
        self.assertEqual(
            names(Company.objects.filter(num_chairs__gte=F("num_employees") * 2 - 3)),
            ["Foobar Ltd."],
        )
        self.assertEqual(
            names(Company.objects.filter(num_employees__lt=(F("num_chairs") + 1) * 10)),
            ["Foobar Ltd."],
        )
        self.assertEqual(names(Company.objects.filter(num_employees=4 * F("num_chairs") - 1)), [])
        self.assertEqual(
            names(Company.objects.filter(num_chairs=F("num_employees") % 31)), ["Test GmbH"]
        )
        self.assertEqual(
            names(Company.objects.filter(num_chairs=2300 / F("num_employees") + 4)),
            ["Example Inc."],
        )
        # (Unsigned columns on MariaDB refuse negative intermediate values, as with Django.)
        self.assertEqual(
            [e.firstname for e in Employee.objects.filter(salary=-F("salary") + 40)], ["Joe"]
        )

    def test_across_relations(self):
        self.assertEqual(
            names(Company.objects.filter(ceo__firstname=F("point_of_contact__firstname"))),
            ["Test GmbH"],
        )
        self.assertEqual(names(Company.objects.filter(num_chairs__lt=F("ceo__salary") / 10)), [])
        self.assertEqual(
            names(Company.objects.filter(num_chairs=F("ceo__salary") / 10 + 1)), ["Foobar Ltd."]
        )
        self.assertEqual(
            sorted(
                e.firstname
                for e in Employee.objects.filter(salary__gt=F("company_ceo_set__num_chairs") * 4)
            ),
            ["Frank", "Max"],
        )

    def test_update(self):
        with self.assertNumQueries(1):
            count = Company.objects.update(num_chairs=F("num_employees"))
        self.assertEqual(count, 3)
        self.assertEqual(
            sorted(Company.objects.values_list("num_chairs", flat=True)), [3, 32, 2300]
        )
        Company.objects.filter(name="Foobar Ltd.").update(
            num_chairs=F("num_chairs") + 1, name=Value("Foo")
        )
        self.assertEqual(Company.objects.get(name="Foo").num_chairs, 4)
        Company.objects.update(
            num_chairs=F("num_chairs") * 2 - F("num_employees"), rating=F("rating") / 4
        )
        self.assertEqual(
            sorted(Company.objects.values_list("num_chairs", flat=True)), [5, 32, 2300]
        )
        self.assertEqual(set(Company.objects.values_list("rating", flat=True)), {0.25})

    def test_update_params_in_sql_order(self):
        # Two statements of the same shape with different values: the cached SQL gets each set.
        for step in (1, 5):
            Company.objects.filter(num_employees__gte=32).update(
                num_chairs=F("num_chairs") + step, rating=Value(step * 1.5)
            )
        self.assertEqual(
            sorted(
                Company.objects.filter(num_employees__gte=32).values_list("num_chairs", "rating")
            ),
            [(7, 7.5), (11, 7.5)],
        )

    def test_update_with_join_in_filter(self):
        Company.objects.filter(ceo__firstname="Max").update(num_chairs=F("num_chairs") + 10)
        self.assertEqual(Company.objects.get(name="Test GmbH").num_chairs, 11)

    def test_update_joined_reference_rejected(self):
        with self.assertRaisesMessage(
            FieldError, "Joined field references are not permitted in this query"
        ):
            Company.objects.update(name=F("ceo__firstname"))

    def test_update_fk_with_instance_and_f(self):
        Company.objects.update(point_of_contact=self.frank)
        self.assertEqual(Company.objects.filter(point_of_contact=self.frank).count(), 3)
        Company.objects.update(point_of_contact=F("ceo"))
        self.assertEqual(Company.objects.filter(point_of_contact=F("ceo")).count(), 3)

    def test_expression_wrapper_and_order_by(self):
        self.assertEqual(
            names(
                Company.objects.filter(
                    rating__lt=ExpressionWrapper(F("num_chairs") * 1.0, output_field=FloatField())
                )
            ),
            ["Example Inc.", "Foobar Ltd."],
        )
        self.assertEqual(
            [c.name for c in Company.objects.order_by(F("num_chairs").desc())],
            ["Example Inc.", "Foobar Ltd.", "Test GmbH"],
        )
        self.assertEqual(
            [c.name for c in Company.objects.order_by(F("num_chairs").asc()).reverse()],
            ["Example Inc.", "Foobar Ltd.", "Test GmbH"],
        )
        self.assertEqual(
            [
                c.name
                for c in Company.objects.order_by(
                    F("point_of_contact").asc(nulls_first=True), "name"
                )
            ],
            ["Example Inc.", "Foobar Ltd.", "Test GmbH"],
        )

    def test_f_errors(self):
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'nope' into field."):
            list(Company.objects.filter(name=F("nope")))
        with self.assertRaisesMessage(NotImplementedError, "Use .bitand(), .bitor()"):
            F("num_chairs") & F("num_employees")
        self.assertEqual(F("a"), F("a"))
        self.assertEqual(repr(F("a") + 1), "<CombinedExpression: F(a) + Value(1)>")

    def test_value_output_field_of_a_time_and_a_duration(self):
        # Both used to raise AttributeError: fields.TimeField/DurationField live in temporal.
        time_field = Value(datetime.time(1, 2)).output_field
        self.assertEqual(time_field.get_internal_type(), "TimeField")
        duration_field = Value(datetime.timedelta(hours=1)).output_field
        self.assertEqual(duration_field.get_internal_type(), "DurationField")


class JoinPromotionTests(TestCase):
    """INNER or LEFT OUTER as Django decides: OR across a nullable relation keeps other rows."""

    def sql_of(self, qs):
        with CaptureQueriesContext(connection) as ctx:
            list(qs)
        return ctx.captured_queries[-1]["sql"]

    def test_and_is_inner(self):
        sql = self.sql_of(Company.objects.filter(point_of_contact__firstname="Max", name="x"))
        self.assertIn("INNER JOIN", sql)
        self.assertNotIn("LEFT OUTER", sql)

    def test_or_across_nullable_is_left_outer(self):
        max_ = Employee.objects.create(firstname="Max", lastname="M")
        Company.objects.create(name="A", num_employees=1, num_chairs=1, ceo=max_)
        Company.objects.create(
            name="B", num_employees=1, num_chairs=1, ceo=max_, point_of_contact=max_
        )
        qs = Company.objects.filter(Q(point_of_contact__firstname="Max") | Q(name="A"))
        self.assertIn("LEFT OUTER JOIN", self.sql_of(qs))
        self.assertEqual(names(qs), ["A", "B"])

    def test_or_across_reverse_is_left_outer(self):
        max_ = Employee.objects.create(firstname="Max", lastname="M")
        lone = Employee.objects.create(firstname="Lone", lastname="L")
        Company.objects.create(name="A", num_employees=1, num_chairs=1, ceo=max_)
        qs = Employee.objects.filter(Q(company_ceo_set__name="A") | Q(firstname="Lone"))
        self.assertIn("LEFT OUTER JOIN", self.sql_of(qs))
        self.assertEqual(sorted(e.firstname for e in qs), ["Lone", "Max"])
        del lone

    def test_or_on_both_sides_is_inner(self):
        qs = Company.objects.filter(Q(ceo__firstname="Max") | Q(ceo__lastname="Smith"))
        sql = self.sql_of(qs)
        self.assertIn("INNER JOIN", sql)
        self.assertNotIn("LEFT OUTER", sql)

    def test_exclude_across_nullable_keeps_nulls(self):
        max_ = Employee.objects.create(firstname="Max", lastname="M")
        Company.objects.create(name="A", num_employees=1, num_chairs=1, ceo=max_)
        Company.objects.create(
            name="B", num_employees=1, num_chairs=1, ceo=max_, point_of_contact=max_
        )
        qs = Company.objects.exclude(point_of_contact__firstname="Max")
        self.assertIn("LEFT OUTER JOIN", self.sql_of(qs))
        self.assertEqual(names(qs), ["A"])
