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
        columns = []
        for name in self.fields:
            column = model._meta.get_field(name.lstrip("-")).column
            columns.append(column)
        return editor.index_sql(model, columns, name=self.name)  # type: ignore[no-any-return]

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
