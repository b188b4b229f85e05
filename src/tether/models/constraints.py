"""Table constraints declared in Meta.constraints: UniqueConstraint and CheckConstraint.

Each renders its own clause for CREATE TABLE through the schema editor; validation of
constraints: `validate()`, called by Model.validate_constraints().
"""

from __future__ import annotations

from typing import Any

from tether.exceptions import ValidationError


def condition_sql(condition: Any, model: Any, editor: Any) -> str:
    """A Q as SQL for DDL: unqualified columns, values as literals (DDL cannot bind them)."""
    from tether.models.sql.query import Query

    query = Query(model, alias_cols=False)
    return _ddl_sql(query, query.build_where(condition), editor.connection)


def resolved_ddl_sql(expression: Any, model: Any, connection: Any) -> tuple[str, Any]:
    """An expression over the model's own columns as DDL text, and the resolved expression."""
    from tether.models.sql.query import Query

    query = Query(model, alias_cols=False)
    resolved = expression.resolve_expression(query, allow_joins=False)
    return _ddl_sql(query, resolved, connection), resolved


def _ddl_sql(query: Any, node: Any, connection: Any) -> str:
    """`node` compiled (a query with alias_cols=False: bare columns), values as literals."""
    sql, params = query.get_compiler(connection=connection).compile(node)
    ops = connection.ops
    return ops.last_executed_query(ops.to_driver_sql(sql), params)  # type: ignore[no-any-return]


def index_part_sql(expression: Any, model: Any, editor: Any) -> str:
    """One key part of an index over an expression, as Django writes it: the expression in
    parentheses unless it is a bare column, a Collate and an OrderBy outside them (their
    order in the declaration does not matter; nested deeper, they are an error)."""
    from tether.models.expressions import Col
    from tether.models.expressions.wrappers import OrderBy
    from tether.models.functions import Collate

    wrappers: dict[type, Any] = {}
    root = expression
    while isinstance(root, OrderBy | Collate):
        kind = OrderBy if isinstance(root, OrderBy) else Collate
        if kind in wrappers:
            raise ValueError(
                "Multiple references to OrderBy, Collate can't be used in an indexed expression."
            )
        wrappers[kind] = root
        root = root.expression if kind is OrderBy else root.get_source_expressions()[0]
    sql, resolved = resolved_ddl_sql(root, model, editor.connection)
    if any(isinstance(node, OrderBy | Collate) for node in resolved.flatten()):
        raise ValueError("OrderBy, Collate must be topmost expressions in an indexed expression.")
    if not isinstance(resolved, Col):
        sql = f"({sql})"
    if Collate in wrappers:
        sql = f"{sql} COLLATE {editor.quote_name(wrappers[Collate].collation)}"
    if OrderBy in wrappers:
        order_by = wrappers[OrderBy]
        sql += " DESC" if order_by.descending else " ASC"
        if editor.connection.features.supports_order_by_nulls_modifier:
            if order_by.nulls_first:
                sql += " NULLS FIRST"
            elif order_by.nulls_last:
                sql += " NULLS LAST"
    return sql


class BaseConstraint:
    violation_error_message = "Constraint “%(name)s” is violated."

    def __init__(
        self,
        *,
        name: str,
        violation_error_code: str | None = None,
        violation_error_message: str | None = None,
    ) -> None:
        if not name:
            raise ValueError("A constraint must be named.")
        self.name = name
        self.violation_error_code = violation_error_code
        if violation_error_message is not None:
            self.violation_error_message = violation_error_message

    def constraint_sql(self, model: Any, editor: Any) -> str | None:
        raise NotImplementedError

    def create_sql(self, model: Any, editor: Any) -> str | None:
        """The statement adding this constraint to an existing table (AddConstraint)."""
        raise NotImplementedError

    def remove_sql(self, model: Any, editor: Any) -> str | None:
        """The statement dropping this constraint (RemoveConstraint)."""
        raise NotImplementedError

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """(path, args, kwargs) that rebuild this constraint, defaults left out."""
        kwargs: dict[str, Any] = {"name": self.name}
        if self.violation_error_code is not None:
            kwargs["violation_error_code"] = self.violation_error_code
        if self.violation_error_message != BaseConstraint.violation_error_message:
            kwargs["violation_error_message"] = self.violation_error_message
        return f"tether.models.{type(self).__name__}", (), kwargs

    def clone(self) -> BaseConstraint:
        _, args, kwargs = self.deconstruct()
        return type(self)(*args, **kwargs)

    def get_violation_error_message(self) -> str:
        return self.violation_error_message % {"name": self.name}

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__  # type: ignore[union-attr]

    def __hash__(self) -> int:
        return hash((type(self), self.name))


