"""Django's low-level add/remove between named link fields, select-box choices of a relation
on another key, and unsaved instances that have that key but no primary key."""

from tether.test import TestCase

from .models import Car, CarDriver, Driver


class LowLevelItemsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.car = Car.objects.create(make="Toyota")
        cls.driver = Driver.objects.create(name="Ryan Briscoe")
        cls.unused = Driver.objects.create(name="Barney Gumble")
        CarDriver.objects.create(car=cls.car, driver=cls.driver)

    def test_add_and_remove_items(self):
        self.car.drivers._add_items("car", "driver", self.unused)
        self.assertCountEqual(self.car.drivers.all(), [self.unused, self.driver])
        self.driver.car_set._remove_items("driver", "car", self.car)
        self.assertCountEqual(self.car.drivers.all(), [self.unused])

    def test_other_orientation_is_refused(self):
        with self.assertRaisesMessage(ValueError, "mirror rows"):
            self.car.drivers._add_items("driver", "car", self.unused)
        self.assertCountEqual(self.car.drivers.all(), [self.driver])

    def test_unsaved_instance_with_a_key_value(self):
        msg = (
            "'Car' instance needs to have a primary key value before a many-to-many "
            "relationship can be used."
        )
        with self.assertRaisesMessage(ValueError, msg):
            Car(make="Ford").drivers.all()

    def test_choices_use_the_linked_column(self):
        field = Car._meta.get_field("drivers")
        self.assertEqual(
            [value for value, _label in field.get_choices(include_blank=False)],
            ["Barney Gumble", "Ryan Briscoe"],
        )
        self.assertEqual(field.get_choices()[0], ("", "---------"))
