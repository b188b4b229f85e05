"""`tether migrate --run-syncdb [--database ALIAS]`: create the missing tables of the models.

Until the migrations issue lands, this is Django's `migrate --run-syncdb` for apps without
migrations: import the modules listed in `[tool.tether] models`, then create, in one schema
editor, the table of every registered model that the database does not have yet. Without
`--run-syncdb` it says so and exits 2; it never pretends to migrate.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Iterable
from typing import Any

from tether.cli.errors import CommandError

HELP = "create the tables of models that have none (--run-syncdb; migrations come later)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--run-syncdb",
        action="store_true",
        help="create the tables of every registered model that has no table yet",
    )
    parser.add_argument(
        "--database",
        dest="alias",
        metavar="ALIAS",
        default="default",
        help="the database alias to synchronize (default: 'default')",
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


def missing_models(connection: Any) -> list[Any]:
    """Registered models whose table `connection`'s database does not have, in registry order."""
    import tether.apps

    existing = {name.lower() for name in connection.introspection.table_names()}
    return [
        model
        for model in tether.apps.apps.get_models()
        if _wanted(model) and model._meta.db_table.lower() not in existing
    ]


def _run_checks() -> None:
    """Run the system checks first and stop on errors, as Django's migrate does."""
    from tether.checks import SystemCheckError, check_or_raise

    try:
        check_or_raise()
    except SystemCheckError as exc:
        raise CommandError(f"SystemCheckError: {exc}") from None


def syncdb(alias: str, out: Any = None) -> list[str]:
    """Create the missing tables on `alias`; report as Django does and return the table names."""
    import tether.apps
    from tether.conf import settings
    from tether.db import connections

    out = out or sys.stdout
    import_model_modules(settings.models)
    _run_checks()
    connection = connections[alias]
    labels = sorted({m._meta.app_label for m in tether.apps.apps.get_models() if _wanted(m)})
    print("Operations to perform:", file=out)
    print(f"  Synchronize unmigrated apps: {', '.join(labels) or '(none)'}", file=out)
    print("Synchronizing apps without migrations:", file=out)
    models = missing_models(connection)
    print("  Creating tables...", file=out)
    with connection.schema_editor() as editor:
        for model in models:
            print(f"    Creating table {model._meta.db_table}", file=out)
            editor.create_model(model)
        print("    Running deferred SQL...", file=out)
    if not models:
        print("  No tables to create: every registered model has its table.", file=out)
    return [model._meta.db_table for model in models]


def run(args: argparse.Namespace) -> int:
    if not args.run_syncdb:
        raise CommandError(
            "migrations are not implemented yet (they arrive with the migrations issue); "
            "use 'tether migrate --run-syncdb' to create the tables of models that have none.",
            status=2,
        )
    syncdb(args.alias)
    return 0
