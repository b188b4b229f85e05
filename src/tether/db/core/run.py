"""The only two loops that differ between sync and async: `run_plan` and `arun_plan`.

A plan is a generator that yields requests (`tether.db.core.requests`) and receives their
results; a database error is thrown into it as the matching `tether.db` exception (and any
other exception a request raises, e.g. from a signal receiver, is thrown in as it is), so a
plan's own try/except works the same under both runners. Requests marked `local` (signal
sends, pauses, a user's sync code) need no driver: each runner performs them its own way.
The runners own the query log (for assertNumQueries and `connection.queries`), the wrapping
of driver errors, and noticing a connection the server dropped: it is let go
(`discard_broken_driver`) and replaced by the next statement outside a transaction; a BEGIN
that finds it dead runs again on a new one.
"""

from __future__ import annotations

import logging
import time
from _thread import get_ident
from asyncio import _get_running_loop
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from functools import partial
from inspect import GEN_SUSPENDED, getgeneratorstate
from typing import Any, TypeVar

from tether.db.connections import connections
from tether.db.core.requests import Emit, OnDatabase, TransactionControl
from tether.db.core.workers import borrowed
from tether.db.errors import TransactionManagementError, wrap_driver_error
from tether.exceptions import SynchronousOnlyOperation

T = TypeVar("T")
Plan = Generator[Any, Any, T]

_ASYNC_MESSAGE = (
    "You cannot call this from an async context - use the a-prefixed method "
    "(acount(), aget(), asave(), ...) or run it in a thread."
)


def _refuse_broken_transaction(conn: Any, request: Any) -> None:
    if conn.needs_rollback and conn.in_atomic_block and request.guarded:
        raise TransactionManagementError(
            "An error occurred in the current transaction. You can't execute queries until "
            "the end of the 'atomic' block."
        )


# Every statement, at DEBUG, while queries are logged (debug=True, or a test capturing them),
# with Django's message and extra fields (duration, sql, params, alias).
logger = logging.getLogger("tether.db.backends")


def _log(conn: Any, request: Any, started: float) -> None:
    duration = time.perf_counter() - started
    sql = conn.ops.last_executed_query(request.sql, request.params)
    conn.queries_log.append({"sql": sql, "time": f"{duration:.3f}"})
    logger.debug(
        "(%.3f) %s; args=%s; alias=%s",
        duration,
        sql,
        request.params,
        conn.alias,
        extra={"duration": duration, "sql": sql, "params": request.params, "alias": conn.alias},
    )


def run_plan(plan: Plan[T], conn: Any) -> T:
    """Drive `plan` to completion over `conn`'s synchronous driver and return its value.

    In a worker thread that borrows an async task's connections (`workers.run_in_worker`),
    each statement is handed to the task's loop, which performs it on the task's connection
    while this thread waits; local requests (signal sends, a user's code) run here.
    """
    if _get_running_loop() is not None:
        plan.close()
        raise SynchronousOnlyOperation(_ASYNC_MESSAGE)
    return _drive(plan, conn, _performer())


def _performer() -> Callable[[Any, Any], Any]:
    """How this thread performs a request: itself, or through the loop it borrows from."""
    lender = borrowed()
    return _perform if lender is None else partial(_perform_borrowed, lender)


def _perform_borrowed(lender: Any, conn: Any, request: Any) -> Any:
    if request.local:
        return request.perform()
    return lender.run((_aperform if conn.is_async else _sync_as_async)(conn, request))


def _drive(plan: Plan[T], conn: Any, perform: Callable[[Any, Any], Any]) -> T:
    send = plan.send
    result: Any = None
    while True:
        try:
            request = send(result)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        while True:
            try:
                result = perform(conn, request)
                break
            except Exception as error:
                try:
                    request = plan.throw(error)
                except StopIteration as stop:
                    return stop.value  # type: ignore[no-any-return]


def _at_transaction_boundary(conn: Any, request: Any) -> bool:
    """A BEGIN from autocommit: nothing of the caller's is lost if it runs on a new connection."""
    return isinstance(request, TransactionControl) and conn.autocommit and not conn.in_atomic_block


def _perform(conn: Any, request: Any, reconnect: bool = True) -> Any:
    if type(request) is OnDatabase:
        other = connections[request.alias]
        return _drive(request.make(other), other, _performer())
    if request.local:
        return request.perform()
    if conn.alias_gates and conn.alias in conn.alias_gates:
        conn.alias_gates[conn.alias]()
    if conn._thread_ident != get_ident():
        conn.validate_thread_sharing()
    if conn.needs_rollback:
        _refuse_broken_transaction(conn, request)
    if conn.health_check_pending:
        conn.close_if_health_check_failed()
    driver = conn.driver or conn.connect()
    logged = request.logged and conn.queries_logged
    started = time.perf_counter() if logged else 0.0
    try:
        return request.perform(driver)
    except driver.module.Error as exc:
        if conn.driver_is_broken(driver):
            conn.discard_broken_driver()
            if reconnect and _at_transaction_boundary(conn, request):
                return _perform(conn, request, reconnect=False)
        raise conn.ops.wrap_error(wrap_driver_error(exc, driver.module)) from exc
    finally:
        if logged:
            _log(conn, request, started)


