"""`tether showmigrations [app ...] [--plan] [--database ALIAS]`: Django's showmigrations.

Lists each app's migrations with [X] for applied and [ ] for unapplied (a squashed migration
says how many it replaces), or, with --plan, every migration in the order migrate runs them.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tether.cli.errors import CommandError

HELP = "show the migrations of each app and whether they are applied"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("app_label", nargs="*", help="app labels to show (default: all)")
    parser.add_argument(
        "--database",
        dest="alias",
        metavar="ALIAS",
        default="default",
        help="the database to read the applied migrations from (default: 'default')",
    )
    parser.add_argument(
        "--plan",
        "-p",
        action="store_true",
        help="shows all migrations in the order they will be applied",
    )
    parser.add_argument(
        "--list",
        "-l",
        action="store_true",
        help="shows a list of all migrations and which are applied (the default)",
    )


def run(args: argparse.Namespace) -> int:
    from tether.cli.commands.migrate import prepare
    from tether.db.migrations.loader import MigrationLoader

    connection = prepare(args.alias)
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    out = sys.stdout
    if args.plan:
        _show_plan(loader, args.app_label, out)
    else:
        _show_list(loader, args.app_label, out)
    return 0


def _show_list(loader: Any, app_names: list[str], out: Any) -> None:
    graph = loader.graph
    known = loader.migrated_apps | loader.unmigrated_apps
    for label in app_names:
        if label not in known:
            raise CommandError(f"No installed app with label '{label}'.")
    labels = app_names or sorted(known)
    for app_label in labels:
        print(app_label, file=out)
        shown: set[tuple[str, str]] = set()
        for node in graph.leaf_nodes(app_label):
            for key in graph.forwards_plan(node):
                if key[0] != app_label or key in shown:
                    continue
                title = key[1]
                migration = graph.nodes[key]
                if migration.replaces:
                    title += f" ({len(migration.replaces)} squashed migrations)"
                mark = "X" if key in loader.applied_migrations else " "
                print(f" [{mark}] {title}", file=out)
                shown.add(key)
        if not shown:
            print(" (no migrations)", file=out)


def _show_plan(loader: Any, app_names: list[str], out: Any) -> None:
    graph = loader.graph
    for label in app_names:
        if label not in loader.migrated_apps | loader.unmigrated_apps:
            raise CommandError(f"No installed app with label '{label}'.")
    targets = (
        [key for key in graph.leaf_nodes() if key[0] in app_names]
        if app_names
        else graph.leaf_nodes()
    )
    plan: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for target in targets:
        for key in graph.forwards_plan(target):
            if key not in seen:
                plan.append(key)
                seen.add(key)
    for key in plan:
        mark = "X" if key in loader.applied_migrations else " "
        print(f"[{mark}]  {key[0]}.{key[1]}", file=out)
    if not plan:
        print("(no migrations)", file=out)
