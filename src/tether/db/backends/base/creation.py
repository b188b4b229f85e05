"""Test database life cycle: create a fresh database for a test run, destroy it afterwards.

On a server the test database is `test_<name>` created with the configured role
(ServerDatabaseCreation, shared by PostgreSQL and MariaDB/MySQL); SQLite uses a file in a
temporary directory. `keepdb` reuses an existing test database.
"""

from __future__ import annotations

from typing import Any

from tether.conf import DatabaseSettings
from tether.db.core.plans import fetch_one, rowcount
from tether.db.core.run import run_plan


class BaseDatabaseCreation:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def test_db_name(self) -> str:
        return "test_" + self.connection.settings_dict.name

    def create_test_db(self, keepdb: bool = False) -> DatabaseSettings:
        """Create the test database and return the settings that point at it."""
        raise NotImplementedError

    def destroy_test_db(self, test_settings: DatabaseSettings, keepdb: bool = False) -> None:
        raise NotImplementedError


class ServerDatabaseCreation(BaseDatabaseCreation):
    """CREATE/DROP DATABASE through a separate admin connection. A vendor says how to open
    that connection and writes the statements; the life cycle is this class's."""

    # SELECT 1 when the database named by the parameter exists.
    exists_sql = ""

    def _admin(self) -> Any:
        raise NotImplementedError

    def _drop_sql(self, admin: Any, name: str) -> str:
        return f"DROP DATABASE IF EXISTS {admin.ops.quote_name(name)}"

    def _create_sql(self, admin: Any, name: str) -> str:
        return f"CREATE DATABASE {admin.ops.quote_name(name)}"

    def _exists(self, admin: Any, name: str) -> bool:
        return run_plan(fetch_one(self.exists_sql, (name,)), admin) is not None

    def _drop(self, admin: Any, name: str) -> None:
        run_plan(rowcount(self._drop_sql(admin, name), ()), admin)

    def create_test_db(self, keepdb: bool = False) -> DatabaseSettings:
        name = self.test_db_name()
        admin = self._admin()
        try:
            if keepdb and self._exists(admin, name):
                return self.connection.settings_dict.with_name(name)
            self._drop(admin, name)
            run_plan(rowcount(self._create_sql(admin, name), ()), admin)
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
