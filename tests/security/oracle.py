"""What the security tests accept as safe: Django's error before any statement that carries
the caller's data, or statements where the caller's value is bound and never in the SQL text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tether.db import connection
from tether.test.utils import CaptureQueriesContext

# Transaction control carries nothing of the caller's; Django sends it too (update_or_create
# opens its atomic block before it filters).
_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|START TRANSACTION)\b", re.I)


def data_statements(queries: list[dict[str, Any]]) -> list[str]:
    """The SQL of the captured statements that are not transaction control."""
    return [q["sql"] for q in queries if not _CONTROL.match(q["sql"])]


@contextmanager
def captured() -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as ctx:
        yield ctx


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
