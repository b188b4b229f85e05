"""Wrapping and ordering nodes: ExpressionWrapper, NegatedExpression (`~expr`), ExpressionList,
OrderBy (`F("x").desc(nulls_last=True)`) and the ORDER BY list of a window."""

from __future__ import annotations

from typing import Any

from tether.models.expressions import CombinedExpression, Expression, F, Func


class ExpressionList(Func):
    """Expressions separated by commas (the PARTITION BY and ORDER BY lists of a window)."""

    template = "%(expressions)s"

    def __str__(self) -> str:
        return self.arg_joiner.join(str(arg) for arg in self.source_expressions)

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.source_expressions:
            return "", []
        return super().as_sql(compiler, connection, *args, **kwargs)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # A list is no value: the NUMERIC cast of a decimal Func would wrap `ORDER BY price`.
        return self.as_sql(compiler, connection, **extra)

    def get_group_by_cols(self) -> list[Any]:
        cols: list[Any] = []
        for expr in self.get_source_expressions():
            cols.extend(expr.get_group_by_cols())
        return cols


class OrderByList(ExpressionList):
    """`ORDER BY a, b DESC` of a window; strings "-x" become descending F()s."""

    template = "ORDER BY %(expressions)s"

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        expressions = tuple(
            OrderBy(F(expr[1:]), descending=True)
            if isinstance(expr, str) and expr.startswith("-")
            else expr
            for expr in expressions
        )
        super().__init__(*expressions, **extra)


class ExpressionWrapper(Expression):
    """An expression with an explicit output_field (the type of a mixed-type computation)."""

    def __init__(self, expression: Any, output_field: Any) -> None:
        super().__init__(output_field=output_field)
        self.expression = expression

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.expression!r})"

    def shape_extra(self) -> Any:
        return type(self.output_field)

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.expression,) = exprs

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        c = super().resolve_expression(*args, **kwargs)
        inner = c.expression
        if isinstance(inner, CombinedExpression) and "output_field" not in inner.__dict__:
            inner = inner.copy()
            inner.output_field = c.output_field
            c.expression = inner
        return c

    def get_group_by_cols(self) -> list[Any]:
        if isinstance(self.expression, Expression):
            expression = self.expression.copy()
            expression.output_field = self.output_field
            return expression.get_group_by_cols()  # type: ignore[no-any-return]
        return super().get_group_by_cols()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return compiler.compile(self.expression)  # type: ignore[no-any-return]


class NegatedExpression(ExpressionWrapper):
    """`~expression`: NOT of a boolean expression."""

    def __init__(self, expression: Any) -> None:
        from tether.models.fields import BooleanField

        super().__init__(expression, output_field=BooleanField())

    def __invert__(self) -> Any:
        return self.expression.copy()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        try:
            sql, params = compiler.compile(self.expression)
        except Exception as error:  # EmptyResultSet/FullResultSet flip, as Django's
            from tether.exceptions import EmptyResultSet, FullResultSet

            if isinstance(error, EmptyResultSet):
                raise FullResultSet from None
            if isinstance(error, FullResultSet):
                raise EmptyResultSet from None
            raise
        return f"NOT {sql}", params

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        resolved = super().resolve_expression(*args, **kwargs)
        if not getattr(resolved.expression, "conditional", False):
            raise TypeError("Cannot negate non-conditional expressions.")
        return resolved

    def select_format(self, compiler: Any, sql: str, params: list[Any]) -> tuple[str, list[Any]]:
        if not compiler.connection.features.supports_boolean_expr_in_select_clause:
            sql = f"CASE WHEN {sql} THEN 1 ELSE 0 END"
        return sql, params


class OrderBy(Expression):
    """An ordering term: `F("x").desc(nulls_last=True)`.

    NULL placement uses NULLS FIRST/LAST where the backend has it; elsewhere (MariaDB) a
    leading `x IS NULL` term orders rows as the modifier would, as Django writes it.
    """

    template = "%(expression)s %(ordering)s"
    conditional = False  # type: ignore[assignment]
    # Set on the resolved copy a compile makes (Query.with_resolved_ordering).
    ordering_resolved = False

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
        if not hasattr(expression, "resolve_expression"):
            raise ValueError("expression must be an expression type")
        super().__init__()
        self.expression = expression
        self.descending = descending
        self.nulls_first = nulls_first
        self.nulls_last = nulls_last

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.expression}, descending={self.descending!r})"

    def shape_extra(self) -> Any:
        return (self.descending, self.nulls_first, self.nulls_last)

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.expression,) = exprs

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        c = self.copy()
        c.expression = self.expression.resolve_expression(*args, **kwargs)
        return c

    def reverse_ordering(self) -> OrderBy:
        c = self.copy()
        c.descending = not self.descending
        if self.nulls_first:
            c.nulls_last, c.nulls_first = True, None
        elif self.nulls_last:
            c.nulls_first, c.nulls_last = True, None
        return c  # type: ignore[no-any-return]

    def asc(self, **kwargs: Any) -> OrderBy:
        self.descending = False
        return self

    def desc(self, **kwargs: Any) -> OrderBy:
        self.descending = True
        return self

    def get_group_by_cols(self) -> list[Any]:
        cols: list[Any] = []
        for source in self.get_source_expressions():
            cols.extend(source.get_group_by_cols())
        return cols

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.expression)
        direction = "DESC" if self.descending else "ASC"
        if self.nulls_first or self.nulls_last:
            if connection.features.supports_order_by_nulls_modifier:
                nulls = "FIRST" if self.nulls_first else "LAST"
                return f"{sql} {direction} NULLS {nulls}", params
            # NULL sorts first ascending on MySQL/MariaDB/SQLite: a leading IS NULL term moves it.
            # The expression is compiled again for its second place, so that the SQL cache
            # records its leaves twice and binds their values twice.
            null_direction = "DESC" if self.nulls_first else "ASC"
            again, again_params = compiler.compile(self.expression)
            return f"{sql} IS NULL {null_direction}, {again} {direction}", params + again_params
        return f"{sql} {direction}", params
