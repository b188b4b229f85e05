"""Expressions: the base protocol every query node follows, and the basic nodes.

Users write `F("reporter__name")`, `Value(3)`, `F("n") + 1`, `Func(F("a"), function="ABS")`;
`resolve_expression(query)` returns a copy bound to the query's tables (an F becomes a Col,
joining as needed). Every resolved node compiles with `as_sql(compiler, connection) -> (sql,
params)` (or `as_<vendor>`, chosen by the compiler) and lists its children with
`get_source_expressions()`/`set_source_expressions()`, as Django's.

The SQL cache (SQLCompiler.compiled) adds two things to Django's protocol:
- `shape`: a hashable value describing the SQL a node renders, without parameter values. The
  default is the class, `shape_extra()` (whatever else decides the SQL text: a function name,
  a template) and the children's shapes. A subclass whose SQL depends on more state extends
  `shape_extra()`.
- parameters: a node that binds parameters itself is a leaf (`is_leaf` true) and returns them
  from `get_params(compiler, connection)`, equal to the params of its `as_sql`. Composite nodes
  list their leaves with `leaves(out)` (default: the children's), in the order of their
  placeholders (node_params relies on it); the compiler records the order in which leaves are
  rendered, which is the placeholder order. The whole contract: models/sql/compiler.py.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import functools
import inspect
import uuid
from typing import Any

from tether.exceptions import FieldError

NOT_SET: Any = object()


def collect_leaves(node: Any, out: list[Any]) -> list[Any]:
    """Append the parameter-carrying nodes of `node` (in a fixed order) to `out`."""
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


def shape_of(node: Any) -> Any:
    """A node's shape; None for a missing child, the repr for a foreign object."""
    if node is None:
        return None
    shape = getattr(node, "shape", NOT_SET)
    return repr(node) if shape is NOT_SET else shape


