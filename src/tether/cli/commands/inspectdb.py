"""`tether inspectdb [table ...] [--database ALIAS] [--include-views]
[--include-partitions]`: Django's inspectdb. Prints a models module for the tables of an
existing database (Django's classes, field names and notes, `managed = False`); a pure join
table between two of them is also offered as a ManyToManyField through it."""

from __future__ import annotations

import argparse

from tether.cli.database import add_database_argument, connection_for

HELP = "print models for the tables of an existing database (Django's inspectdb)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "table", nargs="*", help="selects what tables or views should be introspected"
    )
    add_database_argument(parser, "nominates a database to introspect (default: 'default')")
    parser.add_argument(
        "--include-partitions",
        action="store_true",
        help="also output models for partition tables",
    )
    parser.add_argument(
        "--include-views", action="store_true", help="also output models for database views"
    )


def run(args: argparse.Namespace) -> int:
    from tether.cli.inspect_models import ModelWriter, Table, join_of

    connection = connection_for(args.alias, import_models=False)
    introspection = connection.introspection
    kinds = {"t"} | ({"p"} if args.include_partitions else set())
    kinds |= {"v"} if args.include_views else set()
    with connection.cursor() as cursor:
        listed = {info.name: info for info in introspection.get_table_list(cursor)}
        names = args.table or sorted(n for n, info in listed.items() if info.type in kinds)
        tables: dict[str, Table] = {}
        lines: list[str] = []
        for name in names:
            try:
                tables[name] = Table(
                    name,
                    listed[name].type if name in listed else "t",
                    introspection.get_table_description(cursor, name),
                    introspection.get_relations(cursor, name),
                    introspection.get_constraints(cursor, name),
                    introspection.get_primary_key_columns(cursor, name) or [],
                )
            except Exception as exc:
                lines += [f"# Unable to inspect table '{name}'", f"# The error was: {exc}"]
    for table in tables.values():
        table.join_of = join_of(table, set(tables))
    print("\n".join([*ModelWriter(connection, tables).lines(), *lines]))
    return 0
