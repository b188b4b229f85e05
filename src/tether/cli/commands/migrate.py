"""`tether migrate [app] [target|zero] [--fake] [--fake-initial] [--plan] [--check]
[--run-syncdb] [--database ALIAS]`: Django's migrate.

Imports the models modules listed in `[tool.tether] models`, runs the system checks, then brings
the database to the target: every app's latest migration by default, `app 0002` forwards or
backwards, `app zero` to no migration at all. `--run-syncdb` also creates the tables of apps
without migrations (and the missing automatic many-to-many tables of their existing tables).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Iterable
from typing import Any

from tether.cli.errors import CommandError
from tether.db.routers import router

HELP = "bring the database schema to the migrations (forwards or backwards)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("app_label", nargs="?", help="app label of an app to synchronize")
    parser.add_argument(
        "migration_name",
        nargs="?",
        help="database state will be brought to the state after that migration; use the "
        "name 'zero' to unapply all migrations",
    )
    parser.add_argument(
        "--database",
        dest="alias",
        metavar="ALIAS",
        default="default",
        help="the database alias to migrate (default: 'default')",
    )
    parser.add_argument(
        "--fake", action="store_true", help="mark migrations as run without actually running them"
    )
    parser.add_argument(
        "--fake-initial",
        action="store_true",
        help="detect if tables already exist and fake-apply initial migrations if so",
    )
    parser.add_argument(
        "--plan",
        action="store_true",
        help="shows a list of the migration actions that will be performed",
    )
    parser.add_argument(
        "--check",
        dest="check_unapplied",
        action="store_true",
        help="exits with a non-zero status if unapplied migrations exist and does not "
        "actually apply migrations",
    )
    parser.add_argument(
        "--run-syncdb",
        action="store_true",
        help="creates tables for apps without migrations",
    )
    parser.add_argument(
        "--noinput",
        "--no-input",
        dest="interactive",
        action="store_false",
        help="do not prompt the user for input of any kind",
    )


def import_model_modules(modules: Iterable[str]) -> list[str]:
    """Import every models module named by the settings; the working directory comes first
    on sys.path, as a project's manage.py directory does for Django."""
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    imported = []
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise CommandError(
                f"cannot import the models module {name!r} listed in [tool.tether] models: {exc}"
            ) from exc
        imported.append(name)
    return imported


def _wanted(model: Any) -> bool:
    opts = model._meta
    return not (
        opts.auto_created or not getattr(opts, "managed", True) or getattr(opts, "proxy", False)
    )


def missing_models(connection: Any, app_labels: Iterable[str] | None = None) -> list[Any]:
    """Registered models (of `app_labels`, default all) whose table the database lacks and
    that the routers allow on it."""
    import tether.apps

    labels = None if app_labels is None else set(app_labels)
    existing = {name.lower() for name in connection.introspection.table_names()}
    return [
        model
        for model in tether.apps.apps.get_models()
        if _wanted(model)
        and (labels is None or model._meta.app_label in labels)
        and router.allow_migrate_model(connection.alias, model)
        and model._meta.db_table.lower() not in existing
    ]


def _run_checks() -> None:
    """Run the system checks first and stop on errors, as Django's migrate does."""
    from tether.checks import SystemCheckError, check_or_raise

    try:
        check_or_raise()
    except SystemCheckError as exc:
        raise CommandError(f"SystemCheckError: {exc}") from None


def _missing_join_tables(connection: Any, models: list[Any], labels: set[str]) -> list[Any]:
    """Automatic many-to-many tables missing beside tables that exist."""
    import tether.apps

    existing = {name.lower() for name in connection.introspection.table_names()}
    created = {model._meta.db_table.lower() for model in models}
    found = []
    for model in tether.apps.apps.get_models():
        if not _wanted(model) or model._meta.app_label not in labels:
            continue
        if model._meta.db_table.lower() in created:
            continue
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created and through._meta.db_table.lower() not in existing:
                found.append(through)
    return found


def _missing_columns(connection: Any, labels: set[str]) -> list[str]:
    """'table.column' of fields whose table exists without their column."""
    import tether.apps

    introspection = connection.introspection
    if not hasattr(introspection, "get_table_description"):
        return []
    existing = {name.lower() for name in introspection.table_names()}
    missing = []
    for model in tether.apps.apps.get_models():
        table = model._meta.db_table
        if not _wanted(model) or model._meta.app_label not in labels:
            continue
        if table.lower() not in existing:
            continue
        with connection.cursor() as cursor:
            columns = {c.name.lower() for c in introspection.get_table_description(cursor, table)}
        for field in model._meta.local_concrete_fields:
            if field.column and field.column.lower() not in columns:
                missing.append(f"{table}.{field.column}")
    return missing


def sync_apps(connection: Any, app_labels: set[str], out: Any) -> list[str]:
    """Create the missing tables of unmigrated apps, as Django's migrate --run-syncdb."""
    models = missing_models(connection, app_labels)
    joins = _missing_join_tables(connection, models, app_labels)
    print("  Creating tables...", file=out)
    with connection.schema_editor() as editor:
        for model in models:
            print(f"    Creating table {model._meta.db_table}", file=out)
            editor.create_model(model)
        for through in joins:
            print(f"    Creating table {through._meta.db_table}", file=out)
            editor.create_model(through)
        print("    Running deferred SQL...", file=out)
    if not models and not joins:
        print("  No tables to create: every registered model has its table.", file=out)
    for column in _missing_columns(connection, app_labels):
        print(
            f"    Cannot add column {column}: its table exists (syncdb only creates tables; "
            "add the app's migrations to change a table).",
            file=out,
        )
    return [model._meta.db_table for model in models + joins]


def prepare(alias: str) -> Any:
    """Import the models, run the checks and return the connection of `alias`."""
    from tether.conf import settings
    from tether.db import connections

    import_model_modules(settings.models)
    _run_checks()
    if alias not in settings.databases:
        raise CommandError(f"The connection '{alias}' doesn't exist.")
    return connections[alias]


def run(args: argparse.Namespace) -> int:
    from tether.cli.migrate_run import migrate

    return migrate(args, sys.stdout)