def _hashable(value: Any) -> Any:
    """A hashable stand-in for `value` (lists become tuples, dicts sorted item tuples)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


class OutputFieldIsNoneError(FieldError):
    pass


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
    BITXOR = "#"

    def _combine(self, other: Any, connector: str, reversed_: bool) -> Any:
        if not hasattr(other, "resolve_expression"):
            other = Value(other)
        if reversed_:
            return CombinedExpression(other, connector, self)
        return CombinedExpression(self, connector, other)

    def __neg__(self) -> Any:
        return self._combine(-1, self.MUL, False)

    def __add__(self, other: Any) -> Any:
        return self._combine(other, self.ADD, False)

    def __sub__(self, other: Any) -> Any:
        return self._combine(other, self.SUB, False)

    def __mul__(self, other: Any) -> Any:
        return self._combine(other, self.MUL, False)

    def __truediv__(self, other: Any) -> Any:
        return self._combine(other, self.DIV, False)

    def __mod__(self, other: Any) -> Any:
        return self._combine(other, self.MOD, False)

    def __pow__(self, other: Any) -> Any:
        return self._combine(other, self.POW, False)

    def __radd__(self, other: Any) -> Any:
        return self._combine(other, self.ADD, True)

    def __rsub__(self, other: Any) -> Any:
        return self._combine(other, self.SUB, True)

    def __rmul__(self, other: Any) -> Any:
        return self._combine(other, self.MUL, True)

    def __rtruediv__(self, other: Any) -> Any:
        return self._combine(other, self.DIV, True)

    def __rmod__(self, other: Any) -> Any:
        return self._combine(other, self.MOD, True)

    def __rpow__(self, other: Any) -> Any:
        return self._combine(other, self.POW, True)

    def bitand(self, other: Any) -> Any:
        return self._combine(other, self.BITAND, False)

    def bitor(self, other: Any) -> Any:
        return self._combine(other, self.BITOR, False)

    def bitxor(self, other: Any) -> Any:
        return self._combine(other, self.BITXOR, False)

    def bitleftshift(self, other: Any) -> Any:
        return self._combine(other, self.BITLEFTSHIFT, False)

    def bitrightshift(self, other: Any) -> Any:
        return self._combine(other, self.BITRIGHTSHIFT, False)

    def _logical(self, other: Any, connector: str) -> Any:
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            from tether.models.query_utils import Q

            return Q(self)._combine(Q(other), connector)
        raise NotImplementedError(_BITWISE)

    def __and__(self, other: Any) -> Any:
        return self._logical(other, "AND")

    def __or__(self, other: Any) -> Any:
        return self._logical(other, "OR")

    def __xor__(self, other: Any) -> Any:
        return self._logical(other, "XOR")

    def __rand__(self, other: Any) -> Any:
        raise NotImplementedError(_BITWISE)

    def __ror__(self, other: Any) -> Any:
        raise NotImplementedError(_BITWISE)

    def __rxor__(self, other: Any) -> Any:
        raise NotImplementedError(_BITWISE)

    def __invert__(self) -> Any:
        return NegatedExpression(self)


class BaseExpression:
    """What every expression node is: children, output type, resolving, copying, compiling."""

    empty_result_set_value: Any = NotImplemented
    # A query-level flag: set on resolved copies made for aggregate() (summaries).
    is_summary = False
    filterable = True
    window_compatible = False
    allowed_default = False
    constraint_validation_compatible = True
    set_returning = False
    allows_composite_expressions = False
    # Parameter-carrying node for the SQL cache; composite nodes are not leaves.
    is_leaf = False

    def __init__(self, output_field: Any = None) -> None:
        if output_field is not None:
            self.output_field = output_field

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("convert_value", None)
        return state

    # ---- the SQL cache -------------------------------------------------------------------

    def shape_extra(self) -> Any:
        """What besides the class and the children decides this node's SQL text."""
        return None

    @property
    def shape(self) -> Any:
        return (
            type(self),
            self.shape_extra(),
            tuple(shape_of(e) for e in self.get_source_expressions()),
        )

    def leaves(self, out: list[Any]) -> list[Any]:
        for expression in self.get_source_expressions():
            if expression is not None:
                collect_leaves(expression, out)
        return out

    # ---- children ------------------------------------------------------------------------

    def get_source_expressions(self) -> list[Any]:
        return []

    def set_source_expressions(self, exprs: list[Any]) -> None:
        assert not exprs

    def _parse_expressions(self, *expressions: Any) -> list[Any]:
        return [
            arg
            if hasattr(arg, "resolve_expression")
            else (F(arg) if isinstance(arg, str) else Value(arg))
            for arg in expressions
        ]

    def flatten(self) -> Any:
        yield self
        for expr in self.get_source_expressions():
            if expr is not None:
                if hasattr(expr, "flatten"):
                    yield from expr.flatten()
                else:
                    yield expr

    # ---- what the node contains ----------------------------------------------------------

    @property
    def contains_aggregate(self) -> bool:
        if "_contains_aggregate" in self.__dict__:
            return self.__dict__["_contains_aggregate"]  # type: ignore[no-any-return]
        return any(
            expr is not None and getattr(expr, "contains_aggregate", False)
            for expr in self.get_source_expressions()
        )

    @contains_aggregate.setter
    def contains_aggregate(self, value: bool) -> None:
        # Func("book", function="COUNT") marked as an aggregate by hand, as Django allows.
        self.__dict__["_contains_aggregate"] = value

    @property
    def contains_over_clause(self) -> bool:
        return any(
            expr is not None and getattr(expr, "contains_over_clause", False)
            for expr in self.get_source_expressions()
        )

    @property
    def contains_subquery(self) -> bool:
        return any(
            expr is not None and getattr(expr, "contains_subquery", False)
            for expr in self.get_source_expressions()
        )

    @property
    def contains_column_references(self) -> bool:
        return any(
            expr is not None and getattr(expr, "contains_column_references", False)
            for expr in self.get_source_expressions()
        )

    @property
    def conditional(self) -> bool:
        from tether.models.fields import BooleanField

        return isinstance(self._output_field_or_none, BooleanField)

    @property
    def field(self) -> Any:
        return self.output_field

    # ---- output type ---------------------------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        # output_field is computed once and stored: a cached attribute, as Django's.
        if name == "output_field":
            output_field = self._resolve_output_field()
            if output_field is None:
                self._output_field_resolved_to_none = True
                raise OutputFieldIsNoneError("Cannot resolve expression type, unknown output_field")
            self.__dict__["output_field"] = output_field
            return output_field
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def _output_field_or_none(self) -> Any:
        try:
            return self.output_field
        except OutputFieldIsNoneError:
            if self.__dict__.get("_output_field_resolved_to_none"):
                return None
            raise

    def _resolve_output_field(self) -> Any:
        """The sources' output type when they all agree (NULLs ignored), as Django infers it."""
        sources = [s for s in self.get_source_fields() if s is not None]
        for output_field in sources:
            for source in sources:
                if not isinstance(output_field, type(source)):
                    raise FieldError(
                        f"Expression contains mixed types: {type(output_field).__name__}, "
                        f"{type(source).__name__}. You must set output_field."
                    )
            return output_field
        return None

    def get_source_fields(self) -> list[Any]:
        return [
            getattr(e, "_output_field_or_none", None)
            for e in self.get_source_expressions()
            if e is not None
        ]

    @staticmethod
    def _convert_value_noop(value: Any, expression: Any, connection: Any) -> Any:
        return value

    @property
    def convert_value(self) -> Any:
        """Django's coercion of a computed value to the output type (float, int, Decimal)."""
        field = self.output_field
        internal_type = field.get_internal_type()
        if internal_type == "FloatField":
            return lambda value, expression, connection: None if value is None else float(value)
        if internal_type.endswith("IntegerField"):
            return lambda value, expression, connection: None if value is None else int(value)
        if internal_type == "DecimalField":
            return lambda value, expression, connection: (
                None if value is None else decimal.Decimal(str(value))
            )
        return self._convert_value_noop

    def get_db_converters(self, connection: Any) -> list[Any]:
        convert = self.convert_value
        own = (
            []
            if convert is self._convert_value_noop
            else [lambda value: convert(value, self, connection)]
        )
        field = self._output_field_or_none
        if field is None:
            return own
        converters = list(field.get_db_converters(connection))
        if field.get_internal_type() == "DecimalField":
            # The backend reads a decimal first, as in Django: SQLite's float result keeps
            # the 15 digits a double holds (0.1, not 0.09999999999999998).
            return converters + own
        return own + converters

    def get_lookup(self, lookup: str) -> Any:
        return self.output_field.get_lookup(lookup)

    def get_transform(self, name: str) -> Any:
        return self.output_field.get_transform(name)

    # ---- resolving and copying -----------------------------------------------------------

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
        c.set_source_expressions(
            [
                None
                if expr is None
                else expr.resolve_expression(query, allow_joins, reuse, summarize)
                for expr in c.get_source_expressions()
            ]
        )
        return c

    def copy(self) -> Any:
        return copy.copy(self)

    def relabeled_clone(self, change_map: dict[str, str]) -> Any:
        clone = self.copy()
        clone.set_source_expressions(
            [
                e.relabeled_clone(change_map)
                if e is not None and hasattr(e, "relabeled_clone")
                else e
                for e in self.get_source_expressions()
            ]
        )
        return clone

    def replace_expressions(self, replacements: dict[Any, Any]) -> Any:
        if replacement := replacements.get(self):
            return replacement
        if not (source_expressions := self.get_source_expressions()):
            return self
        clone = self.copy()
        clone.set_source_expressions(
            [
                None
                if expr is None
                else (
                    expr.replace_expressions(replacements)
                    if hasattr(expr, "replace_expressions")
                    else expr
                )
                for expr in source_expressions
            ]
        )
        return clone

    def get_refs(self) -> set[str]:
        refs: set[str] = set()
        for expr in self.get_source_expressions():
            if expr is not None and hasattr(expr, "get_refs"):
                refs |= expr.get_refs()
        return refs

    def get_group_by_cols(self) -> list[Any]:
        if not self.contains_aggregate:
            return [self]
        cols: list[Any] = []
        for source in self.get_source_expressions():
            if source is not None and hasattr(source, "get_group_by_cols"):
                cols.extend(source.get_group_by_cols())
        return cols

    def select_format(self, compiler: Any, sql: str, params: list[Any]) -> tuple[str, list[Any]]:
        return sql, params

    # ---- compiling -----------------------------------------------------------------------

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        raise NotImplementedError("Subclasses must implement as_sql()")

    # ---- ordering ------------------------------------------------------------------------

    def asc(self, **kwargs: Any) -> OrderBy:
        return OrderBy(self, **kwargs)

    def desc(self, **kwargs: Any) -> OrderBy:
        return OrderBy(self, descending=True, **kwargs)

    def reverse_ordering(self) -> Any:
        return self


