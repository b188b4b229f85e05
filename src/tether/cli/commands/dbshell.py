"""`tether dbshell [--database ALIAS] [-- ARGUMENTS]`: Django's dbshell. Runs the database's
own client (sqlite3, psql, mariadb/mysql) on the configured database; what follows `--` goes
to the client. The password travels in the client's environment variable, never on its
command line."""

from __future__ import annotations

import argparse
import subprocess

from tether.cli.database import add_database_argument, connection_for
from tether.cli.errors import CommandError

HELP = "run the command-line client of the database (sqlite3, psql, mariadb)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_database_argument(
        parser, "nominates a database onto which to open a shell (default: 'default')"
    )
    parser.add_argument(
        "parameters", nargs="*", help="additional arguments for the client (after --)"
    )


def run(args: argparse.Namespace) -> int:
    connection = connection_for(args.alias, import_models=False)
    client = connection.client
    try:
        client.runshell(args.parameters)
    except FileNotFoundError:
        raise CommandError(
            f"You appear not to have the {client.executable()!r} program installed or on your path."
        ) from None
    except subprocess.CalledProcessError as exc:
        raise CommandError(
            f'"{" ".join(exc.cmd)}" returned non-zero exit status {exc.returncode}.',
            status=exc.returncode,
        ) from None
    return 0
