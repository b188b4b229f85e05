"""Window expressions: `Window(Rank(), partition_by=F("author"), order_by=F("pages").desc())`
and their frames, `RowRange(start=-1, end=1)` / `ValueRange(...)`.

A frame's bounds are validated integers written into the SQL (not parameters), so they are
part of the frame's shape. Filtering on a window annotation is done by the compiler (it wraps
the query in a subquery, as Django 4.2+ does): sql/qualify.py.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from tether.db.errors import NotSupportedError
from tether.models.expressions import (
    BaseExpression,
    Expression,
    ExpressionList,
    OrderByList,
    SQLiteNumericMixin,
)


class Window(SQLiteNumericMixin, Expression):
    template = "%(expression)s OVER (%(window)s)"
    contains_aggregate = False  # type: ignore[assignment]
    contains_over_clause = True  # type: ignore[assignment]

    def __init__(
        self,
        expression: Any,
        partition_by: Any = None,
        order_by: Any = None,
        frame: Any = None,
        output_field: Any = None,
    ) -> None:
        self.partition_by = partition_by
        self.order_by = order_by
        self.frame = frame
        if not getattr(expression, "window_compatible", False):
            raise ValueError(
                f"Expression '{type(expression).__name__}' isn't compatible with OVER clauses."
            )
        if self.partition_by is not None:
            if not isinstance(self.partition_by, tuple | list):
                self.partition_by = (self.partition_by,)
            self.partition_by = ExpressionList(*self.partition_by)
        if self.order_by is not None:
            if isinstance(self.order_by, list | tuple):
                self.order_by = OrderByList(*self.order_by)
            elif isinstance(self.order_by, BaseExpression | str):
                self.order_by = OrderByList(self.order_by)
            else:
                raise ValueError(
                    "Window.order_by must be either a string reference to a field, an "
                    "expression, or a list or tuple of them."
                )
        super().__init__(output_field=output_field)
        self.source_expression = self._parse_expressions(expression)[0]

    def _resolve_output_field(self) -> Any:
        return self.source_expression.output_field

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # A decimal window is cast to NUMERIC as a whole: a cast of the function inside
        # (`CAST(FIRST_VALUE(x) AS NUMERIC) OVER (...)`) is not SQL.
        from tether.models.fields import DecimalField, FloatField

        if not isinstance(self._output_field_or_none, DecimalField):
            return self.as_sql(compiler, connection)
        clone = self.copy()
        clone.source_expression = self.source_expression.copy()
        clone.source_expression.output_field = FloatField()
        return super(Window, clone).as_sqlite(compiler, connection, **extra)

    def get_source_expressions(self) -> list[Any]:
        return [self.source_expression, self.partition_by, self.order_by, self.frame]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        self.source_expression, self.partition_by, self.order_by, self.frame = exprs

    def as_sql(
        self, compiler: Any, connection: Any, template: str | None = None
    ) -> tuple[str, list[Any]]:
        if not connection.features.supports_over_clause:
            raise NotSupportedError("This backend does not support window expressions.")
        expr_sql, params = compiler.compile(self.source_expression)
        window_sql: list[str] = []
        window_params: list[Any] = []
        if self.partition_by is not None:
            sql, part_params = self.partition_by.as_sql(
                compiler, connection, template="PARTITION BY %(expressions)s"
            )
            window_sql.append(sql)
            window_params.extend(part_params)
        if self.order_by is not None:
            sql, order_params = compiler.compile(self.order_by)
            window_sql.append(sql)
            window_params.extend(order_params)
        if self.frame:
            sql, frame_params = compiler.compile(self.frame)
            window_sql.append(sql)
            window_params.extend(frame_params)
        data = {"expression": expr_sql, "window": " ".join(window_sql).strip()}
        return (template or self.template) % data, [*params, *window_params]

    def __str__(self) -> str:
        return "{} OVER ({}{}{})".format(
            str(self.source_expression),
            "PARTITION BY " + str(self.partition_by) if self.partition_by else "",
            str(self.order_by or ""),
            str(self.frame or ""),
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>"

    def get_group_by_cols(self) -> list[Any]:
        cols: list[Any] = []
        if self.partition_by:
            cols.extend(self.partition_by.get_group_by_cols())
        if self.order_by is not None:
            cols.extend(self.order_by.get_group_by_cols())
        return cols


class WindowFrameExclusion(Enum):
    CURRENT_ROW = "CURRENT ROW"
    GROUP = "GROUP"
    TIES = "TIES"
    NO_OTHERS = "NO OTHERS"

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}.{self._name_}"


class WindowFrame(Expression):
    """`ROWS|RANGE BETWEEN <start> AND <end> [EXCLUDE ...]`: None is UNBOUNDED, 0 the current
    row, a negative number PRECEDING and a positive one FOLLOWING."""

    template = "%(frame_type)s BETWEEN %(start)s AND %(end)s%(exclude)s"
    frame_type = ""

    def __init__(self, start: int | None = None, end: int | None = None, exclusion: Any = None):
        if not isinstance(exclusion, type(None) | WindowFrameExclusion):
            raise TypeError(
                f"{type(self).__qualname__}.exclusion must be a WindowFrameExclusion instance."
            )
        super().__init__()
        self.start, self.end, self.exclusion = start, end, exclusion

    def shape_extra(self) -> Any:
        return (self.start, self.end, self.exclusion)

    def get_exclusion(self) -> str:
        return "" if self.exclusion is None else f" EXCLUDE {self.exclusion.value}"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        start, end = self.window_frame_start_end(connection, self.start, self.end)
        if self.exclusion and not connection.features.supports_frame_exclusion:
            raise NotSupportedError("This backend does not support window frame exclusions.")
        data = {
            "frame_type": self.frame_type,
            "start": start,
            "end": end,
            "exclude": self.get_exclusion(),
        }
        return self.template % data, []

    def get_group_by_cols(self) -> list[Any]:
        return []

    def __str__(self) -> str:
        start = _bound(self.start, "UNBOUNDED PRECEDING")
        end = _bound(self.end, "UNBOUNDED FOLLOWING")
        return self.template % {
            "frame_type": self.frame_type,
            "start": start,
            "end": end,
            "exclude": self.get_exclusion(),
        }

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>"

    def window_frame_start_end(self, connection: Any, start: Any, end: Any) -> tuple[str, str]:
        raise NotImplementedError("Subclasses must implement window_frame_start_end().")


def _bound(value: Any, unbounded: str) -> str:
    if value is None:
        return unbounded
    if value == 0:
        return "CURRENT ROW"
    return f"{abs(value)} {'PRECEDING' if value < 0 else 'FOLLOWING'}"


class RowRange(WindowFrame):
    frame_type = "ROWS"

    def window_frame_start_end(self, connection: Any, start: Any, end: Any) -> tuple[str, str]:
        return connection.ops.window_frame_rows_start_end(start, end)  # type: ignore[no-any-return]


class ValueRange(WindowFrame):
    frame_type = "RANGE"

    def window_frame_start_end(self, connection: Any, start: Any, end: Any) -> tuple[str, str]:
        return connection.ops.window_frame_range_start_end(start, end)  # type: ignore[no-any-return]


__all__ = ["RowRange", "ValueRange", "Window", "WindowFrame", "WindowFrameExclusion"]
