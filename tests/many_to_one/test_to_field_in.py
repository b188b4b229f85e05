"""`fk__in=<queryset>` where the foreign key points at a non-primary column (to_field): the
subquery selects that column, and a values() subquery keeps the column it names, as Django's."""

from tether.test import TestCase

from .models import Car, Driver


class ToFieldInSubqueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.volvo = Car.objects.create(make="volvo")
        cls.saab = Car.objects.create(make="saab")
        cls.ann = Driver.objects.create(car=cls.volvo)
        cls.bob = Driver.objects.create(car=cls.saab)

    def test_forward_in_queryset_selects_the_target_column(self):
        self.assertEqual(
            set(Driver.objects.filter(car__in=Car.objects.filter(make="volvo"))), {self.ann}
        )

    def test_values_subquery_keeps_its_column(self):
        rows = Driver.objects.filter(car__in=Car.objects.filter(make="saab").values("make"))
        self.assertEqual(set(rows), {self.bob})

    def test_reverse_in_queryset(self):
        self.assertEqual(
            set(Car.objects.filter(drivers__in=Driver.objects.filter(pk=self.bob.pk))), {self.saab}
        )

    def test_nested_in_querysets(self):
        self.assertEqual(
            set(
                Driver.objects.filter(
                    car__in=Car.objects.filter(drivers__in=Driver.objects.filter(car=self.volvo))
                )
            ),
            {self.ann},
        )

    def test_exact_sliced_queryset_selects_the_target_column(self):
        self.assertEqual(
            set(Driver.objects.filter(car=Car.objects.filter(make="saab")[:1])), {self.bob}
        )
