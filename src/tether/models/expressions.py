"""Expressions the query layer compiles: columns, F() references, values and arithmetic.

`F("reporter__name")`, `Value(3)`, `F("n") + 1`, `ExpressionWrapper(...)` are what users write;
`resolve_expression(query)` turns them into nodes bound to the query's tables (an F becomes a
Col, joining as needed). Every resolved node compiles with `as_sql(compiler, connection) ->
(sql, params)` and describes its structure with `shape`, a hashable value that excludes
parameter values, so that compiled SQL can be cached by shape. Nodes that carry parameters
(Value) are leaves (`is_leaf`, `get_params`); composite nodes list them with `leaves(out)` in
the order their placeholders appear in the SQL.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from tether.exceptions import FieldError


class Col:
    """A column of a table alias: `"alias"."column"`."""

    contains_aggregate = False
    is_leaf = False

    __slots__ = ("alias", "target", "output_field", "shape")

    def __init__(self, alias: str, target: Any, output_field: Any = None) -> None:
        self.alias = alias
        self.target = target
        self.output_field = output_field if output_field is not None else target
        self.shape = ("col", alias, target.column)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        qn = compiler.quote_name
        return f"{qn(self.alias)}.{qn(self.target.column)}", []

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> Col:
        return self

    def leaves(self, out: list[Any]) -> list[Any]:
        return out

    def relabeled_clone(self, change_map: dict[str, str]) -> Col:
        return Col(change_map.get(self.alias, self.alias), self.target, self.output_field)

    def get_db_converters(self, connection: Any) -> list[Any]:
        return self.output_field.get_db_converters(connection)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"Col({self.alias}, {self.target})"


def collect_leaves(node: Any, out: list[Any]) -> list[Any]:
    """Append the parameter-carrying nodes of `node`, in SQL order."""
    if getattr(node, "is_leaf", False):
        out.append(node)
    elif hasattr(node, "leaves"):
        node.leaves(out)
    return out


def node_params(node: Any, compiler: Any, connection: Any) -> list[Any]:
    """The parameters of a resolved node without rendering its SQL again."""
    params: list[Any] = []
    for leaf in collect_leaves(node, []):
        params.extend(leaf.get_params(compiler, connection))
    return params


_BITWISE = "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."


class Combinable:
    """Arithmetic and bitwise operators that build CombinedExpression trees."""

    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    POW = "^"
    MOD = "%%"
    BITAND = "&"
    BITOR = "|"
    BITLEFTSHIFT = "<<"
    BITRIGHTSHIFT = ">>"

    def _combine(self, other: Any, connector: str, reversed_: bool) -> CombinedExpression:
        if not hasattr(other, "resolve_expression"):
            other = Value(other)
        if reversed_:
            return CombinedExpression(other, connector, self)
        return CombinedExpression(self, connector, other)

    def __neg__(self) -> CombinedExpression:
        return self._combine(-1, self.MUL, False)

    def __add__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.ADD, False)

    def __sub__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.SUB, False)

    def __mul__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.MUL, False)

    def __truediv__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.DIV, False)

    def __mod__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.MOD, False)

    def __pow__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.POW, False)

    def __radd__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.ADD, True)

    def __rsub__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.SUB, True)

    def __rmul__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.MUL, True)

    def __rtruediv__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.DIV, True)

    def __rmod__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.MOD, True)

    def __rpow__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.POW, True)

    def bitand(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.BITAND, False)

    def bitor(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.BITOR, False)

    def bitleftshift(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.BITLEFTSHIFT, False)

    def bitrightshift(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.BITRIGHTSHIFT, False)

    def __and__(self, other: Any) -> Any:
        raise NotImplementedError(_BITWISE)

    def __or__(self, other: Any) -> Any:
        raise NotImplementedError(_BITWISE)

    __rand__ = __and__
    __ror__ = __or__

    def asc(self, **kwargs: Any) -> OrderBy:
        return OrderBy(self, **kwargs)

    def desc(self, **kwargs: Any) -> OrderBy:
        return OrderBy(self, descending=True, **kwargs)


def resolve_field_ref(query: Any, name: str, allow_joins: bool = True, reuse: Any = None) -> Any:
    """The node for `name` in `query`: an annotation, or a column reached through joins."""
    from tether.models.sql.constants import LOOKUP_SEP

    if name in query.annotations:
        return query.annotations[name]
    parts = name.split(LOOKUP_SEP)
    path, field, targets, remaining = query.names_to_path(parts, query.model._meta)
    if field is not None and not path and field in query.annotations.values():
        return field
    if not allow_joins and any(not info.direct or info.m2m for info in path):
        raise FieldError("Joined field references are not permitted in this query")
    aliases = query.setup_joins(path, query.base_table_alias(), reuse)
    trimmed, alias, aliases = query.trim_joins(targets, aliases, path)
    if not allow_joins and len(aliases) > 1:
        raise FieldError("Joined field references are not permitted in this query")
    many = getattr(field, "many_to_many", False)
    concrete_relation = field.is_relation and field.concrete and not many
    output = field if not field.is_relation or concrete_relation else trimmed[0]
    node: Any = Col(alias, trimmed[0], output)
    for transform_name in remaining:
        node = query.try_transform(node, transform_name)
    return node


class F(Combinable):
    """A reference to a field (or annotation) of the query's model: `F("reporter__name")`."""

    contains_aggregate = False

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name})"

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        if query is None:
            raise FieldError(f"{self!r} cannot be resolved without a query.")
        return resolve_field_ref(query, self.name, allow_joins, reuse)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.name == other.name  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.name)

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _field_for_value(value: Any) -> Any:
    from tether.models import fields

    if isinstance(value, bool):
        return fields.BooleanField()
    if isinstance(value, int):
        return fields.IntegerField()
    if isinstance(value, float):
        return fields.FloatField()
    if isinstance(value, decimal.Decimal):
        return fields.DecimalField()
    if isinstance(value, str):
        return fields.CharField()
    if isinstance(value, datetime.datetime):
        return fields.DateTimeField()
    if isinstance(value, datetime.date):
        return fields.DateField()
    if isinstance(value, datetime.time):
        from tether.models.fields.temporal import TimeField

        return TimeField()
    if isinstance(value, datetime.timedelta):
        from tether.models.fields.temporal import DurationField

        return DurationField()
    return None


