"""`tether graph [--apps LABEL ...] [--output FILE]`: the models of `[tool.tether] models` and
their relations as an entity-relationship diagram in SVG (model_graph.py draws it), on stdout
or in FILE. Many-to-many relations are drawn through their tables; no database is opened."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tether.cli.errors import CommandError

HELP = "draw the models and their relations as an SVG entity-relationship diagram"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--apps",
        nargs="+",
        metavar="LABEL",
        help="draw only the models of these app labels (default: every configured model)",
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write the SVG to FILE (default: stdout)"
    )


def run(args: argparse.Namespace) -> int:
    from tether import apps as apps_module
    from tether.cli.commands.migrate import import_model_modules
    from tether.cli.model_graph import render
    from tether.conf import settings

    import_model_modules(settings.models)
    models = apps_module.apps.get_models(include_auto_created=True)
    if args.apps:
        known = {model._meta.app_label for model in models}
        for app_label in args.apps:
            if app_label not in known:
                raise CommandError(f"No installed app with label '{app_label}'.")
        models = [model for model in models if model._meta.app_label in args.apps]
    svg = render(models)
    if args.output:
        Path(args.output).write_text(svg, encoding="utf-8")
    else:
        sys.stdout.write(svg)
    return 0
