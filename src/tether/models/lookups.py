"""Lookups (`exact`, `in`, `contains`, ...) and the Transform base class.

A lookup is a leaf of the WHERE tree: a left-hand expression (usually a Col), a prepared
right-hand value, and the SQL operator the backend gives for its name. Values are prepared by
the field when the lookup is built (so bad values fail at filter() time, as in Django) and
adapted for the backend when parameters are collected.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from tether.exceptions import EmptyResultSet, FieldError
from tether.models.expressions import (
    Col,
    Expression,
    Func,
    Value,
    _identity_value,
    collect_leaves,
)
from tether.models.expressions.raw import RawSQL
from tether.models.query_utils import RegisterLookupMixin


class Lookup(Expression):
    """A boolean expression too, as in Django: `Exact(F("year"), 1942)` can be annotated,
    filtered on, ordered by and combined with `&`, `|` and `~`; its sides resolve when the
    query takes it (an F() side has no field to prepare the other side with before that)."""

    lookup_name = ""
    prepare_rhs = True
    can_use_none_as_rhs = False
    # Leaf nodes carry parameters; the compiler records which leaves a cached statement uses.
    is_leaf = True
    # The node's structure without its parameter values: the compiled-SQL cache key (a plain
    # per-instance attribute, set with the sides, rather than Expression's computed shape).
    shape: Any = None

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if not hasattr(lhs, "resolve_expression") and not hasattr(lhs, "as_sql"):
            lhs = Value(lhs)  # GreaterThan(1930, F("year"))
        self.lhs = lhs
        self.rhs = self.get_prep_lookup(rhs)
        self.shape = (type(self), getattr(lhs, "shape", None), self.rhs_shape())

    # ---- as an expression ----------------------------------------------------------------

    def _resolve_output_field(self) -> Any:
        from tether.models.fields import BooleanField

        return BooleanField()

    def get_source_expressions(self) -> list[Any]:
        if self.rhs_is_direct_value:
            return [self.lhs]
        return [self.lhs, self.rhs]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        if len(exprs) == 1:
            self.lhs = exprs[0]
        else:
            self.lhs, self.rhs = exprs
        self.shape = (type(self), getattr(self.lhs, "shape", None), self.rhs_shape())

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        lhs, rhs = self.lhs, self.rhs
        if hasattr(lhs, "resolve_expression"):
            lhs = lhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        if hasattr(rhs, "resolve_expression") and not hasattr(rhs, "_result_cache"):
            rhs = rhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        if lhs is self.lhs and rhs is self.rhs:
            return self
        clone = self.copy()
        clone.is_summary = summarize
        clone.lhs, clone.rhs = lhs, rhs
        clone.shape = (type(clone), getattr(lhs, "shape", None), clone.rhs_shape())
        return clone

    def get_group_by_cols(self) -> list[Any]:
        cols: list[Any] = []
        for source in self.get_source_expressions():
            if hasattr(source, "get_group_by_cols"):
                cols.extend(source.get_group_by_cols())
        return cols

    # ---- building ------------------------------------------------------------------------

    def get_prep_lookup(self, rhs: Any) -> Any:
        if hasattr(rhs, "resolve_expression") or hasattr(rhs, "as_sql"):
            return rhs
        if self.prepare_rhs:
            field = self._lhs_field()
            if field is None:
                # `Exact(F("year"), 1942)`: no field yet to prepare the value with; it is
                # compared as the value it is, as Django does (1942.1 stays a float).
                return Value(rhs)
            if hasattr(field, "get_prep_value"):
                return field.get_prep_value(rhs)
        return rhs

    def _lhs_field(self) -> Any:
        """The left-hand side's field, or None while it is an unresolved reference (F())."""
        try:
            return getattr(self.lhs, "output_field", None)
        except FieldError:
            return None

    def rhs_shape(self) -> Any:
        if hasattr(self.rhs, "shape"):
            return self.rhs.shape
        return None

    @property
    def rhs_is_direct_value(self) -> bool:
        return not hasattr(self.rhs, "as_sql")

    # ---- compiling -----------------------------------------------------------------------

    def db_value(self, value: Any, connection: Any) -> Any:
        field = self.lhs.output_field
        return field.get_db_prep_value(value, connection, prepared=True)

    def lhs_params(self, compiler: Any, connection: Any) -> list[Any]:
        """Parameters of the left-hand side (a transform carrying values, e.g. a JSON key)."""
        lhs = self.lhs
        if type(lhs) is Col:
            return []
        if getattr(lhs, "has_params", False) or collect_leaves(lhs, []):
            return list(compiler.compile(lhs)[1])
        return []

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        """The parameters this leaf contributes, in SQL order."""
        lhs_params = self.lhs_params(compiler, connection)
        if not self.rhs_is_direct_value:
            return lhs_params + list(compiler.compile(self.rhs)[1])
        return [*lhs_params, self.db_value(self.rhs, connection)]

    def process_lhs(self, compiler: Any, connection: Any) -> str:
        sql, _ = compiler.compile(self.lhs)
        if isinstance(self.lhs, Lookup):
            sql = f"({sql})"  # a comparison of a comparison: PostgreSQL needs the parentheses
        internal = self.lhs.output_field.get_internal_type()
        return connection.ops.lookup_cast(self.lookup_name, internal) % sql  # type: ignore[no-any-return]

    def rhs_sql(self, compiler: Any, connection: Any) -> str:
        if not self.rhs_is_direct_value:
            sql, _ = compiler.compile(self.rhs)
            return f"({sql})"
        return "%s"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs = self.process_lhs(compiler, connection)
        rhs = self.rhs_sql(compiler, connection)
        operator = connection.ops.operators[self.lookup_name] % rhs
        return f"{lhs} {operator}", self.get_params(compiler, connection)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.lhs!r}, {self.rhs!r})"

    # Equal when of one class over equal sides, as Django's lookups.
    @property
    def identity(self) -> tuple[Any, ...]:
        return (type(self), _identity_value(self.lhs), _identity_value(self.rhs))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lookup):
            return NotImplemented
        return self.identity == other.identity

    def __hash__(self) -> int:
        return hash(self.identity)


