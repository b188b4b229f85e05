"""Abstract bases, multi-table inheritance; query counts pinned against Django 5.2 (same models)."""

from __future__ import annotations

from tether.exceptions import FieldError
from tether.test import TestCase

from .models import (
    ItalianRestaurant,
    ParkingLot,
    Place,
    Restaurant,
    Review,
    Student,
    Supplier,
    Tag,
    Worker,
)


class AbstractBaseTests(TestCase):
    def test_fields_meta_and_managers(self) -> None:
        self.assertEqual([f.name for f in Worker._meta.fields], ["id", "name", "age", "job"])
        self.assertEqual(Worker._meta.ordering, ["name"])
        self.assertEqual(Student._meta.ordering, ["name"])
        self.assertFalse(Student._meta.abstract)
        self.assertFalse(hasattr(Worker, "objects"))  # a declared manager replaces `objects`
        Worker.adults.create(name="b", age=30, job="x")
        Worker.adults.create(name="a", age=10, job="y")
        Student.objects.create(name="s", age=12, school_class="1")
        self.assertEqual([w.name for w in Worker._default_manager.all()], ["b"])
        self.assertEqual(Worker._base_manager.count(), 2)
        self.assertEqual(str(Student.objects.get()), "Student s")

    def test_m2m_cloned_per_child(self) -> None:
        self.assertNotEqual(
            Worker._meta.get_field("tags").remote_field.through._meta.db_table,
            Student._meta.get_field("tags").remote_field.through._meta.db_table,
        )
        tag = Tag.objects.create(name="t")
        w = Worker.adults.create(name="w", age=40, job="j")
        s = Student.objects.create(name="s", age=9, school_class="2")
        w.tags.add(tag)
        s.tags.add(tag)
        self.assertEqual(list(tag.model_inheritance_worker_related.all()), [w])
        self.assertEqual(list(tag.model_inheritance_student_related.all()), [s])

    def test_abstract_not_instantiable_as_query(self) -> None:
        from .models import CommonInfo

        self.assertTrue(CommonInfo._meta.abstract)
        with self.assertRaises(AttributeError):
            CommonInfo.objects  # noqa: B018


