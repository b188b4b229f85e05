"""The reverse one-to-one cache follows Django's rules (issue 10, item 3)."""

from tether.test import TestCase

from .models import Bar, Place, Restaurant


class ReverseCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p1 = Place.objects.create(name="Demon Dogs", address="944 W. Fullerton")
        cls.p2 = Place.objects.create(name="Ace Hardware", address="1013 N. Ashland")
        cls.r1 = Restaurant.objects.create(place=cls.p1, serves_hot_dogs=True)

    def test_forward_fetch_caches_the_reverse(self):
        r = Restaurant.objects.get(pk=self.r1.pk)
        p = r.place
        with self.assertNumQueries(0):
            self.assertEqual(p.restaurant, r)

    def test_unsetting_forward_unsets_reverse(self):
        bar = Bar.objects.create(place=self.p1)
        with self.assertNumQueries(0):
            self.assertEqual(self.p1.bar_here, bar)
        bar.place = None
        bar.save()
        with self.assertNumQueries(0):
            with self.assertRaises(Bar.DoesNotExist):
                self.p1.bar_here  # noqa: B018 - the read is the test

    def test_assigning_none_to_reverse_clears_the_forward_key(self):
        place = Place.objects.get(pk=self.p1.pk)
        bar = Bar.objects.create(place=place)
        place.bar_here = None
        self.assertIsNone(bar.place)
        bar.save()
        bar.refresh_from_db()
        self.assertIsNone(bar.place)

    def test_unsaved_target_refused_and_not_cached(self):
        place = Place(name="User", address="London")
        with self.assertRaises(Restaurant.DoesNotExist):
            place.restaurant  # noqa: B018 - the read is the test
        msg = "save() prohibited to prevent data loss due to unsaved related object 'place'."
        with self.assertRaisesMessage(ValueError, msg):
            Restaurant.objects.create(place=place, serves_hot_dogs=True)
        with self.assertRaises(Restaurant.DoesNotExist):
            place.restaurant  # noqa: B018 - the read is the test

    def test_attname_change_drops_both_caches(self):
        bar = Bar.objects.create(place=self.p1)
        self.assertEqual(bar.place, self.p1)
        bar.place_id = self.p2.pk
        bar.save()
        self.assertEqual(bar.place, self.p2)
        self.assertEqual(Place.objects.get(pk=self.p2.pk).bar_here, bar)


class PrimaryKeyRelationLookupTests(TestCase):
    def test_instance_of_the_model_whose_key_the_relation_is(self):
        place = Place.objects.create(name="Demon Dogs", address="944 W. Fullerton")
        restaurant = Restaurant.objects.create(place=place)
        self.assertEqual(Restaurant.objects.filter(pk__exact=restaurant).get(), restaurant)
        self.assertEqual(Restaurant.objects.filter(pk__in=[restaurant]).get(), restaurant)
        self.assertEqual(Restaurant.objects.filter(place=restaurant).get(), restaurant)
        self.assertEqual(Restaurant.objects.filter(place=place).get(), restaurant)
        with self.assertRaisesMessage(ValueError, 'Must be "Place" instance.'):
            Bar.objects.filter(place=Bar.objects.create(place=place))


class AccessorNameTests(TestCase):
    def test_accessor_name(self):
        self.assertEqual(Bar._meta.get_field("place").remote_field.accessor_name, "bar_here")
        self.assertEqual(
            Restaurant._meta.get_field("place").remote_field.accessor_name, "restaurant"
        )
