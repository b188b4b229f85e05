"""`mariadb` (or `mysql`) for tether dbshell: the password in MYSQL_PWD, never an argument."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from typing import Any

from tether.db.backends.base.client import BaseDatabaseClient


class DatabaseClient(BaseDatabaseClient):
    executable_name = "mysql"

    def executable(self) -> str:
        # MariaDB's client is `mariadb` (its `mysql` name is a deprecated link that warns on
        # newer releases); MySQL installs only `mysql`. Chosen without asking the server.
        return "mariadb" if shutil.which("mariadb") else self.executable_name

    def settings_to_cmd_args_env(
        self, settings: Any, parameters: Sequence[str]
    ) -> tuple[list[str], dict[str, str] | None]:
        options = settings.options
        args = [self.executable()]
        if settings.user:
            args.append(f"--user={settings.user}")
        if settings.host:
            args.append(f"--host={settings.host}")
        if settings.port:
            args.append(f"--port={settings.port}")
        if options.get("unix_socket"):
            args.append(f"--socket={options['unix_socket']}")
        if options.get("charset"):
            args.append(f"--default-character-set={options['charset']}")
        for option, flag in (
            ("ssl_ca", "--ssl-ca"),
            ("ssl_cert", "--ssl-cert"),
            ("ssl_key", "--ssl-key"),
        ):
            if options.get(option):
                args.append(f"{flag}={options[option]}")
        args += [settings.name, *parameters]
        return args, ({"MYSQL_PWD": settings.password} if settings.password else None)
