"""`tether sqlmigrate app_label migration_name [--backwards] [--database ALIAS]`: the SQL a
migration runs (or, with --backwards, its reversal), printed and not run, as Django's."""

from __future__ import annotations

import argparse

from tether.cli.errors import CommandError, migration_by_prefix

HELP = "print the SQL statements of a migration without running them"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("app_label", help="app label of the application containing the migration")
    parser.add_argument("migration_name", help="migration name to print the SQL for")
    parser.add_argument(
        "--database",
        dest="alias",
        metavar="ALIAS",
        default="default",
        help="the database to generate the SQL for (default: 'default')",
    )
    parser.add_argument(
        "--backwards", action="store_true", help="creates SQL to unapply the migration"
    )


def run(args: argparse.Namespace) -> int:
    from tether.cli.commands.migrate import prepare
    from tether.db.migrations.loader import MigrationLoader

    connection = prepare(args.alias)
    loader = MigrationLoader(connection, replace_migrations=False)
    app_label, name = args.app_label, args.migration_name
    if app_label not in loader.migrated_apps:
        raise CommandError(f"App '{app_label}' does not have migrations")
    migration = migration_by_prefix(loader, app_label, name)
    target = (app_label, migration.name)
    statements = loader.collect_sql([(loader.graph.nodes[target], args.backwards)])
    if not statements:
        print("No operations found.")
        return 0
    wrap = migration.atomic and connection.features.can_rollback_ddl
    lines = (["BEGIN;"] if wrap else []) + statements + (["COMMIT;"] if wrap else [])
    print("\n".join(lines))
    return 0
