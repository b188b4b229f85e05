"""iterator(chunk_size) / aiterator() stream: rows are fetched `chunk_size` at a time from a
cursor (a server-side one on PostgreSQL) that is always closed, also when the reader stops
early or fails; each chunk is prefetched before it is handed out."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any
from unittest import mock

from tether.db import connection, transaction
from tether.db.core.requests import CloseCursor, FetchMany, OpenCursor
from tether.test import TestCase, TransactionTestCase

from .models import Box, Item


@contextlib.contextmanager
def watching() -> Iterator[dict[str, list[Any]]]:
    """Record the size of every FetchMany and count OpenCursor/CloseCursor, sync and async."""
    seen: dict[str, list[Any]] = {"fetch": [], "open": [], "close": []}

    def wrap(cls: Any, key: str, note: Any) -> list[Any]:
        perform, aperform = cls.perform, cls.aperform

        def sync(self: Any, driver: Any) -> Any:
            seen[key].append(note(self))
            return perform(self, driver)

        async def async_(self: Any, driver: Any) -> Any:
            seen[key].append(note(self))
            return await aperform(self, driver)

        return [mock.patch.object(cls, "perform", sync), mock.patch.object(cls, "aperform", async_)]

    patches = [
        *wrap(FetchMany, "fetch", lambda r: r.size),
        *wrap(OpenCursor, "open", lambda r: r.sql),
        *wrap(CloseCursor, "close", lambda r: True),
    ]
    with contextlib.ExitStack() as stack:
        for patch in patches:
            stack.enter_context(patch)
        yield seen


def open_server_cursors() -> int:
    """Server-side cursors open on this connection (PostgreSQL), else 0."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors WHERE name LIKE '_tether_curs_%%'")
        return int(cursor.fetchone()[0])


class IteratorTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        Item.objects.bulk_create([Item(n=i) for i in range(25)])

    def test_fetches_chunk_size_rows_at_a_time(self) -> None:
        with watching() as seen, self.assertNumQueries(1):
            got = [item.n for item in Item.objects.iterator(chunk_size=7)]
        self.assertEqual(got, list(range(25)))
        self.assertEqual(seen["fetch"], [7, 7, 7, 7])  # the last one comes back short
        self.assertEqual(len(seen["open"]), 1)
        self.assertEqual(len(seen["close"]), 1)
        self.assertEqual(open_server_cursors(), 0)

    def test_reads_lazily(self) -> None:
        with watching() as seen:
            it = Item.objects.iterator(chunk_size=10)
            self.assertEqual(seen["open"], [])  # nothing runs before the first next()
            self.assertEqual(next(it).n, 0)
            self.assertEqual(seen["fetch"], [10])
            for _ in range(10):
                next(it)
            self.assertEqual(seen["fetch"], [10, 10])
            it.close()
        self.assertEqual(len(seen["close"]), 1)

    def test_exact_multiple_fetches_until_empty(self) -> None:
        with watching() as seen:
            self.assertEqual(len(list(Item.objects.iterator(chunk_size=5))), 25)
        self.assertEqual(seen["fetch"], [5] * 6)
        self.assertEqual(len(seen["close"]), 1)

    def test_break_closes_the_cursor(self) -> None:
        with watching() as seen:
            for item in Item.objects.iterator(chunk_size=3):
                if item.n == 4:
                    break
        self.assertEqual(seen["fetch"], [3, 3])
        self.assertEqual(len(seen["close"]), 1)
        self.assertEqual(open_server_cursors(), 0)
        # The connection is usable for more reads and for another iterator.
        self.assertEqual(Item.objects.count(), 25)
        self.assertEqual(sum(1 for _ in Item.objects.iterator(chunk_size=100)), 25)

    def test_unfinished_iterator_closed_when_dropped(self) -> None:
        with watching() as seen:
            it = Item.objects.iterator(chunk_size=2)
            next(it)
            del it
        self.assertEqual(len(seen["close"]), 1)
        self.assertEqual(open_server_cursors(), 0)

    def test_error_in_the_loop_closes_the_cursor(self) -> None:
        with watching() as seen, self.assertRaisesMessage(RuntimeError, "boom"):
            for item in Item.objects.iterator(chunk_size=4):
                if item.n == 5:
                    raise RuntimeError("boom")
        self.assertEqual(len(seen["close"]), 1)
        self.assertEqual(open_server_cursors(), 0)

    def test_queries_inside_the_loop(self) -> None:
        total = 0
        for item in Item.objects.filter(n__lt=6).iterator(chunk_size=2):
            total += Item.objects.filter(n__lte=item.n).count()
        self.assertEqual(total, sum(range(1, 7)))
        self.assertEqual(open_server_cursors(), 0)

    def test_values_and_empty(self) -> None:
        qs = Item.objects.filter(n__lt=5)
        self.assertEqual(
            list(qs.values_list("n", flat=True).iterator(chunk_size=2)), [0, 1, 2, 3, 4]
        )
        self.assertEqual(list(qs.values("n").iterator(2))[:2], [{"n": 0}, {"n": 1}])
        with watching() as seen, self.assertNumQueries(0):
            self.assertEqual(list(Item.objects.none().iterator()), [])
        self.assertEqual(seen["open"], [])
        with watching() as seen:
            self.assertEqual(list(Item.objects.filter(n=-1).iterator(chunk_size=3)), [])
        self.assertEqual((seen["fetch"], len(seen["close"])), ([3], 1))

    def test_chunk_size_checked_at_call(self) -> None:
        with self.assertRaisesMessage(ValueError, "Chunk size must be strictly positive."):
            Item.objects.iterator(chunk_size=0)
        with self.assertRaisesMessage(ValueError, "chunk_size must be provided"):
            Item.objects.prefetch_related("box").iterator()


class PrefetchPerChunkTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        boxes = Box.objects.bulk_create([Box(name=f"b{i}") for i in range(5)])
        Item.objects.bulk_create([Item(n=i, box=boxes[i % 5]) for i in range(10)])

    def test_each_chunk_prefetched(self) -> None:
        qs = Box.objects.prefetch_related("items")
        with self.assertNumQueries(4):  # the boxes, then one prefetch per chunk of 2
            got = [(box.name, [i.n for i in box.items.all()]) for box in qs.iterator(chunk_size=2)]
        self.assertEqual(got, [(f"b{i}", [i, i + 5]) for i in range(5)])
        self.assertEqual(open_server_cursors(), 0)

    def test_prefetch_then_break(self) -> None:
        with watching() as seen:
            for box in Box.objects.prefetch_related("items").iterator(chunk_size=2):
                self.assertEqual(len(box.items.all()), 2)
                break
        self.assertEqual(len(seen["close"]), 1)
        self.assertEqual(open_server_cursors(), 0)


class AutocommitIteratorTests(TransactionTestCase):
    """Outside a transaction (PostgreSQL: a WITH HOLD cursor) and on the async drivers."""

    def setUp(self) -> None:
        boxes = Box.objects.bulk_create([Box(name=f"b{i}") for i in range(3)])
        Item.objects.bulk_create([Item(n=i, box=boxes[i % 3]) for i in range(12)])

    def test_autocommit(self) -> None:
        self.assertTrue(connection.get_autocommit())
        with watching() as seen:
            got = [item.n for item in Item.objects.iterator(chunk_size=5)]
            for item in Item.objects.iterator(chunk_size=5):
                Item.objects.filter(pk=item.pk).update(n=item.n + 100)
                break
        self.assertEqual(got, list(range(12)))
        self.assertEqual(seen["fetch"], [5, 5, 5, 5])
        self.assertEqual(len(seen["close"]), 2)
        self.assertEqual(open_server_cursors(), 0)
        self.assertEqual(Item.objects.filter(n__gte=100).count(), 1)

    def test_inside_atomic(self) -> None:
        with transaction.atomic():
            it = Item.objects.iterator(chunk_size=4)
            self.assertEqual([next(it).n for _ in range(6)], list(range(6)))
            it.close()
            self.assertEqual(open_server_cursors(), 0)
        self.assertEqual(open_server_cursors(), 0)

    def test_aiterator(self) -> None:
        async def scenario() -> tuple[list[int], list[list[int]]]:
            ns = [item.n async for item in Item.objects.aiterator(chunk_size=5)]
            boxes = [
                sorted(i.n for i in box.items.all())
                async for box in Box.objects.prefetch_related("items").aiterator(chunk_size=2)
            ]
            return ns, boxes

        with watching() as seen:
            ns, boxes = asyncio.run(scenario())
        self.assertEqual(ns, list(range(12)))
        self.assertEqual(boxes, [[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8, 11]])
        self.assertEqual(seen["fetch"], [5, 5, 5, 2, 2])
        self.assertEqual(len(seen["close"]), 2)

    def test_aiterator_closed_early(self) -> None:
        async def scenario() -> int:
            async with contextlib.aclosing(Item.objects.aiterator(chunk_size=3)) as it:
                async for item in it:
                    if item.n == 4:
                        break
            it2 = Item.objects.aiterator(chunk_size=3)
            await it2.__anext__()
            await it2.aclose()
            return await Item.objects.acount()

        with watching() as seen:
            self.assertEqual(asyncio.run(scenario()), 12)
        self.assertEqual(seen["fetch"], [3, 3, 3])
        self.assertEqual(len(seen["close"]), 2)
        self.assertEqual(open_server_cursors(), 0)

    def test_aiterator_in_atomic(self) -> None:
        async def scenario() -> list[int]:
            async with transaction.atomic():
                return [item.n async for item in Item.objects.filter(n__lt=7).aiterator(3)]

        self.assertEqual(asyncio.run(scenario()), list(range(7)))


class DisableServerSideCursorsTests(TestCase):
    def test_client_side_cursor_on_request(self) -> None:
        """?disable_server_side_cursors=true: fetchmany() on a client cursor, no named one."""
        import dataclasses

        if connection.vendor != "postgresql":
            self.skipTest("a PostgreSQL URL option")
        from tether.db.backends.postgresql.driver import PostgresDriver

        settings = connection.settings_dict
        options = {**settings.options, "disable_server_side_cursors": "true"}
        driver = PostgresDriver(dataclasses.replace(settings, options=options), mock.Mock())
        try:
            cursor = driver.open_cursor("SELECT generate_series(0, %s)", [4])
            self.assertFalse(getattr(cursor, "name", ""))
            self.assertEqual(driver.fetch_many(cursor, 3), [(0,), (1,), (2,)])
            self.assertEqual(driver.fetch_many(cursor, 3), [(3,), (4,)])
            driver.close_cursor(cursor)
        finally:
            driver.close()
