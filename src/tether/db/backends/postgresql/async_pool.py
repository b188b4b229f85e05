"""Idle async connections kept per event loop (`?pool=true` in async code).

A pool object bound to one event loop must be closed inside that loop before it closes;
psycopg_pool's AsyncConnectionPool, left open, outlived `asyncio.run` and kept it from
returning. So this pool has no tasks of its own: a task's connection, clean and idle when
the task ends, is kept in its loop's list for the next task of that loop, and the list is
closed by an async generator that the loop finalizes when it shuts down its generators
(`asyncio.run` does, as does any loop run with `shutdown_asyncgens()`). A loop closed without
that leaves its idle connections to the garbage collector, as unpooled ones would be.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from typing import Any

from psycopg.pq import TransactionStatus

_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Any, LoopPool]] = (
    weakref.WeakKeyDictionary()
)


class LoopPool:
    """The idle connections to one target, in one event loop (used only from that loop)."""

    def __init__(self, max_idle: int) -> None:
        self.max_idle = max_idle
        self.idle: list[Any] = []
        self._keeper: AsyncIterator[None] | None = None

    async def start(self) -> None:
        """Register the closing of this pool with the running loop's generator shutdown."""
        self._keeper = self._close_at_shutdown()
        await self._keeper.__anext__()

    async def _close_at_shutdown(self) -> AsyncIterator[None]:
        try:
            yield
        finally:
            idle, self.idle = self.idle, []
            for raw in idle:
                await raw.close()

    def take(self) -> Any:
        """An idle connection that is still usable, or None."""
        while self.idle:
            raw = self.idle.pop()
            if not raw.closed and not raw.broken:
                return raw
        return None

    def give(self, raw: Any) -> bool:
        """Keep `raw` for the next task if it is clean and there is room; False otherwise."""
        status = raw.info.transaction_status
        if raw.closed or raw.broken or status != TransactionStatus.IDLE:
            return False
        if len(self.idle) >= self.max_idle:
            return False
        self.idle.append(raw)
        return True


async def loop_pool(key: Any, max_idle: int) -> LoopPool:
    """The running loop's pool for `key`, made (and registered for shutdown) on first use."""
    per_loop = _pools.setdefault(asyncio.get_running_loop(), {})
    pool = per_loop.get(key)
    if pool is None:
        pool = per_loop[key] = LoopPool(max_idle)
        await pool.start()
    return pool
