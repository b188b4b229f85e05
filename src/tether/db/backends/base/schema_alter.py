"""alter_field: change one column (type, null, default, db_default, unique, primary key, index,
name, foreign key, comment, collation) or an automatic many-to-many table, in Django's order:
drop what depends on the old column, change it, recreate what the new one needs.

Mixed into BaseSchemaEditor (schema.py), whose statement builders it uses; vendors override the
`_alter_column_*_sql` hooks (MySQL's MODIFY, PostgreSQL's USING and identity) in their schema.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tether.exceptions import FieldError


def auto_through(field: Any) -> Any:
    """The automatic through model of a many-to-many `field`, else None."""
    if not getattr(field, "many_to_many", False):
        return None
    through = field.remote_field.through
    if getattr(through, "_meta", None) is not None and through._meta.auto_created:
        return through
    return None


def has_db_default(field: Any) -> bool:
    return type(getattr(field, "db_default", None)).__name__ != "_NotProvided"


class AlterFieldMixin:
    sql_alter_column = "ALTER TABLE %(table)s %(changes)s"
    sql_alter_column_type = "ALTER COLUMN %(column)s TYPE %(type)s%(collation)s"
    sql_alter_column_null = "ALTER COLUMN %(column)s DROP NOT NULL"
    sql_alter_column_not_null = "ALTER COLUMN %(column)s SET NOT NULL"
    sql_alter_column_default = "ALTER COLUMN %(column)s SET DEFAULT %(default)s"
    sql_alter_column_no_default = "ALTER COLUMN %(column)s DROP DEFAULT"

    connection: Any
    deferred_sql: list[str]
    sql_delete_fk: str
    sql_delete_pk: str
    sql_create_pk: str
    sql_create_fk: str
    sql_deferrable: str
    sql_check_constraint: str
    sql_rename_column: str
    sql_update_with_default: str

    # Provided by BaseSchemaEditor.
    execute: Any
    quote_name: Any
    quote_value: Any
    _table: Any
    _field_db_type: Any
    _constraint_names: Any
    _delete_constraint_sql: Any
    _delete_unique_sql: Any
    _delete_index_sql: Any
    _create_index_name: Any
    _create_fk_sql: Any
    _add_constraint_sql: Any
    _unique_sql: Any
    _column_comment_sql: Any
    _rename_deferred: Any
    effective_default: Any
    prepare_default: Any
    skip_default_on_alter: Any
    db_default_sql: Any
    index_sql: Any
    alter_db_table: Any
    create_model: Any
    delete_model: Any

    # ---- deciding ------------------------------------------------------------------------

    def _db_signature(self, field: Any) -> tuple[Any, ...]:
        """Everything about `field` the database sees; equal signatures need no DDL."""
        through = auto_through(field)
        if through is not None:
            return (
                "m2m",
                through._meta.db_table,
                field.m2m_column_name(),
                field.m2m_reverse_name(),
                field.remote_field.model._meta.db_table,
            )
        rel = field.remote_field
        target = None
        if rel is not None and not getattr(field, "many_to_many", False):
            target = (rel.model._meta.db_table, field.target_field.column, field.db_constraint)
        return (
            field.column,
            self._field_db_type(field),
            field.null,
            field.unique,
            field.primary_key,
            field.db_index,
            repr(field.db_default) if has_db_default(field) else None,
            field.db_comment,
            getattr(field, "db_collation", None),
            field.db_tablespace,
            target,
            field.db_check(self.connection),
        )

    def _generated_change(self, old_field: Any, new_field: Any) -> bool:
        """Whether a generated column would become another (a database cannot alter one)."""
        if (
            old_field.generated != new_field.generated
            or old_field.db_persist != new_field.db_persist
        ):
            return True
        try:
            old_sql = old_field.generated_sql(self.connection)
        except FieldError:  # a column the expression reads was renamed
            return True
        return bool(old_sql != new_field.generated_sql(self.connection))

    def _field_should_be_altered(self, old_field: Any, new_field: Any) -> bool:
        return self._db_signature(old_field) != self._db_signature(new_field)

    @staticmethod
    def _field_became_primary_key(old_field: Any, new_field: Any) -> bool:
        return bool(new_field.primary_key and not old_field.primary_key)

    @staticmethod
    def _unique_should_be_added(old_field: Any, new_field: Any) -> bool:
        return bool(
            not new_field.primary_key
            and new_field.unique
            and (not old_field.unique or old_field.primary_key)
        )

    # ---- the public entry ----------------------------------------------------------------

    def alter_field(self, model: Any, old_field: Any, new_field: Any, strict: bool = False) -> None:
        """Change `old_field`'s column (or join table) into what `new_field` declares.

        `strict` raises when the database does not have exactly the constraints expected.
        """
        if (old_field.generated or new_field.generated) and self._generated_change(
            old_field, new_field
        ):
            raise ValueError(
                f"Modifying GeneratedFields is not supported - the field {new_field} must be "
                "removed and re-added with the new definition."
            )
        if not self._field_should_be_altered(old_field, new_field):
            return
        old_type = self._field_db_type(old_field)
        new_type = self._field_db_type(new_field)
        if (old_type is None and old_field.remote_field is None) or (
            new_type is None and new_field.remote_field is None
        ):
            raise ValueError(
                f"Cannot alter field {old_field} into {new_field} - they do not properly define "
                "db_type (are you using a badly-written custom field?)"
            )
        old_through, new_through = auto_through(old_field), auto_through(new_field)
        if old_type is None and new_type is None:
            if old_through is not None and new_through is not None:
                self._alter_many_to_many(model, old_field, new_field, strict)
                return
            if old_through is None and new_through is None:
                return  # two explicit through models: their own migrations change them
        if old_type is None or new_type is None:
            raise ValueError(
                f"Cannot alter field {old_field} into {new_field} - they are not compatible "
                "types (you cannot alter to or from M2M fields, or add or remove through= on "
                "M2M fields)"
            )
        self._alter_field(model, old_field, new_field, old_type, new_type, strict)

    def _alter_many_to_many(self, model: Any, old_field: Any, new_field: Any, strict: bool) -> None:
        """Rename the automatic through table and repoint its two foreign keys."""
        old_through = old_field.remote_field.through
        new_through = new_field.remote_field.through
        old_table, new_table = old_through._meta.db_table, new_through._meta.db_table
        if old_table != new_table:
            self.alter_db_table(old_through, old_table, new_table)
        self.alter_field(
            new_through,
            old_through._meta.get_field(old_field.m2m_reverse_field_name()),
            new_through._meta.get_field(new_field.m2m_reverse_field_name()),
        )
        self.alter_field(
            new_through,
            old_through._meta.get_field(old_field.m2m_field_name()),
            new_through._meta.get_field(new_field.m2m_field_name()),
        )

    # ---- the column ----------------------------------------------------------------------

    def _alter_field(
        self,
        model: Any,
        old_field: Any,
        new_field: Any,
        old_type: str,
        new_type: str,
        strict: bool = False,
    ) -> None:
        features = self.connection.features
        meta_names = {c.name for c in model._meta.constraints} | {
            i.name for i in model._meta.indexes
        }
        old_collation = getattr(old_field, "db_collation", None)
        new_collation = getattr(new_field, "db_collation", None)
        type_changed = old_type != new_type or old_collation != new_collation
        only_comment = self._db_signature(old_field)[:7] + self._db_signature(old_field)[8:] == (
            self._db_signature(new_field)[:7] + self._db_signature(new_field)[8:]
        )
        # 1. This column's own foreign key.
        fk_dropped = False
        if (
            features.supports_foreign_keys
            and old_field.remote_field is not None
            and old_field.db_constraint
            and not only_comment
        ):
            names = self._constraint_names(model, [old_field.column], foreign_key=True)
            self._expect_one(strict, names, "foreign key", model, old_field)
            for name in names:
                self.execute(self._delete_constraint_sql(self.sql_delete_fk, model, name))
            fk_dropped = True
        # 2. Its unique constraint.
        if old_field.unique and (
            not new_field.unique or self._field_became_primary_key(old_field, new_field)
        ):
            names = self._constraint_names(
                model, [old_field.column], unique=True, primary_key=False, exclude=meta_names
            )
            self._expect_one(strict, names, "unique", model, old_field)
            for name in names:
                self.execute(self._delete_unique_sql(model, name))
        # 3. Foreign keys of other tables pointing at it, when its type changes.
        incoming = self._incoming_foreign_keys(model, old_field)
        drop_incoming = (
            features.supports_foreign_keys
            and old_field.unique
            and new_field.unique
            and type_changed
        )
        if drop_incoming:
            for rel_model, rel_field in incoming:
                for name in self._constraint_names(rel_model, [rel_field.column], foreign_key=True):
                    self.execute(self._delete_constraint_sql(self.sql_delete_fk, rel_model, name))
        # 4. Its index.
        if (
            old_field.db_index
            and not old_field.unique
            and (not new_field.db_index or new_field.unique)
        ):
            names = self._constraint_names(
                model, [old_field.column], index=True, unique=False, exclude=meta_names
            )
            for name in names:
                self.execute(self._delete_index_sql(model, name))
        # 5. Its CHECK (PositiveIntegerField and the like).
        old_check = old_field.db_check(self.connection)
        new_check = new_field.db_check(self.connection)
        if old_check and old_check != new_check:
            names = self._constraint_names(
                model, [old_field.column], check=True, exclude=meta_names
            )
            self._expect_one(strict, names, "check", model, old_field)
            for name in names:
                self.execute(self._delete_check_sql(model, name))
        # 6. Its name.
        if old_field.column != new_field.column:
            self.execute(self._rename_field_sql(model, old_field, new_field, new_type))
            self._rename_deferred(old_field.column, new_field.column, model._meta.db_table)
        # 7. Type, comment, default, null.
        self._alter_column_attributes(model, old_field, new_field, new_type, type_changed)
        # 8. Primary key.
        rels_to_update = list(incoming) if drop_incoming else []
        if self._field_became_primary_key(old_field, new_field):
            self._delete_primary_key(model, strict)
            self.execute(self._create_primary_key_sql(model, new_field))
        # 9. Unique and index on the new column.
        if self._unique_should_be_added(old_field, new_field):
            table = model._meta.db_table
            self.execute(
                self._add_constraint_sql(model, self._unique_sql(table, [new_field.column], None))
            )
        if (not old_field.db_index or old_field.unique) and (
            new_field.db_index and not new_field.unique
        ):
            self.execute(self.index_sql(model, [new_field.column]))
        # 10. Columns of other tables pointing at it take its new type.
        for rel_model, rel_field in rels_to_update:
            rel_type = new_field.rel_db_type(self.connection)
            fragment, others = self._alter_column_type_sql(
                rel_model, rel_field, rel_field, rel_type, None, None
            )
            self.execute(self._alter_column_sql(rel_model, fragment))
            for sql in others:
                self.execute(sql)
        # 11. Foreign keys back: its own, and the incoming ones.
        if (
            features.supports_foreign_keys
            and new_field.remote_field is not None
            and new_field.db_constraint
            and (fk_dropped or old_field.remote_field is None or not old_field.db_constraint)
        ):
            self.execute(self._create_fk_sql(model, new_field))
        if drop_incoming:
            for rel_model, rel_field in incoming:
                if rel_field.db_constraint:
                    self.execute(self._incoming_fk_sql(rel_model, rel_field, model, new_field))
        # 12. Its CHECK back.
        if new_check and old_check != new_check:
            name = self._create_index_name(model._meta.db_table, [new_field.column], "_check")
            definition = self.sql_check_constraint % {
                "name": self.quote_name(name),
                "check": new_check,
            }
            self.execute(self._add_constraint_sql(model, definition))

    def _alter_column_attributes(
        self, model: Any, old_field: Any, new_field: Any, new_type: str, type_changed: bool
    ) -> None:
        """Type, comment, default and null, combined into one ALTER TABLE where allowed."""
        actions: list[str] = []
        null_actions: list[str] = []
        post_actions: list[str] = []
        if type_changed:
            fragment, others = self._alter_column_type_sql(
                model,
                old_field,
                new_field,
                new_type,
                getattr(old_field, "db_collation", None),
                getattr(new_field, "db_collation", None),
            )
            actions.append(fragment)
            post_actions.extend(others)
        if old_field.db_comment != new_field.db_comment:
            fragment, others = self._alter_column_comment_sql(
                model, new_field, new_type, new_field.db_comment
            )
            if fragment:
                actions.append(fragment)
            post_actions.extend(others)
        new_default = self.effective_default(new_field)
        needs_database_default = (
            old_field.null
            and not new_field.null
            and not has_db_default(new_field)
            and new_default is not None
            and not self.skip_default_on_alter(new_field)
        )
        if needs_database_default:
            actions.append(
                self._set_default_sql(model, new_field, self.prepare_default(new_default))
            )
        old_db_default = repr(old_field.db_default) if has_db_default(old_field) else None
        new_db_default = repr(new_field.db_default) if has_db_default(new_field) else None
        if old_db_default != new_db_default:
            if new_db_default is None:
                actions.append(self._drop_default_sql(model, new_field))
            else:
                actions.append(
                    self._set_default_sql(model, new_field, self.db_default_sql(new_field))
                )
        if old_field.null != new_field.null and not new_field.primary_key:
            fragment = self._alter_column_null_sql(model, old_field, new_field, new_type)
            if fragment:
                null_actions.append(fragment)
        fill_nulls = (
            old_field.null
            and not new_field.null
            and (needs_database_default or has_db_default(new_field))
        )
        if not fill_nulls:
            actions.extend(null_actions)
        self._run_alter_actions(model, actions)
        if fill_nulls:
            default = (
                self.db_default_sql(new_field)
                if has_db_default(new_field)
                else self.prepare_default(new_default)
            )
            self.execute(
                self.sql_update_with_default
                % {
                    "table": self._table(model),
                    "column": self.quote_name(new_field.column),
                    "default": default,
                }
            )
            self._run_alter_actions(model, null_actions)
        for sql in post_actions:
            self.execute(sql)
        if needs_database_default:
            self.execute(self._alter_column_sql(model, self._drop_default_sql(model, new_field)))

    def _run_alter_actions(self, model: Any, actions: Sequence[str]) -> None:
        if not actions:
            return
        if self.connection.features.supports_combined_alters:
            self.execute(self._alter_column_sql(model, ", ".join(actions)))
            return
        for fragment in actions:
            self.execute(self._alter_column_sql(model, fragment))

    def _expect_one(
        self, strict: bool, names: Sequence[str], kind: str, model: Any, field: Any
    ) -> None:
        if strict and len(names) != 1:
            raise ValueError(
                f"Found wrong number ({len(names)}) of {kind} constraints for "
                f"{model._meta.db_table}.{field.column}"
            )

    # ---- statement hooks (vendors override) ----------------------------------------------

    def _alter_column_sql(self, model: Any, changes: str) -> str:
        return self.sql_alter_column % {"table": self._table(model), "changes": changes}

    def _alter_column_type_sql(
        self,
        model: Any,
        old_field: Any,
        new_field: Any,
        new_type: str,
        old_collation: str | None,
        new_collation: str | None,
    ) -> tuple[str, list[str]]:
        """(the ALTER TABLE fragment changing the column's type, statements to run after)."""
        collation = f" COLLATE {self.quote_name(new_collation)}" if new_collation else ""
        fragment = self.sql_alter_column_type % {
            "column": self.quote_name(new_field.column),
            "type": new_type,
            "collation": collation,
        }
        return fragment, []

    def _alter_column_null_sql(
        self, model: Any, old_field: Any, new_field: Any, new_type: str
    ) -> str:
        template = self.sql_alter_column_null if new_field.null else self.sql_alter_column_not_null
        return template % {"column": self.quote_name(new_field.column), "type": new_type}

    def _alter_column_comment_sql(
        self, model: Any, new_field: Any, new_type: str, comment: str | None
    ) -> tuple[str, list[str]]:
        if not self.connection.features.supports_comments:
            return "", []
        return "", [self._column_comment_sql(model, new_field, comment)]

    def _set_default_sql(self, model: Any, field: Any, default: str) -> str:
        return self.sql_alter_column_default % {
            "column": self.quote_name(field.column),
            "default": default,
        }

    def _drop_default_sql(self, model: Any, field: Any) -> str:
        return self.sql_alter_column_no_default % {"column": self.quote_name(field.column)}

    def _rename_field_sql(self, model: Any, old_field: Any, new_field: Any, new_type: str) -> str:
        return self.sql_rename_column % {
            "table": self._table(model),
            "old_column": self.quote_name(old_field.column),
            "new_column": self.quote_name(new_field.column),
            "type": new_type,
        }

    def _delete_check_sql(self, model: Any, name: str) -> str:
        return self._delete_constraint_sql(self.sql_delete_check, model, name)  # type: ignore[attr-defined, no-any-return]

    def _delete_primary_key(self, model: Any, strict: bool = False) -> None:
        names = self._constraint_names(model, primary_key=True)
        if strict and len(names) != 1:
            raise ValueError(
                f"Found wrong number ({len(names)}) of PK constraints for {model._meta.db_table}"
            )
        for name in names:
            self.execute(self._delete_constraint_sql(self.sql_delete_pk, model, name))

    def _create_primary_key_sql(self, model: Any, field: Any) -> str:
        table = model._meta.db_table
        return self.sql_create_pk % {
            "table": self.quote_name(table),
            "name": self.quote_name(self._create_index_name(table, [field.column], "_pk")),
            "columns": self.quote_name(field.column),
        }

    # ---- relations -----------------------------------------------------------------------

    def _incoming_foreign_keys(self, model: Any, field: Any) -> list[tuple[Any, Any]]:
        """(model, field) of every foreign key column (automatic through tables included)
        whose target is `field`'s column."""
        found = []
        for rel in model._meta.get_fields(include_hidden=True):
            rel_field = getattr(rel, "field", None)
            if rel_field is None or rel_field is rel or getattr(rel, "concrete", False):
                continue
            if getattr(rel_field, "many_to_many", False) or rel_field.remote_field is None:
                continue
            target = rel_field.target_field
            if target.column == field.column and target.model._meta.db_table == (
                model._meta.db_table
            ):
                found.append((rel_field.model, rel_field))
        return found

    def _incoming_fk_sql(self, rel_model: Any, rel_field: Any, model: Any, field: Any) -> str:
        table = rel_model._meta.db_table
        to_table = model._meta.db_table
        name = self._create_index_name(table, [rel_field.column], f"_fk_{to_table}_{field.column}")
        return self.sql_create_fk % {
            "table": self.quote_name(table),
            "name": self.quote_name(name),
            "column": self.quote_name(rel_field.column),
            "to_table": self.quote_name(to_table),
            "to_column": self.quote_name(field.column),
            "deferrable": self.sql_deferrable,
        }