class Expression(BaseExpression, Combinable):
    """An expression that can be combined with others, compared and deconstructed."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        obj = super().__new__(cls)
        obj.__dict__["_constructor_args"] = (args, kwargs)
        return obj

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        args, kwargs = self.__dict__.get("_constructor_args", ((), {}))
        return _deconstruct_path(type(self)), tuple(args), dict(kwargs)

    @property
    def identity(self) -> tuple[Any, ...]:
        cached = self.__dict__.get("_identity")
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        args, kwargs = self.__dict__.get("_constructor_args", ((), {}))
        signature = inspect.signature(self.__init__)  # type: ignore[misc]
        bound = signature.bind_partial(*args, **kwargs)
        bound.apply_defaults()
        identity: list[Any] = [type(self)]
        for name, value in bound.arguments.items():
            identity.append((name, _identity_value(value)))
        result = tuple(identity)
        self.__dict__["_identity"] = result
        return result

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expression):
            return NotImplemented
        return other.identity == self.identity

    def __hash__(self) -> int:
        return hash(self.identity)


def _identity_value(value: Any) -> Any:
    from tether.models.fields import Field

    if isinstance(value, Field):
        model = getattr(value, "model", None)
        if getattr(value, "name", None) and model is not None:
            return (model._meta.label, value.name)
        return type(value)
    if isinstance(value, dict):  # **extra: an output_field given there counts by its type too
        return tuple(sorted((key, _identity_value(item)) for key, item in value.items()))
    return _hashable(value)


def _deconstruct_path(cls: type) -> str:
    """Public classes deconstruct to tether.models paths, as Django's to django.db.models;
    the others (functions among them) to their own module, as Django's."""
    public = ("F", "Q", "Value", "Func", "Case", "When", "ExpressionWrapper", "OrderBy")
    if cls.__name__ in public and cls.__module__.startswith("tether.models"):
        return f"tether.models.{cls.__name__}"
    return f"{cls.__module__}.{cls.__qualname__}"


