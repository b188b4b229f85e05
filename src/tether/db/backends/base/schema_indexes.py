"""Indexes and table constraints: CREATE/DROP INDEX, unique_together and index_together,
AddIndex/RemoveIndex/RenameIndex and AddConstraint/RemoveConstraint, and the introspection
filter (`_constraint_names`) that finds the database's name for a constraint Django named.

Mixed into BaseSchemaEditor (schema.py); vendors change the templates in their schema.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class IndexesMixin:
    connection: Any
    collect_sql: bool
    unique_together_as_index: bool
    sql_create_index: str
    sql_create_unique_index: str
    sql_unique_constraint: str
    sql_delete_index: str
    sql_delete_unique: str
    sql_rename_index: str
    sql_create_constraint: str

    # Provided by BaseSchemaEditor.
    execute: Any
    quote_name: Any
    _table: Any
    _columns: Any
    _create_index_name: Any
    _delete_constraint_sql: Any

    # ---- statements ---------------------------------------------------------

    def index_sql(
        self,
        model: Any,
        columns: Sequence[str],
        name: str | None = None,
        unique: bool = False,
        condition: str = "",
        expressions: Sequence[str] = (),
        include: Sequence[str] = (),
        tablespace: str | None = None,
    ) -> str:
        table = model._meta.db_table
        name = name or self._create_index_name(table, columns, "_uniq" if unique else "")
        template = self.sql_create_unique_index if unique else self.sql_create_index
        return template % {
            "name": self.quote_name(name),
            "table": self.quote_name(table),
            "columns": ", ".join([*(self.quote_name(c) for c in columns), *expressions]),
            "extra": self._index_include_sql(include) + self._index_tablespace_sql(tablespace),
            "condition": f" WHERE {condition}" if condition else "",
        }

    def _index_key(self, key: str, opclass: str) -> str:
        """A key part with its operator class; only PostgreSQL has them (ignored elsewhere,
        as Django ignores them)."""
        return key

    def _index_include_sql(self, columns: Sequence[str]) -> str:
        if not columns or not self.connection.features.supports_covering_indexes:
            return ""
        return f" INCLUDE ({self._columns(columns)})"

    def _index_tablespace_sql(self, tablespace: str | None) -> str:
        if not tablespace or not self.connection.features.supports_tablespaces:
            return ""
        return f" TABLESPACE {self.quote_name(tablespace)}"

    def _unique_sql(self, table: str, columns: Sequence[str], name: str | None) -> str:
        name = name or self._create_index_name(table, columns, "_uniq")
        return self.sql_unique_constraint % {
            "name": self.quote_name(name),
            "columns": self._columns(columns),
        }

    def _unique_index_sql(self, table: str, columns: Sequence[str]) -> str:
        return self.sql_create_unique_index % {
            "name": self.quote_name(self._create_index_name(table, columns, "_uniq")),
            "table": self.quote_name(table),
            "columns": self._columns(columns),
            "extra": "",
            "condition": "",
        }

    def _together_name(self, model: Any, columns: Sequence[str]) -> str:
        return self._create_index_name(model._meta.db_table, columns, "_idx")

    def _delete_index_sql(self, model: Any, name: str) -> str:
        return self._delete_constraint_sql(self.sql_delete_index, model, name)

    def add_index(self, model: Any, index: Any) -> None:
        sql = index.create_sql(model, self)
        if sql:  # None: an index the backend cannot have (an expression on MariaDB)
            self.execute(sql)

    def remove_index(self, model: Any, index: Any) -> None:
        if index.contains_expressions and not self.connection.features.supports_expression_indexes:
            return  # never created (add_index)
        self.execute(self._delete_index_sql(model, index.name))

    def rename_index(self, model: Any, old_index: Any, new_index: Any) -> None:
        if not self.connection.features.can_rename_index:
            self.remove_index(model, old_index)
            self.add_index(model, new_index)
            return
        self.execute(
            self.sql_rename_index
            % {
                "table": self._table(model),
                "old_name": self.quote_name(old_index.name),
                "new_name": self.quote_name(new_index.name),
            }
        )

    def add_constraint(self, model: Any, constraint: Any) -> None:
        sql = constraint.create_sql(model, self)
        if sql:
            self.execute(sql)

    def remove_constraint(self, model: Any, constraint: Any) -> None:
        sql = constraint.remove_sql(model, self)
        if sql:
            self.execute(sql)

    def _add_constraint_sql(self, model: Any, definition: str) -> str:
        return self.sql_create_constraint % {"table": self._table(model), "definition": definition}

    def alter_unique_together(
        self, model: Any, old_unique_together: Any, new_unique_together: Any
    ) -> None:
        """Drop the unique sets no longer declared, add the new ones."""
        olds = {tuple(fields) for fields in old_unique_together}
        news = {tuple(fields) for fields in new_unique_together}
        for fields in sorted(olds - news):
            self._delete_composed_index(model, fields, unique=True)
        table = model._meta.db_table
        for fields in sorted(news - olds):
            columns = [model._meta.get_field(name).column for name in fields]
            if self.unique_together_as_index:
                self.execute(self._unique_index_sql(table, columns))
            else:
                self.execute(
                    self._add_constraint_sql(model, self._unique_sql(table, columns, None))
                )

    def alter_index_together(
        self, model: Any, old_index_together: Any, new_index_together: Any
    ) -> None:
        olds = {tuple(fields) for fields in old_index_together}
        news = {tuple(fields) for fields in new_index_together}
        for fields in sorted(olds - news):
            self._delete_composed_index(model, fields, index=True)
        for fields in sorted(news - olds):
            columns = [model._meta.get_field(name).column for name in fields]
            self.execute(self.index_sql(model, columns, self._together_name(model, columns)))

    def _delete_composed_index(
        self, model: Any, fields: Sequence[str], unique: bool = False, index: bool = False
    ) -> None:
        meta_names = {c.name for c in model._meta.constraints} | {
            i.name for i in model._meta.indexes
        }
        columns = [model._meta.get_field(name).column for name in fields]
        if unique:
            names = self._constraint_names(
                model, columns, unique=True, primary_key=False, exclude=meta_names
            )
        else:
            names = self._constraint_names(
                model, columns, index=True, unique=False, exclude=meta_names
            )
        if len(names) != 1:
            raise ValueError(
                "Found wrong number ({}) of constraints for {}({})".format(
                    len(names), model._meta.db_table, ", ".join(columns)
                )
            )
        if unique:
            self.execute(self._delete_unique_sql(model, names[0]))
        else:
            self.execute(self._delete_index_sql(model, names[0]))

    def _delete_unique_sql(self, model: Any, name: str) -> str:
        if self.unique_together_as_index:
            return self._delete_index_sql(model, name)
        return self._delete_constraint_sql(self.sql_delete_unique, model, name)

    def _constraints(self, model: Any) -> dict[str, dict[str, Any]]:
        introspection = self.connection.introspection
        return introspection.get_constraints(None, model._meta.db_table)  # type: ignore[no-any-return]

    def _constraint_names(
        self,
        model: Any,
        column_names: Sequence[str] | None = None,
        unique: bool | None = None,
        primary_key: bool | None = None,
        index: bool | None = None,
        foreign_key: bool | None = None,
        check: bool | None = None,
        type_: str | None = None,
        exclude: Any = None,
    ) -> list[str]:
        """Names of the table's constraints matching every criterion given (Django's filter)."""
        wanted = list(column_names) if column_names is not None else None
        found = []
        for name, info in self._constraints(model).items():
            if wanted is not None and wanted != info["columns"]:
                continue
            if unique is not None and info["unique"] != unique:
                continue
            if primary_key is not None and info["primary_key"] != primary_key:
                continue
            if index is not None and info["index"] != index:
                continue
            if check is not None and info["check"] != check:
                continue
            if foreign_key is not None and bool(info["foreign_key"]) != foreign_key:
                continue
            if type_ is not None and info["type"] != type_:
                continue
            if exclude and name in exclude:
                continue
            found.append(name)
        return found
