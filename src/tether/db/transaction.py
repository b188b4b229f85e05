"""Transactions as Django has them: atomic (sync and async), savepoints, on_commit, autocommit.

The state lives on the connection wrapper; the statements are issued by small plans
(`enter_atomic`, `exit_atomic`), so `atomic_plan` can bracket any other plan and the public
context manager runs the very same plans under the sync or the async runner.
"""

from __future__ import annotations

import functools
import inspect
import logging
import random
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from tether.db.connections import DEFAULT_DB_ALIAS, connections
from tether.db.core.requests import CallSync, Pause, TransactionControl
from tether.db.core.run import arun_plan, run_plan
from tether.db.errors import DatabaseError, Error, OperationalError, TransactionManagementError

logger = logging.getLogger("tether.db.transaction")
T = TypeVar("T")


def get_connection(using: str | None = None) -> Any:
    return connections[using or DEFAULT_DB_ALIAS]


# ---- plans -------------------------------------------------------------------------------


def _begin(conn: Any, write: bool = False) -> TransactionControl:
    return TransactionControl(conn.ops.begin_write_sql() if write else conn.ops.begin_sql())


def enter_atomic(
    conn: Any, savepoint: bool = True, durable: bool = False, block: Any = None, write: bool = False
) -> Generator[Any, Any, None]:
    """Open an atomic block; `write` declares that it will write (BEGIN IMMEDIATE on SQLite)."""
    if durable and any(not b._from_testcase for b in conn.atomic_blocks):
        raise RuntimeError("A durable atomic block cannot be nested within another atomic block.")
    if not conn.in_atomic_block:
        conn.commit_on_exit = True
        conn.needs_rollback = False
        if not conn.autocommit:
            # A transaction opened by set_autocommit(False) is left to its owner to commit.
            conn.in_atomic_block = True
            conn.commit_on_exit = False
    if conn.in_atomic_block:
        if savepoint and not conn.needs_rollback:
            sid = conn.new_savepoint_id()
            yield TransactionControl(conn.ops.savepoint_create_sql(sid))
            conn.savepoint_ids.append(sid)
        else:
            conn.savepoint_ids.append(None)
    else:
        yield _begin(conn, write)
        conn.autocommit = False
        conn.in_atomic_block = True
    conn.atomic_blocks.append(block if block is not None else _PLAN_BLOCK)


def exit_atomic(conn: Any, failed: bool) -> Generator[Any, Any, None]:
    conn.atomic_blocks.pop()
    if conn.savepoint_ids:
        sid = conn.savepoint_ids.pop()
        outermost = False
    else:
        sid = None
        outermost = True
        conn.in_atomic_block = False
    try:
        if conn.closed_in_transaction:
            return
        if not failed and not conn.needs_rollback:
            if not outermost:
                if sid is not None:
                    try:
                        yield TransactionControl(conn.ops.savepoint_commit_sql(sid))
                    except DatabaseError:
                        try:
                            yield TransactionControl(conn.ops.savepoint_rollback_sql(sid))
                            yield TransactionControl(conn.ops.savepoint_commit_sql(sid))
                        except Error:
                            conn.needs_rollback = True
                        raise
            else:
                try:
                    yield TransactionControl(conn.ops.commit_sql())
                except DatabaseError:
                    try:
                        yield TransactionControl(conn.ops.rollback_sql())
                    except Error:
                        conn.close()
                    conn.run_on_commit.clear()
                    raise
                if conn.run_on_commit:
                    # User code: called in place by the sync runner, in a worker thread that
                    # borrows the task's connections by the async one (hooks may query).
                    yield CallSync(_run_commit_hooks, {"conn": conn})
        else:
            conn.needs_rollback = False
            if not outermost:
                if sid is None:
                    conn.needs_rollback = True
                else:
                    try:
                        yield TransactionControl(conn.ops.savepoint_rollback_sql(sid))
                        yield TransactionControl(conn.ops.savepoint_commit_sql(sid))
                    except Error:
                        conn.needs_rollback = True
                    _discard_hooks_after(conn, sid)
            else:
                try:
                    yield TransactionControl(conn.ops.rollback_sql())
                except Error:
                    conn.close()
                conn.run_on_commit.clear()
    finally:
        if outermost:
            if conn.commit_on_exit:
                conn.autocommit = True
            if conn.closed_in_transaction:
                conn.close()
                conn.closed_in_transaction = False


