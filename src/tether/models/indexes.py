"""Index, declared in Meta.indexes and created with its model."""

from __future__ import annotations

from typing import Any


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
        condition: Any = None,
        include: Any = None,
    ) -> None:
        if not fields and not expressions:
            raise ValueError("At least one field or expression is required to define an index.")
        self.fields = list(fields)
        self.name = name
        self.condition = condition

    def create_sql(self, model: Any, editor: Any) -> str:
        """CREATE INDEX with each field's order ('-name': DESC) and the condition, where the
        backend has partial indexes (MariaDB/MySQL: the index without it)."""
        from tether.models.constraints import condition_sql

        columns = [model._meta.get_field(name.lstrip("-")).column for name in self.fields]
        ordered = [
            editor.quote_name(column) + (" DESC" if name.startswith("-") else "")
            for name, column in zip(self.fields, columns, strict=True)
        ]
        condition = ""
        if self.condition is not None and editor.connection.features.supports_partial_indexes:
            condition = condition_sql(self.condition, model, editor)
        name = self.name or editor._create_index_name(model._meta.db_table, columns, "")
        return editor.index_sql(  # type: ignore[no-any-return]
            model, [], name=name, condition=condition, expressions=ordered
        )

    def remove_sql(self, model: Any, editor: Any) -> str:
        return editor._delete_index_sql(model, self.name)  # type: ignore[no-any-return]

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """(path, args, kwargs) that rebuild this index, as Django's Index.deconstruct()."""
        kwargs: dict[str, Any] = {"fields": self.fields, "name": self.name}
        if self.condition is not None:
            kwargs["condition"] = self.condition
        return "tether.models.Index", (), kwargs

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
        return f"<Index: fields={self.fields!r} name={self.name!r}>"
