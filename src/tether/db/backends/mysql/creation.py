"""MariaDB/MySQL test databases: `test_<name>` (utf8mb4) created with the configured user and
dropped at the end of the run."""

from __future__ import annotations

from typing import Any

from tether.db.backends.base.creation import ServerDatabaseCreation


class DatabaseCreation(ServerDatabaseCreation):
    exists_sql = "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s"

    def _admin(self) -> Any:
        """A separate connection, to no database in particular, for CREATE/DROP DATABASE."""
        conn = self.connection
        return type(conn)(conn.settings_dict.with_name(""), alias=f"{conn.alias}__admin")

    def _create_sql(self, admin: Any, name: str) -> str:
        charset = self.connection.settings_dict.options.get("charset", "utf8mb4")
        if not charset.replace("_", "").isalnum():
            raise ValueError(f"Invalid charset {charset!r}")
        return f"{super()._create_sql(admin, name)} CHARACTER SET {charset}"
