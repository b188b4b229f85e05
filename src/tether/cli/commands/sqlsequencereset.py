"""`tether sqlsequencereset app_label [app_label ...] [--database ALIAS]`: the SQL that moves
the sequences of the apps' tables past their largest key, printed and not run, as Django's
(PostgreSQL has such sequences; SQLite and MariaDB counters follow inserted keys)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tether.cli.database import add_database_argument, connection_for, get_app_models
from tether.cli.sql_output import print_sql, sequence_reset_statements

HELP = "print the SQL statements that reset the sequences of the given apps"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("app_label", nargs="+", help="one or more application labels")
    add_database_argument(parser, "nominates a database to print the SQL for (default: 'default')")


def run(args: argparse.Namespace) -> int:
    import tether.apps

    connection = connection_for(args.alias)
    models: list[Any] = []
    for label in args.app_label:
        get_app_models(label)
        models.extend(tether.apps.apps.all_models[label].values())  # through models too
    statements = sequence_reset_statements(connection, models)
    if not statements:
        print("No sequences found.", file=sys.stderr)
    print_sql(statements)
    return 0
