"""to_field through keys store natural keys; through rows behave as ordinary models."""

from tether.models import Sum
from tether.test import TestCase

from .models import Car, CarDriver, Club, Driver, Membership, Person


class ToFieldThroughTests(TestCase):
    def test_links_store_the_natural_keys(self) -> None:
        car = Car.objects.create(make="Toyota")
        driver = Driver.objects.create(name="Ryan Briscoe")
        car.drivers.add(driver)
        self.assertEqual(
            list(CarDriver.objects.values_list("car_id", "driver_id")),
            [("Toyota", "Ryan Briscoe")],
        )
        self.assertEqual(list(car.drivers.all()), [driver])
        self.assertEqual(list(driver.car_set.all()), [car])
        other = Driver.objects.create(name="Barney Gumble")
        driver.car_set.add(Car.objects.create(make="Ford"))
        car.drivers.set([other, driver])
        self.assertEqual(list(car.drivers.all()), [other, driver])
        self.assertEqual(
            list(Car.objects.filter(drivers__name="Ryan Briscoe")),
            [Car.objects.get(make="Ford"), car],
        )
        car.drivers.remove(driver)
        self.assertEqual(list(car.drivers.all()), [other])
        driver.car_set.clear()
        self.assertEqual(list(Car.objects.get(make="Ford").drivers.all()), [])


class MembershipTests(TestCase):
    def test_through_rows_and_aggregates(self) -> None:
        bob, jim = Person.objects.create(name="Bob"), Person.objects.create(name="Jim")
        chess = Club.objects.create(name="Chess")
        chess.members.add(bob)
        Membership.objects.create(person=jim, club=chess, price=50)
        self.assertEqual(
            sorted(str(m) for m in Membership.objects.all()),
            ["Bob is a member of Chess", "Jim is a member of Chess"],
        )
        self.assertEqual(
            chess.members.aggregate(Sum("membership__price")), {"membership__price__sum": 150}
        )
        self.assertEqual(list(bob.clubs.all()), [chess])
        self.assertEqual(list(Person.objects.filter(membership__price__lt=100)), [jim])
        Membership.objects.filter(person=bob).delete()
        self.assertEqual(list(chess.members.all()), [jim])
