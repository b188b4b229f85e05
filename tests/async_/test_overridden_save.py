"""A model's own save() runs wherever Django calls it, sync and async (issue 10, item 2).

Django calls `save(force_insert=True, using=...)` from create(), related managers' create()
and get_or_create(), and `save(using=..., update_fields=...)` on update_or_create()'s update
path; its a-methods run the sync method, and so the override, in a thread. tether's async twins
run the override in a worker thread that borrows the task's connection: it runs inside the
task's transaction.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from tether.db import connections, transaction
from tether.models.signals import post_save
from tether.test import TestCase, TransactionTestCase

from .models import SAVE_CALLS, Post, Remark, SluggedNote


class OverriddenSaveTests(TestCase):
    def setUp(self):
        SAVE_CALLS.clear()

    def test_create_calls_save_with_force_insert_and_using(self):
        note = SluggedNote.objects.create(title="Hello World")
        self.assertEqual(note.slug, "hello-world")
        self.assertEqual(SluggedNote.objects.get(pk=note.pk).slug, "hello-world")
        self.assertEqual(SAVE_CALLS, [{"force_insert": True, "using": "default"}])

    def test_related_manager_create(self):
        note = SluggedNote.objects.create(title="n")
        remark = note.remarks.create(text="hi")
        self.assertEqual(Remark.objects.get(pk=remark.pk).shout, "HI")
        self.assertEqual(SAVE_CALLS[-1], {"force_insert": True, "using": "default"})

    def test_related_manager_add_bulk_false_calls_save(self):
        one, two = SluggedNote.objects.create(title="a"), SluggedNote.objects.create(title="b")
        remark = one.remarks.create(text="x")
        SAVE_CALLS.clear()
        two.remarks.add(remark, bulk=False)
        self.assertEqual(SAVE_CALLS, [{}])
        self.assertEqual(Remark.objects.get(pk=remark.pk).note_id, two.pk)

    def test_get_or_create_calls_save_only_when_creating(self):
        note, created = SluggedNote.objects.get_or_create(title="Got It")
        self.assertTrue(created)
        self.assertEqual(note.slug, "got-it")
        again, created = SluggedNote.objects.get_or_create(title="Got It")
        self.assertFalse(created)
        self.assertEqual(SAVE_CALLS, [{"force_insert": True, "using": "default"}])

    def test_update_or_create_update_path_passes_update_fields(self):
        note = SluggedNote.objects.create(title="Old")
        SAVE_CALLS.clear()
        obj, created = SluggedNote.objects.update_or_create(pk=note.pk, defaults={"title": "New"})
        self.assertFalse(created)
        self.assertEqual(SAVE_CALLS, [{"using": "default", "update_fields": {"title"}}])
        # As Django: only the defaults' fields are written, so the slug set by save() is not.
        self.assertEqual(
            SluggedNote.objects.values_list("title", "slug").get(pk=note.pk), ("New", "old")
        )

    def test_update_or_create_create_path(self):
        obj, created = SluggedNote.objects.update_or_create(title="Fresh", defaults={"saves": 5})
        self.assertTrue(created)
        self.assertEqual((obj.slug, obj.saves), ("fresh", 6))
        self.assertEqual(SAVE_CALLS, [{"force_insert": True, "using": "default"}])

    def test_m2m_create_saves_the_target_through_its_save(self):
        post = Post.objects.create(title="p")
        tag = post.tags.create(name="t")
        self.assertEqual(list(post.tags.all()), [tag])

    async def test_acreate_and_asave_run_the_override_in_the_test_transaction(self):
        note = await SluggedNote.objects.acreate(title="Async Note")
        self.assertEqual(note.slug, "async-note")
        note.title = "Renamed"
        await note.asave()
        fetched = await SluggedNote.objects.aget(pk=note.pk)
        self.assertEqual((fetched.slug, fetched.saves), ("renamed", 2))
        self.assertEqual(SAVE_CALLS, [{"force_insert": True, "using": "default"}, {}])


class AsyncOverriddenSaveTests(TransactionTestCase):
    def setUp(self):
        SAVE_CALLS.clear()

    def test_async_twins_run_the_override_on_the_task_connection(self):
        seen = []
        original = SluggedNote.save

        def spy(self, *args, **kwargs):
            seen.append(connections["default"])
            original(self, *args, **kwargs)

        SluggedNote.save = spy
        self.addCleanup(setattr, SluggedNote, "save", original)

        async def scenario():
            note = await SluggedNote.objects.acreate(title="A B")
            got, created = await SluggedNote.objects.aget_or_create(title="C D")
            updated, _ = await SluggedNote.objects.aupdate_or_create(
                pk=note.pk, defaults={"title": "E F"}
            )
            remark = await note.remarks.acreate(text="loud")
            return connections["default"], note, got, remark

        task_connection, note, got, remark = asyncio.run(scenario())
        self.assertEqual(seen, [task_connection] * 3)
        self.assertEqual((note.slug, got.slug), ("a-b", "c-d"))
        self.assertEqual(Remark.objects.get(pk=remark.pk).shout, "LOUD")
        self.assertEqual(
            SAVE_CALLS,
            [
                {"force_insert": True, "using": "default"},
                {"force_insert": True, "using": "default"},
                {"using": "default", "update_fields": {"title"}},
                {"force_insert": True, "using": "default"},
            ],
        )

    def test_override_runs_inside_the_tasks_transaction(self):
        async def scenario():
            try:
                async with transaction.atomic():
                    await SluggedNote.objects.acreate(title="Rolled Back")
                    note = SluggedNote(title="Also Gone")
                    await note.asave()
                    self.assertEqual(await SluggedNote.objects.acount(), 2)
                    raise RuntimeError("undo")
            except RuntimeError:
                pass
            return await SluggedNote.objects.acount()

        self.assertEqual(asyncio.run(scenario()), 0)
        self.assertEqual(len(SAVE_CALLS), 2)

    def test_override_error_rolls_back_aget_or_create(self):
        def refuse(self, *args, **kwargs):
            raise ValueError("no saving")

        original = SluggedNote.save
        SluggedNote.save = refuse
        self.addCleanup(setattr, SluggedNote, "save", original)

        async def scenario():
            with self.assertRaisesMessage(ValueError, "no saving"):
                await SluggedNote.objects.aget_or_create(title="x")
            return await SluggedNote.objects.acount()

        self.assertEqual(asyncio.run(scenario()), 0)

    def test_many_tasks_with_overrides_and_sync_receivers_on_a_small_pool(self):
        """A worker thread only waits on the loop, never on another worker: eight tasks whose
        save() override sends post_save to a querying sync receiver finish on two threads."""
        counts = []

        def on_save(sender, instance, **kwargs):
            counts.append(SluggedNote.objects.filter(pk=instance.pk).count())

        post_save.connect(on_save, sender=SluggedNote, weak=False)
        self.addCleanup(post_save.disconnect, on_save, sender=SluggedNote)

        async def scenario():
            asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=2))
            notes = [SluggedNote.objects.acreate(title=f"Note {i}") for i in range(8)]
            return await asyncio.wait_for(asyncio.gather(*notes), timeout=60)

        notes = asyncio.run(scenario())
        self.assertEqual(sorted(n.slug for n in notes), [f"note-{i}" for i in range(8)])
        self.assertEqual(counts, [1] * 8)

    def test_asave_as_the_tasks_first_query(self):
        """The override is the first to ask for the task's connection, from the worker."""

        async def scenario():
            note = SluggedNote(title="First Of All")
            await note.asave()
            return note.pk, await SluggedNote.objects.acount()

        pk, count = asyncio.run(scenario())
        self.assertEqual(count, 1)
        self.assertEqual(SluggedNote.objects.get(pk=pk).slug, "first-of-all")

    def test_bulk_create_does_not_call_save(self):
        async def scenario():
            await SluggedNote.objects.abulk_create([SluggedNote(title="Bulk One")])

        asyncio.run(scenario())
        SluggedNote.objects.bulk_create([SluggedNote(title="Bulk Two")])
        self.assertEqual(SAVE_CALLS, [])
        self.assertEqual(list(SluggedNote.objects.values_list("slug", flat=True)), ["", ""])
