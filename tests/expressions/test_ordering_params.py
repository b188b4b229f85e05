"""Ordering by expressions that carry parameters: the values are bound at every execution,
including executions that reuse the cached SQL of an earlier query of the same shape."""

from tether.models import F, Value
from tether.test import TestCase

from .models import Employee


class OrderingParamsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for name, salary in (("x", 3), ("y", 1), ("z", 2)):
            Employee.objects.create(firstname=name, lastname="b", salary=salary)

    def names(self, qs):
        return list(qs.values_list("firstname", flat=True))

    def test_a_value_in_an_ordering_expression_is_bound(self):
        by = F("salary") * Value(-1)
        self.assertEqual(self.names(Employee.objects.order_by(by.asc())), ["x", "z", "y"])
        # Same shape, another value: the cached statement binds the new one.
        by = F("salary") * Value(1)
        self.assertEqual(self.names(Employee.objects.order_by(by.asc())), ["y", "z", "x"])

    def test_nulls_last_binds_the_expression_twice(self):
        for factor, expected in ((-1, ["x", "z", "y"]), (1, ["y", "z", "x"])):
            by = (F("salary") * Value(factor)).asc(nulls_last=True)
            self.assertEqual(self.names(Employee.objects.order_by(by)), expected)

    def test_reversed_ordering_expression(self):
        by = (F("salary") + Value(10)).asc()
        self.assertEqual(self.names(Employee.objects.order_by(by).reverse()), ["x", "z", "y"])
