"""SchemaEditor: CREATE and DROP of a model's tables, indexes, constraints and foreign keys.

Statements that depend on other tables existing (foreign keys on servers, indexes) are deferred
to the end of the `with connection.schema_editor() as editor:` block, so models can be created
in any order. Automatic many-to-many tables are created and dropped with their model.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

from tether.db.backends.utils import names_digest
from tether.db.core.requests import ROWCOUNT, Execute
from tether.db.core.run import run_plan


def _one(sql: str, params: Sequence[Any]) -> Generator[Any, Any, Any]:
    return (yield Execute(sql, params, ROWCOUNT))


class BaseSchemaEditor:
    sql_create_table = "CREATE TABLE %(table)s (%(definition)s)"
    sql_delete_table = "DROP TABLE %(table)s"
    sql_create_index = "CREATE INDEX %(name)s ON %(table)s (%(columns)s)%(condition)s"
    sql_create_unique_index = "CREATE UNIQUE INDEX %(name)s ON %(table)s (%(columns)s)%(condition)s"
    sql_create_fk = (
        "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s FOREIGN KEY (%(column)s) "
        "REFERENCES %(to_table)s (%(to_column)s)%(deferrable)s"
    )
    sql_unique_constraint = "CONSTRAINT %(name)s UNIQUE (%(columns)s)"
    sql_check_constraint = "CONSTRAINT %(name)s CHECK (%(check)s)"
    # Foreign keys written inside CREATE TABLE (SQLite) instead of a later ALTER TABLE.
    inline_foreign_keys = False
    sql_inline_fk = "REFERENCES %(to_table)s (%(to_column)s)%(deferrable)s"
    sql_deferrable = ""

    def __init__(self, connection: Any, collect_sql: bool = False, atomic: bool = True) -> None:
        self.connection = connection
        self.collect_sql = collect_sql
        self.collected_sql: list[str] = []
        self.atomic_migration = atomic and connection.features.can_rollback_ddl
        self.deferred_sql: list[str] = []
        self._atomic: Any = None

    def __enter__(self) -> BaseSchemaEditor:
        self.deferred_sql = []
        if self.atomic_migration and not self.collect_sql:
            from tether.db.transaction import atomic

            self._atomic = atomic(self.connection.alias)
            self._atomic.__enter__()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                for sql in self.deferred_sql:
                    self.execute(sql)
        finally:
            if self._atomic is not None:
                atomic, self._atomic = self._atomic, None
                atomic.__exit__(exc_type, exc, tb)

    # ---- running -------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        if self.collect_sql:
            self.collected_sql.append(self.connection.ops.last_executed_query(sql, params) + ";")
            return
        conn = self.connection
        run_plan(_one(conn.ops.to_driver_sql(sql), tuple(params)), conn)

    def quote_name(self, name: str) -> str:
        return self.connection.ops.quote_name(name)  # type: ignore[no-any-return]

    # ---- naming --------------------------------------------------------------------------

    def _create_index_name(self, table: str, columns: Sequence[str], suffix: str = "") -> str:
        """A name `<table>_<columns>_<hash><suffix>` that fits the backend's identifier limit."""
        limit = self.connection.ops.max_name_length() or 200
        digest = f"{names_digest(table, *columns, length=8)}{suffix}"
        name = "{}_{}_{}".format(table, "_".join(columns), digest)
        if len(name) <= limit:
            return name
        other = (limit - len(digest) - 1) // 2 - 1
        name = "{}_{}_{}".format(table[:other], "_".join(columns)[:other], digest)
        if name[0] == "_" or name[0].isdigit():
            name = f"D{name[:-1]}"
        return name

    # ---- columns -------------------------------------------------------------------------

    def column_sql(self, model: Any, field: Any) -> str | None:
        """The column definition of `field`, or None when it has no column."""
        db_type = field.db_type(self.connection)
        if db_type is None:
            return None
        parts = [self.quote_name(field.column), db_type]
        if type(getattr(field, "db_default", None)).__name__ != "_NotProvided":
            parts.append("DEFAULT " + self.db_default_sql(field))
        parts.append("NULL" if field.null and not field.primary_key else "NOT NULL")
        if field.primary_key:
            parts.append("PRIMARY KEY")
        elif field.unique:
            parts.append("UNIQUE")
        suffix = self.connection.data_types_suffix.get(field.get_internal_type())
        if suffix:
            parts.append(suffix)
        check = field.db_check(self.connection)
        if check:
            parts.append(f"CHECK ({check})")
        if field.remote_field is not None and field.db_constraint and self.inline_foreign_keys:
            parts.append(self.sql_inline_fk % self._fk_params(field))
        return " ".join(parts)

    def db_default_sql(self, field: Any) -> str:
        """The DEFAULT of a db_default column, as a literal (DDL cannot bind parameters)."""
        value = field.db_default
        if hasattr(value, "as_sql"):
            from tether.models.sql.compiler import SQLCompiler

            sql, params = value.as_sql(SQLCompiler(None, self.connection), self.connection)
            return "(" + self.connection.ops.last_executed_query(sql, params) + ")"
        prepared = field.get_db_prep_save(value, self.connection)
        return "(" + self.connection.ops.quote_literal(prepared) + ")"

    def _fk_params(self, field: Any) -> dict[str, str]:
        target = field.target_field
        return {
            "to_table": self.quote_name(target.model._meta.db_table),
            "to_column": self.quote_name(target.column),
            "deferrable": self.sql_deferrable,
        }

    # ---- models --------------------------------------------------------------------------

    def table_sql(self, model: Any) -> str:
        opts = model._meta
        definitions: list[str] = []
        for field in opts.local_concrete_fields:
            definition = self.column_sql(model, field)
            if definition is None:
                continue
            definitions.append(definition)
            if (
                field.remote_field is not None
                and field.db_constraint
                and not self.inline_foreign_keys
            ):
                if self.connection.features.supports_foreign_keys:
                    self.deferred_sql.append(self._create_fk_sql(model, field))
        for columns in opts.unique_together:
            cols = [opts.get_field(name).column for name in columns]
            definitions.append(self._unique_sql(opts.db_table, cols, None))
        for constraint in opts.constraints:
            definition = constraint.constraint_sql(model, self)
            if definition:
                definitions.append(definition)
        return self.sql_create_table % {
            "table": self.quote_name(opts.db_table),
            "definition": ", ".join(definitions),
        }

    def _unique_sql(self, table: str, columns: Sequence[str], name: str | None) -> str:
        name = name or self._create_index_name(table, columns, "_uniq")
        return self.sql_unique_constraint % {
            "name": self.quote_name(name),
            "columns": ", ".join(self.quote_name(c) for c in columns),
        }

    def _create_fk_sql(self, model: Any, field: Any) -> str:
        table = model._meta.db_table
        target = field.target_field
        name = self._create_index_name(
            table, [field.column], f"_fk_{target.model._meta.db_table}_{target.column}"
        )
        return self.sql_create_fk % {
            "table": self.quote_name(table),
            "name": self.quote_name(name),
            "column": self.quote_name(field.column),
            **self._fk_params(field),
        }

    def index_sql(
        self,
        model: Any,
        columns: Sequence[str],
        name: str | None = None,
        unique: bool = False,
        condition: str = "",
    ) -> str:
        table = model._meta.db_table
        name = name or self._create_index_name(table, columns, "_uniq" if unique else "")
        template = self.sql_create_unique_index if unique else self.sql_create_index
        return template % {
            "name": self.quote_name(name),
            "table": self.quote_name(table),
            "columns": ", ".join(self.quote_name(c) for c in columns),
            "condition": f" WHERE {condition}" if condition else "",
        }

    def _model_indexes_sql(self, model: Any) -> list[str]:
        opts = model._meta
        statements = []
        for field in opts.local_concrete_fields:
            if field.db_index and not field.unique and not field.primary_key:
                statements.append(self.index_sql(model, [field.column]))
        for index in opts.indexes:
            statements.append(index.create_sql(model, self))
        return statements

    def create_model(self, model: Any) -> None:
        """CREATE TABLE for `model`, its indexes, and its automatic many-to-many tables."""
        self.execute(self.table_sql(model))
        self.deferred_sql.extend(self._model_indexes_sql(model))
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                self.create_model(through)

    def delete_model(self, model: Any) -> None:
        """DROP TABLE for `model` and its automatic many-to-many tables."""
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                self.delete_model(through)
        self.execute(self.sql_delete_table % {"table": self.quote_name(model._meta.db_table)})
        table = model._meta.db_table
        self.deferred_sql = [sql for sql in self.deferred_sql if self.quote_name(table) not in sql]