class Transform(RegisterLookupMixin, Func):
    """A one-argument function that can also follow a field name in a lookup (`name__lower`).

    As in Django it is a Func: `Lower("name")` in annotate() and `name__lower` in filter() build
    the same node. Subclasses set `lookup_name` and `function` (or a template, or as_sql) and
    are registered on a field class with `register_lookup`.
    """

    lookup_name = ""
    arity = 1
    bilateral = False
    # True for a transform whose own SQL binds values (a time zone, a JSON key): it is then a
    # leaf of the SQL cache and gives its parameters by compiling itself.
    has_params = False

    @property
    def lhs(self) -> Any:
        return self.source_expressions[0]

    @lhs.setter
    def lhs(self, value: Any) -> None:
        # A new list: a copy.copy() of the node must not change the original's arguments.
        self.source_expressions = [value, *self.source_expressions[1:]]

    @property
    def is_leaf(self) -> bool:  # type: ignore[override]
        return bool(self.has_params)

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        return list(compiler.compile(self)[1])

    def get_lookup(self, lookup_name: str) -> Any:
        found = RegisterLookupMixin.get_lookup(self, lookup_name)
        if found is None:
            return self.output_field.get_lookup(lookup_name)
        return found

    def get_transform(self, lookup_name: str) -> Any:
        found = RegisterLookupMixin.get_transform(self, lookup_name)
        if found is None:
            return self.output_field.get_transform(lookup_name)
        return found


def register(field_class: Any) -> Any:
    def decorator(lookup: Any) -> Any:
        field_class.register_class_lookup(lookup)
        return lookup

    return decorator


# ---- the built-in lookups --------------------------------------------------------------


