"""PostgreSQL test databases: `test_<name>` created with the configured role and dropped at the
end (WITH (FORCE), so connections left open by the run do not block the drop)."""

from __future__ import annotations

from typing import Any

from tether.conf import DatabaseSettings
from tether.db.backends.base.creation import BaseDatabaseCreation
from tether.db.core.plans import fetch_one, rowcount
from tether.db.core.run import run_plan
from tether.db.errors import OperationalError


class DatabaseCreation(BaseDatabaseCreation):
    # The maintenance database used when the configured one cannot be reached.
    maintenance_db = "postgres"

    def _admin(self) -> Any:
        """A separate autocommit connection to the configured (else the maintenance) database."""
        wrapper_class = type(self.connection)
        settings = self.connection.settings_dict
        admin = wrapper_class(settings, alias=f"{self.connection.alias}__admin")
        try:
            run_plan(fetch_one("SELECT 1", ()), admin)
        except OperationalError:
            admin.close()
            admin = wrapper_class(settings.with_name(self.maintenance_db), alias=admin.alias)
        return admin

    def _exists(self, admin: Any, name: str) -> bool:
        row = run_plan(fetch_one("SELECT 1 FROM pg_database WHERE datname = %s", (name,)), admin)
        return row is not None

    def _drop(self, admin: Any, name: str) -> None:
        admin.ensure_connection()  # the server version decides whether FORCE is available
        force = " WITH (FORCE)" if (admin.server_version or 0) >= 130000 else ""
        sql = f"DROP DATABASE IF EXISTS {admin.ops.quote_name(name)}{force}"
        run_plan(rowcount(sql, ()), admin)

    def create_test_db(self, keepdb: bool = False) -> DatabaseSettings:
        name = self.test_db_name()
        admin = self._admin()
        try:
            if keepdb and self._exists(admin, name):
                return self.connection.settings_dict.with_name(name)
            self._drop(admin, name)
            run_plan(rowcount(f"CREATE DATABASE {admin.ops.quote_name(name)}", ()), admin)
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
