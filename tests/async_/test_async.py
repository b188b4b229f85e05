"""The async API runs the same plans through the async runner, on a per-task connection.

Async code gets its own connection per task, so these tests commit for real
(TransactionTestCase, flushed after each test) instead of living in TestCase's transaction,
which belongs to the sync thread's connection.
"""

import asyncio

from tether.db import IntegrityError, connections, transaction
from tether.exceptions import SynchronousOnlyOperation
from tether.test import TransactionTestCase

from .models import Event


class AsyncQuerySetTests(TransactionTestCase):
    def test_acreate_aget_acount_aexists(self):
        async def scenario():
            created = await Event.objects.acreate(name="launch", seats=3)
            self.assertIsNotNone(created.pk)
            self.assertFalse(created._state.adding)
            fetched = await Event.objects.aget(pk=created.pk)
            self.assertEqual((fetched.name, fetched.seats), ("launch", 3))
            self.assertEqual(await Event.objects.acount(), 1)
            self.assertTrue(await Event.objects.filter(seats=3).aexists())
            self.assertFalse(await Event.objects.filter(seats=4).aexists())
            return created.pk

        pk = asyncio.run(scenario())
        # Committed by the task's own connection: the sync connection sees it.
        self.assertEqual(Event.objects.get(pk=pk).name, "launch")

    def test_aget_errors(self):
        async def scenario():
            with self.assertRaisesMessage(
                Event.DoesNotExist, "Event matching query does not exist."
            ):
                await Event.objects.aget(name="missing")
            await Event.objects.acreate(name="twin")
            await Event.objects.acreate(name="twin")
            with self.assertRaisesMessage(
                Event.MultipleObjectsReturned,
                "get() returned more than one Event -- it returned 2!",
            ):
                await Event.objects.aget(name="twin")

        asyncio.run(scenario())

    def test_asave_insert_and_update(self):
        async def scenario():
            event = Event(name="draft")
            await event.asave()
            event.seats = 10
            await event.asave()
            await event.asave(update_fields=["seats"])
            return event.pk

        pk = asyncio.run(scenario())
        self.assertEqual(Event.objects.count(), 1)
        self.assertEqual(Event.objects.get(pk=pk).seats, 10)

    def test_adelete_instance_and_queryset(self):
        Event.objects.create(name="a")
        Event.objects.create(name="b")
        Event.objects.create(name="c")

        async def scenario():
            one = await Event.objects.aget(name="a")
            self.assertEqual(await one.adelete(), (1, {"async_.Event": 1}))
            return await Event.objects.filter(name__in=["b", "c"]).adelete()

        self.assertEqual(asyncio.run(scenario()), (2, {"async_.Event": 2}))
        self.assertFalse(Event.objects.exists())

    def test_async_for(self):
        for name in ("b", "a", "c"):
            Event.objects.create(name=name)

        async def scenario():
            names = [event.name async for event in Event.objects.all()]
            values = [row async for row in Event.objects.values_list("name", flat=True)]
            sliced = [event.name async for event in Event.objects.all()[1:]]
            return names, values, sliced

        names, values, sliced = asyncio.run(scenario())
        self.assertEqual(names, ["a", "b", "c"])
        self.assertEqual(values, ["a", "b", "c"])
        self.assertEqual(sliced, ["b", "c"])

    def test_afirst_alast_and_get_or_create(self):
        async def scenario():
            self.assertIsNone(await Event.objects.afirst())
            obj, created = await Event.objects.aget_or_create(name="x", defaults={"seats": 2})
            self.assertTrue(created)
            again, created = await Event.objects.aget_or_create(name="x")
            self.assertFalse(created)
            self.assertEqual(again, obj)
            await Event.objects.acreate(name="y")
            return (await Event.objects.afirst()).name, (await Event.objects.alast()).name

        self.assertEqual(asyncio.run(scenario()), ("x", "y"))

    def test_sync_call_in_async_context_refused(self):
        async def scenario():
            with self.assertRaises(SynchronousOnlyOperation):
                Event.objects.count()
            with self.assertRaises(SynchronousOnlyOperation):
                list(Event.objects.all())

        asyncio.run(scenario())

    def test_each_task_gets_its_own_connection(self):
        async def which():
            return connections["default"]

        async def scenario():
            first, second = await asyncio.gather(which(), which())
            self.assertIsNot(first, second)
            self.assertIsNot(first, connections_from_sync)

        connections_from_sync = connections["default"]
        asyncio.run(scenario())

    def test_concurrent_reads(self):
        Event.objects.bulk_create([Event(name=f"e{i}", seats=i) for i in range(10)])

        async def scenario():
            return await asyncio.gather(
                Event.objects.filter(seats__lt=5).acount(),
                Event.objects.filter(seats__gte=5).acount(),
                Event.objects.aget(seats=7),
            )

        low, high, seven = asyncio.run(scenario())
        self.assertEqual((low, high, seven.name), (5, 5, "e7"))

    def test_integrity_error_through_async_runner(self):
        first = Event.objects.create(name="one")

        async def scenario():
            clash = Event(id=first.pk, name="two")
            with self.assertRaises(IntegrityError):
                await clash.asave(force_insert=True)
            # The connection stays usable afterwards.
            return await Event.objects.acount()

        self.assertEqual(asyncio.run(scenario()), 1)

    def test_async_atomic_rolls_back(self):
        async def scenario():
            try:
                async with transaction.atomic():
                    await Event.objects.acreate(name="rolled back")
                    raise RuntimeError("boom")
            except RuntimeError:
                pass
            async with transaction.atomic():
                await Event.objects.acreate(name="kept")
            return [e.name async for e in Event.objects.all()]

        self.assertEqual(asyncio.run(scenario()), ["kept"])
