"""`sqlite3 <file>` for tether dbshell."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tether.db.backends.base.client import BaseDatabaseClient


class DatabaseClient(BaseDatabaseClient):
    executable_name = "sqlite3"

    def settings_to_cmd_args_env(
        self, settings: Any, parameters: Sequence[str]
    ) -> tuple[list[str], dict[str, str] | None]:
        return [self.executable(), settings.name, *parameters], None
