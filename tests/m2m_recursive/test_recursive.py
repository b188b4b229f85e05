"""Self relations: the automatic table's from_/to_ columns, symmetry, reverse names."""

from tether.test import TestCase

from .models import Person


class RecursiveTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.a, cls.b, cls.c, cls.d = (
            Person.objects.create(name=n) for n in ("Anne", "Bill", "Chuck", "David")
        )

    def test_through_table_shape(self) -> None:
        opts = Person.friends.through._meta
        self.assertEqual(opts.db_table, "m2m_recursive_person_friends")
        self.assertEqual(
            [f.column for f in opts.concrete_fields], ["id", "from_person_id", "to_person_id"]
        )

    def test_symmetrical_by_default(self) -> None:
        self.a.friends.add(self.b, self.c)
        self.assertEqual(list(self.b.friends.all()), [self.a])
        self.assertEqual(list(self.a.friends.all()), [self.b, self.c])
        self.assertFalse(hasattr(self.a, "person_set"))
        self.c.friends.add(self.d)
        self.assertEqual(list(Person.objects.filter(friends=self.c)), [self.a, self.d])
        self.b.friends.remove(self.a)
        self.assertEqual(list(self.a.friends.all()), [self.c])
        self.c.friends.set([self.b])
        self.assertEqual(list(self.a.friends.all()), [])
        self.assertEqual(list(self.b.friends.all()), [self.c])
        self.a.friends.add(self.a)
        self.assertEqual(list(self.a.friends.all()), [self.a])
        self.b.friends.clear()
        self.assertEqual(list(self.c.friends.all()), [])

    def test_non_symmetrical_with_related_name(self) -> None:
        self.a.idols.add(self.b, self.c)
        self.assertEqual(list(self.a.idols.all()), [self.b, self.c])
        self.assertEqual(list(self.b.idols.all()), [])
        self.assertEqual(list(self.b.stalkers.all()), [self.a])
        self.d.idols.add(self.b)
        self.assertEqual(list(self.b.stalkers.all()), [self.a, self.d])
        self.assertEqual(list(Person.objects.filter(stalkers=self.d)), [self.b])
        self.b.stalkers.remove(self.a)
        self.assertEqual(list(self.a.idols.all()), [self.c])
        self.b.stalkers.clear()
        self.assertEqual(list(self.d.idols.all()), [])

    def test_delete_removes_both_directions(self) -> None:
        self.a.friends.add(self.b)
        self.a.idols.add(self.c)
        self.d.idols.add(self.a)
        self.a.delete()
        self.assertEqual(Person.friends.through.objects.count(), 0)
        self.assertEqual(Person.idols.through.objects.count(), 0)
