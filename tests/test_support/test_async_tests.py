"""Async test methods run, and TestCase shares its transaction with them."""

from __future__ import annotations

from tether.test import TestCase, TransactionTestCase

from .models import Item

RAN: list[str] = []


class AsyncTestCaseTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.item = Item.objects.create(name="shared", rank=1)

    async def test_async_method_runs_and_sees_the_test_transaction(self) -> None:
        RAN.append("testcase")
        self.assertEqual(await Item.objects.filter(name="shared").acount(), 1)
        created = await Item.objects.acreate(name="in async", rank=2)
        self.assertEqual((await Item.objects.aget(pk=created.pk)).name, "in async")

    def test_rows_from_the_async_test_were_rolled_back(self) -> None:
        self.assertFalse(Item.objects.filter(name="in async").exists())


class AsyncTransactionTestCaseTests(TransactionTestCase):
    async def test_async_method_uses_its_own_connection(self) -> None:
        RAN.append("transaction")
        await Item.objects.acreate(name="committed", rank=3)
        self.assertEqual(await Item.objects.acount(), 1)


def test_async_methods_ran() -> None:
    # Collected after the classes above in file order, so they have run by now.
    assert set(RAN) == {"testcase", "transaction"}
