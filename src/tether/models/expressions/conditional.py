"""Conditional expressions: `Case(When(condition, then=value), ..., default=value)`, and the
WHERE node that makes a boolean expression a filter (`filter(Exists(...))`, `filter(Case(...))`).

A When's condition is a Q, lookups as keywords, or any boolean expression. A condition that
can match nothing drops its When; one that matches everything ends the CASE with its result,
as in Django. Every part is compiled in the order its SQL appears, so the SQL cache records the
parameters in placeholder order.
"""

from __future__ import annotations

from typing import Any

from tether.exceptions import EmptyResultSet, FullResultSet
from tether.models.expressions import Expression, Value
from tether.models.query_utils import Q


class When(Expression):
    template = "WHEN %(condition)s THEN %(result)s"
    # This isn't a complete conditional expression, it must be used in Case().
    conditional = False  # type: ignore[assignment]

    def __init__(self, condition: Any = None, then: Any = None, **lookups: Any) -> None:
        if lookups:
            if condition is None:
                condition, lookups = Q(**lookups), {}
            elif getattr(condition, "conditional", False):
                condition, lookups = Q(condition, **lookups), {}
        if condition is None or not getattr(condition, "conditional", False) or lookups:
            raise TypeError(
                "When() supports a Q object, a boolean expression, or lookups as a condition."
            )
        if isinstance(condition, Q) and not condition:
            raise ValueError("An empty Q() can't be used as a When() condition.")
        super().__init__(output_field=None)
        self.condition = condition
        self.result = self._parse_expressions(then)[0]

    def __str__(self) -> str:
        return f"WHEN {self.condition!r} THEN {self.result!r}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>"

    def get_source_expressions(self) -> list[Any]:
        return [self.condition, self.result]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        self.condition, self.result = exprs

    def get_source_fields(self) -> list[Any]:
        # The output type of a When is its result's.
        return [getattr(self.result, "_output_field_or_none", None)]

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        c = self.copy()
        c.is_summary = summarize
        if hasattr(c.condition, "resolve_expression"):
            c.condition = c.condition.resolve_expression(query, allow_joins, reuse, summarize)
            c.condition = as_condition(c.condition)
        c.result = c.result.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return c

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        condition_sql, condition_params = compiler.compile(self.condition)
        if condition_sql == "":
            # A condition matching everything is an empty WHERE; a CASE needs a predicate.
            condition_sql, condition_params = "1 = 1", []
        result_sql, result_params = compiler.compile(self.result)
        data = {"condition": condition_sql, "result": result_sql, **extra_context}
        return self.template % data, [*condition_params, *result_params]

    def get_group_by_cols(self) -> list[Any]:
        # This is not a complete expression and cannot be used in GROUP BY.
        cols: list[Any] = []
        for source in self.get_source_expressions():
            if hasattr(source, "get_group_by_cols"):
                cols.extend(source.get_group_by_cols())
        return cols


class Case(Expression):
    """CASE WHEN ... THEN ... ELSE default END."""

    template = "CASE %(cases)s ELSE %(default)s END"
    case_joiner = " "

    def __init__(
        self, *cases: Any, default: Any = None, output_field: Any = None, **extra: Any
    ) -> None:
        if not all(isinstance(case, When) for case in cases):
            raise TypeError("Positional arguments must all be When objects.")
        super().__init__(output_field)
        self.cases = list(cases)
        self.default = self._parse_expressions(default)[0]
        self.extra = extra

    def __str__(self) -> str:
        cases = ", ".join(str(c) for c in self.cases)
        return f"CASE {cases}, ELSE {self.default!r}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>"

    def shape_extra(self) -> Any:
        explicit = self.__dict__.get("output_field")
        return (self.template, self.case_joiner, None if explicit is None else type(explicit))

    def get_source_expressions(self) -> list[Any]:
        return [*self.cases, self.default]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        *self.cases, self.default = exprs

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        c = self.copy()
        c.is_summary = summarize
        c.cases = [
            case.resolve_expression(query, allow_joins, reuse, summarize, for_save)
            for case in c.cases
        ]
        c.default = c.default.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return c

    def copy(self) -> Any:
        c = super().copy()
        c.cases = c.cases[:]
        return c

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        template: str | None = None,
        case_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        case_parts = []
        params: list[Any] = []
        default = self.default
        for case in self.cases:
            try:
                case_sql, case_params = compiler.compile(case)
            except EmptyResultSet:
                continue
            except FullResultSet:
                default = case.result
                break
            case_parts.append(case_sql)
            params.extend(case_params)
        default_sql, default_params = compiler.compile(default)
        if not case_parts:
            return default_sql, default_params
        data = {**self.extra, **extra_context}
        data["cases"] = (case_joiner or self.case_joiner).join(case_parts)
        data["default"] = default_sql
        sql = (template or data.get("template", self.template)) % data
        field = self._output_field_or_none
        if field is not None:
            sql = connection.ops.unification_cast_sql(field) % sql
        return sql, [*params, *default_params]

    def get_group_by_cols(self) -> list[Any]:
        if not self.cases:
            return self.default.get_group_by_cols()  # type: ignore[no-any-return]
        return super().get_group_by_cols()

    @property
    def allowed_default(self) -> bool:  # type: ignore[override]
        return all(getattr(e, "allowed_default", False) for e in self.get_source_expressions())


class BooleanCondition(Expression):
    """A boolean expression used as a WHERE condition: its SQL alone where the backend takes
    it so, else compared with TRUE (MySQL/MariaDB use indexes only then)."""

    def __init__(self, expression: Any) -> None:
        super().__init__()
        self.expression = expression
        self.true = Value(True)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.expression!r})"

    def get_source_expressions(self) -> list[Any]:
        return [self.expression, self.true]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        self.expression, self.true = exprs

    def _resolve_output_field(self) -> Any:
        from tether.models.fields import BooleanField

        return BooleanField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.expression)
        if connection.ops.conditional_expression_supported_in_where_clause(self.expression):
            return sql, params
        true_sql, true_params = compiler.compile(self.true)
        return f"{sql} = {true_sql}", [*params, *true_params]

    def relabeled_clone(self, change_map: dict[str, str]) -> Any:
        return BooleanCondition(self.expression.relabeled_clone(change_map))


def as_condition(resolved: Any) -> Any:
    """A resolved filter or When condition as a WHERE node: lookups, WHERE nodes and raw
    conditions are already; any other boolean expression is wrapped."""
    from tether.models.lookups import Lookup
    from tether.models.sql.where import WhereNode

    if isinstance(resolved, Lookup | WhereNode | BooleanCondition) or getattr(
        resolved, "is_leaf", False
    ):
        return resolved
    return BooleanCondition(resolved)


__all__ = ["Case", "When"]