class Col(Expression):
    """A column of a table alias: `"alias"."column"`."""

    contains_column_references = True  # type: ignore[assignment]
    possibly_multivalued = False
    shape: Any = None  # set per instance: a plain attribute, not the computed default

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return object.__new__(cls)

    def __init__(self, alias: str | None, target: Any, output_field: Any = None) -> None:
        # alias None: the bare column (a query built with alias_cols=False).
        self.alias = alias
        self.target = target
        if output_field is None:
            output_field = target
        if getattr(output_field, "generated", False):
            # A generated column is of its output field's type (what F("total") * 2 infers).
            output_field = output_field.output_field
        self.output_field = output_field
        self.shape = ("col", alias, target.column)

    @property  # type: ignore[misc]
    def identity(self) -> tuple[Any, ...]:
        return (Col, self.alias, _identity_value(self.target), _identity_value(self.output_field))

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        qn = compiler.quote_name
        if self.alias is None:
            return qn(self.target.column), []
        return f"{qn(self.alias)}.{qn(self.target.column)}", []

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> Col:
        return self

    def leaves(self, out: list[Any]) -> list[Any]:
        return out

    def relabeled_clone(self, change_map: dict[str, str]) -> Col:
        alias = self.alias if self.alias is None else change_map.get(self.alias, self.alias)
        return Col(alias, self.target, self.output_field)

    def get_group_by_cols(self) -> list[Any]:
        return [self]

    def get_db_converters(self, connection: Any) -> list[Any]:
        if self.target is self.output_field:
            return self.output_field.get_db_converters(connection)  # type: ignore[no-any-return]
        return list(self.output_field.get_db_converters(connection)) + list(
            self.target.get_db_converters(connection)
        )

    def __repr__(self) -> str:
        return f"Col({self.alias}, {self.target})"


