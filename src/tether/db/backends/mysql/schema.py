"""MariaDB/MySQL DDL: foreign keys added by ALTER TABLE after the tables exist (InnoDB checks
them at once: no DEFERRABLE), no partial indexes."""

from __future__ import annotations

from tether.db.backends.base.schema import BaseSchemaEditor


class DatabaseSchemaEditor(BaseSchemaEditor):
    sql_deferrable = ""
    sql_create_fk = (
        "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s FOREIGN KEY (%(column)s) "
        "REFERENCES %(to_table)s (%(to_column)s)"
    )
