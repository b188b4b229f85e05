"""GeneratedField: a column the database computes from the row's other columns (Django 5.0+).

The value is never written: INSERT and UPDATE leave the column out, an INSERT reads it back
(RETURNING) where the backend can, and otherwise the attribute is left unloaded so that the
first read fetches it. As in Django, after an UPDATE the attribute keeps its old value until
refresh_from_db(). Everything about the column's type (lookups, converters, column type) is the
`output_field`'s.
"""

from __future__ import annotations

from typing import Any

from tether.models.fields import NOT_PROVIDED, Field


class GeneratedField(Field[Any]):
    generated = True
    db_returning = True

    def __init__(
        self,
        *,
        expression: Any,
        output_field: Field[Any],
        db_persist: bool | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.setdefault("editable", False):
            raise ValueError("GeneratedField cannot be editable.")
        if not kwargs.setdefault("blank", True):
            raise ValueError("GeneratedField must be blank.")
        if kwargs.get("default", NOT_PROVIDED) is not NOT_PROVIDED:
            raise ValueError("GeneratedField cannot have a default.")
        if kwargs.get("db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            raise ValueError("GeneratedField cannot have a database default.")
        if db_persist not in (True, False):
            raise ValueError("GeneratedField.db_persist must be True or False.")
        self.expression = expression
        self.output_field = output_field
        self.db_persist = db_persist
        super().__init__(**kwargs)

    def set_attributes_from_name(self, name: str) -> None:
        super().set_attributes_from_name(name)
        # The output field describes this column: its type templates read the column name.
        self.output_field.set_attributes_from_name(name)

    def get_default(self) -> Any:
        from tether.models.base import DEFERRED

        return DEFERRED  # unknown until the database computes it

    def get_internal_type(self) -> str:
        return self.output_field.get_internal_type()

    def get_lookups(self) -> dict[str, Any]:
        return {**self.output_field.get_lookups(), **super().get_lookups()}

    def to_python(self, value: Any) -> Any:
        return self.output_field.to_python(value)

    def get_prep_value(self, value: Any) -> Any:
        return self.output_field.get_prep_value(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return self.output_field.get_db_prep_value(value, connection, prepared)

    def get_db_converters(self, connection: Any) -> list[Any]:
        return self.output_field.get_db_converters(connection)  # type: ignore[no-any-return]

    def db_type_parameters(self, connection: Any) -> dict[str, Any]:
        return self.output_field.db_type_parameters(connection)  # type: ignore[no-any-return]

    def db_type(self, connection: Any) -> str | None:
        return self.output_field.db_type(connection)

    def db_check(self, connection: Any) -> str | None:
        return self.output_field.db_check(connection)

    def generated_sql(self, connection: Any) -> str:
        """The expression over the row's own columns, values as literals (DDL binds none)."""
        from tether.models.constraints import resolved_ddl_sql

        sql, resolved = resolved_ddl_sql(self.expression, self.model, connection)
        if (
            getattr(resolved, "conditional", False)
            and not connection.features.supports_boolean_expr_in_select_clause
        ):
            sql = f"CASE WHEN {sql} THEN 1 ELSE 0 END"
        return sql

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("blank", None)
        kwargs.pop("editable", None)
        kwargs["db_persist"] = self.db_persist
        kwargs["expression"] = self.expression
        kwargs["output_field"] = self.output_field
        return name, path, args, kwargs
