"""Synchronous user code called from async code: in a worker thread borrowing the task's links.

Django's a-methods run the sync method (and so a user's overridden `save()`, or a sync signal
receiver) in a thread with sync_to_async(), where it shares one connection with everything
else. tether's async path is native: a task has connections of its own, often inside a
transaction. So `run_in_worker()` runs the sync code in a worker thread that *borrows* the
calling task's connections: in that thread `connections[alias]` is the task's connection, and
the plans the code runs (`run_plan`, `iterate_plan`) are driven in the thread, each statement
handed to the task's event loop, which performs it while the thread waits. The queries
therefore run on the task's connection, inside its transaction, in order; the task itself is
suspended meanwhile, so the connection is never used by two parties at once. The thread only
ever waits on the loop, never on another worker, so no pool size can deadlock it. Tasks started
from the borrowing code (an async receiver run by a sync `send()`) see the same connections.

`tether.db.connections` installs how the calling task's connections are found
(`install_lookup`), so this module knows nothing of the connection handler.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Borrowed:
    """What a worker thread borrows: the task's event loop and its way to find connections."""

    loop: asyncio.AbstractEventLoop
    connection: Callable[[str], Any]

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the lender's loop and wait for its result (from the worker)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()


_borrowed: contextvars.ContextVar[Borrowed | None] = contextvars.ContextVar(
    "tether_borrowed_connections", default=None
)
_lookup: list[Callable[[], Callable[[str], Any]]] = []


def install_lookup(factory: Callable[[], Callable[[str], Any]]) -> None:
    """Tell this module how to capture the calling task's `connections[alias]` (called once)."""
    _lookup[:] = [factory]


def borrowed() -> Borrowed | None:
    """The connections this code borrows, when it runs on behalf of an async task."""
    return _borrowed.get()


async def run_in_worker(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call sync `func` in a worker thread that borrows the calling task's connections."""
    lender = Borrowed(asyncio.get_running_loop(), _lookup[0]())

    def work() -> T:
        _borrowed.set(lender)
        return func(*args, **kwargs)

    context = contextvars.copy_context()
    return await lender.loop.run_in_executor(None, context.run, work)


def run_async_from_sync(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine from sync code (async signal receivers under `Signal.send()`).

    In a borrowing worker thread it runs on the lending task's loop; otherwise on an event loop
    of its own (as Django's async_to_sync), where it borrows the calling thread's connections,
    so its queries see (and stay inside) the caller's transaction. There must be no event loop
    running in this thread.
    """
    lender = borrowed()
    if lender is not None:
        return lender.run(factory())
    lookup = _lookup[0]()

    async def main() -> T:
        _borrowed.set(Borrowed(asyncio.get_running_loop(), lookup))
        return await factory()

    return asyncio.run(main())