class Exact(Lookup):
    lookup_name = "exact"
    can_use_none_as_rhs = True

    def get_prep_lookup(self, rhs: Any) -> Any:
        if hasattr(rhs, "query") and hasattr(rhs, "_result_cache"):
            # A QuerySet as the value of exact: it must select one column and one row.
            query = rhs.query
            if query.high_mark is None or query.high_mark - query.low_mark != 1:
                raise ValueError(
                    "The QuerySet value for an exact lookup must be limited to one result "
                    "using slicing."
                )
            selected = len(query.values_select)
            if selected > 1:
                raise ValueError(
                    f"The QuerySet value for the {self.lookup_name} lookup must have 1 "
                    f"selected fields (received {selected})"
                )
            return _selecting_target(query, self.lhs).as_subquery(limit_one=False)
        return super().get_prep_lookup(rhs)

    def _bare_condition(self, connection: Any) -> bool:
        """`flag=True` on a boolean expression is the expression itself (`NOT` it for False),
        as Django writes it, where the backend takes a bare condition (MySQL/MariaDB compare
        boolean columns with TRUE, so that their indexes are used)."""
        return (
            isinstance(self.rhs, bool)
            and getattr(self.lhs, "conditional", False)
            and connection.ops.conditional_expression_supported_in_where_clause(self.lhs)
        )

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.rhs is None:
            lhs, params = compiler.compile(self.lhs)  # a transform's (a time zone, a key)
            return f"{lhs} IS NULL", list(params)
        if self._bare_condition(connection):
            lhs = self.process_lhs(compiler, connection)
            sql = lhs if self.rhs else f"NOT {lhs}"
            return sql, self.lhs_params(compiler, connection)
        return super().as_sql(compiler, connection)

    def rhs_shape(self) -> Any:
        if self.rhs is None:
            return "null"
        if isinstance(self.rhs, bool):
            return ("bool", self.rhs)  # True and False may be written differently
        return super().rhs_shape()

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        if self.rhs is None or self._bare_condition(connection):
            return self.lhs_params(compiler, connection)
        return super().get_params(compiler, connection)


class IExact(Lookup):
    lookup_name = "iexact"
    prepare_rhs = False

    def get_prep_lookup(self, rhs: Any) -> Any:
        return rhs

    def db_value(self, value: Any, connection: Any) -> Any:
        if connection.ops.operators["iexact"].startswith("LIKE"):
            return connection.ops.prep_for_like_query(value)
        return value

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.rhs is None:
            lhs, params = compiler.compile(self.lhs)  # a transform's (a time zone, a key)
            return f"{lhs} IS NULL", list(params)
        return super().as_sql(compiler, connection)

    def rhs_shape(self) -> Any:
        return "null" if self.rhs is None else None

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        if self.rhs is None:
            return self.lhs_params(compiler, connection)
        return super().get_params(compiler, connection)


class _Comparison(Lookup):
    pass


class GreaterThan(_Comparison):
    lookup_name = "gt"


class GreaterThanOrEqual(_Comparison):
    lookup_name = "gte"


class LessThan(_Comparison):
    lookup_name = "lt"


class LessThanOrEqual(_Comparison):
    lookup_name = "lte"


class _RoundFloatUp:
    """A float compared with an integer column is rounded up, not truncated by the column's
    int(): `n >= 11.9` and `n < 12.1` then hold for exactly the integers they hold for."""

    def get_prep_lookup(self, rhs: Any) -> Any:
        if isinstance(rhs, float):
            rhs = math.ceil(rhs)
        return super().get_prep_lookup(rhs)  # type: ignore[misc]


class IntegerGreaterThanOrEqual(_RoundFloatUp, GreaterThanOrEqual):
    pass


class IntegerLessThan(_RoundFloatUp, LessThan):
    pass


class _Pattern(Lookup):
    prepare_rhs = False
    pattern = "%{}%"

    def get_prep_lookup(self, rhs: Any) -> Any:
        if rhs is None:
            raise ValueError("Cannot use None as a query value")
        return rhs

    def db_value(self, value: Any, connection: Any) -> Any:
        return self.pattern.format(connection.ops.prep_for_like_query(value))

    def rhs_sql(self, compiler: Any, connection: Any) -> str:
        """An expression's value becomes the pattern in SQL, its own wildcards escaped."""
        if self.rhs_is_direct_value:
            return "%s"
        return connection.ops.pattern_sql(self.lookup_name, super().rhs_sql(compiler, connection))

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.rhs_is_direct_value:
            return super().as_sql(compiler, connection)
        lhs = self.process_lhs(compiler, connection)
        return f"{lhs} {self.rhs_sql(compiler, connection)}", self.get_params(compiler, connection)


