"""Window functions: Rank and RowNumber (used inside Window(...))."""

from __future__ import annotations

from typing import Any

from tether.models.expressions import Func
from tether.models.fields import IntegerField


class Rank(Func):
    function = "RANK"
    window_compatible = True

    def _resolve_output_field(self) -> Any:
        return IntegerField()


class RowNumber(Func):
    function = "ROW_NUMBER"
    window_compatible = True

    def _resolve_output_field(self) -> Any:
        return IntegerField()


__all__ = ["Rank", "RowNumber"]
