"""Index, declared in Meta.indexes and created with its model (or by AddIndex)."""

from __future__ import annotations

from typing import Any

from tether.models.expressions import F
from tether.models.query_utils import Q


class Index:
    # The type introspection reports for a plain (B-tree) index, and the auto-name suffix.
    suffix = "idx"

    def __init__(
        self,
        *expressions: Any,
        fields: Any = (),
        name: str | None = None,
        db_tablespace: str | None = None,
        opclasses: Any = (),
        condition: Q | None = None,
        include: Any = None,
    ) -> None:
        _check_arguments(expressions, fields, name, opclasses, condition, include)
        self.fields = list(fields)
        self.name = name or ""
        self.db_tablespace = db_tablespace
        self.opclasses = opclasses
        self.condition = condition
        self.include = tuple(include) if include else ()
        self.expressions = tuple(F(e) if isinstance(e, str) else e for e in expressions)

    @property
    def contains_expressions(self) -> bool:
        return bool(self.expressions)

    def create_sql(self, model: Any, editor: Any) -> str | None:
        """CREATE INDEX with each field's order ('-name': DESC) or the expressions, the
        condition where the backend has partial indexes (MariaDB: the index without it), the
        included columns and the operator classes where the backend has them; None where the
        backend cannot index an expression (MariaDB), as Django's schema editor skips it."""
        from tether.models.constraints import condition_sql, index_part_sql

        features = editor.connection.features
        if self.expressions and not features.supports_expression_indexes:
            return None
        condition = ""
        if self.condition is not None and features.supports_partial_indexes:
            condition = condition_sql(self.condition, model, editor)
        if self.expressions:
            keys = [index_part_sql(expression, model, editor) for expression in self.expressions]
            columns = []
        else:
            columns = [model._meta.get_field(name.lstrip("-")).column for name in self.fields]
            opclasses = self.opclasses or [""] * len(columns)
            keys = [
                editor._index_key(editor.quote_name(column), opclass)
                + (" DESC" if name.startswith("-") else "")
                for name, column, opclass in zip(self.fields, columns, opclasses, strict=True)
            ]
        return editor.index_sql(  # type: ignore[no-any-return]
            model,
            [],
            name=self.name or editor._create_index_name(model._meta.db_table, columns, ""),
            condition=condition,
            expressions=keys,
            include=[model._meta.get_field(name).column for name in self.include],
            tablespace=self.db_tablespace,
        )

    def remove_sql(self, model: Any, editor: Any) -> str:
        return editor._delete_index_sql(model, self.name)  # type: ignore[no-any-return]

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """(path, args, kwargs) that rebuild this index, as Django's Index.deconstruct()."""
        kwargs: dict[str, Any] = {"name": self.name}
        if self.fields:
            kwargs["fields"] = self.fields
        if self.db_tablespace is not None:
            kwargs["db_tablespace"] = self.db_tablespace
        if self.opclasses:
            kwargs["opclasses"] = self.opclasses
        if self.condition is not None:
            kwargs["condition"] = self.condition
        if self.include:
            kwargs["include"] = self.include
        return "tether.models.Index", self.expressions, kwargs

    def clone(self) -> Index:
        _, args, kwargs = self.deconstruct()
        return type(self)(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Index):
            return NotImplemented
        return self.deconstruct() == other.deconstruct()

    def __hash__(self) -> int:
        return hash((type(self), self.name))

    def __repr__(self) -> str:
        parts = [
            f" fields={self.fields!r}" if self.fields else "",
            f" expressions={self.expressions!r}" if self.expressions else "",
            f" name={self.name!r}" if self.name else "",
            f" db_tablespace={self.db_tablespace!r}" if self.db_tablespace is not None else "",
            f" condition={self.condition}" if self.condition is not None else "",
            f" include={self.include!r}" if self.include else "",
            f" opclasses={self.opclasses!r}" if self.opclasses else "",
        ]
        return f"<{type(self).__qualname__}:{''.join(parts)}>"


def _check_arguments(
    expressions: tuple[Any, ...],
    fields: Any,
    name: str | None,
    opclasses: Any,
    condition: Any,
    include: Any,
) -> None:
    """Django's ValueErrors for an Index declared wrongly, in Django's order."""
    if opclasses and not name:
        raise ValueError("An index must be named to use opclasses.")
    if condition is not None and not isinstance(condition, Q):
        raise ValueError("Index.condition must be a Q instance.")
    if condition and not name:
        raise ValueError("An index must be named to use condition.")
    if not isinstance(fields, list | tuple):
        raise ValueError("Index.fields must be a list or tuple.")
    if not isinstance(opclasses, list | tuple):
        raise ValueError("Index.opclasses must be a list or tuple.")
    if not expressions and not fields:
        raise ValueError("At least one field or expression is required to define an index.")
    if expressions and fields:
        raise ValueError("Index.fields and expressions are mutually exclusive.")
    if expressions and not name:
        raise ValueError("An index must be named to use expressions.")
    if expressions and opclasses:
        # Django's message goes on to name django.contrib.postgres's OpClass(), which tether
        # does not have (docs/differences-from-django.md).
        raise ValueError("Index.opclasses cannot be used with expressions.")
    if opclasses and len(fields) != len(opclasses):
        raise ValueError("Index.fields and Index.opclasses must have the same number of elements.")
    if fields and not all(isinstance(field, str) for field in fields):
        raise ValueError("Index.fields must contain only strings with field names.")
    if include and not name:
        raise ValueError("A covering index must be named.")
    if include is not None and not isinstance(include, list | tuple):
        raise ValueError("Index.include must be a list or tuple.")
