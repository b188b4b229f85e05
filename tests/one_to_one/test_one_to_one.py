"""OneToOneField: forward and reverse accessors, RelatedObjectDoesNotExist, lookups both ways."""

from tether.test import TestCase

from .models import Bar, Place, Restaurant, Waiter


class OneToOneTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p1 = Place.objects.create(name="Demon Dogs", address="944 W. Fullerton")
        cls.p2 = Place.objects.create(name="Ace Hardware", address="1013 N. Ashland")
        cls.r1 = Restaurant.objects.create(place=cls.p1, serves_hot_dogs=True)

    def test_accessors(self):
        self.assertEqual(self.r1.place, self.p1)
        self.assertEqual(Place.objects.get(pk=self.p1.pk).restaurant, self.r1)
        self.assertEqual(Restaurant.objects.get(pk=self.p1.pk).place_id, self.p1.pk)

    def test_reverse_does_not_exist(self):
        place = Place.objects.get(pk=self.p2.pk)
        with self.assertRaisesMessage(Restaurant.DoesNotExist, "Place has no restaurant."):
            place.restaurant  # noqa: B018
        self.assertFalse(hasattr(place, "restaurant"))
        with self.assertRaisesMessage(
            Place.restaurant.RelatedObjectDoesNotExist, "Place has no restaurant."
        ):
            place.restaurant  # noqa: B018

    def test_reverse_cached(self):
        place = Place.objects.get(pk=self.p1.pk)
        with self.assertNumQueries(1):
            self.assertEqual(place.restaurant, self.r1)
            self.assertIs(place.restaurant.place, place)

    def test_lookups(self):
        self.assertEqual(
            list(Restaurant.objects.filter(place__name__startswith="Demon")), [self.r1]
        )
        self.assertEqual(list(Place.objects.filter(restaurant__serves_hot_dogs=True)), [self.p1])
        self.assertEqual(list(Place.objects.filter(restaurant=self.r1)), [self.p1])
        self.assertEqual(list(Place.objects.filter(restaurant__isnull=True)), [self.p2])
        self.assertEqual(list(Restaurant.objects.filter(place=self.p1)), [self.r1])
        self.assertEqual(list(Restaurant.objects.filter(pk=self.p1.pk)), [self.r1])

    def test_reverse_through_foreign_key(self):
        w = Waiter.objects.create(restaurant=self.r1, name="Joe")
        self.assertEqual(list(Waiter.objects.filter(restaurant__place__name="Demon Dogs")), [w])
        self.assertEqual(list(Place.objects.filter(restaurant__waiter__name="Joe")), [self.p1])
        self.assertEqual(str(w), "Joe the waiter at Demon Dogs the restaurant")

    def test_assign_reverse(self):
        bar = Bar.objects.create(name="b")
        self.p2.bar_here = bar
        self.assertEqual(bar.place_id, self.p2.pk)
        bar.save()
        self.assertEqual(Place.objects.get(pk=self.p2.pk).bar_here, bar)

    def test_create_with_reverse_name_rejected(self):
        with self.assertRaisesMessage(
            ValueError, "The following fields do not exist in this model: restaurant"
        ):
            Place.objects.create(name="x", address="y", restaurant=self.r1)

    def test_select_related_reverse(self):
        with self.assertNumQueries(1):
            places = list(Place.objects.select_related("restaurant").order_by("pk"))
            self.assertEqual(places[0].restaurant, self.r1)
            self.assertIs(places[0].restaurant.place, places[0])
            with self.assertRaisesMessage(Restaurant.DoesNotExist, "Place has no restaurant."):
                places[1].restaurant  # noqa: B018