class Value(Combinable):
    """A literal value, always sent as a bound parameter (NULL is written as NULL)."""

    contains_aggregate = False

    def __init__(self, value: Any, output_field: Any = None) -> None:
        self.value = value
        self._output_field = output_field

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"

    @property
    def output_field(self) -> Any:
        if self._output_field is None:
            self._output_field = _field_for_value(self.value)
        if self._output_field is None:
            raise FieldError(
                f"Cannot resolve expression type, unknown output_field for {self.value!r}"
            )
        return self._output_field

    @property
    def is_leaf(self) -> bool:
        return self.value is not None

    @property
    def shape(self) -> Any:
        return ("value", self.value is None)

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Value:
        return self

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        if self.value is None:
            return []
        field = self._output_field
        if field is None:
            field = _field_for_value(self.value)
        if field is None:
            return [self.value]
        return [field.get_db_prep_value(self.value, connection, prepared=False)]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.value is None:
            return "NULL", []
        return "%s", self.get_params(compiler, connection)

    def leaves(self, out: list[Any]) -> list[Any]:
        if self.value is not None:
            out.append(self)
        return out

    def relabeled_clone(self, change_map: dict[str, str]) -> Value:
        return self

    def get_db_converters(self, connection: Any) -> list[Any]:
        field = self._output_field or _field_for_value(self.value)
        return [] if field is None else field.get_db_converters(connection)  # type: ignore[no-any-return]


_NUMERIC_RANK = {
    "IntegerField": 0,
    "BigIntegerField": 0,
    "SmallIntegerField": 0,
    "PositiveIntegerField": 0,
    "PositiveSmallIntegerField": 0,
    "PositiveBigIntegerField": 0,
    "AutoField": 0,
    "BigAutoField": 0,
    "SmallAutoField": 0,
    "DecimalField": 1,
    "FloatField": 2,
}


