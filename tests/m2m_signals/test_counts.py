"""Statement counts of many-to-many writes, pinned, and compared with Django 5.2's.

Every step of `scenario.STEPS` is counted as assertNumQueries counts (BEGIN, COMMIT and
SAVEPOINT included) in four modes: (without, with) m2m_changed receivers x (in autocommit,
inside a transaction). TETHER pins tether's counts, the same on SQLite, PostgreSQL and MariaDB
but for set()'s row lock (`lock_extra`);
DJANGO pins Django 5.2's, measured in-process with CaptureQueriesContext (in-memory SQLite) so
that docs/differences-from-django.md stays true. The explicit tests below spell the main counts
out with assertNumQueries, inside TestCase and outside it (TransactionTestCase).
"""

from __future__ import annotations

from tether.db import connection
from tether.test import TestCase, TransactionTestCase

from . import models  # noqa: F401  (registers the tables)
from .models import Car, Part, Person
from .scenario import django_world, run, tether_world

# Columns: autocommit without receivers, autocommit with, in a transaction without, with.
MODES = [(False, False), (True, False), (False, True), (True, True)]

TETHER: dict[str, tuple[int, int, int, int]] = {
    "add": (1, 4, 1, 2),
    "add existing+new": (1, 4, 1, 2),
    "add existing by key": (1, 3, 1, 1),
    "add nothing": (0, 0, 0, 0),
    "remove present+missing": (1, 3, 1, 1),
    "set": (4, 5, 2, 3),
    "set unchanged": (4, 3, 2, 1),
    "set empty": (1, 3, 1, 1),
    "create": (2, 5, 2, 3),
    "clear": (1, 3, 1, 1),
    "set clear=True": (4, 5, 2, 3),
    "reverse add": (1, 4, 1, 2),
    "reverse remove": (1, 3, 1, 1),
    "reverse set": (4, 5, 2, 3),
    "reverse create": (2, 5, 2, 3),
    "reverse clear": (1, 3, 1, 1),
    "symmetrical add": (1, 4, 1, 2),
    "symmetrical add mirror existing": (1, 4, 1, 2),
    "symmetrical add self": (1, 4, 1, 2),
    "symmetrical remove": (1, 3, 1, 1),
    "symmetrical set": (4, 5, 2, 3),
    "symmetrical clear": (1, 3, 1, 1),
    "symmetrical through add": (1, 4, 1, 2),
    "symmetrical through remove": (1, 3, 1, 1),
    "symmetrical through set": (4, 5, 2, 3),
    "through add": (1, 4, 1, 2),
    "through add existing+new": (1, 4, 1, 2),
    "through reverse add": (1, 4, 1, 2),
    "through remove": (1, 3, 1, 1),
    "through set": (4, 4, 2, 2),
    "through create": (2, 5, 2, 3),
    "through clear": (1, 3, 1, 1),
    "no unique pair add": (4, 4, 2, 2),
    "no unique pair add existing": (4, 4, 2, 2),
    "no unique pair set": (4, 4, 2, 2),
}

DJANGO: dict[str, tuple[int, int, int, int]] = {
    "add": (3, 4, 1, 2),
    "add existing+new": (3, 4, 1, 2),
    "add existing by key": (3, 3, 1, 1),
    "add nothing": (2, 2, 0, 0),
    "remove present+missing": (3, 3, 1, 1),
    "set": (5, 6, 3, 4),
    "set unchanged": (3, 3, 1, 1),
    "set empty": (3, 3, 1, 1),
    "create": (4, 5, 2, 3),
    "clear": (3, 3, 1, 1),
    "set clear=True": (4, 5, 2, 3),
    "reverse add": (3, 4, 1, 2),
    "reverse remove": (3, 3, 1, 1),
    "reverse set": (5, 6, 3, 4),
    "reverse create": (4, 5, 2, 3),
    "reverse clear": (3, 3, 1, 1),
    "symmetrical add": (4, 5, 2, 3),
    "symmetrical add mirror existing": (4, 4, 2, 2),
    "symmetrical add self": (4, 5, 2, 3),
    "symmetrical remove": (3, 3, 1, 1),
    "symmetrical set": (6, 7, 4, 5),
    "symmetrical clear": (3, 3, 1, 1),
    "symmetrical through add": (6, 6, 4, 4),
    "symmetrical through remove": (3, 3, 1, 1),
    "symmetrical through set": (8, 8, 6, 6),
    "through add": (4, 4, 2, 2),
    "through add existing+new": (4, 4, 2, 2),
    "through reverse add": (4, 4, 2, 2),
    "through remove": (3, 3, 1, 1),
    "through set": (4, 4, 2, 2),
    "through create": (5, 5, 3, 3),
    "through clear": (3, 3, 1, 1),
    "no unique pair add": (4, 4, 2, 2),
    "no unique pair add existing": (4, 4, 2, 2),
    "no unique pair set": (4, 4, 2, 2),
}


