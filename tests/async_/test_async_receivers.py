"""Signal sends are requests of the plan: async receivers are awaited under the a-methods.

With an `async def` receiver connected, aadd()/asave()/adelete() run it on the task's loop
(Django 5 awaits it in asend()), and the sync methods run it on a loop of their own (Django's
async_to_sync); a receiver's queries use the caller's connection, inside its transaction.
"""

import asyncio

from tether.db import connections, transaction
from tether.models.signals import m2m_changed, post_delete, post_save, pre_save
from tether.test import TestCase, TransactionTestCase

from .models import Event, Post, Tag


class Recorder:
    """Connects receivers for one test and records what they saw."""

    def __init__(self, test):
        self.calls = []
        self.test = test

    def connect(self, signal, receiver, sender):
        signal.connect(receiver, sender=sender, weak=False)
        self.test.addCleanup(signal.disconnect, receiver, sender=sender)


class AsyncReceiverTests(TransactionTestCase):
    def setUp(self):
        self.rec = Recorder(self)

    def test_aadd_with_async_and_sync_m2m_receivers(self):
        async def on_change(sender, action, pk_set, **kwargs):
            await asyncio.sleep(0)
            self.rec.calls.append(("async", action, sorted(pk_set or ())))

        def on_change_sync(sender, action, pk_set, **kwargs):
            self.rec.calls.append(("sync", action, sorted(pk_set or ())))

        self.rec.connect(m2m_changed, on_change, Post.tags.through)
        self.rec.connect(m2m_changed, on_change_sync, Post.tags.through)
        post = Post.objects.create(title="p")
        a, b = Tag.objects.create(name="a"), Tag.objects.create(name="b")

        async def scenario():
            await post.tags.aadd(a, b)
            await post.tags.aremove(a)
            await post.tags.aclear()

        asyncio.run(scenario())
        keys = sorted([a.pk, b.pk])
        self.assertEqual(
            self.rec.calls,
            [
                ("sync", "pre_add", keys),
                ("async", "pre_add", keys),
                ("sync", "post_add", keys),
                ("async", "post_add", keys),
                ("sync", "pre_remove", [a.pk]),
                ("async", "pre_remove", [a.pk]),
                ("sync", "post_remove", [a.pk]),
                ("async", "post_remove", [a.pk]),
                ("sync", "pre_clear", []),
                ("async", "pre_clear", []),
                ("sync", "post_clear", []),
                ("async", "post_clear", []),
            ],
        )
        self.assertFalse(post.tags.exists())

    def test_sync_add_runs_async_receiver(self):
        async def on_change(sender, action, **kwargs):
            self.rec.calls.append(action)

        self.rec.connect(m2m_changed, on_change, Post.tags.through)
        post = Post.objects.create(title="p")
        post.tags.add(Tag.objects.create(name="a"))
        self.assertEqual(self.rec.calls, ["pre_add", "post_add"])

    def test_asave_awaits_async_post_save_receiver_on_the_task_connection(self):
        async def on_save(sender, instance, created, **kwargs):
            # The receiver's own query runs on the saving task's connection.
            self.rec.calls.append((created, connections["default"], await Event.objects.acount()))

        self.rec.connect(post_save, on_save, Event)

        async def scenario():
            event = Event(name="e")
            await event.asave()
            event.seats = 3
            await event.asave()
            return connections["default"]

        task_connection = asyncio.run(scenario())
        self.assertEqual(self.rec.calls, [(True, task_connection, 1), (False, task_connection, 1)])

    def test_async_receiver_error_rolls_back_the_plan(self):
        """A receiver raising inside the plan's transaction: nothing is left half done."""

        async def on_change(sender, action, **kwargs):
            if action == "post_add":
                raise ValueError("refused")

        self.rec.connect(m2m_changed, on_change, Post.tags.through)
        post = Post.objects.create(title="p")
        tag = Tag.objects.create(name="a")

        async def scenario():
            with self.assertRaisesMessage(ValueError, "refused"):
                await post.tags.aadd(tag)
            return await post.tags.acount()

        self.assertEqual(asyncio.run(scenario()), 0)
        with self.assertRaisesMessage(ValueError, "refused"):
            post.tags.add(tag)
        self.assertEqual(post.tags.count(), 0)

    def test_adelete_awaits_async_post_delete_receiver(self):
        async def on_delete(sender, instance, **kwargs):
            self.rec.calls.append(instance.name)

        self.rec.connect(post_delete, on_delete, Event)
        Event.objects.create(name="gone")

        async def scenario():
            await Event.objects.filter(name="gone").adelete()

        asyncio.run(scenario())
        self.assertEqual(self.rec.calls, ["gone"])

    def test_sync_receiver_under_asave_may_query(self):
        """As Django's asend(): sync receivers run in a worker thread, so they may use the
        sync ORM; their queries use the saving task's connection."""

        def on_save(sender, instance, **kwargs):
            self.rec.calls.append((Event.objects.filter(pk=instance.pk).count(), instance.pk))

        self.rec.connect(post_save, on_save, Event)

        async def scenario():
            async with transaction.atomic():
                event = await Event.objects.acreate(name="in a transaction")
            return event.pk

        pk = asyncio.run(scenario())
        self.assertEqual(self.rec.calls, [(1, pk)])


class OnCommitTests(TransactionTestCase):
    def test_on_commit_hook_of_an_async_transaction_may_use_the_sync_orm(self):
        seen = []

        def hook():
            seen.append(Event.objects.count())

        async def scenario():
            async with transaction.atomic():
                await Event.objects.acreate(name="committed")
                transaction.on_commit(hook)
            return await Event.objects.acount()

        self.assertEqual(asyncio.run(scenario()), 1)
        self.assertEqual(seen, [1])


class SharedConnectionReceiverTests(TestCase):
    """TestCase runs async tests on the thread's connection: receivers are awaited there too."""

    async def test_aadd_and_asave_with_async_receivers(self):
        calls = []

        async def on_change(sender, action, **kwargs):
            calls.append(action)

        async def on_pre_save(sender, instance, **kwargs):
            calls.append(("pre_save", instance.name, await Event.objects.acount()))

        m2m_changed.connect(on_change, sender=Post.tags.through, weak=False)
        self.addCleanup(m2m_changed.disconnect, on_change, sender=Post.tags.through)
        pre_save.connect(on_pre_save, sender=Event, weak=False)
        self.addCleanup(pre_save.disconnect, on_pre_save, sender=Event)
        post = await Post.objects.acreate(title="p")
        tag = await Tag.objects.acreate(name="t")
        await post.tags.aadd(tag)
        await Event.objects.acreate(name="e")
        self.assertEqual(calls, ["pre_add", "post_add", ("pre_save", "e", 0)])


class AupdateTests(TestCase):
    async def test_update_and_aupdate_without_fields_return_zero(self):
        await Event.objects.acreate(name="x")
        self.assertEqual(await Event.objects.aupdate(), 0)
        self.assertEqual(await Event.objects.filter(name="y").aupdate(), 0)
