"""PostgreSQL test databases: `test_<name>` created with the configured role and dropped at the
end (WITH (FORCE), so connections left open by the run do not block the drop)."""

from __future__ import annotations

from typing import Any

from tether.db.backends.base.creation import ServerDatabaseCreation
from tether.db.core.plans import fetch_one
from tether.db.core.run import run_plan
from tether.db.errors import OperationalError


class DatabaseCreation(ServerDatabaseCreation):
    # The maintenance database used when the configured one cannot be reached.
    maintenance_db = "postgres"
    exists_sql = "SELECT 1 FROM pg_database WHERE datname = %s"

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

    def _drop_sql(self, admin: Any, name: str) -> str:
        admin.ensure_connection()  # the server version decides whether FORCE is available
        force = " WITH (FORCE)" if (admin.server_version or 0) >= 130000 else ""
        return super()._drop_sql(admin, name) + force
