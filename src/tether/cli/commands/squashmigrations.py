"""`tether squashmigrations app_label [start_migration_name] migration_name [--no-optimize]
[--noinput] [--squashed-name NAME] [--no-header]`: Django's squashmigrations.

Writes one migration that replaces the app's migrations up to `migration_name` (from
`start_migration_name`): their operations, optimized, with `replaces` naming them, so new
databases run one migration and migrated ones keep their history.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from tether.cli.errors import CommandError, migration_by_prefix

HELP = "squash an app's migrations (up to a given one) into one"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("app_label", help="app label of the application to squash migrations for")
    parser.add_argument(
        "start_migration_name",
        nargs="?",
        help="migrations will be squashed starting from and including this migration",
    )
    parser.add_argument(
        "migration_name", help="migrations will be squashed until and including this migration"
    )
    parser.add_argument(
        "--no-optimize", action="store_true", help="do not try to optimize the squashed operations"
    )
    parser.add_argument(
        "--noinput",
        "--no-input",
        dest="interactive",
        action="store_false",
        help="do not prompt the user for input of any kind",
    )
    parser.add_argument("--squashed-name", help="sets the name of the new squashed migration")
    parser.add_argument(
        "--no-header",
        dest="include_header",
        action="store_false",
        help="do not add a header comment to the new squashed migration",
    )


def run(args: argparse.Namespace) -> int:
    from tether.cli.commands.migrate import import_model_modules
    from tether.conf import settings
    from tether.db.migrations.loader import MigrationLoader

    import_model_modules(settings.models)
    loader = MigrationLoader(None)
    app_label = args.app_label
    if app_label not in loader.migrated_apps:
        raise CommandError(
            f"App '{app_label}' does not have migrations (so squashmigrations on it makes no sense)"
        )
    migration = migration_by_prefix(loader, app_label, args.migration_name)
    plan = [
        loader.get_migration(label, name)
        for label, name in loader.graph.forwards_plan((app_label, migration.name))
        if label == app_label
    ]
    start = None
    if args.start_migration_name:
        start = migration_by_prefix(loader, app_label, args.start_migration_name)
        try:
            plan = plan[plan.index(start) :]
        except ValueError:
            raise CommandError(
                f"The migration '{start}' cannot be found. Maybe it comes after the migration "
                f"'{migration}'?\nHave a look at:\n  tether showmigrations {app_label}\nto debug "
                "this issue."
            ) from None
    if args.interactive and not _confirm(plan):
        return 0
    return _write(loader, app_label, plan, start, migration, args)


def _confirm(plan: list[Any]) -> bool:
    print("Will squash the following migrations:")
    for migration in plan:
        print(f" - {migration.name}")
    answer = input("Do you wish to proceed? [y/N] ")
    return answer.strip().lower().startswith("y")


def _write(
    loader: Any, app_label: str, plan: list[Any], start: Any, last: Any, args: argparse.Namespace
) -> int:
    from tether.db.migrations.migration import Migration
    from tether.db.migrations.optimizer import MigrationOptimizer
    from tether.db.migrations.writer import MigrationWriter

    operations: list[Any] = []
    dependencies: set[tuple[str, str]] = set()
    squashed = {(m.app_label, m.name) for m in plan}
    replaces: list[tuple[str, str]] = []
    for migration in plan:
        operations.extend(op for op in migration.operations if not op.elidable)
        replaces.extend(tuple(r) for r in migration.replaces or [(app_label, migration.name)])
        for dependency in migration.dependencies:
            if tuple(dependency) not in squashed:
                dependencies.add(tuple(dependency))
    if args.no_optimize:
        print("(Skipping optimization.)")
        new_operations = operations
    else:
        print("Optimizing...")
        new_operations = MigrationOptimizer().optimize(operations, app_label)
        if len(new_operations) == len(operations):
            print("  No optimizations possible.")
        else:
            print(
                f"  Optimized from {len(operations)} operations to {len(new_operations)} "
                "operations."
            )
    attrs: dict[str, Any] = {
        "dependencies": sorted(dependencies),
        "operations": new_operations,
        "replaces": replaces,
    }
    if start is None:
        attrs["initial"] = True
    if args.squashed_name:
        prefix = start.name[:4] if start is not None else "0001"
        name = f"{prefix}_{args.squashed_name}"
    elif start is not None:
        name = f"{start.name}_squashed_{last.name}"
    else:
        name = f"0001_squashed_{last.name}"
    new = type("Migration", (Migration,), attrs)(name, app_label)
    writer = MigrationWriter(new, args.include_header)
    if os.path.exists(writer.path):
        raise CommandError(f"Migration {name} already exists. Use a different name.")
    try:
        source = writer.as_string()
    except ValueError as exc:
        raise CommandError(
            f"{exc}\nManual porting required: a RunPython or RunSQL refers to code in a "
            "migration file; copy it into the new migration by hand."
        ) from exc
    with open(writer.path, "w", encoding="utf-8") as handle:
        handle.write(source)
    print(
        f"Created new squashed migration {os.path.relpath(writer.path)}\n"
        "  You should commit this migration but leave the old ones in place;\n"
        "  the new migration will be used for new installs. Once you are sure\n"
        "  all instances of the codebase have applied the migrations you squashed,\n"
        "  you can delete them."
    )
    return 0
