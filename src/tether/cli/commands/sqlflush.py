"""`tether sqlflush [--database ALIAS]`: the SQL `tether flush` would run, printed and not
run, as Django's sqlflush."""

from __future__ import annotations

import argparse
import sys

from tether.cli.database import add_database_argument, connection_for
from tether.cli.sql_output import flush_statements, print_sql

HELP = "print the SQL statements that 'flush' would run"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_database_argument(parser, "nominates a database to print the SQL for (default: 'default')")


def run(args: argparse.Namespace) -> int:
    statements = flush_statements(connection_for(args.alias))
    if not statements:
        print("No tables found.", file=sys.stderr)
    print_sql(statements)
    return 0
