"""PostgreSQL DDL: foreign keys added after the tables, DEFERRABLE INITIALLY DEFERRED."""

from __future__ import annotations

from tether.db.backends.base.schema import BaseSchemaEditor


class DatabaseSchemaEditor(BaseSchemaEditor):
    sql_delete_table = "DROP TABLE %(table)s CASCADE"
    sql_deferrable = " DEFERRABLE INITIALLY DEFERRED"
