"""Writes through multi-table children: update() of a parent's field, save(force_insert=(Parent,)).

Django 5.2: update() of an inherited field selects the child keys, then sends one UPDATE per
parent table with `pk IN (keys)`; local fields are updated on the child's table. force_insert
takes a tuple of parents whose rows are inserted without trying an UPDATE first.
"""

from tether.db import connection
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .models import ItalianRestaurant, Place, Restaurant


class UpdateThroughChildTests(TestCase):
    def setUp(self):
        self.r1 = Restaurant.objects.create(name="One", address="a", rating=1)
        self.r2 = Restaurant.objects.create(name="Two", address="b", rating=2)
        self.place = Place.objects.create(name="Plain", address="c")
        self.ir = ItalianRestaurant.objects.create(name="Trois", address="d", rating=3)

    def test_parent_field(self):
        with CaptureQueriesContext(connection) as ctx:
            count = Restaurant.objects.filter(rating__lte=2).update(address="new")
        self.assertEqual(count, 2)
        self.assertEqual(len(ctx.captured_queries), 2)
        self.assertTrue(ctx.captured_queries[0]["sql"].startswith("SELECT"))
        place_table = connection.ops.quote_name(Place._meta.db_table)
        self.assertIn(place_table, ctx.captured_queries[1]["sql"])
        addresses = dict(Place.objects.values_list("name", "address"))
        self.assertEqual(addresses, {"One": "new", "Two": "new", "Plain": "c", "Trois": "d"})

    def test_parent_and_local_fields(self):
        rows = Restaurant.objects.filter(name="One")
        count = rows.update(address="x", serves_pizza=True, rating=9)
        self.assertEqual(count, 1)
        self.r1.refresh_from_db()
        self.assertEqual((self.r1.address, self.r1.serves_pizza, self.r1.rating), ("x", True, 9))
        self.r2.refresh_from_db()
        self.assertEqual((self.r2.address, self.r2.serves_pizza), ("b", False))

    def test_grandparent_field(self):
        self.assertEqual(ItalianRestaurant.objects.update(name="Quattro", serves_pizza=True), 1)
        self.ir.refresh_from_db()
        self.assertEqual((self.ir.name, self.ir.serves_pizza), ("Quattro", True))
        self.assertEqual(Place.objects.filter(name="Quattro").count(), 1)

    def test_nothing_matches(self):
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(Restaurant.objects.filter(name="none").update(address="z"), 0)
        self.assertEqual(len(ctx.captured_queries), 1)


class ForceInsertParentsTests(TestCase):
    def test_force_insert_tuple(self):
        with CaptureQueriesContext(connection) as ctx:
            Restaurant(name="R", rating=1).save(force_insert=(Place,))
        inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
        self.assertEqual(len(inserts), 2)
        self.assertFalse([q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")])

    def test_force_insert_tuple_with_existing_parent_pk(self):
        place = Place.objects.create(name="P")
        restaurant = Restaurant(place_ptr_id=place.pk, name="R2", rating=1)
        from tether.db import IntegrityError

        with self.assertRaises(IntegrityError):
            restaurant.save(force_insert=(Place,))

    def test_force_insert_not_a_parent(self):
        with self.assertRaisesMessage(
            TypeError, "Invalid force_insert member. Restaurant must be a base of Place."
        ):
            Place(name="x").save(force_insert=(Restaurant,))

    def test_force_insert_empty_and_true(self):
        r = Restaurant(name="E", rating=1)
        r.save(force_insert=())
        r2 = Restaurant(name="T", rating=1)
        r2.save(force_insert=True)
        self.assertEqual(Restaurant.objects.count(), 2)
