"""SQLite test databases: a file in a temporary directory, removed at the end of the run."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile

from tether.conf import DatabaseSettings
from tether.db.backends.base.creation import BaseDatabaseCreation


class DatabaseCreation(BaseDatabaseCreation):
    def create_test_db(self, keepdb: bool = False) -> DatabaseSettings:
        settings = self.connection.settings_dict
        if keepdb:
            # One kept file per configured database, so that projects do not share it.
            source = os.path.abspath(settings.name)
            digest = hashlib.sha256(source.encode()).hexdigest()[:12]
            folder = os.path.join(tempfile.gettempdir(), f"tether-keepdb-{digest}")
            os.makedirs(folder, exist_ok=True)
        else:
            folder = tempfile.mkdtemp(prefix="tether-test-")
        test = settings.with_name(os.path.join(folder, f"test_{self.connection.alias}.sqlite3"))
        test.options.pop("mode", None)  # the test database is written to, whatever the URL says
        return test

    def destroy_test_db(self, test_settings: DatabaseSettings, keepdb: bool = False) -> None:
        if keepdb:
            return
        shutil.rmtree(os.path.dirname(test_settings.name), ignore_errors=True)
