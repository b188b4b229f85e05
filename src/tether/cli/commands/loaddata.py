"""`tether loaddata fixture [fixture ...] [--database ALIAS] [--app APP_LABEL]
[--ignorenonexistent] [--exclude LABEL] [--format FORMAT]`: Django's loaddata.

Every fixture loads in one transaction: an error anywhere (an unknown model, a bad value, a
foreign key naming no row) leaves the database as it was. Objects are saved raw, as Django's:
the models' own save() methods are bypassed, pre_save/post_save receivers get raw=True,
many-to-many lists are set after their object is saved, natural keys naming objects further
on in the fixtures are resolved at the end; then the sequences are moved past the loaded keys.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from typing import Any

from tether.cli.database import (
    add_database_argument,
    add_verbosity_argument,
    connection_for,
    get_app_models,
    parse_apps_and_model_labels,
)
from tether.cli.errors import CommandError
from tether.cli.fixtures import COMPRESSIONS, find_fixtures, parse_name
from tether.db.routers import router

HELP = "install the named fixtures in the database (Django's JSON format)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("args", metavar="fixture", nargs="+", help="fixture labels")
    add_database_argument(parser, "nominates a specific database to load fixtures into")
    parser.add_argument(
        "--app", dest="app_label", help="only look for fixtures in the specified app"
    )
    parser.add_argument(
        "--ignorenonexistent",
        "-i",
        action="store_true",
        dest="ignore",
        help="ignores entries in the serialized data for fields that do not currently exist "
        "on the model",
    )
    parser.add_argument(
        "-e",
        "--exclude",
        action="append",
        default=[],
        help="an app_label or app_label.ModelName to exclude; can be used multiple times",
    )
    parser.add_argument("--format", help="format of serialized data when reading from stdin")
    add_verbosity_argument(parser)


class _Loader:
    def __init__(self, args: argparse.Namespace, connection: Any) -> None:
        from tether.core import serializers

        self.args = args
        self.connection = connection
        self.formats = serializers.get_public_serializer_formats()
        self.excluded_models, self.excluded_apps = parse_apps_and_model_labels(args.exclude)
        self.models: set[Any] = set()
        self.deferred: list[Any] = []
        self.fixture_count = self.loaded = self.found = 0

    def load(self, labels: list[str]) -> None:
        for label in labels:
            self.load_label(label)
        for obj in self.deferred:
            obj.save_deferred_fields(using=self.args.alias)

    def load_label(self, label: str) -> None:
        from tether.core import serializers

        files = find_fixtures(
            label, self.formats, self.args.format, self.args.alias, self.args.app_label
        )
        for path, folder, name in files:
            _, format, compression = parse_name(
                path.rsplit("/", 1)[-1], self.formats, self.args.format
            )
            if self.args.verbosity >= 2:
                shown = f"'{folder}'" if folder else "absolute path"
                print(f"Installing {format} fixture '{name}' from {shown}.")
            stream = COMPRESSIONS[compression](path)
            self.fixture_count += 1
            in_fixture = loaded = 0
            try:
                objects = serializers.deserialize(
                    format,
                    stream,
                    using=self.args.alias,
                    ignorenonexistent=self.args.ignore,
                    handle_forward_references=True,
                )
                for obj in objects:
                    in_fixture += 1
                    if self.save(obj):
                        loaded += 1
            except CommandError:
                raise
            except Exception as exc:
                exc.args = (f"Problem installing fixture '{path}': {exc}",)
                raise
            finally:
                if stream is not sys.stdin:
                    stream.close()
            self.loaded += loaded
            self.found += in_fixture
            if in_fixture == 0:
                warnings.warn(
                    f"No fixture data found for '{name}'. (File format may be invalid.)",
                    RuntimeWarning,
                    stacklevel=1,
                )

    def save(self, obj: Any) -> bool:
        from tether.db import DatabaseError

        model = type(obj.object)
        if model._meta.app_label in self.excluded_apps or model in self.excluded_models:
            return False
        if not router.allow_migrate_model(self.args.alias, model):
            return False  # the routers keep this model off the database (Django skips it)
        self.models.add(model)
        try:
            obj.save(using=self.args.alias)
        except (DatabaseError, ValueError) as exc:
            exc.args = (f"Could not load {model._meta.label}(pk={obj.object.pk}): {exc}",)
            raise
        if obj.deferred_fields:
            self.deferred.append(obj)
        return True


def run(args: argparse.Namespace) -> int:
    connection = connection_for(args.alias)
    if args.app_label:
        get_app_models(args.app_label)
    loader = _Loader(args, connection)
    try:
        _load(loader, connection, args)
    except CommandError:
        raise
    except Exception as exc:
        if args.traceback:
            raise
        # Django shows the exception's class and message; so does tether, without the stack.
        raise CommandError(f"{type(exc).__name__}: {exc}") from exc
    if args.verbosity >= 1:
        if loader.found == loader.loaded:
            print(f"Installed {loader.loaded} object(s) from {loader.fixture_count} fixture(s)")
        else:
            print(
                f"Installed {loader.loaded} object(s) (of {loader.found}) from "
                f"{loader.fixture_count} fixture(s)"
            )
    return 0


def _load(loader: _Loader, connection: Any, args: argparse.Namespace) -> None:
    """Everything in one transaction: on any error nothing stays written."""
    from tether.db import transaction

    with transaction.atomic(using=args.alias):
        with connection.constraint_checks_disabled():
            loader.load(list(args.args))
        tables = [model._meta.db_table for model in loader.models]
        try:
            connection.check_constraints(table_names=tables)
        except Exception as exc:
            exc.args = (f"Problem installing fixtures: {exc}",)
            raise
        if loader.loaded:
            _reset_sequences(connection, loader.models, args.verbosity)


def _reset_sequences(connection: Any, models: set[Any], verbosity: int) -> None:
    from tether.cli.sql_output import sequence_reset_statements

    statements = sequence_reset_statements(connection, models)
    if statements and verbosity >= 2:
        print("Resetting sequences")
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
