"""JSONArray(*expressions) and JSONObject(**fields): JSON built in the database, as Django 5.2's.

SQLite and MariaDB/MySQL have JSON_ARRAY and JSON_OBJECT. PostgreSQL before 16 builds jsonb
with JSONB_BUILD_ARRAY/JSONB_BUILD_OBJECT; from 16 with the SQL/JSON constructors (keeping
NULLs in arrays, as SQLite does). On PostgreSQL each value is cast to its own type and each
key to text, so that a bound parameter never has an unknown type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tether.db.errors import NotSupportedError
from tether.models.expressions import Func, Value
from tether.models.fields import TextField
from tether.models.fields.json import JSONField
from tether.models.functions.comparison import Cast

Compiled = tuple[str, list[Any]]


def _typed(expression: Any) -> Any:
    """`expression` cast to its own type (a bound value's type is otherwise unknown to
    PostgreSQL); NULL, which has no type, stays as it is."""
    if isinstance(expression, Cast):
        return expression
    field = expression._output_field_or_none
    return expression if field is None else Cast(expression, field)


class JSONArray(Func):
    """A JSON array of the values of its arguments (NULL becomes null)."""

    function = "JSON_ARRAY"
    output_field = JSONField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        if not connection.features.supports_json_field:
            raise NotSupportedError("JSONFields are not supported on this database backend.")
        return super().as_sql(compiler, connection, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        c = self.copy()
        c.set_source_expressions([_typed(expression) for expression in c.get_source_expressions()])
        if connection.features.is_postgresql_16:
            # NULL ON NULL keeps SQL NULLs as JSON nulls (the default drops them).
            null_on_null = " NULL ON NULL" if c.get_source_expressions() else ""
            template = f"%(function)s(%(expressions)s{null_on_null} RETURNING JSONB)"
            return c.as_sql(compiler, connection, template=template, **extra)  # type: ignore[no-any-return]
        return c.as_sql(compiler, connection, function="JSONB_BUILD_ARRAY", **extra)  # type: ignore[no-any-return]


class _KeyValueJoiner(str):
    """Joins compiled JSON_OBJECT arguments as `(key) VALUE value` pairs (PostgreSQL 16)."""

    def join(self, iterable: Iterable[str], /) -> str:
        parts = list(iterable)
        pairs = zip(parts[::2], parts[1::2], strict=True)
        return ", ".join(f"({key}) VALUE {value}" for key, value in pairs)


class JSONObject(Func):
    """A JSON object of the given keys and values: `JSONObject(name="name", n=F("pages"))`."""

    function = "JSON_OBJECT"
    output_field = JSONField()

    def __init__(self, **fields: Any) -> None:
        expressions: list[Any] = []
        for key, value in fields.items():
            expressions.extend((Value(key), value))
        super().__init__(*expressions)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        if not connection.features.has_json_object_function:
            raise NotSupportedError("JSONObject() is not supported on this database backend.")
        return super().as_sql(compiler, connection, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        c = self.copy()
        c.set_source_expressions(
            [
                Cast(expression, TextField()) if index % 2 == 0 else expression
                for index, expression in enumerate(c.get_source_expressions())
            ]
        )
        if connection.features.is_postgresql_16:
            return c.as_sql(  # type: ignore[no-any-return]
                compiler,
                connection,
                template="%(function)s(%(expressions)s RETURNING JSONB)",
                arg_joiner=_KeyValueJoiner(", "),
                **extra,
            )
        return c.as_sql(compiler, connection, function="JSONB_BUILD_OBJECT", **extra)  # type: ignore[no-any-return]


__all__ = ["JSONArray", "JSONObject"]
