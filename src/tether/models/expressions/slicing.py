"""`F("name")[1:4]`: a slice of a text column, as SUBSTRING (SUBSTR on SQLite).

Indexes are Python's (0-based, stop excluded); the SQL call takes a 1-based start and a
length. Only text fields can be sliced, as in Django (NotSupportedError otherwise).
"""

from __future__ import annotations

from typing import Any

from tether.db.errors import NotSupportedError
from tether.models.expressions import F, Func, Value


class SliceText(Func):
    """SUBSTRING(text, start[, length]) with bound start and length."""

    function = "SUBSTRING"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return super().as_sql(compiler, connection, function="SUBSTR", **extra)


class Sliced(F):
    """A slice of an F() (or OuterRef()) reference."""

    start: int
    length: int | None

    def __init__(self, obj: F, subscript: Any) -> None:
        super().__init__(obj.name)
        self.obj = obj
        if isinstance(subscript, int):
            if subscript < 0:
                raise ValueError("Negative indexing is not supported.")
            self.start, self.length = subscript + 1, 1
        elif isinstance(subscript, slice):
            start, stop = subscript.start, subscript.stop
            if (start is not None and start < 0) or (stop is not None and stop < 0):
                raise ValueError("Negative indexing is not supported.")
            if subscript.step is not None:
                raise ValueError("Step argument is not supported.")
            if stop and start and stop < start:
                raise ValueError("Slice stop must be greater than slice start.")
            self.start = 1 if start is None else start + 1
            self.length = None if stop is None else stop - (start or 0)
        else:
            raise TypeError("Argument to slice must be either int or slice instance.")

    def __repr__(self) -> str:
        start = self.start - 1
        stop = None if self.length is None else start + self.length
        return f"{type(self).__qualname__}({self.obj!r}, {slice(start, stop)!r})"

    @property
    def shape(self) -> Any:
        return (type(self), self.name, self.length is None)

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        resolved = F(self.name).resolve_expression(query, allow_joins, reuse, summarize)
        expr = self.obj.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        field = resolved.output_field
        if field.get_internal_type() not in ("CharField", "TextField", "SlugField", "EmailField"):
            raise NotSupportedError("This field does not support slicing.")
        args = [expr, Value(self.start)]
        if self.length is not None:
            args.append(Value(self.length))
        return SliceText(*args, output_field=field)
