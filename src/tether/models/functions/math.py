"""Math functions: `Abs`, `ACos` ... `Tan`, `Random`, `Round`, as `django.db.models.functions`.

The one-argument ones are transforms once registered on a field (Django registers none by
default). Output types are Django's (functions/mixins.py: NumericOutputFieldMixin). On SQLite the
functions SQLite lacks are Python functions registered on each connection
(db/backends/sqlite/math_functions.py).
"""

from __future__ import annotations

from typing import Any

from tether.models.expressions import Func, Value
from tether.models.functions.mixins import (
    CoerceOutputMixin,
    FixDecimalInputMixin,
    FuncTransform,
    NumericOutputFieldMixin,
)


class Abs(CoerceOutputMixin, FuncTransform):
    function = "ABS"
    lookup_name = "abs"


class ACos(NumericOutputFieldMixin, FuncTransform):
    function = "ACOS"
    lookup_name = "acos"


class ASin(NumericOutputFieldMixin, FuncTransform):
    function = "ASIN"
    lookup_name = "asin"


class ATan(NumericOutputFieldMixin, FuncTransform):
    function = "ATAN"
    lookup_name = "atan"


class ATan2(NumericOutputFieldMixin, Func):
    function = "ATAN2"
    arity = 2


class Ceil(CoerceOutputMixin, FuncTransform):
    function = "CEILING"
    lookup_name = "ceil"


class Cos(NumericOutputFieldMixin, FuncTransform):
    function = "COS"
    lookup_name = "cos"


class Cot(NumericOutputFieldMixin, FuncTransform):
    function = "COT"
    lookup_name = "cot"


class Degrees(NumericOutputFieldMixin, FuncTransform):
    function = "DEGREES"
    lookup_name = "degrees"


class Exp(NumericOutputFieldMixin, FuncTransform):
    function = "EXP"
    lookup_name = "exp"


class Floor(CoerceOutputMixin, FuncTransform):
    function = "FLOOR"
    lookup_name = "floor"


class Ln(NumericOutputFieldMixin, FuncTransform):
    function = "LN"
    lookup_name = "ln"


class Log(FixDecimalInputMixin, NumericOutputFieldMixin, Func):
    """`Log(base, x)`: the logarithm of x to the base."""

    function = "LOG"
    arity = 2


class Mod(FixDecimalInputMixin, NumericOutputFieldMixin, Func):
    function = "MOD"
    arity = 2


class Pi(NumericOutputFieldMixin, Func):
    function = "PI"
    arity = 0


class Power(NumericOutputFieldMixin, Func):
    function = "POWER"
    arity = 2


class Radians(NumericOutputFieldMixin, FuncTransform):
    function = "RADIANS"
    lookup_name = "radians"


class Random(NumericOutputFieldMixin, Func):
    """A float in [0, 1): SQLite's RANDOM() is a 64-bit integer, so SQLite calls the RAND
    function the connection registers, as MariaDB/MySQL's own RAND()."""

    function = "RANDOM"
    arity = 0

    def as_mysql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="RAND", **extra_context)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="RAND", **extra_context)

    def get_group_by_cols(self) -> list[Any]:
        return []


class Round(FixDecimalInputMixin, CoerceOutputMixin, FuncTransform):
    """`Round(expression, precision=0)`, keeping the expression's type."""

    function = "ROUND"
    lookup_name = "round"
    arity = None

    def __init__(self, expression: Any, precision: Any = 0, **extra: Any) -> None:
        super().__init__(expression, precision, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        if self._negative_precision():
            raise ValueError("SQLite does not support negative precision.")
        return super().as_sqlite(compiler, connection, **extra_context)

    def _negative_precision(self) -> bool:
        precision = self.get_source_expressions()[1]
        return isinstance(precision, Value) and precision.value < 0

    def shape_extra(self) -> Any:
        # A negative precision fails on SQLite: a statement cached for a positive one must not
        # be reused for it.
        return (super().shape_extra(), self._negative_precision())

    def _resolve_output_field(self) -> Any:
        return self.get_source_expressions()[0].output_field


class Sign(CoerceOutputMixin, FuncTransform):
    function = "SIGN"
    lookup_name = "sign"


class Sin(NumericOutputFieldMixin, FuncTransform):
    function = "SIN"
    lookup_name = "sin"


class Sqrt(NumericOutputFieldMixin, FuncTransform):
    function = "SQRT"
    lookup_name = "sqrt"


class Tan(NumericOutputFieldMixin, FuncTransform):
    function = "TAN"
    lookup_name = "tan"