async def arun_plan(plan: Plan[T], conn: Any) -> T:
    """Drive `plan` to completion over `conn`'s asynchronous driver and return its value.

    A synchronous wrapper here means a test shares its thread's connection (and so its
    transaction) with the async code it runs: its statements then run without awaiting.
    """
    perform = _aperform if conn is not None and conn.is_async else _sync_as_async
    result: Any = None
    send = plan.send
    while True:
        try:
            request = send(result)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        while True:
            try:
                result = await perform(conn, request)
                break
            except Exception as error:
                try:
                    request = plan.throw(error)
                except StopIteration as stop:
                    return stop.value  # type: ignore[no-any-return]


async def _aperform(conn: Any, request: Any, reconnect: bool = True) -> Any:
    if type(request) is OnDatabase:
        other = connections[request.alias]
        return await arun_plan(request.make(other), other)
    if request.local:
        return await request.aperform()
    if conn.alias_gates and conn.alias in conn.alias_gates:
        conn.alias_gates[conn.alias]()
    if conn._thread_ident != get_ident():
        conn.validate_thread_sharing()
    if conn.needs_rollback:
        _refuse_broken_transaction(conn, request)
    driver = conn.driver or await conn.aconnect()
    logged = request.logged and conn.queries_logged
    started = time.perf_counter() if logged else 0.0
    try:
        return await request.aperform(driver)
    except driver.module.Error as exc:
        if conn.driver_is_broken(driver):
            conn.discard_broken_driver()
            if reconnect and _at_transaction_boundary(conn, request):
                return await _aperform(conn, request, reconnect=False)
        raise conn.ops.wrap_error(wrap_driver_error(exc, driver.module)) from exc
    finally:
        if logged:
            _log(conn, request, started)


# ---- streaming plans ---------------------------------------------------------------------
# A streaming plan (iterator()) also yields Emit values: the runner hands each one to its
# reader. When the reader stops early (break, close(), garbage collection), GeneratorExit is
# thrown into the plan, not close()d into it, so that its `finally` may still yield requests
# (CloseCursor) and the runner carries them out before letting go.


def iterate_plan(plan: Plan[Any], conn: Any) -> Iterator[Any]:
    """Drive a streaming `plan` over `conn`'s synchronous driver, yielding what it emits."""
    if _get_running_loop() is not None:
        plan.close()
        raise SynchronousOnlyOperation(_ASYNC_MESSAGE)
    perform = _performer()
    request: Any = None
    try:
        request = next(plan)
        while True:
            if isinstance(request, Emit):
                yield request.value
                request = plan.send(None)
                continue
            try:
                result = perform(conn, request)
            except Exception as error:
                request = plan.throw(error)
                continue
            request = plan.send(result)
    except StopIteration:
        return
    finally:
        if getgeneratorstate(plan) == GEN_SUSPENDED:
            _abandon(plan, conn, perform)


def _abandon(plan: Plan[Any], conn: Any, perform: Callable[[Any, Any], Any]) -> None:
    """Finish a suspended streaming plan: its cleanup requests run, its emits are dropped."""
    try:
        request = plan.throw(GeneratorExit())
        while True:
            if isinstance(request, Emit):
                request = plan.throw(GeneratorExit())
                continue
            try:
                result = perform(conn, request)
            except Exception as error:
                request = plan.throw(error)
                continue
            request = plan.send(result)
    except (GeneratorExit, StopIteration):
        pass


async def aiterate_plan(plan: Plan[Any], conn: Any) -> AsyncIterator[Any]:
    """iterate_plan() for async code (`async for`), over `conn`'s asynchronous driver."""
    perform = _aperform if conn.is_async else _sync_as_async
    request: Any = None
    try:
        request = next(plan)
        while True:
            if isinstance(request, Emit):
                yield request.value
                request = plan.send(None)
                continue
            try:
                result = await perform(conn, request)
            except Exception as error:
                request = plan.throw(error)
                continue
            request = plan.send(result)
    except StopIteration:
        return
    finally:
        if getgeneratorstate(plan) == GEN_SUSPENDED:
            await _aabandon(plan, conn, perform)


async def _sync_as_async(conn: Any, request: Any) -> Any:
    """A statement on a sync connection shared with async code; local requests as async."""
    if request.local:
        return await request.aperform()
    return _perform(conn, request)


async def _aabandon(plan: Plan[Any], conn: Any, perform: Any) -> None:
    try:
        request = plan.throw(GeneratorExit())
        while True:
            if isinstance(request, Emit):
                request = plan.throw(GeneratorExit())
                continue
            try:
                result = await perform(conn, request)
            except Exception as error:
                request = plan.throw(error)
                continue
            request = plan.send(result)
    except (GeneratorExit, StopIteration):
        pass
