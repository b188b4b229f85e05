"""The database's own command-line client, as `tether dbshell` runs it (Django's
DatabaseClient): each backend says which program and which arguments and environment it needs.
A password never goes on the command line (any user can read it there): it travels in the
environment variable the client reads (PGPASSWORD, MYSQL_PWD)."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Sequence
from typing import Any


class BaseDatabaseClient:
    executable_name: str = ""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def executable(self) -> str:
        """The program to run (a backend may pick between several names)."""
        return self.executable_name

    def settings_to_cmd_args_env(
        self, settings: Any, parameters: Sequence[str]
    ) -> tuple[list[str], dict[str, str] | None]:
        raise NotImplementedError

    def runshell(self, parameters: Sequence[str]) -> None:
        """Run the client on the connection's database; CalledProcessError on failure,
        FileNotFoundError when the program is missing."""
        args, env = self.settings_to_cmd_args_env(self.connection.settings_dict, parameters)
        full_env = {**os.environ, **env} if env else None
        # The client handles Ctrl-C itself (it cancels a query); tether must not die of it.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            subprocess.run(args, env=full_env, check=True)
        finally:
            signal.signal(signal.SIGINT, previous)