class Star(Expression):
    """`*`, as in COUNT(*)."""

    def __repr__(self) -> str:
        return "'*'"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return "*", []


class Ref(Expression):
    """A reference to an annotation of the query by its select alias."""

    def __init__(self, refs: str, source: Any) -> None:
        super().__init__()
        self.refs = refs
        self.source = source

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.refs}, {self.source})"

    def shape_extra(self) -> Any:
        return self.refs

    def get_source_expressions(self) -> list[Any]:
        return [self.source]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.source,) = exprs

    def leaves(self, out: list[Any]) -> list[Any]:
        return out  # the alias binds nothing

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Ref:
        return self

    def get_refs(self) -> set[str]:
        return {self.refs}

    def relabeled_clone(self, change_map: dict[str, str]) -> Ref:
        return self

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return compiler.quote_name(self.refs), []

    def get_group_by_cols(self) -> list[Any]:
        return [self]

    def _resolve_output_field(self) -> Any:
        return self.source.output_field


def resolve_field_ref(query: Any, name: str, allow_joins: bool = True, reuse: Any = None) -> Any:
    """The node for `name` in `query`: an annotation, or a column reached through joins."""
    from tether.models.sql.constants import LOOKUP_SEP

    if name in query.annotations:
        annotation = query.annotations[name]
        if not allow_joins and _reads_a_join(annotation, query.base_table_alias()):
            raise FieldError("Joined field references are not permitted in this query")
        return annotation
    parts = name.split(LOOKUP_SEP)
    path, field, targets, remaining = query.names_to_path(parts, query.get_meta())
    node: Any
    if field is not None and not path and field in query.annotations.values():
        node = field
        for transform_name in remaining:
            node = query.try_transform(node, transform_name)
        return node
    if not allow_joins and any(not info.direct or info.m2m for info in path):
        raise FieldError("Joined field references are not permitted in this query")
    aliases = query.setup_joins(path, query.base_table_alias(), reuse)
    if reuse is not None:
        reuse.update(aliases)  # later conditions of the same filter() call reuse these joins
    trimmed, alias, aliases = query.trim_joins(targets, aliases, path)
    if not allow_joins and len(aliases) > 1:
        raise FieldError("Joined field references are not permitted in this query")
    many = getattr(field, "many_to_many", False)
    concrete_relation = field.is_relation and field.concrete and not many
    output = field if not field.is_relation or concrete_relation else trimmed[0]
    node = query.make_col(alias, trimmed[0], output)
    for transform_name in remaining:
        try:
            node = query.try_transform(node, transform_name)
        except FieldError:
            from tether.models.fields import Field

            if isinstance(field, Field):
                # As Django: after a field, an unknown name is a path error ("Cannot resolve
                # keyword 'nope' into field..."), not an unknown transform.
                raise query.unresolved_name_error(field, parts, remaining) from None
            raise
    return node


def _reads_a_join(node: Any, base_alias: str) -> bool:
    """Whether a resolved expression reads a column of a table other than the query's own."""
    if isinstance(node, Col):
        return node.alias != base_alias
    children: list[Any] = getattr(node, "get_source_expressions", list)()
    return any(child is not None and _reads_a_join(child, base_alias) for child in children)


