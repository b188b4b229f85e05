"""Behaviour shared by database functions: numeric output types, PostgreSQL's numeric-only
signatures, and functions that double as transforms (`register_lookup(FloatField, Sqrt)`).
"""

from __future__ import annotations

import sys
from typing import Any

from tether.models.expressions import BaseExpression, Expression, Func
from tether.models.fields import DecimalField, FloatField, IntegerField
from tether.models.query_utils import RegisterLookupMixin


class CoerceOutputMixin:
    """Values coerced to the output type after the backend's converters, as Django's
    expressions do: the database may answer a float for a decimal argument (MariaDB, SQLite),
    a float for ROUND of an integer (SQLite) or a numeric for a float (PostgreSQL)."""

    def get_db_converters(self, connection: Any) -> list[Any]:
        # The backend's converters first (SQLite's decimal from a float), as Django's compiler.
        convert = self.convert_value  # type: ignore[attr-defined]
        field_converters = list(self.output_field.get_db_converters(connection))  # type: ignore[attr-defined]
        if convert is BaseExpression._convert_value_noop:
            return field_converters
        return [*field_converters, lambda value: convert(value, self, connection)]


class NumericOutputFieldMixin(CoerceOutputMixin):
    """Django's output type of a numeric function: DecimalField when any argument is decimal,
    FloatField when any is an integer (the database computes in floating point) or when there
    are no arguments, otherwise the arguments' common type."""

    def _resolve_output_field(self) -> Any:
        sources = self.get_source_fields()  # type: ignore[attr-defined]
        if any(isinstance(source, DecimalField) for source in sources):
            return DecimalField()
        if any(isinstance(source, IntegerField) for source in sources):
            return FloatField()
        if not sources:
            return FloatField()
        return super()._resolve_output_field()  # type: ignore[misc]


class NumericCast(Expression):
    """`(expression)::numeric(1000, 15)`: a float argument made exact for PostgreSQL."""

    def __init__(self, expression: Any) -> None:
        super().__init__(output_field=DecimalField(max_digits=1000, decimal_places=_DIGITS))
        self.expression = expression

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.expression,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.expression)
        return f"({sql})::numeric(1000, {_DIGITS})", params


# The decimal places a double keeps (15): as many as the cast can carry without inventing any.
_DIGITS = sys.float_info.dig


class FixDecimalInputMixin:
    """PostgreSQL has LOG, MOD and ROUND(x, n) for numeric arguments only: cast float ones."""

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        clone = self.copy()  # type: ignore[attr-defined]
        clone.set_source_expressions(
            [
                NumericCast(expression)
                if isinstance(expression._output_field_or_none, FloatField)
                else expression
                for expression in self.get_source_expressions()  # type: ignore[attr-defined]
            ]
        )
        return clone.as_sql(compiler, connection, **extra_context)


class FuncTransform(RegisterLookupMixin, Func):
    """A one-argument function that is also a transform once registered on a field
    (`FloatField.register_lookup(Sqrt)`, then `filter(x__sqrt__gt=2)`): Django's Transform."""

    lookup_name = ""
    arity: int | None = 1
    is_transform = True

    @property
    def lhs(self) -> Any:
        return self.get_source_expressions()[0]

    def get_lookup(self, lookup_name: str) -> Any:
        found = RegisterLookupMixin.get_lookup(self, lookup_name)
        return found if found is not None else self.output_field.get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        found = RegisterLookupMixin.get_transform(self, lookup_name)
        return found if found is not None else self.output_field.get_transform(lookup_name)