class MultiTableTests(TestCase):
    def test_parent_link(self) -> None:
        ptr = Restaurant._meta.get_field("place_ptr")
        self.assertTrue(ptr.primary_key and ptr.auto_created and ptr.remote_field.parent_link)
        self.assertIs(Restaurant._meta.pk, ptr)
        self.assertEqual(Restaurant._meta.parents, {Place: ptr})
        self.assertEqual(ItalianRestaurant._meta.get_parent_list(), [Restaurant, Place])
        self.assertIs(ParkingLot._meta.pk, ParkingLot._meta.get_field("parent"))
        self.assertEqual(Restaurant._meta.ordering, ["name"])
        self.assertTrue(issubclass(Restaurant.DoesNotExist, Place.DoesNotExist))
        self.assertTrue(issubclass(ItalianRestaurant.DoesNotExist, Restaurant.DoesNotExist))
        self.assertEqual(
            [f.name for f in Restaurant._meta.concrete_fields],
            ["id", "name", "address", "place_ptr", "rating", "serves_hot_dogs", "serves_pizza"],
        )

    def test_create_and_read(self) -> None:
        with self.assertNumQueries(2):
            r = Restaurant.objects.create(name="Demon Dogs", address="944 W. Fullerton", rating=3)
        self.assertEqual(r.pk, r.id)
        self.assertEqual(r.place_ptr_id, r.id)
        with self.assertNumQueries(3):
            ItalianRestaurant.objects.create(name="Ristorante Miron", serves_gnocchi=True)
        with self.assertNumQueries(1):
            found = list(Restaurant.objects.filter(name="Demon Dogs"))
        self.assertEqual(found, [r])
        self.assertEqual(found[0].address, "944 W. Fullerton")
        self.assertEqual(found[0].rating, 3)
        with self.assertNumQueries(1):
            italians = list(
                ItalianRestaurant.objects.filter(name__startswith="Ristorante", rating=None)
            )
        self.assertTrue(italians[0].serves_gnocchi)
        self.assertEqual([p.name for p in Place.objects.all()], ["Demon Dogs", "Ristorante Miron"])
        self.assertEqual(
            list(Restaurant.objects.order_by("-name").values_list("name", flat=True)),
            ["Ristorante Miron", "Demon Dogs"],
        )
        self.assertEqual(Restaurant.objects.filter(address__contains="Fullerton").count(), 1)
        self.assertEqual(Restaurant.objects.get(id=r.pk), r)
        self.assertEqual(Restaurant.objects.get(pk=r.pk), r)

    def test_save_both_tables(self) -> None:
        r = Restaurant.objects.create(name="x")
        r.name, r.serves_pizza = "y", True
        with self.assertNumQueries(2):
            r.save()
        with self.assertNumQueries(1):
            r.save(update_fields=["name"])
        with self.assertNumQueries(2):
            r.save(update_fields=["name", "rating"])
        fresh = Restaurant.objects.get(pk=r.pk)
        self.assertEqual((fresh.name, fresh.serves_pizza), ("y", True))
        self.assertEqual(Place.objects.get(pk=r.pk).name, "y")

    def test_explicit_parent_link(self) -> None:
        main = Place.objects.create(name="main")
        with self.assertNumQueries(2):
            lot = ParkingLot.objects.create(name="lot", main_site=main)
        self.assertEqual(lot.parent_id, lot.id)
        self.assertEqual(ParkingLot.objects.get(name="lot").main_site, main)

    def test_reverse_one_to_one_and_lookups(self) -> None:
        r = Restaurant.objects.create(name="r")
        place = Place.objects.get(pk=r.pk)
        self.assertEqual(place.restaurant, r)
        plain = Place.objects.create(name="plain")
        with self.assertRaises(Place.restaurant.RelatedObjectDoesNotExist):
            plain.restaurant  # noqa: B018
        self.assertEqual(list(Place.objects.filter(restaurant__isnull=False)), [place])
        Review.objects.create(restaurant=r, place=r)
        self.assertEqual(Review.objects.filter(place__name="r").count(), 1)
        self.assertEqual(Review.objects.filter(restaurant__name="r").count(), 1)

    def test_does_not_exist(self) -> None:
        with self.assertRaises(Place.DoesNotExist):
            Restaurant.objects.get(name="missing")

    def test_delete(self) -> None:
        r = Restaurant.objects.create(name="x")
        with self.assertNumQueries(6):
            self.assertEqual(
                r.delete(), (2, {"model_inheritance.Restaurant": 1, "model_inheritance.Place": 1})
            )
        self.assertFalse(Place.objects.exists())
        i = ItalianRestaurant.objects.create(name="x")
        with self.assertNumQueries(6):
            self.assertEqual(
                i.delete(),
                (
                    3,
                    {
                        "model_inheritance.ItalianRestaurant": 1,
                        "model_inheritance.Restaurant": 1,
                        "model_inheritance.Place": 1,
                    },
                ),
            )
        Restaurant.objects.create(name="x")
        with self.assertNumQueries(7):
            self.assertEqual(
                Restaurant.objects.all().delete(),
                (2, {"model_inheritance.Restaurant": 1, "model_inheritance.Place": 1}),
            )

    def test_delete_keep_parents(self) -> None:
        r = Restaurant.objects.create(name="x")
        with self.assertNumQueries(4):
            self.assertEqual(r.delete(keep_parents=True), (1, {"model_inheritance.Restaurant": 1}))
        self.assertTrue(Place.objects.filter(name="x").exists())

    def test_delete_parent_deletes_child(self) -> None:
        r = Restaurant.objects.create(name="x")
        Review.objects.create(restaurant=r)
        supplier = Supplier.objects.create(name="s")
        supplier.customers.add(r)
        result = Place.objects.filter(pk=r.pk).delete()
        self.assertEqual(
            result,
            (
                4,
                {
                    "model_inheritance.Review": 1,
                    "model_inheritance.Supplier_customers": 1,
                    "model_inheritance.Restaurant": 1,
                    "model_inheritance.Place": 1,
                },
            ),
        )
        self.assertFalse(Restaurant.objects.exists())

    def test_m2m_to_child(self) -> None:
        r = Restaurant.objects.create(name="r")
        s = Supplier.objects.create(name="s")
        s.customers.add(r)
        self.assertEqual(list(r.provider.all()), [s])
        self.assertEqual(list(Supplier.objects.filter(customers__name="r")), [s])

    def test_invalid_field(self) -> None:
        with self.assertRaises(FieldError):
            Restaurant.objects.filter(nope=1)