class Contains(_Pattern):
    lookup_name = "contains"


class IContains(Contains):
    lookup_name = "icontains"


class StartsWith(_Pattern):
    lookup_name = "startswith"
    pattern = "{}%"


class IStartsWith(StartsWith):
    lookup_name = "istartswith"


class EndsWith(_Pattern):
    lookup_name = "endswith"
    pattern = "%{}"


class IEndsWith(EndsWith):
    lookup_name = "iendswith"


class Regex(Lookup):
    lookup_name = "regex"
    prepare_rhs = False

    def get_prep_lookup(self, rhs: Any) -> Any:
        if rhs is None:
            raise ValueError("Cannot use None as a query value")
        return rhs

    def db_value(self, value: Any, connection: Any) -> Any:
        return str(value)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        template = connection.ops.regex_lookup(self.lookup_name)
        if template is None:
            return super().as_sql(compiler, connection)
        lhs = self.process_lhs(compiler, connection)
        rhs = self.rhs_sql(compiler, connection)
        return template % (lhs, rhs), self.get_params(compiler, connection)


class IRegex(Regex):
    lookup_name = "iregex"


class In(Lookup):
    lookup_name = "in"

    def get_prep_lookup(self, rhs: Any) -> Any:
        if hasattr(rhs, "query") and hasattr(rhs, "_result_cache"):
            selected = len(rhs.query.values_select)
            if selected > 1:
                raise ValueError(
                    f"The QuerySet value for the '{self.lookup_name}' lookup must have 1 "
                    f"selected fields (received {selected})"
                )
            # using() on the inner QuerySet names the database it must run on: checked
            # against the outer query's when compiled.
            self.subquery_db = rhs._db
            return _selecting_target(rhs.query, self.lhs).as_subquery()
        if hasattr(rhs, "as_sql"):
            return rhs
        if isinstance(rhs, str):
            raise TypeError(f"The 'in' lookup expects an iterable of values, got {rhs!r}.")
        if not isinstance(rhs, Iterable):  # Django's error: iterating it
            raise TypeError(f"'{type(rhs).__name__}' object is not iterable")
        field = self._lhs_field()
        prepared: dict[Any, None] = {}
        for value in rhs:
            if value is None:
                continue
            if hasattr(value, "as_sql"):  # an expression among the values: kept as it is
                prepared[id(value)] = value
                continue
            if field is not None:
                value = field.get_prep_value(value)
            try:
                prepared[value] = None
            except TypeError:
                prepared[id(value)] = value  # unhashable values keep their order, no dedupe
        return [v if v is not None else k for k, v in prepared.items()]

    def rhs_shape(self) -> Any:
        if not self.rhs_is_direct_value:
            return self.rhs.shape
        if any(hasattr(v, "as_sql") for v in self.rhs):
            return tuple(getattr(v, "shape", None) for v in self.rhs)
        return len(self.rhs)

    subquery_db: str | None = None

    def _check_database(self, connection: Any) -> None:
        if self.subquery_db is not None and self.subquery_db != connection.alias:
            raise ValueError(
                "Subqueries aren't allowed across different databases. Force the inner query "
                "to be evaluated using `list(inner_query)`."
            )

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        if not self.rhs_is_direct_value:
            self._check_database(connection)
            return super().get_params(compiler, connection)
        return self.lhs_params(compiler, connection) + value_params(
            self.rhs, self.lhs.output_field, compiler, connection
        )

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, _ = compiler.compile(self.lhs)
        if not self.rhs_is_direct_value:
            self._check_database(connection)
            if getattr(self.rhs, "subquery_query", None) is not None:
                sql, params = self.rhs.as_sql(compiler, connection, template="%(subquery)s")
                sql = f"({connection.ops.in_subquery_sql(sql, self.rhs.query.has_limit)})"
            else:
                sql, params = compiler.compile(self.rhs)
                if not isinstance(self.rhs, RawSQL):  # RawSQL brings its own parentheses
                    sql = f"({sql})"
            return f"{lhs} IN {sql}", list(params)
        if not self.rhs:
            raise EmptyResultSet
        limit = connection.features.max_query_params or 0
        params = self.get_params(compiler, connection)
        placeholders = value_placeholders(self.rhs, compiler)
        if limit and len(params) > limit and len(placeholders) == len(params):
            chunks = [placeholders[i : i + limit] for i in range(0, len(params), limit)]
            sql = " OR ".join(f"{lhs} IN ({', '.join(c)})" for c in chunks)
            return f"({sql})", params
        return f"{lhs} IN ({', '.join(placeholders)})", params


