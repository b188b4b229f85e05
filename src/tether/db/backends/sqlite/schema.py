"""SQLite DDL: foreign keys written inline, deferred to the end of the transaction."""

from __future__ import annotations

from tether.db.backends.base.schema import BaseSchemaEditor


class DatabaseSchemaEditor(BaseSchemaEditor):
    inline_foreign_keys = True
    sql_deferrable = " DEFERRABLE INITIALLY DEFERRED"