class F(Combinable):
    """A reference to a field (or annotation) of the query's model: `F("reporter__name")`."""

    contains_aggregate = False
    contains_over_clause = False
    allowed_default = False

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name})"

    @property
    def shape(self) -> Any:
        return (type(self), self.name)

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

    def replace_expressions(self, replacements: dict[Any, Any]) -> Any:
        return replacements.get(self, self)

    def asc(self, **kwargs: Any) -> OrderBy:
        return OrderBy(self, **kwargs)

    def desc(self, **kwargs: Any) -> OrderBy:
        return OrderBy(self, descending=True, **kwargs)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return "tether.models.F", (self.name,), {}

    def __eq__(self, other: object) -> bool:
        return self.__class__ == other.__class__ and self.name == other.name  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.name)

    def copy(self) -> F:
        return copy.copy(self)

    def __getitem__(self, subscript: Any) -> Any:
        from tether.models.expressions.slicing import Sliced

        return Sliced(self, subscript)

    def __contains__(self, other: Any) -> bool:
        # Without this, `in` would try __getitem__ with integers forever.
        raise TypeError(f"argument of type '{self.__class__.__name__}' is not iterable")

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _field_for_value(value: Any) -> Any:
    from tether.models import fields

    if isinstance(value, str):
        return fields.CharField()
    if isinstance(value, bool):
        return fields.BooleanField()
    if isinstance(value, int):
        return fields.IntegerField()
    if isinstance(value, float):
        return fields.FloatField()
    if isinstance(value, decimal.Decimal):
        return fields.DecimalField()
    if isinstance(value, datetime.datetime):
        return fields.DateTimeField()
    if isinstance(value, datetime.date):
        return fields.DateField()
    from tether.models.fields import temporal

    if isinstance(value, datetime.time):
        return temporal.TimeField()
    if isinstance(value, datetime.timedelta):
        return temporal.DurationField()
    if isinstance(value, bytes | uuid.UUID):
        from tether.models.fields import text

        field_class = text.BinaryField if isinstance(value, bytes) else text.UUIDField
        return field_class()
    return None


class Value(Expression):
    """A literal value, always sent as a bound parameter (NULL is written as NULL)."""

    for_save = False
    allowed_default = True

    def __init__(self, value: Any, output_field: Any = None) -> None:
        super().__init__(output_field=output_field)
        self.value = value

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"

    @property
    def is_leaf(self) -> bool:  # type: ignore[override]
        # NULL is written as NULL, unless a given output field prepares it (JSON null).
        return self.value is not None or "output_field" in self.__dict__

    @property
    def shape(self) -> Any:
        explicit = self.__dict__.get("output_field")
        return ("value", type(self.value), None if explicit is None else type(explicit))

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Value:
        # The same object, so that a Value inside an unresolved expression (an ordering) is
        # the leaf the compiler binds.
        if for_save and not self.for_save:
            c = self.copy()
            c.for_save = True
            return c  # type: ignore[no-any-return]
        return self

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        if not self.is_leaf:
            return []
        field = self._output_field_or_none
        if field is None:
            return [self.value]
        if self.for_save:
            return [field.get_db_prep_save(self.value, connection)]
        return [field.get_db_prep_value(self.value, connection, prepared=False)]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if not self.is_leaf:
            return "NULL", []
        return "%s", self.get_params(compiler, connection)

    def leaves(self, out: list[Any]) -> list[Any]:
        if self.is_leaf:
            out.append(self)
        return out

    def relabeled_clone(self, change_map: dict[str, str]) -> Value:
        return self

    def get_group_by_cols(self) -> list[Any]:
        return []

    def _resolve_output_field(self) -> Any:
        return _field_for_value(self.value)

    @property
    def empty_result_set_value(self) -> Any:  # type: ignore[override]
        return self.value


_DATES = ("DateField", "DateTimeField")


