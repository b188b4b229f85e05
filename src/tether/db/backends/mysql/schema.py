"""MariaDB/MySQL DDL: foreign keys added by ALTER TABLE after the tables exist (InnoDB checks
them at once: no DEFERRABLE), no partial indexes, DDL not transactional (each statement commits).
A column is changed with MODIFY, which restates its whole definition (type, default, NULL,
comment), as MySQL forgets what a MODIFY leaves out. A foreign key's column gets no index of
its own: InnoDB makes one, as Django counts on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tether.db.backends.base.schema import BaseSchemaEditor, has_db_default


class DatabaseSchemaEditor(BaseSchemaEditor):
    sql_deferrable = ""
    sql_create_fk = (
        "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s FOREIGN KEY (%(column)s) "
        "REFERENCES %(to_table)s (%(to_column)s)"
    )
    sql_rename_table = "RENAME TABLE %(old_table)s TO %(new_table)s"
    sql_delete_fk = "ALTER TABLE %(table)s DROP FOREIGN KEY %(name)s"
    sql_delete_unique = "ALTER TABLE %(table)s DROP INDEX %(name)s"
    sql_delete_index = "DROP INDEX %(name)s ON %(table)s"
    sql_delete_pk = "ALTER TABLE %(table)s DROP PRIMARY KEY"
    sql_rename_index = "ALTER TABLE %(table)s RENAME INDEX %(old_name)s TO %(new_name)s"
    sql_alter_table_comment = "ALTER TABLE %(table)s COMMENT = %(comment)s"
    sql_alter_column_type = "MODIFY %(column)s %(type)s"
    sql_alter_column_null = "MODIFY %(column)s %(type)s"
    sql_alter_column_not_null = "MODIFY %(column)s %(type)s"

    def _field_should_be_indexed(self, field: Any) -> bool:
        # InnoDB indexes a foreign key's column itself, under the constraint's name (unless an
        # index led by that column exists): a second index would only slow writes.
        if field.get_internal_type() == "ForeignKey" and field.db_constraint:
            return False
        return super()._field_should_be_indexed(field)

    def remove_index(self, model: Any, index: Any) -> None:
        self._keep_foreign_key_indexed(model, [name.lstrip("-") for name in index.fields])
        super().remove_index(model, index)

    def remove_constraint(self, model: Any, constraint: Any) -> None:
        if getattr(constraint, "fields", None) and constraint.create_sql(model, self):
            self._keep_foreign_key_indexed(model, constraint.fields)
        super().remove_constraint(model, constraint)

    def _delete_composed_index(
        self, model: Any, fields: Sequence[str], unique: bool = False, index: bool = False
    ) -> None:
        self._keep_foreign_key_indexed(model, fields)
        super()._delete_composed_index(model, fields, unique, index)

    def _keep_foreign_key_indexed(self, model: Any, fields: Sequence[str]) -> None:
        """Before an index led by a foreign key's column is dropped: when it is the only index
        led by that column, InnoDB made no index for the key and refuses the drop, so the
        column gets its own index first."""
        field = model._meta.get_field(fields[0]) if fields else None
        if field is None or field.get_internal_type() != "ForeignKey":
            return
        leading = self.connection.introspection.first_column_indexes(
            model._meta.db_table, field.column
        )
        if len(leading) == 1:
            self.execute(self.index_sql(model, [field.column]))

    def _delete_primary_key(self, model: Any, strict: bool = False) -> None:
        # An AUTO_INCREMENT column must stay a key: it loses AUTO_INCREMENT first.
        pk_columns = set(
            self.connection.introspection.get_primary_key_columns(None, model._meta.db_table) or ()
        )
        for info in self.connection.introspection.get_table_description(None, model._meta.db_table):
            if info.name in pk_columns and info.is_autofield:
                fragment = f"MODIFY {self.quote_name(info.name)} {info.type_code} NOT NULL"
                self.execute(self._alter_column_sql(model, fragment))
        super()._delete_primary_key(model, strict)

    def _delete_check_sql(self, model: Any, name: str) -> str:
        if name.startswith("__unnamed_constraint_"):
            # A column's own CHECK: MariaDB's name for it is the column's.
            name = self._constraints(model)[name]["columns"][0]
        return super()._delete_check_sql(model, name)

    def _inline_comment_sql(self, comment: str) -> str:
        return "COMMENT " + self._sql_literal(comment)

    def _modify_definition(self, field: Any, new_type: str, null: bool | None = None) -> str:
        """The whole column definition a MODIFY restates (NULL as `null` says, else as the
        field says)."""
        parts = [new_type + self._collation_sql(field)]
        if has_db_default(field):
            parts.append("DEFAULT " + self.db_default_sql(field))
        null = field.null if null is None else null
        parts.append("NULL" if null and not field.primary_key else "NOT NULL")
        if field.db_comment:
            parts.append(self._inline_comment_sql(field.db_comment))
        return " ".join(parts)

    def _alter_column_type_sql(
        self,
        model: Any,
        old_field: Any,
        new_field: Any,
        new_type: str,
        old_collation: str | None,
        new_collation: str | None,
    ) -> tuple[str, list[str]]:
        # NULL stays as it was: a NOT NULL change comes later, after NULLs get the default.
        fragment = self.sql_alter_column_type % {
            "column": self.quote_name(new_field.column),
            "type": self._modify_definition(new_field, new_type, null=old_field.null),
        }
        return fragment, []

    def _alter_column_null_sql(
        self, model: Any, old_field: Any, new_field: Any, new_type: str
    ) -> str:
        return self.sql_alter_column_null % {
            "column": self.quote_name(new_field.column),
            "type": self._modify_definition(new_field, new_type),
        }

    def _alter_column_comment_sql(
        self, model: Any, new_field: Any, new_type: str, comment: str | None
    ) -> tuple[str, list[str]]:
        # Run after the NULL change (the MODIFY restates the new NULL).
        fragment = self.sql_alter_column_type % {
            "column": self.quote_name(new_field.column),
            "type": self._modify_definition(new_field, new_type),
        }
        return "", [self._alter_column_sql(model, fragment)]
