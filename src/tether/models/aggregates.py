"""Aggregates: Count, Sum, Avg, Min, Max, StdDev, Variance, with distinct=, filter= and default=.

An aggregate is a Func whose arguments name its source by a field path ('publications',
'article__headline') or an expression; resolving it against a query sets up the joins (LEFT
OUTER for multi-valued relations, so that rows with no related rows count 0). `filter` (a Q or
a boolean expression) becomes `CASE WHEN condition THEN argument END` inside the call, which
every backend runs; `default` wraps the call in COALESCE, as Django's Coalesce does.
"""

from __future__ import annotations

from typing import Any

from tether.db.errors import NotSupportedError
from tether.exceptions import EmptyResultSet, FieldError, FullResultSet
from tether.models import fields as model_fields
from tether.models.expressions import Func, Star, Value


class Aggregate(Func):
    template = "%(function)s(%(distinct)s%(expressions)s)"
    contains_aggregate = True  # type: ignore[assignment]
    name: str | None = None
    window_compatible = True
    allow_distinct = False
    empty_result_set_value: Any = None

    def __init__(
        self,
        *expressions: Any,
        distinct: bool = False,
        filter: Any = None,
        default: Any = None,
        **extra: Any,
    ) -> None:
        if distinct and not self.allow_distinct:
            raise TypeError(f"{type(self).__name__} does not allow distinct.")
        if default is not None and self.empty_result_set_value is not None:
            raise TypeError(f"{type(self).__name__} does not allow default.")
        self.distinct = distinct
        self.filter = filter
        self.default = default
        super().__init__(*expressions, **extra)

    # ---- children: the arguments, then the filter ----------------------------------------

    def get_source_fields(self) -> list[Any]:
        return [getattr(e, "_output_field_or_none", None) for e in super().get_source_expressions()]

    def get_source_expressions(self) -> list[Any]:
        return [*super().get_source_expressions(), self.filter]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        *arguments, self.filter = exprs
        super().set_source_expressions(arguments)

    def shape_extra(self) -> Any:
        return (super().shape_extra(), self.distinct)

    # ---- resolving -----------------------------------------------------------------------

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
        c.source_expressions = [
            arg.resolve_expression(query, allow_joins, reuse, summarize)
            for arg in self.source_expressions
        ]
        if self.filter is not None:
            c.filter = self.filter.resolve_expression(query, allow_joins, reuse, summarize)
        if summarize:
            # Summarized aggregates cannot refer to summarized aggregates.
            for ref in c.get_refs():
                if query.annotations[ref].is_summary:
                    raise FieldError(f"Cannot compute {c.name}('{ref}'): '{ref}' is an aggregate")
        elif not self.is_summary:
            for index, expr in enumerate(c.source_expressions):
                if getattr(expr, "contains_aggregate", False):
                    before = self.source_expressions[index]
                    name = before.name if hasattr(before, "name") else repr(before)
                    raise FieldError(f"Cannot compute {c.name}('{name}'): '{name}' is an aggregate")
        default = c.default
        if default is None:
            return c
        output_field = c._output_field_or_none
        if hasattr(default, "resolve_expression"):
            default = default.resolve_expression(query, allow_joins, reuse, summarize)
            if default._output_field_or_none is None:
                default.output_field = output_field
        else:
            default = Value(default, output_field)
        c.default = None
        coalesce = Func(c, default, function="COALESCE", output_field=output_field)
        coalesce.is_summary = c.is_summary
        return coalesce

    @property
    def default_alias(self) -> str:
        expressions = [e for e in self.get_source_expressions() if e is not None]
        if len(expressions) == 1 and hasattr(expressions[0], "name"):
            return f"{expressions[0].name}__{(self.name or '').lower()}"
        raise TypeError("Complex expressions require an alias")

    def get_group_by_cols(self) -> list[Any]:
        return []

    def _get_repr_options(self) -> dict[str, Any]:
        options = super()._get_repr_options()
        if self.distinct:
            options["distinct"] = self.distinct
        if self.filter:
            options["filter"] = self.filter
        return options

    # ---- compiling -----------------------------------------------------------------------

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        extra_context["distinct"] = "DISTINCT " if self.distinct else ""
        if self.filter is None:
            return super().as_sql(compiler, connection, **extra_context)
        # CASE WHEN <filter> THEN <argument> END: the filter's placeholders come first, so it
        # is compiled first (the SQL cache records parameters in compile order).
        try:
            condition, condition_params = compiler.compile(self.filter)
        except FullResultSet:
            return super().as_sql(compiler, connection, **extra_context)
        except EmptyResultSet:
            # No row matches: every argument is NULL, as Django's CASE without a WHEN.
            condition, condition_params = "1 = 0", []
        parts = []
        params: list[Any] = []
        for arg in self.source_expressions:
            arg_sql, arg_params = compiler.compile(arg)
            parts.append(f"CASE WHEN {condition} THEN {arg_sql} ELSE NULL END")
            params.extend(condition_params)
            params.extend(arg_params)
        data = {**self.extra, **extra_context}
        data.setdefault("function", self.function)
        data["expressions"] = data["field"] = self.arg_joiner.join(parts)
        return data.get("template", self.template) % data, params


