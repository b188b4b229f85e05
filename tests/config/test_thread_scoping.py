"""connections.close_all() closes the caller's connections only (issue 10, item 5).

As Django's: the calling thread's, or inside an asyncio task that task's. Another thread's
connection is never closed under it (PyMySQL then failed with a raw AttributeError or
IndexError, reading a socket that another thread had set to None), and a wrapper refuses to be
used or closed from a thread that did not create it, with Django's DatabaseError. Errors raised
while connecting reach the caller as tether.db exceptions with the driver's error chained.
"""

from __future__ import annotations

import asyncio
import threading

from m2m_races.models import Post, Tag
from tether.conf import settings
from tether.db import DatabaseError, Error, OperationalError, connection, connections
from tether.test import TransactionTestCase
from tether.test.utils import override_config

THREADS = 8
ADDS = 5


class CloseAllTests(TransactionTestCase):
    def test_each_thread_closing_all_at_its_end_loses_no_link(self) -> None:
        post = Post.objects.create(name="p")
        tags = [Tag.objects.create(name=f"t{i}") for i in range(THREADS * ADDS)]
        barrier = threading.Barrier(THREADS)
        errors: list[BaseException] = []

        def work(n: int) -> None:
            try:
                barrier.wait()
                mine = Post.objects.get(pk=post.pk)
                for tag in tags[n * ADDS : (n + 1) * ADDS]:
                    mine.tags.add(tag)
            except BaseException as exc:  # reported by the assertion below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertEqual(
            set(post.tags.values_list("pk", flat=True)), {tag.pk for tag in tags}, "a link was lost"
        )

    def test_another_threads_connection_stays_open(self) -> None:
        opened, closed, done = threading.Event(), threading.Event(), threading.Event()
        seen: list[object] = []

        def work() -> None:
            try:
                Tag.objects.count()
                seen.append(connection.driver)
                opened.set()
                closed.wait(10)
                Tag.objects.count()
                seen.append(connection.driver)
            finally:
                connection.close()
                done.set()

        thread = threading.Thread(target=work)
        thread.start()
        opened.wait(10)
        Tag.objects.count()
        connections.close_all()
        self.assertIsNone(connection.driver)  # the calling thread's connection is closed
        closed.set()
        thread.join()
        self.assertEqual(len(seen), 2)
        self.assertIs(seen[0], seen[1])  # the other thread kept its connection

    def test_close_all_in_a_task_closes_the_tasks_connections_only(self) -> None:
        Tag.objects.count()
        mine = connection.driver

        async def task() -> tuple[object, object]:
            await Tag.objects.acount()
            before = connections["default"].driver
            connections.close_all()
            return before, connections["default"].driver

        before, after = asyncio.run(task())
        self.assertIsNotNone(before)
        self.assertIsNone(after)
        self.assertIs(connection.driver, mine)

    def test_a_wrapper_refuses_another_thread(self) -> None:
        Tag.objects.count()
        wrapper = connections["default"]
        caught: list[BaseException] = []

        def work() -> None:
            for action in (wrapper.close, wrapper.cursor().execute):
                try:
                    action() if action == wrapper.close else action("SELECT 1")
                except BaseException as exc:
                    caught.append(exc)

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        self.assertEqual([type(exc) for exc in caught], [DatabaseError, DatabaseError])
        self.assertEqual(
            str(caught[0]),
            "DatabaseWrapper objects created in a thread can only be used in that same thread. "
            f"The object with alias 'default' was created in thread id {threading.get_ident()} "
            f"and this is thread id {thread.ident}.",
        )
        self.assertIsNotNone(wrapper.driver)
        Tag.objects.count()


def _unreachable_url() -> str:
    """A URL of the current backend that cannot be connected to."""
    current = connection.settings_dict
    if current.vendor == "sqlite":
        return "sqlite:////nonexistent-tether-dir/sub/db.sqlite3"
    scheme = "postgresql" if current.vendor == "postgresql" else "mysql"
    return f"{scheme}://nobody@127.0.0.1:1/{current.name}?connect_timeout=2"


class ConnectErrorTests(TransactionTestCase):
    def test_connect_failure_is_a_tether_error_with_the_driver_error_chained(self) -> None:
        url = _unreachable_url()
        databases = dict(settings.databases, broken=url)
        with override_config(databases=databases):
            for call in (lambda: Tag.objects.using("broken").count(), self._async_count):
                with self.assertRaises(OperationalError) as ctx:
                    call()
                cause = ctx.exception.__cause__
                self.assertIsNotNone(cause)
                self.assertNotIsInstance(cause, Error)
                self.assertEqual(type(cause).__name__, "OperationalError")

    @staticmethod
    def _async_count() -> int:
        async def count() -> int:
            return await Tag.objects.using("broken").acount()

        return asyncio.run(count())
