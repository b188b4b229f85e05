"""transaction.atomic and friends, on every backend; savepoint counts pinned against Django 5.2."""

from __future__ import annotations

from tether.db import IntegrityError, transaction
from tether.db.errors import TransactionManagementError
from tether.test import TestCase, TransactionTestCase

from .models import Reporter


class AtomicTests(TransactionTestCase):
    def test_commit(self) -> None:
        with transaction.atomic():
            Reporter.objects.create(first_name="Tintin")
        self.assertEqual([str(r) for r in Reporter.objects.all()], ["Tintin"])

    def test_rollback(self) -> None:
        with self.assertRaisesMessage(Exception, "Oops"):
            with transaction.atomic():
                Reporter.objects.create(first_name="Haddock")
                raise Exception("Oops, that's his last name")
        self.assertFalse(Reporter.objects.exists())

    def test_decorator(self) -> None:
        @transaction.atomic
        def make() -> None:
            Reporter.objects.create(first_name="Tintin")
            raise ValueError("x")

        with self.assertRaises(ValueError):
            make()
        self.assertFalse(Reporter.objects.exists())

        @transaction.atomic()
        def make_ok() -> None:
            Reporter.objects.create(first_name="Tintin")

        make_ok()
        self.assertEqual(Reporter.objects.count(), 1)

    def test_nested_inner_rollback(self) -> None:
        with transaction.atomic():
            Reporter.objects.create(first_name="Tintin")
            with self.assertRaisesMessage(Exception, "Oops"):
                with transaction.atomic():
                    Reporter.objects.create(first_name="Haddock")
                    raise Exception("Oops")
        self.assertEqual([str(r) for r in Reporter.objects.all()], ["Tintin"])

    def test_nested_outer_rollback(self) -> None:
        with self.assertRaises(ValueError):
            with transaction.atomic():
                with transaction.atomic():
                    Reporter.objects.create(first_name="Haddock")
                raise ValueError
        self.assertFalse(Reporter.objects.exists())

    def test_savepoint_false_marks_outer_for_rollback(self) -> None:
        with transaction.atomic():
            Reporter.objects.create(first_name="Tintin")
            with self.assertRaises(ValueError):
                with transaction.atomic(savepoint=False):
                    raise ValueError
            self.assertTrue(transaction.get_rollback())
            with self.assertRaises(TransactionManagementError):
                Reporter.objects.count()
        self.assertFalse(Reporter.objects.exists())

    def test_error_in_savepoint_leaves_outer_usable(self) -> None:
        Reporter.objects.create(first_name="a", email="a@x")
        with transaction.atomic():
            with self.assertRaises(IntegrityError):
                with transaction.atomic():
                    Reporter.objects.create(first_name="b", email="a@x")
            Reporter.objects.create(first_name="c")
        self.assertEqual([r.first_name for r in Reporter.objects.all()], ["a", "c"])

    def test_set_rollback(self) -> None:
        with transaction.atomic():
            Reporter.objects.create(first_name="x")
            transaction.set_rollback(True)
        self.assertFalse(Reporter.objects.exists())
        with self.assertRaises(TransactionManagementError):
            transaction.get_rollback()
        with self.assertRaises(TransactionManagementError):
            transaction.set_rollback(True)

    def test_durable(self) -> None:
        with transaction.atomic(durable=True):
            Reporter.objects.create(first_name="x")
        msg = "A durable atomic block cannot be nested within another atomic block."
        with transaction.atomic():
            with self.assertRaisesMessage(RuntimeError, msg):
                with transaction.atomic(durable=True):
                    pass

    def test_autocommit(self) -> None:
        self.assertTrue(transaction.get_autocommit())
        transaction.set_autocommit(False)
        try:
            self.assertFalse(transaction.get_autocommit())
            Reporter.objects.create(first_name="x")
            transaction.rollback()
            self.assertFalse(Reporter.objects.exists())
            Reporter.objects.create(first_name="y")
            transaction.commit()
        finally:
            transaction.set_autocommit(True)
        self.assertEqual(Reporter.objects.count(), 1)
        with transaction.atomic():
            with self.assertRaisesMessage(
                TransactionManagementError, "This is forbidden when an 'atomic' block is active."
            ):
                transaction.set_autocommit(False)

    def test_manual_savepoints(self) -> None:
        with transaction.atomic():
            Reporter.objects.create(first_name="a")
            sid = transaction.savepoint()
            Reporter.objects.create(first_name="b")
            transaction.savepoint_rollback(sid)
            sid = transaction.savepoint()
            Reporter.objects.create(first_name="c")
            transaction.savepoint_commit(sid)
        self.assertEqual([r.first_name for r in Reporter.objects.all()], ["a", "c"])
        self.assertIsNone(transaction.savepoint())  # autocommit: no savepoint

    def test_mark_for_rollback_on_error(self) -> None:
        with transaction.atomic():
            Reporter.objects.create(first_name="x")
            with self.assertRaises(ValueError):
                with transaction.mark_for_rollback_on_error():
                    raise ValueError
            self.assertTrue(transaction.get_rollback())
        self.assertFalse(Reporter.objects.exists())
        with self.assertRaises(ValueError), transaction.mark_for_rollback_on_error():
            raise ValueError  # outside atomic: nothing to mark

    def test_on_commit(self) -> None:
        called: list[str] = []
        transaction.on_commit(lambda: called.append("now"))
        self.assertEqual(called, ["now"])
        with transaction.atomic():
            transaction.on_commit(lambda: called.append("outer"))
            try:
                with transaction.atomic():
                    transaction.on_commit(lambda: called.append("discarded"))
                    raise ValueError
            except ValueError:
                pass
            with transaction.atomic():
                transaction.on_commit(lambda: called.append("inner"))
            self.assertEqual(called, ["now"])
        self.assertEqual(called, ["now", "outer", "inner"])
        with self.assertRaises(ValueError):
            with transaction.atomic():
                transaction.on_commit(lambda: called.append("never"))
                raise ValueError
        self.assertEqual(called, ["now", "outer", "inner"])

    def test_on_commit_robust(self) -> None:
        called: list[int] = []

        def boom() -> None:
            raise ValueError("boom")

        with self.assertLogs("tether.db.transaction", "ERROR"):
            with transaction.atomic():
                transaction.on_commit(boom, robust=True)
                transaction.on_commit(lambda: called.append(1))
        self.assertEqual(called, [1])
        with self.assertRaisesMessage(TypeError, "on_commit()'s callback must be a callable."):
            transaction.on_commit(None)  # type: ignore[arg-type]


