"""Public sync/async method pairs made from one *job*: `update()` and `aupdate()` and the like.

A job is a method that checks its arguments (Django's errors come before any SQL) and returns
a `Job`: the connection and the plan that do the work, results and side effects included.
`twins(job, "update")` makes both public methods from it; the sync one drives the plan with
`run_plan`, the async one with `arun_plan`. Nothing else is written twice, so the two cannot
drift: same checks, same statements, same result.

The one step where an async twin differs, `run_override`: when a subclass overrides the sync
method (a model's own `save()`, a custom QuerySet's `create()`), the async twin runs that
override, as Django's a-methods (`sync_to_async(self.save)`) do, in a worker thread that
borrows the task's connections (`workers.run_in_worker`), so it runs inside the task's
transaction.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from typing import Any, NamedTuple

from tether.db.core.run import aiterate_plan, arun_plan, iterate_plan, run_plan
from tether.db.core.workers import run_in_worker


class Job(NamedTuple):
    """What a twin pair runs: `plan` over `conn` (None when the plan sends no request)."""

    conn: Any
    plan: Generator[Any, Any, Any]


def _return(value: Any) -> Generator[Any, Any, Any]:
    return value
    yield  # pragma: no cover - makes this a generator: a plan with no request


def finished(value: Any) -> Job:
    """A job with nothing to send (e.g. `update()` with no fields: 0, no statement)."""
    return Job(None, _return(value))


def twins(
    job: Callable[..., Job], name: str, doc: str | None = None
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The public pair `name` / `a<name>` made from `job` (see the module docstring)."""

    def sync(self: Any, *args: Any, **kwargs: Any) -> Any:
        conn, plan = job(self, *args, **kwargs)
        return run_plan(plan, conn)

    async def asynchronous(self: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(getattr(type(self), name, None), "twin_job", None) is not job:
            return await run_override(getattr(self, name), *args, **kwargs)
        conn, plan = job(self, *args, **kwargs)
        return await arun_plan(plan, conn)

    return _named(job, name, doc, sync, asynchronous)


def function_twins(
    job: Callable[..., Job], name: str, doc: str | None = None
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """`twins()` for module-level functions (`prefetch_related_objects()` and its a-twin)."""

    def sync(*args: Any, **kwargs: Any) -> Any:
        conn, plan = job(*args, **kwargs)
        return run_plan(plan, conn)

    async def asynchronous(*args: Any, **kwargs: Any) -> Any:
        conn, plan = job(*args, **kwargs)
        return await arun_plan(plan, conn)

    return _named(job, name, doc, sync, asynchronous)


def stream_twins(
    job: Callable[..., Job],
    name: str,
    doc: str | None = None,
    async_defaults: dict[str, Any] | None = None,
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """`iterator()` / `aiterator()`: a streaming job's plan emits chunks (lists); the twins
    hand out their items, through `iterate_plan` or `aiterate_plan`. The sync twin checks its
    arguments at the call, the async one (an async generator, as Django's) at the first read.
    `async_defaults` are the async twin's own defaults where Django's differ (aiterator's
    chunk_size=2000 against iterator's None)."""
    signature = inspect.signature(job).replace(return_annotation=inspect.Signature.empty)
    defaults = async_defaults or {}

    def sync(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        conn, plan = job(self, *args, **kwargs)
        return _items(iterate_plan(plan, conn))

    async def asynchronous(self: Any, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        if defaults:
            bound = signature.bind(self, *args, **kwargs)
            for key, value in defaults.items():
                bound.arguments.setdefault(key, value)
            args, kwargs = bound.args[1:], bound.kwargs
        conn, plan = job(self, *args, **kwargs)
        stream = aiterate_plan(plan, conn)
        try:
            async for chunk in stream:
                for item in chunk:
                    yield item
        finally:
            await stream.aclose()  # type: ignore[attr-defined]

    sync, asynchronous = _named(job, name, doc, sync, asynchronous)
    asynchronous.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[
            p.replace(default=defaults.get(p.name, p.default))
            for p in signature.parameters.values()
        ]
    )
    return sync, asynchronous


def _items(stream: Iterator[list[Any]]) -> Iterator[Any]:
    try:
        for chunk in stream:
            yield from chunk
    finally:
        stream.close()  # type: ignore[attr-defined]


def _named(
    job: Callable[..., Job], name: str, doc: str | None, *funcs: Callable[..., Any]
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """Name the pair `name` / `a<name>`, with the job's signature and `twin_job` set."""
    # The job's parameters; its return annotation (a Job) is not what the twins return.
    signature = inspect.signature(job).replace(return_annotation=inspect.Signature.empty)
    prefix = job.__qualname__.rpartition(".")[0]
    # A bad argument is reported by the job: under the public name, as Python would.
    job.__qualname__ = f"{prefix}.{name}" if prefix else name
    for func, func_name in zip(funcs, (name, "a" + name), strict=True):
        func.__name__ = func_name
        func.__qualname__ = f"{prefix}.{func_name}" if prefix else func_name
        func.__module__ = job.__module__
        func.__doc__ = doc
        func.__signature__ = signature  # type: ignore[attr-defined]
        func.twin_job = job  # type: ignore[attr-defined]
    return funcs[0], funcs[1]


async def run_override(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a user's override of a sync twin from async code: in a worker thread borrowing the
    task's connections, as Django runs the sync method under its a-methods."""
    return await run_in_worker(method, *args, **kwargs)
