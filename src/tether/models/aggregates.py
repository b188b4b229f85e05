"""Aggregates: Count, Sum, Avg, Min, Max, with distinct=, filter= and default=.

An aggregate names its source by a field path ('publications', 'article__headline') or an
expression; resolving it against a query sets up the joins (LEFT OUTER for multi-valued
relations, so that rows with no related rows count 0) and returns a node the compiler renders.
"""

from __future__ import annotations

from typing import Any

from tether.exceptions import FieldError
from tether.models import fields as model_fields
from tether.models.query_utils import Q


class Aggregate:
    function = ""
    name = ""
    allow_distinct = False
    empty_result_set_value: Any = None
    contains_aggregate = True

    def __init__(
        self,
        expression: Any,
        *,
        distinct: bool = False,
        filter: Any = None,
        default: Any = None,
        output_field: Any = None,
    ) -> None:
        if distinct and not self.allow_distinct:
            raise TypeError(f"{type(self).__name__} does not allow distinct.")
        if filter is not None and not isinstance(filter, Q):
            raise ValueError("filter must be a Q object.")
        self.expression = expression
        self.distinct = distinct
        self.filter = filter
        self.default = default
        self._output_field = output_field
        self.source: Any = None
        self.condition: Any = None

    def __repr__(self) -> str:
        extra = ", distinct=True" if self.distinct else ""
        return f"{type(self).__name__}({self.expression!r}{extra})"

    # ---- resolving -----------------------------------------------------------------------

    def resolve_expression(
        self,
        query: Any,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Aggregate:
        resolved = type(self).__new__(type(self))
        resolved.__dict__ = dict(self.__dict__)
        expression = self.expression
        if expression == "*":
            resolved.source = None
        elif isinstance(expression, str):
            resolved.source = query.resolve_ref(expression)
        elif hasattr(expression, "resolve_expression"):
            resolved.source = expression.resolve_expression(query, allow_joins, reuse, summarize)
            if getattr(resolved.source, "contains_aggregate", False):
                raise FieldError(
                    f"Cannot compute {type(self).__name__}('{expression}'): '{expression}' is an "
                    f"aggregate"
                )
        else:
            raise TypeError(f"Complex aggregates require an alias; got {expression!r}.")
        if self.filter is not None:
            from tether.models.sql.constants import LOUTER
            from tether.models.sql.where import WhereNode

            # Like Django (Q resolved with reuse=None), the condition reuses any equal join,
            # e.g. the one to the aggregated relation, instead of joining it a second time.
            existing = set(query.alias_map)
            outer = {a for a, j in query.alias_map.items() if j.join_type == LOUTER}
            used = set(existing)
            clause, _ = query._add_q(self.filter, used, False, False)
            # A condition inside an aggregate must not drop rows: its new joins are LEFT OUTER
            # and the outer joins it reused stay so.
            demoted = {a for a in outer if query.alias_map[a].join_type != LOUTER}
            query.promote_joins(sorted((used - existing) | demoted))
            holder = WhereNode()
            holder.add(clause, "AND")
            resolved.condition = holder
        return resolved

    @property
    def output_field(self) -> Any:
        if self._output_field is not None:
            return self._output_field
        if self.source is None:
            return model_fields.IntegerField()
        return getattr(self.source, "output_field", None) or model_fields.Field()

    @property
    def shape(self) -> Any:
        source = None if self.source is None else self.source.shape
        condition = None if self.condition is None else self.condition.shape
        return (type(self), source, self.distinct, condition, self.default is None)

    @property
    def is_leaf(self) -> bool:  # type: ignore[override]
        # Only `default` is a parameter of the aggregate itself; its filter's are its leaves'.
        return self.default is not None

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        return [self.default]

    def leaves(self, out: list[Any]) -> list[Any]:
        if self.source is not None and hasattr(self.source, "leaves"):
            self.source.leaves(out)
        if self.condition is not None:
            self.condition.leaves(out)
        if self.is_leaf:
            out.append(self)
        return out

    # ---- compiling -----------------------------------------------------------------------

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        params: list[Any] = []
        if self.source is None:
            argument = "*"
        else:
            argument, source_params = compiler.compile(self.source)
            params.extend(source_params)
        if self.condition is not None:
            condition, condition_params = compiler.compile(self.condition)
            argument = (
                f"CASE WHEN {condition} THEN {argument if argument != '*' else '1'} ELSE NULL END"
            )
            params = condition_params + params
        distinct = "DISTINCT " if self.distinct else ""
        sql = f"{self.function}({distinct}{argument})"
        if self.default is not None:
            sql = f"COALESCE({sql}, %s)"
            params.append(self.default)
        return sql, params

    def get_db_converters(self, connection: Any) -> list[Any]:
        return self.output_field.get_db_converters(connection)  # type: ignore[no-any-return]

    def get_lookup(self, name: str) -> Any:
        return self.output_field.get_lookup(name)

    def get_transform(self, name: str) -> Any:
        return self.output_field.get_transform(name)

    def get_group_by_cols(self) -> list[Any]:
        return []


class Count(Aggregate):
    function = "COUNT"
    name = "Count"
    allow_distinct = True
    empty_result_set_value = 0

    def __init__(self, expression: Any, filter: Any = None, **extra: Any) -> None:
        if expression == "*" and extra.get("distinct"):
            raise ValueError("Star cannot be used with distinct.")
        super().__init__(expression, filter=filter, **extra)

    @property
    def output_field(self) -> Any:
        return model_fields.IntegerField()

    def get_db_converters(self, connection: Any) -> list[Any]:
        return [int]


class Sum(Aggregate):
    function = "SUM"
    name = "Sum"
    allow_distinct = True


class Avg(Aggregate):
    function = "AVG"
    name = "Avg"
    allow_distinct = True

    @property
    def output_field(self) -> Any:
        if self._output_field is not None:
            return self._output_field
        source_field = getattr(self.source, "output_field", None)
        if isinstance(source_field, model_fields.DecimalField):
            return source_field
        return model_fields.FloatField()

    def get_db_converters(self, connection: Any) -> list[Any]:
        field = self.output_field
        if isinstance(field, model_fields.FloatField):
            return [float]
        return field.get_db_converters(connection)  # type: ignore[no-any-return]


class Min(Aggregate):
    function = "MIN"
    name = "Min"


class Max(Aggregate):
    function = "MAX"
    name = "Max"


class StdDev(Aggregate):
    name = "StdDev"

    def __init__(self, expression: Any, sample: bool = False, **extra: Any) -> None:
        self.function = "STDDEV_SAMP" if sample else "STDDEV_POP"
        super().__init__(expression, **extra)


class Variance(Aggregate):
    name = "Variance"

    def __init__(self, expression: Any, sample: bool = False, **extra: Any) -> None:
        self.function = "VAR_SAMP" if sample else "VAR_POP"
        super().__init__(expression, **extra)


def contains_aggregate(node: Any) -> bool:
    """Whether a WHERE node (or lookup) compares an aggregate: it belongs in HAVING."""
    if getattr(node, "contains_aggregate", False):
        return True
    lhs = getattr(node, "lhs", None)
    if lhs is not None and getattr(lhs, "contains_aggregate", False):
        return True
    return any(contains_aggregate(child) for child in getattr(node, "children", ()))