@functools.cache
def _combinations() -> dict[str, tuple[tuple[type, type, type], ...]]:
    """Django's table of the output type of `lhs <connector> rhs`: (lhs, rhs, result) rows,
    the first whose sides the operand types are subclasses of wins; `NoneType` is an operand
    without a type (Value(None))."""
    from tether.models import fields
    from tether.models.fields.temporal import DurationField, TimeField

    integer, decimal_, float_ = fields.IntegerField, fields.DecimalField, fields.FloatField
    date, datetime_, none = fields.DateField, fields.DateTimeField, type(None)
    arithmetic = ("+", "-", "*", "/", "%%")
    positive = fields.PositiveIntegerField
    # Two positive integers stay positive, except in a subtraction.
    table: dict[str, list[tuple[type, type, type]]] = {
        connector: [(positive, positive, positive)] for connector in ("+", "*", "/", "%%", "^")
    }
    for connector in (*arithmetic, "^"):
        table.setdefault(connector, []).extend(
            (kind, kind, kind) for kind in (integer, float_, decimal_)
        )
    for connector in arithmetic:  # mixed numbers: not for the power operator
        table[connector].extend(
            [
                (integer, decimal_, decimal_),
                (decimal_, integer, decimal_),
                (integer, float_, float_),
                (float_, integer, float_),
            ]
        )
    for connector in ("&", "|", "<<", ">>", "#"):
        table.setdefault(connector, []).append((integer, integer, integer))
    for connector in (*arithmetic, "^"):
        for kind in (integer, decimal_, float_):
            table[connector].extend([(kind, none, kind), (none, kind, kind)])
    table["+"].extend(
        [
            (date, DurationField, datetime_),
            (datetime_, DurationField, datetime_),
            (DurationField, date, datetime_),
            (DurationField, datetime_, datetime_),
            (DurationField, DurationField, DurationField),
            (TimeField, DurationField, TimeField),
            (DurationField, TimeField, TimeField),
        ]
    )
    table["-"].extend(
        [
            (date, DurationField, datetime_),
            (datetime_, DurationField, datetime_),
            (date, date, DurationField),
            (date, datetime_, DurationField),
            (datetime_, date, DurationField),
            (datetime_, datetime_, DurationField),
            (DurationField, DurationField, DurationField),
            (TimeField, DurationField, TimeField),
            (TimeField, TimeField, DurationField),
        ]
    )
    return {connector: tuple(rows) for connector, rows in table.items()}


def _operand_type(field: Any) -> type:
    """The type an operand counts as: a relation as the field it points to, as Django's
    column of a foreign key outputs its target field."""
    while field is not None and getattr(field, "is_relation", False):
        target = getattr(field, "target_field", None)
        if target is None or target is field:
            break
        field = target
    return type(field)


def combined_output(connector: str, lhs_field: Any, rhs_field: Any) -> Any:
    """The output field of `lhs <connector> rhs`, or Django's FieldError for a mix it does
    not know: the operand's own field when the result is of its type, else a new one."""
    lhs_type, rhs_type = _operand_type(lhs_field), _operand_type(rhs_field)
    for lhs_kind, rhs_kind, result in _combinations().get(connector, ()):
        if issubclass(lhs_type, lhs_kind) and issubclass(rhs_type, rhs_kind):
            return result()
    raise FieldError(
        f"Cannot infer type of {connector!r} expression involving these types: "
        f"{lhs_type.__name__}, {rhs_type.__name__}. You must set output_field."
    )