class AsyncAtomicTests(TransactionTestCase):
    async def test_async_atomic(self) -> None:
        async with transaction.atomic():
            r = await Reporter.objects.acreate(first_name="a")
            r.last_name = "b"
            await r.asave()
        self.assertEqual(await Reporter.objects.filter(last_name="b").acount(), 1)
        with self.assertRaises(ValueError):
            async with transaction.atomic():
                await Reporter.objects.acreate(first_name="gone")
                raise ValueError
        self.assertEqual(await Reporter.objects.acount(), 1)

    async def test_async_decorator(self) -> None:
        @transaction.atomic
        async def make() -> None:
            await Reporter.objects.acreate(first_name="x")
            raise ValueError

        with self.assertRaises(ValueError):
            await make()
        self.assertEqual(await Reporter.objects.acount(), 0)


class CountedSavepointTests(TestCase):
    """Statement counts inside a TestCase, as Django 5.2 issues them."""

    def test_get_or_create(self) -> None:
        with self.assertNumQueries(4):  # SELECT, SAVEPOINT, INSERT, RELEASE SAVEPOINT
            _, created = Reporter.objects.get_or_create(first_name="x")
        self.assertTrue(created)
        with self.assertNumQueries(1):
            _, created = Reporter.objects.get_or_create(first_name="x")
        self.assertFalse(created)

    def test_get_or_create_integrity_error_recovers(self) -> None:
        Reporter.objects.create(first_name="a", email="a@x")
        with self.assertRaises(IntegrityError):
            Reporter.objects.get_or_create(first_name="b", defaults={"email": "a@x"})
        self.assertEqual(Reporter.objects.count(), 1)  # the savepoint kept the test usable

    def test_update_or_create(self) -> None:
        with self.assertNumQueries(6):
            _, created = Reporter.objects.update_or_create(first_name="x")
        self.assertTrue(created)
        with self.assertNumQueries(4):
            obj, created = Reporter.objects.update_or_create(
                first_name="x", defaults={"last_name": "y"}
            )
        self.assertFalse(created)
        self.assertEqual(obj.last_name, "y")

    def test_capture_on_commit_callbacks(self) -> None:
        called: list[int] = []
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            transaction.on_commit(lambda: called.append(1))
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(called, [1])
        with self.captureOnCommitCallbacks() as callbacks:
            transaction.on_commit(lambda: called.append(2))
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(called, [1])
