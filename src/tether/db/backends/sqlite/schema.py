"""SQLite DDL: foreign keys written inline, deferred to the end of the transaction; what ALTER
TABLE cannot do (change a column's type, null, default, unique, key; add a NOT NULL or unique
column; drop a constrained column; add or drop a table constraint) is done by rebuilding the
table: CREATE new__<table>, INSERT ... SELECT, DROP, RENAME, indexes again, inside the editor's
transaction. Foreign key enforcement is off for the editor's block (a PRAGMA that SQLite only
honours outside a transaction) and PRAGMA foreign_key_check runs before the commit.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from tether.db.backends.base.schema import BaseSchemaEditor, auto_through, has_db_default
from tether.db.core.plans import fetch_all
from tether.db.core.run import run_plan
from tether.db.errors import IntegrityError, NotSupportedError


class _RemadeMeta:
    """The model's _meta seen with the rebuilt table's fields (renamed ones by both names)."""

    def __init__(self, meta: Any, by_name: dict[str, Any]) -> None:
        self._meta = meta
        self._by_name = by_name

    def get_field(self, name: str) -> Any:
        return self._by_name.get(name) or self._meta.get_field(name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._meta, name)


class _RemadeModel:
    def __init__(self, model: Any, by_name: dict[str, Any]) -> None:
        self._meta = _RemadeMeta(model._meta, by_name)


class DatabaseSchemaEditor(BaseSchemaEditor):
    inline_foreign_keys = True
    sql_deferrable = " DEFERRABLE INITIALLY DEFERRED"
    unique_together_as_index = True
    auto_suffix_needs_primary_key = True
    sql_delete_index = "DROP INDEX %(name)s"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._restore_foreign_keys = False

    # ---- foreign key enforcement around the block ----------------------------------------

    def _foreign_keys_enabled(self) -> bool:
        rows = run_plan(fetch_all("PRAGMA foreign_keys", ()), self.connection)
        return bool(rows and rows[0][0])

    def __enter__(self) -> DatabaseSchemaEditor:
        if not self.collect_sql and not self.connection.in_atomic_block:
            if self._foreign_keys_enabled():
                run_plan(fetch_all("PRAGMA foreign_keys = OFF", ()), self.connection)
                self._restore_foreign_keys = True
        super().__enter__()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            super().__exit__(exc_type, exc, tb)
        finally:
            if self._restore_foreign_keys:
                self._restore_foreign_keys = False
                run_plan(fetch_all("PRAGMA foreign_keys = ON", ()), self.connection)

    def _before_commit(self) -> None:
        if self._restore_foreign_keys:
            self.check_foreign_keys()

    def check_foreign_keys(self) -> None:
        """Raise IntegrityError (Django's message) for the first row whose foreign key points
        at no row: what a rebuild or a data change left behind."""
        conn = self.connection
        for table, rowid, parent, fk_id in run_plan(
            fetch_all("PRAGMA foreign_key_check", ()), conn
        ):
            quoted = self.quote_name(table)
            fk_rows = run_plan(fetch_all(f"PRAGMA foreign_key_list({quoted})", ()), conn)
            column, to_column = next((r[3], r[4]) for r in fk_rows if r[0] == fk_id)
            pk_rows = run_plan(
                fetch_all(
                    f"SELECT rowid, {self.quote_name(column)} FROM {quoted} WHERE rowid = ?",
                    (rowid,),
                ),
                conn,
            )
            primary_key, value = pk_rows[0] if pk_rows else (rowid, None)
            raise IntegrityError(
                f"The row in table '{table}' with primary key '{primary_key}' has an invalid "
                f"foreign key: {table}.{column} contains a value '{value}' that does not have "
                f"a corresponding value in {parent}.{to_column}."
            )

    def _require_foreign_keys_off(self) -> None:
        if self.collect_sql or self._restore_foreign_keys:
            return
        if self._foreign_keys_enabled():
            raise NotSupportedError(
                "SQLite schema editor cannot be used while foreign key constraint checks are "
                "enabled. Make sure to disable them before entering a transaction.atomic() "
                "context because SQLite does not support disabling them in the middle of a "
                "multi-statement transaction."
            )

    # ---- the rebuild ---------------------------------------------------------------------

    def _remake_table(
        self,
        model: Any,
        create_field: Any = None,
        delete_field: Any = None,
        alter_fields: Sequence[tuple[Any, Any]] = (),
        constraints: Sequence[Any] | None = None,
    ) -> None:
        """Rebuild `model`'s table with a field added, dropped or altered (or constraints
        changed), keeping every row: CREATE new__t, INSERT ... SELECT, DROP t, RENAME."""
        self._require_foreign_keys_off()
        opts = model._meta
        table = opts.db_table
        fields = [
            f
            for f in opts.local_concrete_fields
            if self._field_db_type(f) is not None
            and (create_field is None or f.column != create_field.column)
        ]
        existing = self._existing_columns(table)
        # A generated column is computed again by the new table, never copied.
        mapping: dict[str, str] = {
            f.column: self.quote_name(f.column)
            for f in fields
            if (existing is None or f.column in existing) and not f.generated
        }
        renames: dict[str, str] = {}
        result: list[Any] = []
        altered = {old.column: (old, new) for old, new in alter_fields}
        for field in fields:
            if delete_field is not None and field.column == delete_field.column:
                mapping.pop(field.column, None)
                continue
            if field.column in altered:
                old, new = altered[field.column]
                if mapping.pop(old.column, None) is not None and not new.generated:
                    mapping[new.column] = self._copy_expression(old, new)
                renames[old.name] = new.name
                field = new
            result.append(field)
        if create_field is not None and self._field_db_type(create_field) is not None:
            result.append(create_field)
            if not create_field.generated:
                mapping[create_field.column] = self._added_value(create_field)
        result = self._single_primary_key(result, [new for _, new in alter_fields], create_field)
        by_name = {f.name: f for f in result}
        for old_name, new_name in renames.items():
            by_name.setdefault(old_name, by_name[new_name])
        deleted = delete_field.name if delete_field is not None else None
        unique_together = [
            [renames.get(name, name) for name in names]
            for names in opts.unique_together
            if deleted not in names
        ]
        view = _RemadeModel(model, by_name)
        if constraints is None:
            constraints = opts.constraints
        new_table = f"new__{table}"
        self.execute(self._remade_table_sql(model, view, new_table, result, constraints))
        columns = ", ".join(self.quote_name(column) for column in mapping)
        self.execute(
            f"INSERT INTO {self.quote_name(new_table)} ({columns}) "
            f"SELECT {', '.join(mapping.values())} FROM {self.quote_name(table)}"
        )
        self.execute(self.sql_delete_table % {"table": self.quote_name(table)})
        self._forget_deferred(table)
        self.execute(
            self.sql_rename_table
            % {"old_table": self.quote_name(new_table), "new_table": self.quote_name(table)}
        )
        self._rename_deferred(new_table, table)
        for names in unique_together:
            together = [by_name[name].column for name in names]
            self.deferred_sql.append(self._unique_index_sql(table, together))
        for field in result:
            if self._field_should_be_indexed(field):
                self.deferred_sql.append(self.index_sql(model, [field.column]))
        for index in opts.indexes:
            if deleted is None or deleted not in [name.lstrip("-") for name in index.fields]:
                self.deferred_sql.append(index.create_sql(view, self))
        # The rebuilt table's indexes exist before the next operation (which may drop one), as
        # Django's rebuild runs the deferred statements here.
        for sql in self.deferred_sql:
            self.execute(sql)
        self.deferred_sql = []

    def _remade_table_sql(
        self,
        model: Any,
        view: Any,
        table: str,
        fields: Sequence[Any],
        constraints: Sequence[Any],
    ) -> str:
        # Unique constraints name columns through the rebuilt fields; CHECK conditions compile
        # against the model itself (a Query needs a real model).
        plain = [c for c in constraints if getattr(c, "condition", None) is None]
        conditioned = [c for c in constraints if getattr(c, "condition", None) is not None]
        sql = self._create_table_sql(view, table, fields, (), plain)
        extra = []
        for constraint in conditioned:
            definition = constraint.constraint_sql(model, self)
            if definition:
                extra.append(definition)
        if extra:
            sql = sql[:-1] + ", " + ", ".join(extra) + ")"
        return sql

    def _existing_columns(self, table: str) -> set[str] | None:
        """The columns the table has now (a model may still list a field already removed);
        None when the table is not there yet (sqlmigrate of a later migration)."""
        description = self.connection.introspection.get_table_description(None, table)
        return {info.name for info in description} or None

    def _copy_expression(self, old: Any, new: Any) -> str:
        """What the rebuilt column takes from the old row: the old value, or its default
        where a NULL must become NOT NULL."""
        column = self.quote_name(old.column)
        if old.null and not new.null:
            if has_db_default(new):
                return f"coalesce({column}, {self.db_default_sql(new)})"
            default = self.effective_default(new)
            if default is not None:
                return f"coalesce({column}, {self.prepare_default(default)})"
        return column

    def _added_value(self, field: Any) -> str:
        if has_db_default(field):
            return self.db_default_sql(field)
        return self.prepare_default(self.effective_default(field))

    @staticmethod
    def _single_primary_key(fields: list[Any], changed: Sequence[Any], created: Any) -> list[Any]:
        """A field that becomes the primary key takes it from the one that had it."""
        new_pk = [f for f in [*changed, created] if f is not None and f.primary_key]
        if not new_pk:
            return fields
        kept = []
        for field in fields:
            if field.primary_key and all(field is not pk for pk in new_pk):
                field = copy.copy(field)
                field.primary_key = False
            kept.append(field)
        return kept

    # ---- operations that need the rebuild ------------------------------------------------

    def add_field(self, model: Any, field: Any) -> None:
        if auto_through(field) is not None or self._field_db_type(field) is None:
            super().add_field(model, field)
            return
        db_default = getattr(field, "db_default", None)
        if field.generated:
            # ALTER TABLE ADD COLUMN takes a VIRTUAL generated column, never a STORED one.
            if field.db_persist:
                self._remake_table(model, create_field=field)
            else:
                super().add_field(model, field)
        elif (
            field.primary_key
            or field.unique
            or not field.null
            or self.effective_default(field) is not None
            or (has_db_default(field) and hasattr(db_default, "as_sql"))
        ):
            self._remake_table(model, create_field=field)
        else:
            super().add_field(model, field)

    def remove_field(self, model: Any, field: Any) -> None:
        if auto_through(field) is not None or self._field_db_type(field) is None:
            super().remove_field(model, field)
            return
        if self._can_drop_column(model, field):
            super().remove_field(model, field)
        else:
            self._remake_table(model, delete_field=field)

    def _can_drop_column(self, model: Any, field: Any) -> bool:
        """ALTER TABLE DROP COLUMN refuses a column that a key, index or CHECK uses."""
        if (
            field.primary_key
            or field.unique
            or field.db_index
            or (field.remote_field is not None and field.db_constraint)
            or field.db_check(self.connection)
        ):
            return False
        opts = model._meta
        names = {name for together in opts.unique_together for name in together}
        for index in opts.indexes:
            names.update(name.lstrip("-") for name in index.fields)
        for constraint in opts.constraints:
            names.update(getattr(constraint, "fields", ()))
            if getattr(constraint, "condition", None) is not None:
                return False
        return field.name not in names

    def _alter_field(
        self,
        model: Any,
        old_field: Any,
        new_field: Any,
        old_type: str,
        new_type: str,
        strict: bool = False,
    ) -> None:
        old_sig, new_sig = self._db_signature(old_field), self._db_signature(new_field)
        if old_sig[:7] + old_sig[8:] == new_sig[:7] + new_sig[8:]:
            return  # only the comment changed: SQLite keeps none
        if old_field.column != new_field.column and old_sig[1:7] + old_sig[8:] == (
            new_sig[1:7] + new_sig[8:]
        ):
            self.execute(self._rename_field_sql(model, old_field, new_field, new_type))
            self._rename_deferred(old_field.column, new_field.column, model._meta.db_table)
            return
        self._remake_table(model, alter_fields=[(old_field, new_field)])
        old_collation = getattr(old_field, "db_collation", None)
        new_collation = getattr(new_field, "db_collation", None)
        if new_field.unique and (old_type != new_type or old_collation != new_collation):
            # Columns pointing at this one take its new type.
            rebuilt = set()
            for rel_model, _ in self._incoming_foreign_keys(model, old_field):
                if rel_model._meta.db_table not in rebuilt and rel_model is not model:
                    rebuilt.add(rel_model._meta.db_table)
                    self._remake_table(rel_model)

    def _alter_many_to_many(self, model: Any, old_field: Any, new_field: Any, strict: bool) -> None:
        old_through = old_field.remote_field.through
        new_through = new_field.remote_field.through
        if old_through._meta.db_table == new_through._meta.db_table:
            self._remake_table(
                old_through,
                alter_fields=[
                    (
                        old_through._meta.get_field(old_field.m2m_reverse_field_name()),
                        new_through._meta.get_field(new_field.m2m_reverse_field_name()),
                    ),
                    (
                        old_through._meta.get_field(old_field.m2m_field_name()),
                        new_through._meta.get_field(new_field.m2m_field_name()),
                    ),
                ],
            )
            return
        self.create_model(new_through)
        new_columns = [
            new_through._meta.pk.column,
            new_field.m2m_column_name(),
            new_field.m2m_reverse_name(),
        ]
        old_columns = [
            old_through._meta.pk.column,
            old_field.m2m_column_name(),
            old_field.m2m_reverse_name(),
        ]
        new_table = self.quote_name(new_through._meta.db_table)
        old_table = self.quote_name(old_through._meta.db_table)
        self.execute(
            f"INSERT INTO {new_table} ({self._columns(new_columns)}) "
            f"SELECT {self._columns(old_columns)} FROM {old_table}"
        )
        self.delete_model(old_through)

    @staticmethod
    def _is_unique_index(constraint: Any) -> bool:
        """A UniqueConstraint with a condition or expressions: an index, no table rebuild."""
        if not hasattr(constraint, "fields"):
            return False
        return constraint.condition is not None or bool(constraint.expressions)

    def add_constraint(self, model: Any, constraint: Any) -> None:
        if self._is_unique_index(constraint):
            super().add_constraint(model, constraint)
            return
        kept = [c for c in model._meta.constraints if c.name != constraint.name]
        self._remake_table(model, constraints=[*kept, constraint])

    def remove_constraint(self, model: Any, constraint: Any) -> None:
        if self._is_unique_index(constraint):
            super().remove_constraint(model, constraint)
            return
        kept = [c for c in model._meta.constraints if c.name != constraint.name]
        self._remake_table(model, constraints=kept)
