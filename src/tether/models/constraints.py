"""Table constraints declared in Meta.constraints: UniqueConstraint and CheckConstraint.

Each renders its own clause for CREATE TABLE through the schema editor; validation of
constraints (validate_constraints) arrives with the breadth issue.
"""

from __future__ import annotations

from typing import Any


class BaseConstraint:
    violation_error_message = "Constraint “%(name)s” is violated."

    def __init__(self, *, name: str, violation_error_code: str | None = None,
                 violation_error_message: str | None = None) -> None:
        if not name:
            raise ValueError("A constraint must be named.")
        self.name = name
        self.violation_error_code = violation_error_code
        if violation_error_message is not None:
            self.violation_error_message = violation_error_message

    def constraint_sql(self, model: Any, editor: Any) -> str | None:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__  # type: ignore[union-attr]

    def __hash__(self) -> int:
        return hash((type(self), self.name))


class UniqueConstraint(BaseConstraint):
    def __init__(self, *expressions: Any, fields: Any = (), name: str = "", condition: Any = None,
                 deferrable: Any = None, include: Any = None, opclasses: Any = (),
                 nulls_distinct: bool | None = None, violation_error_code: str | None = None,
                 violation_error_message: str | None = None) -> None:
        if not fields and not expressions:
            raise ValueError("At least one field or expression is required to define a unique constraint.")
        if condition is not None:
            raise NotImplementedError("UniqueConstraint(condition=...) arrives with the breadth issue.")
        self.fields = tuple(fields)
        self.expressions = expressions
        self.condition = condition
        super().__init__(name=name, violation_error_code=violation_error_code,
                         violation_error_message=violation_error_message)

    def constraint_sql(self, model: Any, editor: Any) -> str | None:
        columns = [model._meta.get_field(name).column for name in self.fields]
        return editor._unique_sql(model._meta.db_table, columns, self.name)

    def __repr__(self) -> str:
        return f"<UniqueConstraint: fields={self.fields!r} name={self.name!r}>"


class CheckConstraint(BaseConstraint):
    def __init__(self, *, condition: Any = None, check: Any = None, name: str = "",
                 violation_error_code: str | None = None, violation_error_message: str | None = None) -> None:
        self.condition = condition if condition is not None else check
        if self.condition is None:
            raise TypeError("CheckConstraint.__init__() missing 1 required keyword-only argument: 'condition'")
        super().__init__(name=name, violation_error_code=violation_error_code,
                         violation_error_message=violation_error_message)

    def constraint_sql(self, model: Any, editor: Any) -> str | None:
        from tether.models.sql.query import Query

        query = Query(model)
        query.add_q(self.condition)
        compiler = query.get_compiler(editor.connection)
        compiler.quote_name = lambda name: editor.quote_name(name)
        sql, params = compiler.compile(query.where)
        # DDL cannot bind parameters: the values are written as literals, quoted by the backend.
        check = editor.connection.ops.last_executed_query(sql.replace(f'{editor.quote_name(model._meta.db_table)}.', ""), params)
        return editor.sql_check_constraint % {"name": editor.quote_name(self.name), "check": check}

    def __repr__(self) -> str:
        return f"<CheckConstraint: condition={self.condition!r} name={self.name!r}>"
