"""What the commands share: the `--database ALIAS` and `--verbosity` options (as Django's),
the connection of an alias with the models of `[tool.tether] models` imported, and app and
model labels looked up with Django's messages."""

from __future__ import annotations

import argparse
from typing import Any

from tether.cli.errors import CommandError


def add_database_argument(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--database", dest="alias", metavar="ALIAS", default="default", help=help)


def add_verbosity_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-v",
        "--verbosity",
        type=int,
        choices=[0, 1, 2, 3],
        default=1,
        help="verbosity level; 0=minimal output, 1=normal output, 2=verbose output",
    )


def connection_for(alias: str, import_models: bool = True) -> Any:
    """The connection of `alias` (Django's message for an unknown one), after importing the
    models modules of the settings."""
    from tether.cli.commands.migrate import import_model_modules
    from tether.conf import settings
    from tether.db import connections

    if import_models:
        import_model_modules(settings.models)
    if alias not in settings.databases:
        raise CommandError(f"The connection '{alias}' doesn't exist.")
    return connections[alias]


def app_labels() -> list[str]:
    """The labels of the apps that have registered models, in registration order."""
    import tether.apps

    return [label for label, models in tether.apps.apps.all_models.items() if models]


def get_app_models(label: str) -> list[Any]:
    """The models of app `label`, or Django's error for an unknown app."""
    from tether.core.serializers import app_models

    if label not in app_labels():
        raise CommandError(f"No installed app with label '{label}'.")
    return app_models(label)


def parse_apps_and_model_labels(labels: list[str]) -> tuple[set[Any], set[str]]:
    """('app_label.ModelName' models, 'app_label' apps) named by `labels`, as Django's."""
    import tether.apps

    models: set[Any] = set()
    apps: set[str] = set()
    for label in labels:
        if "." in label:
            try:
                models.add(tether.apps.apps.get_model(label))
            except LookupError:
                raise CommandError(f"Unknown model: {label}") from None
        else:
            get_app_models(label)
            apps.add(label)
    return models, apps