def _field_or_none(expression: Any) -> Any:
    """The expression's output field; None when it has none or its types do not combine (a
    mix that needs an output_field is not this check's to report)."""
    try:
        return getattr(expression, "_output_field_or_none", None)
    except FieldError:
        return None


class _ArithmeticAggregate(Aggregate):
    """Sum, Avg, StdDev, Variance: arithmetic over the values, which SQLite stores dates and
    times as text for, so it is refused there before any SQL, as Django refuses it."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        from tether.models.fields.temporal import TimeField

        temporal = (model_fields.DateField, TimeField)  # DateTimeField is a DateField
        if any(isinstance(_field_or_none(e), temporal) for e in self.source_expressions):
            raise NotSupportedError(
                "You cannot use Sum, Avg, StdDev, and Variance aggregations on date/time "
                "fields in sqlite3 since date/time is saved as text."
            )
        return super().as_sqlite(compiler, connection, **extra)

    def _numeric_output(self) -> Any:
        """A decimal source gives a decimal, an integer one a float, another its own field."""
        fields = [f for f in self.get_source_fields() if f is not None]
        if any(isinstance(f, model_fields.DecimalField) for f in fields):
            return model_fields.DecimalField()
        if not fields or any(isinstance(f, model_fields.IntegerField) for f in fields):
            return model_fields.FloatField()
        return fields[0]


class Count(Aggregate):
    function = "COUNT"
    name = "Count"
    allow_distinct = True
    empty_result_set_value = 0
    arity = 1

    def __init__(self, expression: Any, filter: Any = None, **extra: Any) -> None:
        if expression == "*":
            expression = Star()
        if isinstance(expression, Star) and filter is not None:
            raise ValueError("Star cannot be used with filter. Please specify a field.")
        super().__init__(expression, filter=filter, **extra)

    def _resolve_output_field(self) -> Any:
        return model_fields.IntegerField()

    def get_db_converters(self, connection: Any) -> list[Any]:
        return [int]


class Sum(_ArithmeticAggregate):
    function = "SUM"
    name = "Sum"
    allow_distinct = True
    arity = 1


class Avg(_ArithmeticAggregate):
    function = "AVG"
    name = "Avg"
    allow_distinct = True
    arity = 1

    def _resolve_output_field(self) -> Any:
        return self._numeric_output()


class Min(Aggregate):
    function = "MIN"
    name = "Min"
    arity = 1


class Max(Aggregate):
    function = "MAX"
    name = "Max"
    arity = 1


class StdDev(_ArithmeticAggregate):
    name = "StdDev"
    arity = 1

    def __init__(self, expression: Any, sample: bool = False, **extra: Any) -> None:
        self.function = "STDDEV_SAMP" if sample else "STDDEV_POP"
        super().__init__(expression, **extra)

    def _resolve_output_field(self) -> Any:
        return self._numeric_output()

    def _get_repr_options(self) -> dict[str, Any]:
        return {**super()._get_repr_options(), "sample": self.function == "STDDEV_SAMP"}


class Variance(_ArithmeticAggregate):
    name = "Variance"
    arity = 1

    def __init__(self, expression: Any, sample: bool = False, **extra: Any) -> None:
        self.function = "VAR_SAMP" if sample else "VAR_POP"
        super().__init__(expression, **extra)

    def _resolve_output_field(self) -> Any:
        return self._numeric_output()

    def _get_repr_options(self) -> dict[str, Any]:
        return {**super()._get_repr_options(), "sample": self.function == "VAR_SAMP"}


def contains_aggregate(node: Any) -> bool:
    """Whether a WHERE node (or lookup) compares an aggregate: it belongs in HAVING."""
    if getattr(node, "contains_aggregate", False):
        return True
    lhs = getattr(node, "lhs", None)
    if lhs is not None and getattr(lhs, "contains_aggregate", False):
        return True
    rhs = getattr(node, "rhs", None)
    if rhs is not None and getattr(rhs, "contains_aggregate", False):
        return True
    return any(contains_aggregate(child) for child in getattr(node, "children", ()))