_DATES = ("DateField", "DateTimeField")


def _temporal_output(connector: str, lhs_field: Any, rhs_field: Any) -> Any:
    """The type of a date plus or minus a duration (a DateTimeField, as Django), else None."""
    if connector not in (Combinable.ADD, Combinable.SUB):
        return None
    lhs_type, rhs_type = lhs_field.get_internal_type(), rhs_field.get_internal_type()
    dated = (lhs_type in _DATES and rhs_type == "DurationField") or (
        connector == Combinable.ADD and lhs_type == "DurationField" and rhs_type in _DATES
    )
    if not dated:
        return None
    if "DateTimeField" in (lhs_type, rhs_type):
        return lhs_field if lhs_type == "DateTimeField" else rhs_field
    from tether.models.fields import DateTimeField

    return DateTimeField()


class CombinedExpression(Combinable):
    """`lhs <connector> rhs`, parenthesised; `^` is POWER(lhs, rhs)."""

    is_leaf = False

    def __init__(self, lhs: Any, connector: str, rhs: Any, output_field: Any = None) -> None:
        self.lhs = lhs
        self.connector = connector
        self.rhs = rhs
        self._output_field = output_field

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.lhs!r} {self.connector} {self.rhs!r}>"

    @property
    def contains_aggregate(self) -> bool:
        return any(getattr(side, "contains_aggregate", False) for side in (self.lhs, self.rhs))

    @property
    def shape(self) -> Any:
        return ("combined", self.connector, self.lhs.shape, self.rhs.shape)

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> CombinedExpression:
        lhs = self.lhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        rhs = self.rhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return CombinedExpression(lhs, self.connector, rhs, self._output_field)

    @property
    def output_field(self) -> Any:
        if self._output_field is not None:
            return self._output_field
        sides = [getattr(side, "output_field", None) for side in (self.lhs, self.rhs)]
        lhs_field, rhs_field = sides
        if lhs_field is None or rhs_field is None:
            return lhs_field or rhs_field
        temporal = _temporal_output(self.connector, lhs_field, rhs_field)
        if temporal is not None:
            return temporal
        if isinstance(self.rhs, Value) and not isinstance(self.lhs, Value):
            return lhs_field
        if isinstance(self.lhs, Value) and not isinstance(self.rhs, Value):
            return rhs_field
        lhs_type, rhs_type = lhs_field.get_internal_type(), rhs_field.get_internal_type()
        if lhs_type == rhs_type or (type(lhs_field) is type(rhs_field)):
            return lhs_field
        if lhs_type in _NUMERIC_RANK and rhs_type in _NUMERIC_RANK:
            return lhs_field if _NUMERIC_RANK[lhs_type] >= _NUMERIC_RANK[rhs_type] else rhs_field
        raise FieldError(
            f"Cannot infer type of {self.connector!r} expression involving these types: "
            f"{type(lhs_field).__name__}, {type(rhs_field).__name__}. You must set output_field."
        )

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs_sql, lhs_params = compiler.compile(self.lhs)
        rhs_sql, rhs_params = compiler.compile(self.rhs)
        if self.connector == self.POW:
            return f"POWER({lhs_sql}, {rhs_sql})", lhs_params + rhs_params
        duration_side = self._duration_side()
        if duration_side is not None:
            sql = connection.ops.combine_duration_sql(
                self.connector, lhs_sql, rhs_sql, duration_side
            )
            return sql, lhs_params + rhs_params
        return f"({lhs_sql} {self.connector} {rhs_sql})", lhs_params + rhs_params

    def _duration_side(self) -> str | None:
        """ "lhs" or "rhs": the duration of a date-plus-duration expression; None otherwise."""
        if self.connector not in (self.ADD, self.SUB):
            return None
        types = []
        for side in (self.lhs, self.rhs):
            field = getattr(side, "output_field", None)
            types.append(None if field is None else field.get_internal_type())
        if types[0] in _DATES and types[1] == "DurationField":
            return "rhs"
        if types[1] in _DATES and types[0] == "DurationField":
            return "lhs"
        return None

    def leaves(self, out: list[Any]) -> list[Any]:
        collect_leaves(self.lhs, out)
        collect_leaves(self.rhs, out)
        return out

    def relabeled_clone(self, change_map: dict[str, str]) -> CombinedExpression:
        return CombinedExpression(
            self.lhs.relabeled_clone(change_map),
            self.connector,
            self.rhs.relabeled_clone(change_map),
            self._output_field,
        )

    def get_db_converters(self, connection: Any) -> list[Any]:
        field = self.output_field
        return [] if field is None else field.get_db_converters(connection)  # type: ignore[no-any-return]


