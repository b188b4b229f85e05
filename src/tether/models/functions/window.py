"""Window functions, used inside `Window(...)`: as `django.db.models.functions.window`.

Their arguments are validated when they are built (Django's ValueErrors), before any SQL.
"""

from __future__ import annotations

from typing import Any

from tether.models.expressions import Func
from tether.models.fields import FloatField, IntegerField


class _Ranking(Func):
    """A function of the row's place in its partition: no arguments, a fixed output type."""

    window_compatible = True
    output_type: type = IntegerField

    def _resolve_output_field(self) -> Any:
        return self.output_type()


class CumeDist(_Ranking):
    function = "CUME_DIST"
    output_type = FloatField


class DenseRank(_Ranking):
    function = "DENSE_RANK"


class PercentRank(_Ranking):
    function = "PERCENT_RANK"
    output_type = FloatField


class Rank(_Ranking):
    function = "RANK"


class RowNumber(_Ranking):
    function = "ROW_NUMBER"


class Ntile(_Ranking):
    function = "NTILE"

    def __init__(self, num_buckets: int = 1, **extra: Any) -> None:
        if num_buckets <= 0:
            raise ValueError("num_buckets must be greater than 0.")
        super().__init__(num_buckets, **extra)


class _ValueOf(Func):
    """A function answering a value of its first argument from another row."""

    window_compatible = True

    def _resolve_output_field(self) -> Any:
        return self.get_source_expressions()[0].output_field


class FirstValue(_ValueOf):
    arity = 1
    function = "FIRST_VALUE"


class LastValue(_ValueOf):
    arity = 1
    function = "LAST_VALUE"


def _require_source(function: type, expression: Any) -> None:
    if expression is None:
        raise ValueError(f"{function.__name__} requires a non-null source expression.")


class LagLeadFunction(_ValueOf):
    def __init__(self, expression: Any, offset: int = 1, default: Any = None, **extra: Any):
        _require_source(type(self), expression)
        if offset is None or offset <= 0:
            raise ValueError(f"{type(self).__name__} requires a positive integer for the offset.")
        args = (expression, offset) if default is None else (expression, offset, default)
        super().__init__(*args, **extra)


class Lag(LagLeadFunction):
    function = "LAG"


class Lead(LagLeadFunction):
    function = "LEAD"


class NthValue(_ValueOf):
    function = "NTH_VALUE"

    def __init__(self, expression: Any, nth: int = 1, **extra: Any) -> None:
        _require_source(type(self), expression)
        if nth is None or nth <= 0:
            raise ValueError(f"{type(self).__name__} requires a positive integer as for nth.")
        super().__init__(expression, nth, **extra)