class UniqueConstraint(BaseConstraint):
    def __init__(
        self,
        *expressions: Any,
        fields: Any = (),
        name: str = "",
        condition: Any = None,
        deferrable: Any = None,
        include: Any = None,
        opclasses: Any = (),
        nulls_distinct: bool | None = None,
        violation_error_code: str | None = None,
        violation_error_message: str | None = None,
    ) -> None:
        if not fields and not expressions:
            raise ValueError(
                "At least one field or expression is required to define a unique constraint."
            )
        from tether.models.expressions import F

        self.fields = tuple(fields)
        self.expressions = tuple(F(e) if isinstance(e, str) else e for e in expressions)
        self.condition = condition
        self.deferrable = deferrable
        self.nulls_distinct = nulls_distinct
        super().__init__(
            name=name,
            violation_error_code=violation_error_code,
            violation_error_message=violation_error_message,
        )

    def _is_index(self, editor: Any) -> bool | None:
        """True when this constraint is a unique index (a condition or expressions), None
        when the backend has no such index (skipped, as Django does), False otherwise."""
        features = editor.connection.features
        if self.expressions and not features.supports_expression_indexes:
            return None
        if self.condition is not None and not features.supports_partial_indexes:
            return None
        return bool(self.expressions) or self.condition is not None

    def _index_sql(self, model: Any, editor: Any) -> str:
        columns = [model._meta.get_field(name).column for name in self.fields]
        condition = ""
        if self.condition is not None:
            condition = condition_sql(self.condition, model, editor)
        expressions = [index_part_sql(e, model, editor) for e in self.expressions]
        return editor.index_sql(  # type: ignore[no-any-return]
            model, columns, self.name, unique=True, condition=condition, expressions=expressions
        )

    def constraint_sql(self, model: Any, editor: Any) -> str | None:
        is_index = self._is_index(editor)
        if is_index is None:
            return None
        if is_index:  # a unique index, created after the table
            editor.deferred_sql.append(self._index_sql(model, editor))
            return None
        columns = [model._meta.get_field(name).column for name in self.fields]
        return editor._unique_sql(model._meta.db_table, columns, self.name)

    def create_sql(self, model: Any, editor: Any) -> str | None:
        is_index = self._is_index(editor)
        if is_index is None:
            return None
        if is_index:
            return self._index_sql(model, editor)
        columns = [model._meta.get_field(name).column for name in self.fields]
        definition = editor._unique_sql(model._meta.db_table, columns, self.name)
        return editor._add_constraint_sql(model, definition)  # type: ignore[no-any-return]

    def remove_sql(self, model: Any, editor: Any) -> str | None:
        is_index = self._is_index(editor)
        if is_index is None:
            return None
        if is_index:
            return editor._delete_index_sql(model, self.name)  # type: ignore[no-any-return]
        return editor._delete_unique_sql(model, self.name)  # type: ignore[no-any-return]

    def validate(self, model: Any, instance: Any, exclude: Any = None) -> None:
        """Raise ValidationError when another row has the same values (and meets condition)."""
        from tether.models.instance.validation import q_fields, q_matches

        exclude = set(exclude or ())
        if any(name in exclude for name in [*self.fields, *self._expression_fields()]):
            return
        if self.condition is not None:
            if q_fields(self.condition) & exclude or not q_matches(self.condition, instance):
                return
        if self.expressions:
            if self._expressions_taken(model, instance):
                raise ValidationError(
                    self.get_violation_error_message(), code=self.violation_error_code
                )
            return
        if not instance._duplicate_exists(self.fields, self.condition):
            return
        if (
            self.condition is None
            and self.violation_error_message == BaseConstraint.violation_error_message
        ):
            raise instance.unique_error_message(model, self.fields)
        raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)

    def _expression_fields(self) -> set[str]:
        """The names of the fields the expressions read."""
        from tether.models.expressions import F

        nodes = [
            node
            for expression in self.expressions
            for node in (expression.flatten() if hasattr(expression, "flatten") else [expression])
        ]
        return {node.name for node in nodes if isinstance(node, F)}

    def _expressions_taken(self, model: Any, instance: Any) -> bool:
        """Whether another row gives the expressions the values the instance's fields give
        them: each expression compared with itself over the instance's values (ordering
        ignored), as Django's validate() does."""
        from tether.models.expressions import F, Value
        from tether.models.expressions.wrappers import OrderBy
        from tether.models.lookups import Exact

        replacements = {}
        for field in model._meta.concrete_fields:
            value = Value(getattr(instance, field.attname), output_field=field)
            replacements[F(field.name)] = replacements[F(field.attname)] = value
        filters = []
        for expression in self.expressions:
            if isinstance(expression, OrderBy):
                expression = expression.expression
            filters.append(Exact(expression, expression.replace_expressions(replacements)))
        queryset = model._default_manager.filter(*filters)
        if self.condition is not None:
            queryset = queryset.filter(self.condition)
        pk = getattr(instance, model._meta.pk.attname)
        if not instance._state.adding and pk is not None:
            queryset = queryset.exclude(pk=pk)
        return bool(queryset.exists())

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        if self.fields:
            kwargs["fields"] = self.fields
        if self.condition is not None:
            kwargs["condition"] = self.condition
        if self.deferrable is not None:
            kwargs["deferrable"] = self.deferrable
        if self.nulls_distinct is not None:
            kwargs["nulls_distinct"] = self.nulls_distinct
        return path, tuple(self.expressions), kwargs

    def __repr__(self) -> str:
        return f"<UniqueConstraint: fields={self.fields!r} name={self.name!r}>"


