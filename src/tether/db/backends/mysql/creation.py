"""MariaDB/MySQL test databases: `test_<name>` (utf8mb4) created with the configured user and
dropped at the end of the run."""

from __future__ import annotations

from typing import Any

from tether.conf import DatabaseSettings
from tether.db.backends.base.creation import BaseDatabaseCreation
from tether.db.core.plans import fetch_one, rowcount
from tether.db.core.run import run_plan


class DatabaseCreation(BaseDatabaseCreation):
    def _admin(self) -> Any:
        """A separate connection, to no database in particular, for CREATE/DROP DATABASE."""
        conn = self.connection
        return type(conn)(conn.settings_dict.with_name(""), alias=f"{conn.alias}__admin")

    def _exists(self, admin: Any, name: str) -> bool:
        sql = "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s"
        return run_plan(fetch_one(sql, (name,)), admin) is not None

    def _drop(self, admin: Any, name: str) -> None:
        run_plan(rowcount(f"DROP DATABASE IF EXISTS {admin.ops.quote_name(name)}", ()), admin)

    def create_test_db(self, keepdb: bool = False) -> DatabaseSettings:
        name = self.test_db_name()
        charset = self.connection.settings_dict.options.get("charset", "utf8mb4")
        admin = self._admin()
        try:
            if keepdb and self._exists(admin, name):
                return self.connection.settings_dict.with_name(name)
            self._drop(admin, name)
            sql = f"CREATE DATABASE {admin.ops.quote_name(name)} CHARACTER SET {charset}"
            if not charset.replace("_", "").isalnum():
                raise ValueError(f"Invalid charset {charset!r}")
            run_plan(rowcount(sql, ()), admin)
        finally:
            admin.close()
        return self.connection.settings_dict.with_name(name)

    def destroy_test_db(self, test_settings: DatabaseSettings, keepdb: bool = False) -> None:
        if keepdb:
            return
        self.connection.close()
        admin = self._admin()
        try:
            self._drop(admin, test_settings.name)
        finally:
            admin.close()
