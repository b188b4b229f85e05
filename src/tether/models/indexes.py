"""Index, declared in Meta.indexes and created with its model."""

from __future__ import annotations

from typing import Any


class Index:
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

    def __repr__(self) -> str:
        return f"<Index: fields={self.fields!r} name={self.name!r}>"
