"""select_for_update(nowait, skip_locked, of, no_key) as Django 5.2: the clause per backend,
the feature flags, Django's errors, and two connections contending for a locked row."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from tether.db import DatabaseError, NotSupportedError, connection, transaction
from tether.db.errors import TransactionManagementError
from tether.exceptions import FieldError
from tether.test import (
    SimpleTestCase,
    TestCase,
    TransactionTestCase,
    skipIfDBFeature,
    skipUnlessDBFeature,
)
from tether.test.utils import CaptureQueriesContext

from .models import Capital, City, Country, Person


def q(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class ClauseTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.country = Country.objects.create(name="Belgium")
        cls.city = City.objects.create(name="Brussels", country=cls.country)
        cls.person = Person.objects.create(name="Tintin", born=cls.city)

    def sql_of(self, qs: Any) -> str:
        with CaptureQueriesContext(connection) as ctx:
            list(qs)
        return ctx.captured_queries[-1]["sql"]

    @skipUnlessDBFeature("has_select_for_update")
    def test_for_update(self) -> None:
        sql = self.sql_of(Person.objects.select_for_update())
        self.assertTrue(sql.endswith(" FOR UPDATE"), sql)
        self.assertEqual(Person.objects.select_for_update().get().name, "Tintin")

    @skipIfDBFeature("has_select_for_update")
    def test_no_op_without_the_feature(self) -> None:
        qs = Person.objects.select_for_update(nowait=True, of=("self",), no_key=True)
        self.assertNotIn("FOR", self.sql_of(qs))
        self.assertNotIn("FOR", self.sql_of(Person.objects.select_for_update(skip_locked=True)))

    @skipUnlessDBFeature("has_select_for_update_nowait")
    def test_nowait(self) -> None:
        sql = self.sql_of(Person.objects.select_for_update(nowait=True))
        self.assertTrue(sql.endswith(" FOR UPDATE NOWAIT"), sql)

    @skipUnlessDBFeature("has_select_for_update_skip_locked")
    def test_skip_locked(self) -> None:
        sql = self.sql_of(Person.objects.select_for_update(skip_locked=True))
        self.assertTrue(sql.endswith(" FOR UPDATE SKIP LOCKED"), sql)

    @skipUnlessDBFeature("has_select_for_no_key_update")
    def test_no_key(self) -> None:
        sql = self.sql_of(Person.objects.select_for_update(no_key=True))
        self.assertTrue(sql.endswith(" FOR NO KEY UPDATE"), sql)

    @skipUnlessDBFeature("has_select_for_update")
    def test_options_are_part_of_the_cache_key(self) -> None:
        plain = self.sql_of(Person.objects.filter(name="x").select_for_update())
        self.assertTrue(plain.endswith(" FOR UPDATE"), plain)
        if connection.features.has_select_for_update_nowait:
            sql = self.sql_of(Person.objects.filter(name="x").select_for_update(nowait=True))
            self.assertTrue(sql.endswith(" NOWAIT"), sql)
        if connection.features.has_select_for_update_skip_locked:
            sql = self.sql_of(Person.objects.filter(name="x").select_for_update(skip_locked=True))
            self.assertTrue(sql.endswith(" SKIP LOCKED"), sql)
        self.assertNotIn("FOR", self.sql_of(Person.objects.filter(name="x")))

    @skipUnlessDBFeature("has_select_for_update", "has_select_for_update_of")
    def test_of(self) -> None:
        qs = Person.objects.select_related("born__country").select_for_update(
            of=("self", "born__country")
        )
        sql = self.sql_of(qs)
        country_alias = sql.split(" OF ")[1].split(", ")[1]
        self.assertTrue(sql.endswith(f" FOR UPDATE OF {q(Person)}, {country_alias}"), sql)
        self.assertIn(f"{country_alias}.", sql)
        sql = self.sql_of(Person.objects.select_related("born").select_for_update(of=("born",)))
        self.assertTrue(sql.endswith(f" FOR UPDATE OF {q(City)}"), sql)

    @skipUnlessDBFeature("has_select_for_update", "has_select_for_update_of")
    def test_of_multi_table_parent(self) -> None:
        Capital.objects.create(name="Paris", country=self.country)
        sql = self.sql_of(Capital.objects.select_for_update(of=("self", "city_ptr")))
        self.assertTrue(sql.endswith(f" FOR UPDATE OF {q(Capital)}, {q(City)}"), sql)
        sql = self.sql_of(Capital.objects.select_for_update(of=("city_ptr",)))
        self.assertTrue(sql.endswith(f" FOR UPDATE OF {q(City)}"), sql)

    @skipUnlessDBFeature("has_select_for_update", "has_select_for_update_of")
    def test_of_invalid_names(self) -> None:
        msg = (
            "Invalid field name(s) given in select_for_update(of=(...)): name, born__nope. "
            "Only relational fields followed in the query are allowed. "
            "Choices are: self, born, born__country."
        )
        qs = Person.objects.select_related("born__country").select_for_update(
            of=("name", "born__nope")
        )
        with self.assertRaisesMessage(FieldError, msg):
            list(qs)
        with self.assertRaisesMessage(FieldError, "Choices are: self."):
            list(Person.objects.select_for_update(of=("born",)))

    @skipIfDBFeature("has_select_for_update_nowait")
    @skipUnlessDBFeature("has_select_for_update")
    def test_nowait_unsupported(self) -> None:
        with self.assertRaisesMessage(
            NotSupportedError, "NOWAIT is not supported on this database backend."
        ):
            list(Person.objects.select_for_update(nowait=True))

    @skipIfDBFeature("has_select_for_update_skip_locked")
    @skipUnlessDBFeature("has_select_for_update")
    def test_skip_locked_unsupported(self) -> None:
        with self.assertRaisesMessage(
            NotSupportedError, "SKIP LOCKED is not supported on this database backend."
        ):
            list(Person.objects.select_for_update(skip_locked=True))

    @skipIfDBFeature("has_select_for_update_of")
    @skipUnlessDBFeature("has_select_for_update")
    def test_of_unsupported(self) -> None:
        with self.assertRaisesMessage(
            NotSupportedError, "FOR UPDATE OF is not supported on this database backend."
        ):
            list(Person.objects.select_for_update(of=("self",)))

    @skipIfDBFeature("has_select_for_no_key_update")
    @skipUnlessDBFeature("has_select_for_update")
    def test_no_key_unsupported(self) -> None:
        with self.assertRaisesMessage(
            NotSupportedError, "FOR NO KEY UPDATE is not supported on this database backend."
        ):
            list(Person.objects.select_for_update(no_key=True))

    def test_nowait_and_skip_locked(self) -> None:
        with self.assertRaisesMessage(
            ValueError, "The nowait option cannot be used with skip_locked."
        ):
            Person.objects.select_for_update(nowait=True, skip_locked=True)

    def test_values_slices_and_related(self) -> None:
        qs = Person.objects.select_for_update()
        self.assertEqual(list(qs.values_list("name", flat=True)), ["Tintin"])
        self.assertEqual(qs[:1][0].name, "Tintin")
        self.assertEqual(qs.select_related("born").get().born.name, "Brussels")
        obj, created = Person.objects.update_or_create(name="Tintin", defaults={"died": None})
        self.assertFalse(created)


class AutocommitTests(TransactionTestCase):
    def setUp(self) -> None:
        self.country = Country.objects.create(name="Belgium")

    @skipUnlessDBFeature("has_select_for_update")
    def test_outside_a_transaction(self) -> None:
        msg = "select_for_update cannot be used outside of a transaction."
        with self.assertRaisesMessage(TransactionManagementError, msg):
            list(Country.objects.select_for_update())
        with self.assertRaisesMessage(TransactionManagementError, msg):
            Country.objects.select_for_update().get()
        with self.assertRaisesMessage(TransactionManagementError, msg):
            list(Country.objects.select_for_update().iterator())
        # Building the query, or an empty one, is fine.
        qs = Country.objects.select_for_update()
        self.assertEqual(list(qs.none()), [])
        with transaction.atomic():
            self.assertEqual(qs.get().name, "Belgium")

    @skipUnlessDBFeature("has_select_for_update")
    def test_outside_a_transaction_async(self) -> None:
        async def scenario() -> str:
            try:
                await Country.objects.select_for_update().aget()
            except TransactionManagementError as exc:
                error = str(exc)
            async with transaction.atomic():
                name = (await Country.objects.select_for_update().aget()).name
            return f"{error}|{name}"

        self.assertEqual(
            asyncio.run(scenario()),
            "select_for_update cannot be used outside of a transaction.|Belgium",
        )

    @skipIfDBFeature("has_select_for_update")
    def test_no_op_in_autocommit(self) -> None:
        self.assertEqual(Country.objects.select_for_update(nowait=True).get().name, "Belgium")


class ContentionTests(TransactionTestCase):
    """One connection holds a row lock inside atomic(); another thread's connection asks."""

    def setUp(self) -> None:
        self.a = Country.objects.create(name="A")
        self.b = Country.objects.create(name="B")

    def in_other_connection(self, work: Any) -> Any:
        outcome: dict[str, Any] = {}

        def target() -> None:
            try:
                with transaction.atomic():
                    outcome["value"] = work()
            except BaseException as exc:
                outcome["error"] = exc
            finally:
                connection.close()

        thread = threading.Thread(target=target)
        thread.start()
        thread.join(30)
        return outcome

    def locked(self, work: Any, **options: Any) -> dict[str, Any]:
        with transaction.atomic():
            Country.objects.select_for_update(**options).get(pk=self.a.pk)
            return self.in_other_connection(work)

    @skipUnlessDBFeature("has_select_for_update_nowait")
    def test_nowait_raises_on_a_locked_row(self) -> None:
        outcome = self.locked(
            lambda: list(Country.objects.select_for_update(nowait=True).filter(pk=self.a.pk))
        )
        self.assertIsInstance(outcome.get("error"), DatabaseError, outcome)
        # An unlocked row is read at once.
        outcome = self.locked(
            lambda: [
                c.name for c in Country.objects.select_for_update(nowait=True).filter(pk=self.b.pk)
            ]
        )
        self.assertEqual(outcome, {"value": ["B"]})

    @skipUnlessDBFeature("has_select_for_update_skip_locked")
    def test_skip_locked_leaves_the_locked_row_out(self) -> None:
        outcome = self.locked(
            lambda: [
                c.name for c in Country.objects.select_for_update(skip_locked=True).order_by("pk")
            ]
        )
        self.assertEqual(outcome, {"value": ["B"]})
        # Once the lock is gone, every row is there.
        outcome = self.in_other_connection(
            lambda: [
                c.name for c in Country.objects.select_for_update(skip_locked=True).order_by("pk")
            ]
        )
        self.assertEqual(outcome, {"value": ["A", "B"]})

    @skipUnlessDBFeature("has_select_for_update_of", "has_select_for_update_nowait")
    def test_of_locks_only_the_named_table(self) -> None:
        city = City.objects.create(name="Brussels", country=self.a)
        with transaction.atomic():
            list(City.objects.select_related("country").select_for_update(of=("self",)))
            country = self.in_other_connection(
                lambda: Country.objects.select_for_update(nowait=True).get(pk=self.a.pk).name
            )
            city_error = self.in_other_connection(
                lambda: City.objects.select_for_update(nowait=True).get(pk=city.pk)
            )
        self.assertEqual(country, {"value": "A"})
        self.assertIsInstance(city_error.get("error"), DatabaseError, city_error)


class MySQLFlagTests(SimpleTestCase):
    """The MariaDB/MySQL flags by server version (no server needed)."""

    def flags(self, mariadb: bool, version: tuple[int, ...]) -> tuple[bool, bool, bool, bool]:
        from types import SimpleNamespace

        from tether.db.backends.mysql.features import DatabaseFeatures

        features = DatabaseFeatures(
            SimpleNamespace(mysql_is_mariadb=mariadb, mysql_version=version)
        )
        return (
            features.has_select_for_update_nowait,
            features.has_select_for_update_skip_locked,
            features.has_select_for_update_of,
            features.has_select_for_no_key_update,
        )

    def test_versions(self) -> None:
        self.assertEqual(self.flags(True, (10, 2)), (False, False, False, False))
        self.assertEqual(self.flags(True, (10, 5)), (True, False, False, False))
        self.assertEqual(self.flags(True, (10, 11)), (True, True, False, False))
        self.assertEqual(self.flags(False, (5, 7, 40)), (False, False, False, False))
        self.assertEqual(self.flags(False, (8, 0, 36)), (True, True, True, False))
