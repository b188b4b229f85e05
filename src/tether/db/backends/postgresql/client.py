"""`psql` for tether dbshell: user, host, port and database as arguments; the password and
the TLS options in the environment variables libpq reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tether.db.backends.base.client import BaseDatabaseClient

# URL options (?sslmode=...) and the libpq environment variable each becomes.
_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class DatabaseClient(BaseDatabaseClient):
    executable_name = "psql"

    def settings_to_cmd_args_env(
        self, settings: Any, parameters: Sequence[str]
    ) -> tuple[list[str], dict[str, str] | None]:
        args = [self.executable()]
        if settings.user:
            args += ["-U", settings.user]
        if settings.host:
            args += ["-h", settings.host]
        if settings.port:
            args += ["-p", str(settings.port)]
        args += [settings.name or "postgres", *parameters]
        env = {
            variable: str(settings.options[option])
            for option, variable in _ENVIRONMENT.items()
            if settings.options.get(option)
        }
        if settings.password:
            env["PGPASSWORD"] = settings.password
        return args, env or None
