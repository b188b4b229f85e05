"""Functions that compare or convert: Cast, Coalesce, Collate, Greatest, Least, NullIf.

Names, arguments, errors and per-backend SQL follow `django.db.models.functions`. Nothing a
caller passes is pasted into the SQL: a cast's type comes from the backend's type table (and is
checked to be a type name), a collation is checked against Django's pattern and quoted.
"""

from __future__ import annotations

import re
from typing import Any

from tether.models.expressions import Func

# The characters of a type name such as "varchar(10)", "numeric(8, 2)", "signed integer".
_TYPE_NAME = re.compile(r"^[\w ]+(\(\d+(, ?\d+)?\))?[\w ]*$")


def cast_type(field: Any, connection: Any, db_type: str | None = None) -> str:
    """The type `field` is cast to on `connection`, refused unless it reads as a type name
    (a field's max_length or max_digits is formatted into it)."""
    db_type = field.cast_db_type(connection) if db_type is None else db_type
    if not db_type or not _TYPE_NAME.match(db_type):
        raise ValueError(f"Cannot cast to {type(field).__name__}: type {db_type!r}.")
    return db_type


def _field_shape(field: Any) -> Any:
    """What of a cast's target field its type name depends on."""
    return (
        type(field),
        getattr(field, "max_length", None),
        getattr(field, "max_digits", None),
        getattr(field, "decimal_places", None),
    )


# SQLite's datetime() and time() drop fractional seconds; strftime keeps them. The format's
# "%" is doubled twice: once for the template, once for the placeholder style.
_SQLITE_TEMPLATES = {
    "datetime": "strftime('%%%%Y-%%%%m-%%%%d %%%%H:%%%%M:%%%%f', %(expressions)s)",
    "time": "strftime('%%%%H:%%%%M:%%%%f', %(expressions)s)",
    "date": "date(%(expressions)s)",
}


class Cast(Func):
    """Coerce an expression to the type of `output_field`."""

    function = "CAST"
    template = "%(function)s(%(expressions)s AS %(db_type)s)"

    def __init__(self, expression: Any, output_field: Any) -> None:
        super().__init__(expression, output_field=output_field)

    def shape_extra(self) -> Any:
        return (super().shape_extra(), _field_shape(self.output_field))

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        extra_context["db_type"] = cast_type(self.output_field, connection)
        return super().as_sql(compiler, connection, **extra_context)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        template = _SQLITE_TEMPLATES.get(self.output_field.db_type(connection))
        if template is not None:
            return super().as_sql(compiler, connection, template=template, **extra)
        return self.as_sql(compiler, connection, **extra)

    def as_mysql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        internal_type = self.output_field.get_internal_type()
        if internal_type == "FloatField":  # MySQL has no CAST(... AS float) before 8.0.17
            extra["template"] = "(%(expressions)s + 0.0)"
        elif internal_type == "JSONField" and connection.mysql_is_mariadb:
            extra["template"] = "JSON_EXTRACT(%(expressions)s, '$')"  # no CAST AS JSON
        return self.as_sql(compiler, connection, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return self.as_sql(compiler, connection, template="(%(expressions)s)::%(db_type)s", **extra)


class Coalesce(Func):
    """The first of its arguments that is not NULL."""

    function = "COALESCE"

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        if len(expressions) < 2:
            raise ValueError("Coalesce must take at least two expressions")
        super().__init__(*expressions, **extra)

    @property
    def empty_result_set_value(self) -> Any:  # type: ignore[override]
        # Over no rows: the first argument that has a value there (an aggregate's default).
        for expression in self.get_source_expressions():
            value = expression.empty_result_set_value
            if value is NotImplemented or value is not None:
                return value
        return None


class Collate(Func):
    """`expression COLLATE "name"`: the collation is an identifier, checked and quoted."""

    function = "COLLATE"
    template = "%(expressions)s %(function)s %(collation)s"
    allowed_default = False
    # Django's rule (PostgreSQL's identifier characters, and "-").
    collation_re = re.compile(r"^[\w-]+$")

    def __init__(self, expression: Any, collation: str) -> None:
        if not (collation and self.collation_re.match(collation)):
            raise ValueError(f"Invalid collation name: {collation!r}.")
        self.collation = collation
        super().__init__(expression)

    def shape_extra(self) -> Any:
        return (super().shape_extra(), self.collation)

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        extra_context.setdefault("collation", connection.ops.quote_name(self.collation))
        return super().as_sql(compiler, connection, **extra_context)


class _AtLeastTwo(Func):
    """A function of two or more arguments; SQLite names it differently."""

    sqlite_function = ""

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        if len(expressions) < 2:
            raise ValueError(f"{type(self).__name__} must take at least two expressions")
        super().__init__(*expressions, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # SQLite's multi-argument MAX/MIN give NULL when any argument is NULL, as MySQL's
        # GREATEST/LEAST do; PostgreSQL's ignore NULLs (Django documents the difference).
        return super().as_sqlite(compiler, connection, function=self.sqlite_function, **extra)


class Greatest(_AtLeastTwo):
    """The largest argument (NULL if any is NULL, except on PostgreSQL)."""

    function = "GREATEST"
    sqlite_function = "MAX"


class Least(_AtLeastTwo):
    """The smallest argument (NULL if any is NULL, except on PostgreSQL)."""

    function = "LEAST"
    sqlite_function = "MIN"


class NullIf(Func):
    """NULL when both arguments are equal, else the first."""

    function = "NULLIF"
    arity = 2


__all__ = ["Cast", "Coalesce", "Collate", "Greatest", "Least", "NullIf"]