class ExpressionWrapper(Combinable):
    """An expression with an explicit output_field (the type of a mixed-type computation)."""

    is_leaf = False

    def __init__(self, expression: Any, output_field: Any) -> None:
        self.expression = expression
        self.output_field = output_field

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.expression!r})"

    @property
    def contains_aggregate(self) -> bool:
        return bool(getattr(self.expression, "contains_aggregate", False))

    @property
    def shape(self) -> Any:
        return ("wrapper", self.expression.shape)

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> ExpressionWrapper:
        inner = self.expression.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        if isinstance(inner, CombinedExpression) and inner._output_field is None:
            inner = CombinedExpression(inner.lhs, inner.connector, inner.rhs, self.output_field)
        return ExpressionWrapper(inner, self.output_field)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return compiler.compile(self.expression)  # type: ignore[no-any-return]

    def leaves(self, out: list[Any]) -> list[Any]:
        return collect_leaves(self.expression, out)

    def relabeled_clone(self, change_map: dict[str, str]) -> ExpressionWrapper:
        return ExpressionWrapper(self.expression.relabeled_clone(change_map), self.output_field)

    def get_db_converters(self, connection: Any) -> list[Any]:
        return self.output_field.get_db_converters(connection)  # type: ignore[no-any-return]


class OrderBy:
    """An ordering term: `F("x").desc(nulls_last=True)`.

    NULL placement is written as a leading `CASE WHEN x IS NULL ...` term on every backend
    (MariaDB has no NULLS FIRST/LAST), which orders rows exactly as the modifier would.
    """

    is_leaf = False
    contains_aggregate = False

    def __init__(
        self,
        expression: Any,
        descending: bool = False,
        nulls_first: bool | None = None,
        nulls_last: bool | None = None,
    ) -> None:
        if nulls_first and nulls_last:
            raise ValueError("nulls_first and nulls_last are mutually exclusive")
        if nulls_first is False or nulls_last is False:
            raise ValueError("nulls_first and nulls_last values must be True or None.")
        self.expression = expression
        self.descending = descending
        self.nulls_first = nulls_first
        self.nulls_last = nulls_last

    def __repr__(self) -> str:
        return f"OrderBy({self.expression!r}, descending={self.descending})"

    @property
    def shape(self) -> Any:
        return (
            "order",
            getattr(self.expression, "shape", repr(self.expression)),
            self.descending,
            self.nulls_first,
            self.nulls_last,
        )

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> OrderBy:
        inner = self.expression.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return OrderBy(inner, self.descending, self.nulls_first, self.nulls_last)

    def reverse_ordering(self) -> OrderBy:
        return OrderBy(
            self.expression,
            not self.descending,
            nulls_first=self.nulls_last,
            nulls_last=self.nulls_first,
        )

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.expression)
        direction = "DESC" if self.descending else "ASC"
        if self.nulls_first or self.nulls_last:
            null_rank = "0 ELSE 1" if self.nulls_first else "1 ELSE 0"
            nulls = f"CASE WHEN {sql} IS NULL THEN {null_rank} END"
            return f"{nulls}, {sql} {direction}", params + params
        return f"{sql} {direction}", params

    def leaves(self, out: list[Any]) -> list[Any]:
        return collect_leaves(self.expression, out)


__all__ = ["Col", "CombinedExpression", "ExpressionWrapper", "F", "OrderBy", "Value"]
