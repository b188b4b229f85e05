"""What `tether migrate` does once its arguments are parsed, worded as Django's migrate.

Targets: every app's leaf by default, an app's leaf, `app 0002` (a name prefix) or `app zero`.
Progress is one line per migration ("  Applying shop.0001_initial... OK"); on a terminal each
operation is shown as it starts, so a long migration shows where it is.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from tether.cli.errors import CommandError, migration_by_prefix


def _targets(args: argparse.Namespace, loader: Any) -> tuple[list[Any], bool]:
    app_label = args.app_label
    if not app_label:
        return loader.graph.leaf_nodes(), True
    if app_label not in loader.migrated_apps:
        if args.run_syncdb and app_label in loader.unmigrated_apps:
            return [], True
        if app_label in loader.unmigrated_apps:
            raise CommandError(f"App '{app_label}' does not have migrations.")
        raise CommandError(f"No installed app with label '{app_label}'.")
    name = args.migration_name
    if not name:
        return [key for key in loader.graph.leaf_nodes() if key[0] == app_label], True
    if name == "zero":
        return [(app_label, None)], False
    migration = migration_by_prefix(loader, app_label, name)
    target = (app_label, migration.name)
    if target not in loader.graph.nodes:
        for key, replacement in loader.replacements.items():
            if target in [tuple(r) for r in replacement.replaces] and key in loader.graph.nodes:
                target = key
                break
    return [target], False


def describe_operation(operation: Any, backwards: bool) -> tuple[str, bool]:
    """The line `--plan` shows for `operation`, and whether it is an error (irreversible)."""
    prefix = ""
    is_error = False
    action: Any
    if hasattr(operation, "code"):
        code = operation.reverse_code if backwards else operation.code
        action = (code.__doc__ or "") if code else None
    elif hasattr(operation, "sql"):
        action = operation.reverse_sql if backwards else operation.sql
    else:
        action = ""
        if backwards:
            prefix = "Undo "
    if action is not None:
        action = str(action).replace("\n", "")
    elif backwards:
        action = "IRREVERSIBLE"
        is_error = True
    if action:
        action = " -> " + action
        if len(action) > 40:
            action = action[:39] + "…"
    return prefix + operation.describe() + (action or ""), is_error


class Progress:
    """The executor's progress callback: Django's lines, operation lines on a terminal."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.start = 0.0
        self.terminal = bool(getattr(out, "isatty", lambda: False)())

    def __call__(self, action: str, subject: Any = None, fake: bool = False) -> None:
        out = self.out
        if action in ("apply_start", "unapply_start"):
            verb = "Applying" if action == "apply_start" else "Unapplying"
            self.start = time.monotonic()
            out.write(f"  {verb} {subject}...")
            if self.terminal and not fake:
                out.write("\n")
        elif action in ("apply_success", "unapply_success"):
            if fake:
                out.write(" FAKED\n")
            elif self.terminal:
                out.write(f"  OK ({time.monotonic() - self.start:.1f}s)\n")
            else:
                out.write(" OK\n")
        elif action == "operation_start" and self.terminal:
            out.write(f"    [{time.monotonic() - self.start:6.1f}s] {subject.describe()}\n")
        out.flush()


def migrate(args: argparse.Namespace, out: Any) -> int:
    from tether.cli.commands.migrate import prepare, sync_apps
    from tether.db.migrations.executor import MigrationExecutor
    from tether.db.migrations.external import external_apps

    connection = prepare(args.alias)
    executor = MigrationExecutor(connection, Progress(out))
    loader = executor.loader
    loader.check_consistent_history(connection)
    conflicts = loader.detect_conflicts()
    if conflicts:
        names = "; ".join(f"{', '.join(names)} in {app}" for app, names in conflicts.items())
        raise CommandError(
            "Conflicting migrations detected; multiple leaf nodes in the migration graph: "
            f"({names}).\nTo fix them run 'tether makemigrations --merge'"
        )
    targets, all_apps = _targets(args, loader)
    plan = executor.migration_plan(targets)
    if args.plan:
        print("Planned operations:", file=out)
        if not plan:
            print("  No planned migration operations.", file=out)
        for migration, backwards in plan:
            print(str(migration), file=out)
            for operation in migration.operations:
                message, _ = describe_operation(operation, backwards)
                print("    " + message, file=out)
        return 1 if args.check_unapplied and plan else 0
    if args.check_unapplied:
        return 1 if plan else 0
    unmigrated = sorted(loader.unmigrated_apps - external_apps())
    if args.app_label:
        unmigrated = [label for label in unmigrated if label == args.app_label]
    run_syncdb = args.run_syncdb and bool(unmigrated)
    print("Operations to perform:", file=out)
    if run_syncdb:
        label = "app" if args.app_label else "apps"
        print(f"  Synchronize unmigrated {label}: {', '.join(unmigrated)}", file=out)
    if all_apps:
        labels = sorted({key[0] for key in targets})
        print(f"  Apply all migrations: {', '.join(labels) or '(none)'}", file=out)
    elif targets[0][1] is None:
        print(f"  Unapply all migrations: {targets[0][0]}", file=out)
    else:
        print(f"  Target specific migration: {targets[0][1]}, from {targets[0][0]}", file=out)
    state = executor._create_project_state(with_applied_migrations=True)
    if run_syncdb:
        print("Synchronizing apps without migrations:", file=out)
        sync_apps(connection, set(unmigrated), out)
    print("Running migrations:", file=out)
    if not plan:
        print("  No migrations to apply.", file=out)
        _warn_unmigrated_changes(loader, connection, out)
        return 0
    from tether.db.migrations.executor import MigrationFailed

    try:
        executor.migrate(
            targets, plan=plan, state=state, fake=args.fake, fake_initial=args.fake_initial
        )
    except MigrationFailed as exc:
        out.write("\n")
        raise CommandError(str(exc)) from exc
    return 0


def _warn_unmigrated_changes(loader: Any, connection: Any, out: Any) -> None:
    """Django's note when the models have changes no migration has."""
    try:
        from tether.db.migrations.autodetector import MigrationAutodetector
    except ImportError:
        return
    import tether.apps
    from tether.db.migrations.state import ProjectState

    autodetector = MigrationAutodetector(
        loader.project_state(), ProjectState.from_apps(tether.apps.apps)
    )
    changes = autodetector.changes(graph=loader.graph)
    changed = sorted(label for label in changes if label in loader.migrated_apps)
    if changed:
        apps = ", ".join(repr(label) for label in changed)
        print(
            f"  Your models in app(s): {apps} have changes that are not yet reflected in a "
            "migration, and so won't be applied.\n"
            "  Run 'tether makemigrations' to make new migrations, and then re-run "
            "'tether migrate' to apply them.",
            file=out,
        )