class Range(Lookup):
    lookup_name = "range"

    def get_prep_lookup(self, rhs: Any) -> Any:
        try:
            low, high = rhs
        except (TypeError, ValueError):
            raise ValueError("The 'range' lookup expects a pair of values.") from None
        field = self._lhs_field()
        if field is None:
            return (low, high)
        return tuple(v if hasattr(v, "as_sql") else field.get_prep_value(v) for v in (low, high))

    def rhs_shape(self) -> Any:
        return tuple(getattr(v, "shape", None) for v in self.rhs)

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        return self.lhs_params(compiler, connection) + value_params(
            self.rhs, self.lhs.output_field, compiler, connection
        )

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs = self.process_lhs(compiler, connection)
        low, high = value_placeholders(self.rhs, compiler)
        return f"{lhs} BETWEEN {low} AND {high}", self.get_params(compiler, connection)


class IsNull(Lookup):
    lookup_name = "isnull"
    prepare_rhs = False

    def get_prep_lookup(self, rhs: Any) -> Any:
        return rhs  # checked when compiled, as Django (a custom subclass may take None)

    def rhs_shape(self) -> Any:
        # 1 == True: a value that is not a bool must not share a bool's cached statement.
        return self.rhs if isinstance(self.rhs, bool) else ("not a bool", repr(self.rhs))

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        return self.lhs_params(compiler, connection)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if not isinstance(self.rhs, bool):
            raise ValueError("The QuerySet value for an isnull lookup must be True or False.")
        lhs, params = compiler.compile(self.lhs)  # a transform's (a time zone, a key)
        return (f"{lhs} IS NULL" if self.rhs else f"{lhs} IS NOT NULL"), list(params)


def value_placeholders(values: Any, compiler: Any) -> list[str]:
    """`%s` per plain value, the SQL of each expression among them (F() in __in/__range)."""
    return [compiler.compile(v)[0] if hasattr(v, "as_sql") else "%s" for v in values]


def value_params(values: Any, field: Any, compiler: Any, connection: Any) -> list[Any]:
    params: list[Any] = []
    for value in values:
        if hasattr(value, "as_sql"):
            params.extend(compiler.compile(value)[1])
        else:
            params.append(field.get_db_prep_value(value, connection, prepared=True))
    return params


BUILTIN_LOOKUPS = (
    Exact,
    IExact,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
    Contains,
    IContains,
    StartsWith,
    IStartsWith,
    EndsWith,
    IEndsWith,
    In,
    Range,
    IsNull,
    Regex,
    IRegex,
)


def install_builtin_lookups() -> None:
    from tether.models.fields import Field, IntegerField

    for lookup in BUILTIN_LOOKUPS:
        Field.register_class_lookup(lookup)
    IntegerField.register_class_lookup(IntegerGreaterThanOrEqual)
    IntegerField.register_class_lookup(IntegerLessThan)


def _selecting_target(query: Any, lhs: Any) -> Any:
    """The subquery of `fk__in=<queryset>`: a queryset of the relation's model that selects no
    column of its own selects the column the key points at (a to_field), not its pk."""
    target: Any = getattr(lhs, "output_field", None)
    model = getattr(target, "model", None)
    if (
        query.values_select
        or model is None
        or getattr(target, "primary_key", True)
        or model._meta.concrete_model is not query.model._meta.concrete_model
    ):
        return query
    query = query.clone()
    query.values_select = (target.name,)
    return query
