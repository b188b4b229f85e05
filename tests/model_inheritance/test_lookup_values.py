"""Values of relation lookups across an inheritance chain, and the errors for values of the
wrong kind, with Django's messages: an instance or queryset of a parent or child model
stands for the related rows; one of an unrelated model is refused."""

from tether.exceptions import FieldError
from tether.test import TestCase

from .models import ItalianRestaurant, Place, Restaurant, Review, Supplier


class InheritedLookupValueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.rest = Restaurant.objects.create(name="Demon Dogs", address="944 W. Fullerton")
        cls.italian = ItalianRestaurant.objects.create(name="Ristorante")
        cls.review = Review.objects.create(restaurant=cls.rest)
        cls.other = Review.objects.create(restaurant=cls.italian)

    def test_parent_instance_for_a_child_relation(self):
        place = Place.objects.get(pk=self.rest.pk)
        self.assertSequenceEqual(Review.objects.filter(restaurant=place), [self.review])
        self.assertSequenceEqual(Review.objects.filter(restaurant__in=[place]), [self.review])

    def test_child_instance_for_a_parent_relation(self):
        self.assertSequenceEqual(
            Review.objects.filter(restaurant=self.italian.restaurant_ptr), [self.other]
        )
        self.assertSequenceEqual(Review.objects.filter(restaurant=self.italian), [self.other])

    def test_unrelated_model_refused(self):
        supplier = Supplier.objects.create(name="Acme")
        with self.assertRaisesMessage(ValueError, 'Must be "Restaurant" instance.'):
            Review.objects.filter(restaurant=supplier)
        msg = 'Cannot use QuerySet for "Supplier": Use a QuerySet for "Restaurant".'
        with self.assertRaisesMessage(ValueError, msg):
            list(Review.objects.filter(restaurant__in=Supplier.objects.all()))
        with self.assertRaisesMessage(ValueError, msg):
            list(Review.objects.filter(restaurant=Supplier.objects.all()))

    def test_dict_as_positional_filter(self):
        with self.assertRaisesMessage(FieldError, "Cannot parse keyword query as dict"):
            Review.objects.filter({"restaurant": self.rest})

    def test_ordered_for_none_and_extra_ordering(self):
        self.assertIs(Review.objects.none().ordered, True)
        self.assertIs(Review.objects.extra(order_by=["id"]).ordered, True)
        self.assertIs(Review.objects.all().ordered, False)