# set() first locks the instance's row (SELECT ... FOR [NO KEY] UPDATE) where the backend has
# row locks, so that concurrent set() calls on one instance cannot deadlock: one statement more
# on PostgreSQL and MariaDB, except for set([]) without receivers (a single DELETE).
LOCK = int(connection.features.has_select_for_update)
SETS = {label for label in TETHER if label.endswith(("set", "set unchanged", "set empty"))}
SETS.add("set clear=True")


def lock_extra(label: str, mode: int) -> int:
    if label not in SETS or (label == "set empty" and not MODES[mode][0]):
        return 0
    return LOCK


def counts(world_factory: object, mode: int) -> dict[str, int]:
    receivers, in_atomic = MODES[mode]
    return {label: n for label, _, n in run(world_factory(), receivers, in_atomic)}  # type: ignore[operator]


class PinnedCounts(TransactionTestCase):
    def test_tether_counts(self) -> None:
        for mode in range(4):
            with self.subTest(mode=MODES[mode]):
                expected = {
                    label: row[mode] + lock_extra(label, mode) for label, row in TETHER.items()
                }
                self.assertEqual(counts(tether_world, mode), expected)

    def test_django_counts(self) -> None:
        for mode in range(4):
            with self.subTest(mode=MODES[mode]):
                expected = {label: row[mode] for label, row in DJANGO.items()}
                self.assertEqual(counts(django_world, mode), expected)

    def test_never_more_than_django_but_set_unchanged_and_the_set_lock(self) -> None:
        for label, row in TETHER.items():
            for mode, n in enumerate(row):
                if label != "set unchanged":
                    limit = DJANGO[label][mode] + lock_extra(label, mode)
                    self.assertLessEqual(n + lock_extra(label, mode), limit, (label, MODES[mode]))


class OutsideATransaction(TransactionTestCase):
    """In autocommit: one statement runs bare (its own transaction); more get BEGIN/COMMIT."""

    def setUp(self) -> None:
        self.car = Car.objects.create(name="c")
        self.parts = [Part.objects.create(name=f"p{i}") for i in range(4)]

    def test_add_remove_clear_one_statement(self) -> None:
        with self.assertNumQueries(1):
            self.car.parts.add(*self.parts[:3])
        with self.assertNumQueries(1):
            self.car.parts.add(*self.parts)  # existing pairs skipped by the INSERT itself
        with self.assertNumQueries(1):
            self.car.parts.remove(self.parts[0])
        with self.assertNumQueries(1):
            self.car.parts.clear()
        self.assertEqual(self.car.parts.count(), 0)

    def test_set_delete_and_insert_in_one_transaction(self) -> None:
        self.car.parts.add(*self.parts[:2])
        # BEGIN, [lock the car's row,] DELETE the unwanted, INSERT the rest, COMMIT
        with self.assertNumQueries(4 + LOCK):
            self.car.parts.set(self.parts[1:])
        self.assertEqual(sorted(p.name for p in self.car.parts.all()), ["p1", "p2", "p3"])

    def test_symmetrical_both_directions_in_one_statement(self) -> None:
        a, b, c = (Person.objects.create(name=n) for n in "abc")
        with self.assertNumQueries(1):
            a.friends.add(b, c)
        self.assertEqual([p.name for p in b.friends.all()], ["a"])
        with self.assertNumQueries(1):
            a.friends.remove(b)
        self.assertEqual(list(b.friends.all()), [])


class InsideATestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.car = Car.objects.create(name="c")
        cls.parts = [Part.objects.create(name=f"p{i}") for i in range(4)]

    def test_counts(self) -> None:
        with self.assertNumQueries(1):
            self.car.parts.add(*self.parts[:2])
        with self.assertNumQueries(2 + LOCK):  # [lock,] DELETE, INSERT
            self.car.parts.set(self.parts[1:3])
        with self.assertNumQueries(1):
            self.car.parts.remove(*self.parts)
        with self.assertNumQueries(1):
            self.car.parts.clear()

    def test_chunked_under_the_parameter_limit(self) -> None:
        limit = connection.features.max_query_params
        many = Part.objects.bulk_create([Part(name=f"x{i}") for i in range(600)])
        a = Person.objects.create(name="a")
        people = Person.objects.bulk_create([Person(name=f"y{i}") for i in range(600)])
        with self.assertNumQueries(1 if limit is None or limit >= 2400 else 3):
            a.friends.add(*people)  # 1,200 rows of 2 parameters
        self.assertEqual(a.friends.count(), 600)
        self.assertEqual(people[0].friends.count(), 1)
        self.car.parts.add(*many)
        self.assertEqual(self.car.parts.count(), 600)
