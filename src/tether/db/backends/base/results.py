"""What a request receives from an executed DB-API cursor, by its result kind.

The switch over ROWS, ONE, ROWCOUNT, LASTROWID and DESCRIBED is written here once, for every
driver adapter, sync and async: `_READS` says what to fetch, `_value` what to return; the two
entry points differ only in awaiting the fetch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tether.db.core.requests import DESCRIBED, LASTROWID, ONE, ROWCOUNT, ROWS, Described

_ALL, _ONE = "all", "one"
# What each kind fetches from a cursor with a result set (LASTROWID: see `returning_id`).
_READS = {ROWS: _ALL, ONE: _ONE, ROWCOUNT: None, LASTROWID: None, DESCRIBED: _ALL}


def _plain_description(cursor: Any) -> Any:
    return cursor.description


def _reads(cursor: Any, result: int, returning_id: bool) -> str | None:
    try:
        reads = _READS[result]
    except KeyError:
        raise ValueError(f"unknown result kind {result!r}") from None
    if result == LASTROWID and returning_id:
        reads = _ONE
    return reads if cursor.description is not None else None


def _value(
    cursor: Any, result: int, fetched: Any, returning_id: bool, describe: Callable[[Any], Any]
) -> Any:
    if result == ROWS:
        return [] if fetched is None else list(fetched)
    if result == ONE:
        return fetched
    if result == ROWCOUNT:
        return cursor.rowcount
    if result == LASTROWID:
        if returning_id and cursor.description is not None:
            return None if fetched is None else fetched[0]
        return cursor.lastrowid
    rows = [] if fetched is None else list(fetched)
    return Described(rows, describe(cursor), cursor.rowcount, getattr(cursor, "lastrowid", None))


def cursor_result(
    cursor: Any,
    result: int,
    returning_id: bool = False,
    describe: Callable[[Any], Any] = _plain_description,
) -> Any:
    """The value of request kind `result` from `cursor`, which has executed its statement.

    `returning_id`: LASTROWID reads the first column of a RETURNING row (PostgreSQL has no
    last-insert id); `describe`: the DB-API description as the driver reports it.
    """
    reads = _reads(cursor, result, returning_id)
    fetched = cursor.fetchall() if reads == _ALL else cursor.fetchone() if reads == _ONE else None
    return _value(cursor, result, fetched, returning_id, describe)


async def acursor_result(
    cursor: Any,
    result: int,
    returning_id: bool = False,
    describe: Callable[[Any], Any] = _plain_description,
) -> Any:
    """cursor_result() for an async cursor."""
    reads = _reads(cursor, result, returning_id)
    fetched = None
    if reads == _ALL:
        fetched = await cursor.fetchall()
    elif reads == _ONE:
        fetched = await cursor.fetchone()
    return _value(cursor, result, fetched, returning_id, describe)
