"""`tether makemigrations [app ...] [--name] [--empty] [--check] [--dry-run] [--merge]
[--noinput] [--rename] [--default model.field=EXPR]`: Django's makemigrations.

Compares the models with the state the migrations build and writes the migrations that close
the gap, in Django's format. Questions (renames, one-off defaults for NOT NULL columns, merges)
are asked on the terminal; with --noinput they are answered by --rename and --default, and a
NOT NULL column without a default stops with exit status 3, as Django's does.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from tether.cli.errors import CommandError

HELP = "create new migrations from the changes to the models"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("app_label", nargs="*", help="app labels to create migrations for")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="just show what migrations would be made; don't actually write them",
    )
    parser.add_argument("--merge", action="store_true", help="enable fixing of migration conflicts")
    parser.add_argument("--empty", action="store_true", help="create an empty migration")
    parser.add_argument(
        "--noinput",
        "--no-input",
        dest="interactive",
        action="store_false",
        help="do not prompt the user for input of any kind",
    )
    parser.add_argument("-n", "--name", help="use this name for migration file(s)")
    parser.add_argument(
        "--no-header",
        dest="include_header",
        action="store_false",
        help="do not add header comments to new migration file(s)",
    )
    parser.add_argument(
        "--check",
        dest="check_changes",
        action="store_true",
        help="exit with a non-zero status if model changes are missing migrations and don't "
        "actually write them",
    )
    parser.add_argument(
        "--rename",
        action="store_true",
        help="without a terminal (--noinput): take every rename makemigrations would ask "
        "about as a rename",
    )
    parser.add_argument(
        "--default",
        dest="defaults",
        action="append",
        default=[],
        metavar="MODEL.FIELD=EXPR",
        help="without a terminal (--noinput): the one-off default of a new NOT NULL column, "
        "as a Python expression (repeatable)",
    )


def _questioner(args: argparse.Namespace, apps: list[str]) -> Any:
    from tether.db.migrations.questioner import (
        InteractiveMigrationQuestioner,
        NonInteractiveMigrationQuestioner,
    )

    dry_run = args.dry_run or args.check_changes
    if args.interactive:
        return InteractiveMigrationQuestioner(specified_apps=apps, dry_run=dry_run)
    defaults = {}
    for item in args.defaults:
        key, sep, code = item.partition("=")
        if not sep or "." not in key:
            raise CommandError(f"--default expects MODEL.FIELD=EXPRESSION, got {item!r}.")
        defaults[key.strip()] = code
    answers = {"ask_rename": True, "ask_rename_model": True} if args.rename else {}
    return NonInteractiveMigrationQuestioner(
        defaults=answers, specified_apps=apps, dry_run=dry_run, one_off_defaults=defaults
    )


def run(args: argparse.Namespace) -> int:
    import tether.apps
    from tether.cli.commands.migrate import import_model_modules
    from tether.conf import settings
    from tether.db.migrations.autodetector import MigrationAutodetector
    from tether.db.migrations.loader import MigrationLoader
    from tether.db.migrations.state import ProjectState

    import_model_modules(settings.models)
    from tether.cli.commands.migrate import _run_checks

    _run_checks()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    labels = list(dict.fromkeys(args.app_label))
    known = loader.migrated_apps | loader.unmigrated_apps
    for label in labels:
        if label not in known:
            raise CommandError(f"No installed app with label '{label}'.")
    conflicts = loader.detect_conflicts()
    if labels:
        conflicts = {app: names for app, names in conflicts.items() if app in labels}
    if conflicts and not args.merge:
        names = "; ".join(f"{', '.join(n)} in {app}" for app, n in conflicts.items())
        raise CommandError(
            "Conflicting migrations detected; multiple leaf nodes in the migration graph: "
            f"({names}).\nTo fix them run 'tether makemigrations --merge'"
        )
    if args.merge:
        from tether.cli.merge import handle_merge

        if not conflicts:
            print("No conflicts detected to merge.")
            return 0
        return handle_merge(loader, conflicts, args)
    questioner = _questioner(args, labels)
    autodetector = MigrationAutodetector(
        loader.project_state(), ProjectState.from_apps(tether.apps.apps), questioner
    )
    if args.empty:
        if not labels:
            raise CommandError("You must supply at least one app label when using --empty.")
        from tether.db.migrations.migration import Migration

        changes = {label: [Migration("custom", label)] for label in labels}
        changes = autodetector.arrange_for_graph(changes, loader.graph, args.name)
        write_migration_files(changes, args)
        return 0
    changes = autodetector.changes(
        graph=loader.graph,
        trim_to_apps=labels or None,
        convert_apps=labels or None,
        migration_name=args.name,
    )
    if not changes:
        if len(labels) == 1:
            print(f"No changes detected in app '{labels[0]}'")
        elif labels:
            print(f"No changes detected in apps '{', '.join(labels[:-1])}' and '{labels[-1]}'")
        else:
            print("No changes detected")
        return 0
    write_migration_files(changes, args)
    return 1 if args.check_changes else 0


def write_migration_files(changes: dict[str, list[Any]], args: argparse.Namespace) -> None:
    from tether.db.migrations.writer import MigrationWriter

    for app_label, migrations in changes.items():
        print(f"Migrations for '{app_label}':")
        for migration in migrations:
            writer = MigrationWriter(migration, args.include_header)
            try:
                shown = os.path.relpath(writer.path)
            except ValueError:
                shown = writer.path
            if shown.startswith(".."):
                shown = writer.path
            print(f"  {shown}")
            for operation in migration.operations:
                print(f"    {operation.formatted_description()}")
            if not (args.dry_run or args.check_changes):
                with open(writer.path, "w", encoding="utf-8") as handle:
                    handle.write(writer.as_string())
    sys.stdout.flush()