def atomic_plan(
    conn: Any, plan: Generator[Any, Any, T], savepoint: bool = True
) -> Generator[Any, Any, T]:
    """Run `plan` inside an atomic block, as `with atomic(savepoint=...)` would.

    Plans that tether wraps this way write, so the outermost one opens its transaction with
    the backend's write intent (BEGIN IMMEDIATE on SQLite: the write lock is taken, waiting
    under the busy timeout, before a read could pin a snapshot that a later write can't use).
    """
    yield from enter_atomic(conn, savepoint, write=True)
    try:
        result = yield from plan
    except BaseException:
        yield from exit_atomic(conn, failed=True)
        raise
    yield from exit_atomic(conn, failed=False)
    return result


def owns_transaction(conn: Any) -> bool:
    """Whether a write started now would open (and so own) the outermost transaction."""
    return bool(conn.autocommit) and not conn.in_atomic_block


def retrying_atomic_plan(
    conn: Any,
    plan_factory: Callable[[], Generator[Any, Any, T]],
    attempts: int = 3,
    in_transaction: bool = True,
    retry_allowed: Callable[[], bool] | None = None,
) -> Generator[Any, Any, T]:
    """Run `plan_factory()` in an atomic block (savepoint=False), retrying a lost lock race.

    When this call opens the outermost transaction (the connection was in autocommit), a
    transient failure (`ops.is_transient_error`: a deadlock victim, a busy SQLite database)
    rolls back and runs a fresh plan again, up to `attempts` times in all, after a short
    jittered pause. Inside a caller's transaction nothing is retried: the error propagates,
    as the caller's earlier statements are gone with the rollback. `in_transaction=False`
    runs a one-statement plan bare in autocommit (the statement is its own transaction).
    `retry_allowed`, asked after a failure, says whether the attempt did nothing that a
    retry would repeat outside the database (a signal receiver has run: no retry).
    """
    if not owns_transaction(conn):
        return (yield from atomic_plan(conn, plan_factory(), savepoint=False))
    for attempt in range(attempts):
        try:
            if not in_transaction:
                return (yield from plan_factory())
            return (yield from atomic_plan(conn, plan_factory(), savepoint=False))
        except OperationalError as error:
            if attempt + 1 >= attempts or not conn.ops.is_transient_error(error):
                raise
            if retry_allowed is not None and not retry_allowed():
                raise
        yield Pause(0.002 * (2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")  # pragma: no cover


class _PlanBlock:
    _from_testcase = False


_PLAN_BLOCK = _PlanBlock()


# ---- on_commit ---------------------------------------------------------------------------


def _run_commit_hooks(conn: Any) -> None:
    hooks, conn.run_on_commit = conn.run_on_commit, []
    for _sids, func, robust in hooks:
        _call_hook(func, robust)


def _call_hook(func: Callable[[], Any], robust: bool) -> None:
    if not robust:
        func()
        return
    try:
        func()
    except Exception as exc:
        name = getattr(func, "__qualname__", func)
        logger.error("Error calling %s in on_commit() (%s).", name, exc, exc_info=True)


def _discard_hooks_after(conn: Any, sid: str) -> None:
    conn.run_on_commit = [hook for hook in conn.run_on_commit if sid not in hook[0]]


def on_commit(func: Callable[[], Any], using: str | None = None, robust: bool = False) -> None:
    """Call `func` once the current transaction commits (at once outside a transaction)."""
    if not callable(func):
        raise TypeError("on_commit()'s callback must be a callable.")
    conn = get_connection(using)
    if conn.in_atomic_block:
        conn.run_on_commit.append((set(conn.savepoint_ids), func, robust))
    elif not conn.autocommit:
        conn.run_on_commit.append((set(), func, robust))
    else:
        _call_hook(func, robust)


# ---- atomic ------------------------------------------------------------------------------


class Atomic:
    """`atomic()` as a context manager (sync and async) and as a decorator."""

    _from_testcase = False

    def __init__(self, using: str | None, savepoint: bool, durable: bool) -> None:
        self.using = using
        self.savepoint = savepoint
        self.durable = durable

    def __enter__(self) -> None:
        conn = get_connection(self.using)
        run_plan(enter_atomic(conn, self.savepoint, self.durable, self), conn)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        conn = get_connection(self.using)
        run_plan(exit_atomic(conn, failed=exc_type is not None), conn)

    async def __aenter__(self) -> None:
        conn = get_connection(self.using)
        await arun_plan(enter_atomic(conn, self.savepoint, self.durable, self), conn)

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        conn = get_connection(self.using)
        await arun_plan(exit_atomic(conn, failed=exc_type is not None), conn)

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def ainner(*args: Any, **kwargs: Any) -> Any:
                async with Atomic(self.using, self.savepoint, self.durable):
                    return await func(*args, **kwargs)

            return ainner

        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with Atomic(self.using, self.savepoint, self.durable):
                return func(*args, **kwargs)

        return inner


def atomic(using: Any = None, savepoint: bool = True, durable: bool = False) -> Any:
    """Django's `transaction.atomic`: `@atomic`, `@atomic(using=...)`, `with atomic():`."""
    if callable(using):
        return Atomic(DEFAULT_DB_ALIAS, savepoint, durable)(using)
    return Atomic(using, savepoint, durable)


# ---- autocommit and manual control -------------------------------------------------------


def get_autocommit(using: str | None = None) -> bool:
    return bool(get_connection(using).autocommit)


def _forbid_in_atomic(conn: Any) -> None:
    if conn.in_atomic_block:
        raise TransactionManagementError("This is forbidden when an 'atomic' block is active.")


def set_autocommit(autocommit: bool, using: str | None = None) -> None:
    conn = get_connection(using)
    _forbid_in_atomic(conn)
    if bool(autocommit) == conn.autocommit:
        return
    if autocommit:
        run_plan(_single(TransactionControl(conn.ops.commit_sql())), conn)
        conn.autocommit = True
        _run_commit_hooks(conn)
    else:
        run_plan(_single(_begin(conn)), conn)
        conn.autocommit = False


def _single(request: Any) -> Generator[Any, Any, Any]:
    return (yield request)


def commit(using: str | None = None) -> None:
    conn = get_connection(using)
    _forbid_in_atomic(conn)
    if not conn.autocommit:
        run_plan(_single(TransactionControl(conn.ops.commit_sql())), conn)
        run_plan(_single(_begin(conn)), conn)
        _run_commit_hooks(conn)


def rollback(using: str | None = None) -> None:
    conn = get_connection(using)
    _forbid_in_atomic(conn)
    if not conn.autocommit:
        run_plan(_single(TransactionControl(conn.ops.rollback_sql())), conn)
        run_plan(_single(_begin(conn)), conn)
        conn.run_on_commit.clear()


def savepoint(using: str | None = None) -> str | None:
    conn = get_connection(using)
    if not conn.in_atomic_block and conn.autocommit:
        return None
    sid = conn.new_savepoint_id()
    run_plan(_single(TransactionControl(conn.ops.savepoint_create_sql(sid))), conn)
    return sid  # type: ignore[no-any-return]


def savepoint_rollback(sid: str, using: str | None = None) -> None:
    conn = get_connection(using)
    run_plan(_single(TransactionControl(conn.ops.savepoint_rollback_sql(sid))), conn)
    _discard_hooks_after(conn, sid)


def savepoint_commit(sid: str, using: str | None = None) -> None:
    conn = get_connection(using)
    run_plan(_single(TransactionControl(conn.ops.savepoint_commit_sql(sid))), conn)


_ROLLBACK_FLAG_OUTSIDE = "The rollback flag doesn't work outside of an 'atomic' block."


def get_rollback(using: str | None = None) -> bool:
    conn = get_connection(using)
    if not conn.in_atomic_block:
        raise TransactionManagementError(_ROLLBACK_FLAG_OUTSIDE)
    return bool(conn.needs_rollback)


def set_rollback(rollback: bool, using: str | None = None) -> None:
    conn = get_connection(using)
    if not conn.in_atomic_block:
        raise TransactionManagementError(_ROLLBACK_FLAG_OUTSIDE)
    conn.needs_rollback = rollback


@contextmanager
def mark_for_rollback_on_error(using: str | None = None) -> Iterator[None]:
    """Mark the enclosing atomic block for rollback if the body raises."""
    try:
        yield
    except Exception:
        conn = get_connection(using)
        if conn.in_atomic_block:
            conn.needs_rollback = True
        raise