class CheckConstraint(BaseConstraint):
    def __init__(
        self,
        *,
        condition: Any = None,
        check: Any = None,
        name: str = "",
        violation_error_code: str | None = None,
        violation_error_message: str | None = None,
    ) -> None:
        self.condition = condition if condition is not None else check
        if self.condition is None:
            raise TypeError(
                "CheckConstraint.__init__() missing 1 required keyword-only argument: 'condition'"
            )
        super().__init__(
            name=name,
            violation_error_code=violation_error_code,
            violation_error_message=violation_error_message,
        )

    def constraint_sql(self, model: Any, editor: Any) -> str | None:
        check = condition_sql(self.condition, model, editor)
        return editor.sql_check_constraint % {"name": editor.quote_name(self.name), "check": check}

    def create_sql(self, model: Any, editor: Any) -> str | None:
        return editor._add_constraint_sql(model, self.constraint_sql(model, editor))  # type: ignore[no-any-return]

    def remove_sql(self, model: Any, editor: Any) -> str | None:
        return editor._delete_check_sql(model, self.name)  # type: ignore[no-any-return]

    def validate(self, model: Any, instance: Any, exclude: Any = None) -> None:
        """Raise ValidationError when the instance's values break the condition."""
        from tether.models.instance.validation import q_fields, q_matches

        if q_fields(self.condition) & set(exclude or ()):
            return
        if not q_matches(self.condition, instance):
            raise ValidationError(
                self.get_violation_error_message(), code=self.violation_error_code
            )

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        kwargs["condition"] = self.condition
        return path, args, kwargs

    def __repr__(self) -> str:
        return f"<CheckConstraint: condition={self.condition!r} name={self.name!r}>"
