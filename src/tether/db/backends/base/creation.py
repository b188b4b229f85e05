"""Test database life cycle: create a fresh database for a test run, destroy it afterwards.

On a server the test database is `test_<name>` created with the configured role; SQLite uses a
file in a temporary directory (API.md). `keepdb` reuses an existing test database.
"""

from __future__ import annotations

from typing import Any

from tether.conf import DatabaseSettings


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
