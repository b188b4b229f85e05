"""SchemaEditor: DDL for models, fields, indexes and constraints, with Django 5.2's method names.

`with connection.schema_editor() as editor:` opens a transaction where DDL is transactional;
statements that depend on other tables existing (foreign keys on servers, indexes) are deferred
to the end of the block, so models can be created in any order. `collect_sql=True` collects the
statements instead of running them (sqlmigrate). DDL never binds parameters: values (defaults)
are spelled as literals by `quote_value`. Changing a column (alter_field) lives in
schema_alter.py; vendors override templates and hooks in their own schema.py.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Sequence
from typing import Any

from tether.db.backends.base.schema_alter import AlterFieldMixin, auto_through, has_db_default
from tether.db.backends.base.schema_indexes import IndexesMixin
from tether.db.backends.utils import names_digest
from tether.db.core.requests import ROWCOUNT, Execute
from tether.db.core.run import run_plan

__all__ = ["BaseDatabaseSchemaEditor", "BaseSchemaEditor", "auto_through", "has_db_default"]

# Every DDL statement the schema editor runs, at DEBUG, as Django's django.db.backends.schema.
schema_logger = logging.getLogger("tether.db.backends.schema")


def _one(sql: str, params: Any) -> Generator[Any, Any, Any]:
    # params None: the driver takes the SQL as it is, as connection.cursor() does.
    return (yield Execute(sql, params, ROWCOUNT))


class BaseSchemaEditor(AlterFieldMixin, IndexesMixin):
    sql_create_table = "CREATE TABLE %(table)s (%(definition)s)"
    sql_rename_table = "ALTER TABLE %(old_table)s RENAME TO %(new_table)s"
    sql_retablespace_table = "ALTER TABLE %(table)s SET TABLESPACE %(new_tablespace)s"
    sql_delete_table = "DROP TABLE %(table)s"
    sql_create_column = "ALTER TABLE %(table)s ADD COLUMN %(column)s %(definition)s"
    sql_delete_column = "ALTER TABLE %(table)s DROP COLUMN %(column)s"
    sql_rename_column = "ALTER TABLE %(table)s RENAME COLUMN %(old_column)s TO %(new_column)s"
    sql_update_with_default = (
        "UPDATE %(table)s SET %(column)s = %(default)s WHERE %(column)s IS NULL"
    )
    sql_create_index = "CREATE INDEX %(name)s ON %(table)s (%(columns)s)%(extra)s%(condition)s"
    sql_create_unique_index = (
        "CREATE UNIQUE INDEX %(name)s ON %(table)s (%(columns)s)%(extra)s%(condition)s"
    )
    sql_delete_index = "DROP INDEX %(name)s"
    sql_rename_index = "ALTER INDEX %(old_name)s RENAME TO %(new_name)s"
    sql_create_fk = (
        "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s FOREIGN KEY (%(column)s) "
        "REFERENCES %(to_table)s (%(to_column)s)%(deferrable)s"
    )
    sql_delete_constraint = "ALTER TABLE %(table)s DROP CONSTRAINT %(name)s"
    sql_delete_fk = sql_delete_constraint
    sql_delete_check = sql_delete_constraint
    sql_delete_unique = sql_delete_constraint
    sql_delete_pk = sql_delete_constraint
    sql_create_pk = "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s PRIMARY KEY (%(columns)s)"
    sql_create_constraint = "ALTER TABLE %(table)s ADD %(definition)s"
    sql_unique_constraint = "CONSTRAINT %(name)s UNIQUE (%(columns)s)"
    sql_check_constraint = "CONSTRAINT %(name)s CHECK (%(check)s)"
    sql_alter_table_comment = "COMMENT ON TABLE %(table)s IS %(comment)s"
    sql_alter_column_comment = "COMMENT ON COLUMN %(table)s.%(column)s IS %(comment)s"
    # Foreign keys written inside CREATE TABLE (SQLite) instead of a later ALTER TABLE.
    inline_foreign_keys = False
    sql_inline_fk = "REFERENCES %(to_table)s (%(to_column)s)%(deferrable)s"
    sql_deferrable = ""
    # The auto-increment suffix is only valid on the primary key (SQLite's AUTOINCREMENT).
    auto_suffix_needs_primary_key = False
    # unique_together as CREATE UNIQUE INDEX (droppable by name on SQLite) instead of inline.
    unique_together_as_index = False

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
        if exc_type is None:
            try:
                for sql in self.deferred_sql:
                    self.execute(sql)
                self.deferred_sql = []
                self._before_commit()
            except BaseException as error:
                # A failing deferred statement or check rolls the whole block back.
                self._close_atomic(type(error), error, error.__traceback__)
                raise
        self._close_atomic(exc_type, exc, tb)

    def _close_atomic(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._atomic is not None:
            atomic, self._atomic = self._atomic, None
            atomic.__exit__(exc_type, exc, tb)

    def _before_commit(self) -> None:
        """A last check inside the editor's transaction (SQLite's foreign_key_check)."""

    # ---- running -------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] | None = ()) -> None:
        """Run one DDL statement, or collect it (with `;`) in collect_sql mode.

        With `params=None` the SQL goes to the driver as written (Django's RunSQL rule);
        otherwise `%s` binds and `%%` is a literal `%` (literals spelled by `_sql_literal`
        and identifiers from quote_name are written so).
        """
        if self.collect_sql:
            rendered = sql if params is None else sql % tuple(self.quote_value(p) for p in params)
            self.collected_sql.append(rendered + ";")
            return
        conn = self.connection
        schema_logger.debug("%s; (params %r)", sql, params, extra={"params": params, "sql": sql})
        if params is None:
            run_plan(_one(sql, None), conn)
        else:
            run_plan(_one(conn.ops.to_driver_sql(sql), tuple(params)), conn)

    def _sql_literal(self, value: Any) -> str:
        """`value` as a literal inside DDL text that execute() formats (`%` doubled)."""
        return self.quote_value(value).replace("%", "%%")

    def quote_name(self, name: str) -> str:
        return self.connection.ops.quote_name(name)  # type: ignore[no-any-return]

    def quote_value(self, value: Any) -> str:
        """`value` as an SQL literal, for DDL (which cannot bind parameters) and sqlmigrate."""
        return self.connection.ops.quote_literal(value)  # type: ignore[no-any-return]

    def _table(self, model: Any) -> str:
        return self.quote_name(model._meta.db_table)

    def _columns(self, columns: Sequence[str]) -> str:
        return ", ".join(self.quote_name(column) for column in columns)

    # ---- naming --------------------------------------------------------------------------

    def _create_index_name(self, table: str, columns: Sequence[str], suffix: str = "") -> str:
        """A name `<table>_<columns>_<hash><suffix>` that fits the backend's identifier limit."""
        limit = self.connection.ops.max_name_length() or 200
        digest = f"{names_digest(table, *columns, length=8)}{suffix}"
        name = "{}_{}_{}".format(table, "_".join(columns), digest)
        if len(name) <= limit:
            return name
        if len(digest) > limit // 3:
            digest = digest[: limit // 3]
        other = (limit - len(digest)) // 2 - 1
        name = "{}_{}_{}".format(table[:other], "_".join(columns)[:other], digest)
        if name[0] == "_" or name[0].isdigit():
            name = f"D{name[:-1]}"
        return name

    def _fk_constraint_name(self, model: Any, field: Any) -> str:
        target = field.target_field
        suffix = f"_fk_{target.model._meta.db_table}_{target.column}"
        return self._create_index_name(model._meta.db_table, [field.column], suffix)

    # ---- defaults ------------------------------------------------------------------------

    @staticmethod
    def _effective_default(field: Any) -> Any:
        """The value existing rows get when `field` is added or made NOT NULL (Django's rule)."""
        if field.has_default():
            return field.get_default()
        if field.generated:
            return None  # computed by the database
        if not field.null and field.blank and field.empty_strings_allowed:
            return b"" if field.get_internal_type() == "BinaryField" else ""
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            from tether.utils import timezone

            now = timezone.now()
            kind = field.get_internal_type()
            if kind == "DateField":
                return now.date()
            if kind == "TimeField":
                return now.time()
            return now
        return None

    def effective_default(self, field: Any) -> Any:
        return field.get_db_prep_save(self._effective_default(field), self.connection)

    def prepare_default(self, value: Any) -> str:
        return self._sql_literal(value)

    def skip_default(self, field: Any) -> bool:
        """Whether `field` can have no DEFAULT in its column (MySQL's old BLOB/TEXT rule)."""
        return False

    def skip_default_on_alter(self, field: Any) -> bool:
        return self.skip_default(field)

    def db_default_sql(self, field: Any) -> str:
        """The DEFAULT of a db_default column, as a literal (DDL cannot bind parameters)."""
        value = field.db_default
        if hasattr(value, "as_sql"):
            from tether.models.sql.query import Query

            compiler = Query(field.model).get_compiler(connection=self.connection)
            sql, params = compiler.compile(value)
            ops = self.connection.ops
            spelled = ops.last_executed_query(ops.to_driver_sql(sql), params)
            return "(" + spelled.replace("%", "%%") + ")"
        prepared = field.get_db_prep_save(value, self.connection)
        return "(" + self._sql_literal(prepared) + ")"

    # ---- columns -------------------------------------------------------------------------

    def _field_db_type(self, field: Any) -> str | None:
        return field.db_type(self.connection)  # type: ignore[no-any-return]

    def _collation_sql(self, field: Any) -> str:
        collation = getattr(field, "db_collation", None)
        return f" COLLATE {self.quote_name(collation)}" if collation else ""

    def _inline_comment_sql(self, comment: str) -> str:
        """A column comment inside its definition (MySQL); '' where comments are separate."""
        return ""

    def column_sql(
        self, model: Any, field: Any, include_default: bool = False
    ) -> tuple[str | None, list[Any] | None]:
        """The column definition of `field` (without its name) and its parameters (always
        none: defaults are literals), or (None, None) when the field has no column."""
        db_type = self._field_db_type(field)
        if db_type is None:
            return None, None
        parts = [db_type + self._collation_sql(field)]
        if field.generated:
            # Computed by the database: no default and no NULL clause (as Django writes it).
            persistence = "STORED" if field.db_persist else "VIRTUAL"
            parts.append(
                f"GENERATED ALWAYS AS ({field.generated_sql(self.connection)}) {persistence}"
            )
        elif has_db_default(field):
            parts.append("DEFAULT " + self.db_default_sql(field))
        elif include_default and not self.skip_default(field):
            default = self.effective_default(field)
            if default is not None:
                parts.append("DEFAULT " + self.prepare_default(default))
        if not field.generated:
            parts.append("NULL" if field.null and not field.primary_key else "NOT NULL")
        if field.primary_key:
            parts.append("PRIMARY KEY")
        elif field.unique:
            parts.append("UNIQUE")
        suffix = self.connection.data_types_suffix.get(field.get_internal_type())
        if suffix and (field.primary_key or not self.auto_suffix_needs_primary_key):
            parts.append(suffix)
        check = field.db_check(self.connection)
        if check:
            parts.append(f"CHECK ({check})")
        if field.db_comment:
            inline = self._inline_comment_sql(field.db_comment)
            if inline:
                parts.append(inline)
        if field.remote_field is not None and field.db_constraint and self.inline_foreign_keys:
            parts.append(self.sql_inline_fk % self._fk_params(field))
        return " ".join(parts), []

    def _column_definition(self, model: Any, field: Any, include_default: bool = False) -> str:
        definition, _ = self.column_sql(model, field, include_default)
        return f"{self.quote_name(field.column)} {definition}"

    def _fk_params(self, field: Any) -> dict[str, str]:
        target = field.target_field
        return {
            "to_table": self.quote_name(target.model._meta.db_table),
            "to_column": self.quote_name(target.column),
            "deferrable": self.sql_deferrable,
        }

    # ---- models --------------------------------------------------------------------------

    def table_sql(self, model: Any) -> tuple[str, list[Any]]:
        """CREATE TABLE for `model` (foreign keys of servers and indexes are deferred)."""
        opts = model._meta
        fields = [f for f in opts.local_concrete_fields if self._field_db_type(f) is not None]
        return self._create_table_sql(
            model, opts.db_table, fields, opts.unique_together, opts.constraints
        ), []

    def _create_table_sql(
        self,
        model: Any,
        table: str,
        fields: Sequence[Any],
        unique_together: Sequence[Sequence[str]],
        constraints: Sequence[Any],
    ) -> str:
        definitions: list[str] = []
        by_name = {f.name: f for f in fields}
        for field in fields:
            definitions.append(self._column_definition(model, field))
            if field.remote_field is not None and field.db_constraint:
                if not self.inline_foreign_keys and self.connection.features.supports_foreign_keys:
                    self.deferred_sql.append(self._create_fk_sql(model, field, table))
        for names in unique_together:
            columns = [by_name[name].column for name in names]
            if self.unique_together_as_index:
                self.deferred_sql.append(self._unique_index_sql(table, columns))
            else:
                definitions.append(self._unique_sql(table, columns, None))
        for constraint in constraints:
            definition = constraint.constraint_sql(model, self)
            if definition:
                definitions.append(definition)
        return self.sql_create_table % {
            "table": self.quote_name(table),
            "definition": ", ".join(definitions),
        }

    def _model_indexes_sql(self, model: Any) -> list[str]:
        opts = model._meta
        statements = []
        for field in opts.local_concrete_fields:
            if self._field_should_be_indexed(field):
                statements.append(self.index_sql(model, [field.column]))
        for columns in getattr(opts, "index_together", ()) or ():
            cols = [opts.get_field(name).column for name in columns]
            statements.append(self.index_sql(model, cols, self._together_name(model, cols)))
        for index in opts.indexes:
            sql = index.create_sql(model, self)
            if sql:
                statements.append(sql)
        return statements

    def _field_should_be_indexed(self, field: Any) -> bool:
        return bool(field.db_index and not field.unique and not field.primary_key)

    def create_model(self, model: Any) -> None:
        """CREATE TABLE for `model`, its indexes, comments and automatic many-to-many tables."""
        sql, params = self.table_sql(model)
        self.execute(sql, params)
        self._model_comments(model)
        self.deferred_sql.extend(self._model_indexes_sql(model))
        for field in model._meta.local_many_to_many:
            through = auto_through(field)
            if through is not None:
                self.create_model(through)

    def _model_comments(self, model: Any) -> None:
        """COMMENT ON statements for the table and its columns where comments are separate."""
        features = self.connection.features
        if not features.supports_comments:
            return
        if model._meta.db_table_comment:
            self.alter_db_table_comment(model, None, model._meta.db_table_comment)
        if features.supports_comments_inline:
            return
        for field in model._meta.local_concrete_fields:
            if field.db_comment and self._field_db_type(field) is not None:
                self.execute(self._column_comment_sql(model, field, field.db_comment))

    def delete_model(self, model: Any) -> None:
        """DROP TABLE for `model` and its automatic many-to-many tables."""
        for field in model._meta.local_many_to_many:
            through = auto_through(field)
            if through is not None:
                self.delete_model(through)
        table = model._meta.db_table
        self.execute(self.sql_delete_table % {"table": self.quote_name(table)})
        self._forget_deferred(table)

    def _forget_deferred(self, table: str, column: str | None = None) -> None:
        """Drop the deferred statements about `table` (or about one of its columns)."""
        quoted = self.quote_name(table)
        kept = []
        for sql in self.deferred_sql:
            if quoted in sql and (column is None or self.quote_name(column) in sql):
                continue
            kept.append(sql)
        self.deferred_sql = kept

    def _rename_deferred(self, old: str, new: str, table: str | None = None) -> None:
        """Rewrite a quoted name in the deferred statements (of `table` when given)."""
        old_q, new_q = self.quote_name(old), self.quote_name(new)
        in_table = self.quote_name(table) if table else None
        self.deferred_sql = [
            sql.replace(old_q, new_q) if in_table is None or in_table in sql else sql
            for sql in self.deferred_sql
        ]

    # ---- tables --------------------------------------------------------------------------

    def alter_db_table(self, model: Any, old_db_table: str, new_db_table: str) -> None:
        """Rename the table (no-op when the names are the same, ignoring case where the
        database folds it)."""
        if old_db_table == new_db_table or (
            self.connection.features.ignores_table_name_case
            and old_db_table.lower() == new_db_table.lower()
        ):
            return
        self.execute(
            self.sql_rename_table
            % {
                "old_table": self.quote_name(old_db_table),
                "new_table": self.quote_name(new_db_table),
            }
        )
        self._rename_deferred(old_db_table, new_db_table)

    def alter_db_table_comment(
        self, model: Any, old_db_table_comment: str | None, new_db_table_comment: str | None
    ) -> None:
        if not self.connection.features.supports_comments:
            return
        self.execute(
            self.sql_alter_table_comment
            % {
                "table": self._table(model),
                "comment": self._sql_literal(new_db_table_comment or ""),
            }
        )

    def alter_db_tablespace(
        self, model: Any, old_db_tablespace: str, new_db_tablespace: str
    ) -> None:
        """Move the table to another tablespace; a no-op where there are none."""
        if not self.connection.features.supports_tablespaces:
            return
        self.execute(
            self.sql_retablespace_table
            % {"table": self._table(model), "new_tablespace": self.quote_name(new_db_tablespace)}
        )

    # ---- fields --------------------------------------------------------------------------

    def add_field(self, model: Any, field: Any) -> None:
        """Add `field`'s column (existing rows get its default), or its join table."""
        through = auto_through(field)
        if through is not None:
            self.create_model(through)
            return
        if self._field_db_type(field) is None:
            return
        definition, _ = self.column_sql(model, field, include_default=True)
        if (
            field.remote_field is not None
            and field.db_constraint
            and not self.inline_foreign_keys
            and self.connection.features.supports_foreign_keys
        ):
            self.deferred_sql.append(self._create_fk_sql(model, field))
        self.execute(
            self.sql_create_column
            % {
                "table": self._table(model),
                "column": self.quote_name(field.column),
                "definition": definition,
            }
        )
        if (
            not has_db_default(field)
            and not self.skip_default_on_alter(field)
            and self.effective_default(field) is not None
        ):
            # The default filled the existing rows; Django keeps no DEFAULT in the schema.
            self.execute(self._alter_column_sql(model, self._drop_default_sql(model, field)))
        if field.db_comment and not self.connection.features.supports_comments_inline:
            if self.connection.features.supports_comments:
                self.execute(self._column_comment_sql(model, field, field.db_comment))
        if self._field_should_be_indexed(field):
            self.deferred_sql.append(self.index_sql(model, [field.column]))

    def remove_field(self, model: Any, field: Any) -> None:
        """Drop `field`'s column (its foreign key first), or its automatic join table."""
        through = auto_through(field)
        if through is not None:
            self.delete_model(through)
            return
        if self._field_db_type(field) is None:
            return
        if field.remote_field is not None and self.connection.features.supports_foreign_keys:
            for name in self._constraint_names(model, [field.column], foreign_key=True):
                self.execute(self._delete_constraint_sql(self.sql_delete_fk, model, name))
        self.execute(
            self.sql_delete_column
            % {"table": self._table(model), "column": self.quote_name(field.column)}
        )
        self._forget_deferred(model._meta.db_table, field.column)

    # ---- constraint statements ----

    def _create_fk_sql(self, model: Any, field: Any, table: str | None = None) -> str:
        return self.sql_create_fk % {
            "table": self.quote_name(table or model._meta.db_table),
            "name": self.quote_name(self._fk_constraint_name(model, field)),
            "column": self.quote_name(field.column),
            **self._fk_params(field),
        }

    def _delete_constraint_sql(self, template: str, model: Any, name: str) -> str:
        return template % {"table": self._table(model), "name": self.quote_name(name)}

    # ---- comments ------------------------------------------------------------------------

    def _column_comment_sql(self, model: Any, field: Any, comment: str | None) -> str:
        return self.sql_alter_column_comment % {
            "table": self._table(model),
            "column": self.quote_name(field.column),
            "comment": self._sql_literal(comment or ""),
        }


BaseDatabaseSchemaEditor = BaseSchemaEditor
