"""What the security tests accept as safe: Django's error before any statement that carries
the caller's data, or statements where the caller's value is bound and never in the SQL text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tether.db import connection
from tether.exceptions import FieldDoesNotExist, FieldError, ImproperlyConfigured
from tether.test.utils import CaptureQueriesContext

# Transaction control carries nothing of the caller's; Django sends it too (update_or_create
# opens its atomic block before it filters).
_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|START TRANSACTION)\b", re.I)


def data_statements(queries: list[dict[str, Any]]) -> list[str]:
    """The SQL of the captured statements that are not transaction control."""
    return [q["sql"] for q in queries if not _CONTROL.match(q["sql"])]


class Captured:
    """The statements sent while capturing: `queries` as the query log shows them (values
    interpolated for reading, as Django's), `sent` as (SQL text, params) handed to the driver."""

    def __init__(self, ctx: CaptureQueriesContext, sent: list[tuple[str, Any]]) -> None:
        self.ctx = ctx
        self.sent = sent

    @property
    def captured_queries(self) -> list[dict[str, Any]]:
        return self.ctx.captured_queries


@contextmanager
def captured() -> Iterator[Captured]:
    sent: list[tuple[str, Any]] = []
    ops = connection.ops
    original = ops.last_executed_query

    def record(sql: str, params: Any) -> str:
        sent.append((sql, params))
        return original(sql, params)

    with CaptureQueriesContext(connection) as ctx:
        ops.last_executed_query = record  # the runner logs every statement through it
        try:
            yield Captured(ctx, sent)
        finally:
            del ops.last_executed_query


def refused_before_sql(
    test: Any, call: Callable[[], Any], error: type[BaseException], message: str | None = None
) -> None:
    """`call` raises `error` (with `message` when given) and sent no statement with data."""
    with captured() as ctx:
        if message is None:
            with test.assertRaises(error):
                call()
        else:
            with test.assertRaisesMessage(error, message):
                call()
    test.assertEqual(data_statements(ctx.captured_queries), [])


# Put at both ends of every hostile string: a string that broke out of its quoting leaves the
# trailing marker outside any identifier, where the check below finds it.
MARK = "zq7"

# Django's errors for bad input: raised before the statement they would spoil.
REFUSALS = (FieldError, FieldDoesNotExist, ValueError, TypeError, ImproperlyConfigured)


def without_identifiers(sql: str) -> str:
    """`sql` with every correctly quoted identifier removed (a doubled quote stays inside)."""
    q = re.escape(connection.ops.quote_char)
    return re.sub(f"{q}(?:[^{q}]|{q}{q})*{q}", " ", sql)


def check_outcome(test: Any, call: Callable[[], Any], sql_before_error: bool = False) -> None:
    """Run `call` (which puts a MARK-wrapped string somewhere) and check that the string
    reached no SQL text outside a quoted identifier, and that any error is Django's refusal
    (before any statement carrying data, unless `sql_before_error`)."""
    with captured() as ctx:
        try:
            call()
        except REFUSALS:
            refused = True
        else:
            refused = False
    statements = [sql for sql, _ in ctx.sent if not _CONTROL.match(sql)]
    if refused and not sql_before_error:
        test.assertEqual(statements, [], "refused after sending SQL")
    for sql in statements:
        test.assertNotIn(MARK, without_identifiers(sql), f"caller's string in SQL text: {sql}")
