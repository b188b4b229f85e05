"""`tether flush [--noinput] [--database ALIAS]`: Django's flush. Empties every table of the
registered models (the migrations record is kept), resets their sequences, then sends
post_migrate as a migration would, so receivers (contenttypes) put their rows back. Asks for
'yes' first unless --noinput."""

from __future__ import annotations

import argparse

from tether.cli.database import add_database_argument, connection_for
from tether.cli.errors import CommandError
from tether.cli.sql_output import flush_statements

HELP = "remove all data from the database (the schema and migration records stay)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--noinput",
        "--no-input",
        action="store_false",
        dest="interactive",
        help="do not prompt the user for input of any kind",
    )
    add_database_argument(parser, "nominates a database to flush (default: 'default')")


def run(args: argparse.Namespace) -> int:
    from tether.db import transaction
    from tether.models.signals import emit_post_migrate

    connection = connection_for(args.alias)
    statements = flush_statements(connection)
    name = connection.settings_dict.name
    if args.interactive:
        confirm = input(
            "You have requested a flush of the database.\n"
            f'This will IRREVERSIBLY DESTROY all data currently in the "{name}" database,\n'
            "and return each table to an empty state.\n"
            "Are you sure you want to do this?\n\n"
            "    Type 'yes' to continue, or 'no' to cancel: "
        )
        if confirm != "yes":
            print("Flush cancelled.")
            return 0
    try:
        with transaction.atomic(using=args.alias, savepoint=connection.features.can_rollback_ddl):
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
    except Exception as exc:
        raise CommandError(
            f"Database {name} couldn't be flushed. Possible reasons:\n"
            "  * The database isn't running or isn't configured correctly.\n"
            "  * At least one of the expected database tables doesn't exist.\n"
            "  * The SQL was invalid.\n"
            "Hint: Look at the output of 'tether sqlflush'. That's the SQL this command "
            "wasn't able to run."
        ) from exc
    if statements:  # nothing emptied (no tables): nothing for receivers to put back
        emit_post_migrate(args.alias)
    return 0
