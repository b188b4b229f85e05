"""The math functions over edge inputs (zero, negatives, NULL, values out of a function's
domain): the same values, types and errors as Django 5.2 on the same backend
(differential)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .base import DifferentialTestCase
from .test_math import typed

ONE_ARGUMENT = (
    "Abs ACos ASin ATan Ceil Cos Cot Degrees Exp Floor Ln Radians Round Sign Sin Sqrt Tan"
).split()
TWO_ARGUMENTS = ("ATan2", "Log", "Mod", "Power")
# Outside the domain: the registered SQLite functions raise (in Django as in tether), the
# servers answer NULL or raise errors of their own.
OUT_OF_DOMAIN = {
    "Sqrt": -4,
    "Ln": 0,
    "ACos": 2,
    "ASin": -2,
    "Cot": 0,
}


def math_edge_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    Book, F, Value = m["Book"], m["F"], m["Value"]
    one = Book.objects.filter(pk=r["b1"].pk)

    def values(*expressions: Any) -> Any:
        names = {f"x{i}": e for i, e in enumerate(expressions)}
        return lambda: typed(one.annotate(**names).values_list(*names))

    null_int = F("editor__age")  # b1 has no editor
    scenarios: dict[str, Any] = {}
    for name in ONE_ARGUMENT:
        f = m[name]
        scenarios[f"{name}_null"] = values(f(null_int), f(Value(None, m["FloatField"]())))
    for name in TWO_ARGUMENTS:
        f = m[name]
        scenarios[f"{name}_null"] = values(f(null_int, 2), f(2, null_int))
    scenarios.update(
        {
            "zero": values(
                m["Abs"](Value(0)),
                m["Sign"](Value(0)),
                m["Ceil"](Value(0.0)),
                m["Sqrt"](Value(0)),
                m["Exp"](Value(0)),
                m["Power"](Value(0), Value(0)),
                m["Sin"](Value(0)),
            ),
            "negatives": values(
                m["Abs"](F("pages") * -1),
                m["Sign"](Value(-3.5)),
                m["Ceil"](Value(Decimal("-2.5"))),
                m["Floor"](Value(-2.5)),
                m["Round"](Value(Decimal("-2.45")), 1),
                m["Mod"](Value(-7), Value(3)),
                m["Power"](Value(-2), Value(3)),
                m["ATan2"](Value(-1), Value(-1)),
            ),
            "decimal_precision": values(
                m["Abs"](Value(Decimal("-0.10"))),
                m["Round"](F("price") / 3, 3),
                m["Floor"](F("price") * -1),
                m["Mod"](F("price"), Value(Decimal("2.5"))),
            ),
            "round_no_places": values(
                m["Round"](Value(2.4)), m["Round"](Value(Decimal("-7.6"))), m["Round"](F("pages"))
            ),
            "log_bases": values(m["Log"](Value(2), Value(8)), m["Log"](Value(10), F("pages"))),
            "exp_large": values(m["Exp"](Value(20))),
        }
    )
    for name, argument in OUT_OF_DOMAIN.items():
        scenarios[f"{name}_out_of_domain"] = values(m[name](Value(argument)))
    scenarios["Log_out_of_domain"] = values(m["Log"](Value(0), Value(8)))
    scenarios["Mod_by_zero"] = values(m["Mod"](Value(7), Value(0)))
    scenarios["Power_fractional_of_negative"] = values(m["Power"](Value(-8), Value(0.5)))
    return scenarios


class MathEdgeTests(DifferentialTestCase):
    def test_math_edges(self) -> None:
        self.compare(math_edge_scenarios)