class SQLiteNumericMixin:
    """On SQLite a computed decimal is cast to NUMERIC: a result with no column affinity would
    otherwise compare as a number against a decimal parameter bound as text (and every number
    sorts before every text), so `qty_needed__gt=0` would match nothing."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = self.as_sql(compiler, connection, **extra)  # type: ignore[attr-defined]
        try:
            internal = self.output_field.get_internal_type()  # type: ignore[attr-defined]
        except FieldError:
            return sql, params
        if internal == "DecimalField":
            sql = f"(CAST({sql} AS NUMERIC))"
        return sql, params


class CombinedExpression(SQLiteNumericMixin, Expression):
    """`lhs <connector> rhs`, parenthesised; the backend writes POWER, XOR and shifts."""

    def __init__(self, lhs: Any, connector: str, rhs: Any, output_field: Any = None) -> None:
        super().__init__(output_field=output_field)
        self.lhs = lhs
        self.connector = connector
        self.rhs = rhs

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>"

    def __str__(self) -> str:
        return f"{self.lhs} {self.connector} {self.rhs}"

    def shape_extra(self) -> Any:
        return self.connector

    def get_source_expressions(self) -> list[Any]:
        return [self.lhs, self.rhs]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        self.lhs, self.rhs = exprs

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
        c.lhs = self.lhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        c.rhs = self.rhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return c

    def _resolve_output_field(self) -> Any:
        return combined_output(
            self.connector,
            getattr(self.lhs, "_output_field_or_none", None),
            getattr(self.rhs, "_output_field_or_none", None),
        )

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs_sql, lhs_params = compiler.compile(self.lhs)
        rhs_sql, rhs_params = compiler.compile(self.rhs)
        params = lhs_params + rhs_params
        duration_side = self._duration_side()
        if duration_side is not None:
            sql = connection.ops.combine_duration_sql(
                self.connector, lhs_sql, rhs_sql, duration_side
            )
            return sql, params
        sql = connection.ops.combine_expression(self.connector, [lhs_sql, rhs_sql])
        return f"({sql})", params

    def _duration_side(self) -> str | None:
        """ "lhs" or "rhs": the duration of a date-plus-duration expression; None otherwise."""
        if self.connector not in (self.ADD, self.SUB):
            return None
        types = []
        for side in (self.lhs, self.rhs):
            field = getattr(side, "_output_field_or_none", None)
            types.append(None if field is None else field.get_internal_type())
        if types[0] in _DATES and types[1] == "DurationField":
            return "rhs"
        if types[1] in _DATES and types[0] == "DurationField":
            return "lhs"
        return None


class Func(SQLiteNumericMixin, Expression):
    """An SQL function call: `Func(F("a"), F("b"), function="COALESCE")`.

    `template` is formatted with `function`, `expressions` (the compiled arguments joined by
    `arg_joiner`) and any extra keyword given to the constructor or to as_sql(); `arity`
    fixes the number of arguments.
    """

    function: str | None = None
    template = "%(function)s(%(expressions)s)"
    arg_joiner = ", "
    arity: int | None = None

    def __init__(self, *expressions: Any, output_field: Any = None, **extra: Any) -> None:
        if self.arity is not None and len(expressions) != self.arity:
            plural = "" if self.arity == 1 else "s"
            raise TypeError(
                f"'{type(self).__name__}' takes exactly {self.arity} argument{plural} "
                f"({len(expressions)} given)"
            )
        super().__init__(output_field=output_field)
        self.source_expressions = self._parse_expressions(*expressions)
        self.extra = extra

    def __repr__(self) -> str:
        args = self.arg_joiner.join(str(arg) for arg in self.source_expressions)
        extra = {**self.extra, **self._get_repr_options()}
        if extra:
            options = ", ".join(f"{key}={value}" for key, value in sorted(extra.items()))
            return f"{type(self).__name__}({args}, {options})"
        return f"{type(self).__name__}({args})"

    def _get_repr_options(self) -> dict[str, Any]:
        return {}

    def shape_extra(self) -> Any:
        explicit = self.__dict__.get("output_field")
        return (
            self.function,
            self.template,
            self.arg_joiner,
            _hashable(self.extra),
            None if explicit is None else type(explicit),
        )

    def get_source_expressions(self) -> list[Any]:
        return self.source_expressions

    def set_source_expressions(self, exprs: list[Any]) -> None:
        self.source_expressions = list(exprs)

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
            arg.resolve_expression(query, allow_joins, reuse, summarize, for_save)
            for arg in c.source_expressions
        ]
        return c

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        *,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        sql_parts = []
        params: list[Any] = []
        for arg in self.source_expressions:
            arg_sql, arg_params = compiler.compile(arg)
            sql_parts.append(arg_sql)
            params.extend(arg_params)
        data = {**self.extra, **extra_context}
        if function is not None:
            data["function"] = function
        else:
            data.setdefault("function", self.function)
        template = template or data.get("template", self.template)
        arg_joiner = arg_joiner or data.get("arg_joiner", self.arg_joiner)
        data["expressions"] = data["field"] = arg_joiner.join(sql_parts)
        return template % data, params

    def copy(self) -> Any:
        c = super().copy()
        c.source_expressions = self.source_expressions[:]
        c.extra = self.extra.copy()
        return c


# The wrappers and ordering nodes live in their own module; imported last (they subclass
# the classes above) so that `tether.models.expressions` names every basic node, as Django's.
from tether.models.expressions.raw import RawSQL  # noqa: E402
from tether.models.expressions.wrappers import (  # noqa: E402
    ExpressionList,
    ExpressionWrapper,
    NegatedExpression,
    OrderBy,
    OrderByList,
)

__all__ = [
    "BaseExpression",
    "Col",
    "Combinable",
    "CombinedExpression",
    "Expression",
    "ExpressionList",
    "ExpressionWrapper",
    "F",
    "Func",
    "NegatedExpression",
    "OrderBy",
    "OrderByList",
    "RawSQL",
    "Ref",
    "Star",
    "Value",
]
