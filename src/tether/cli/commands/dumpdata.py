"""`tether dumpdata [app_label[.ModelName] ...] [--format json|jsonl] [--indent N]
[--exclude LABEL] [--natural-foreign] [--natural-primary] [--all] [--pks PKS]
[--output FILE] [--database ALIAS]`: Django's dumpdata.

Writes every row of the chosen models (all registered models by default) as a fixture, each
model's rows in key order; with --natural-foreign the models are ordered so that each comes
after the models its natural keys refer to. An --output name ending in .gz, .bz2, .xz or
.lzma is compressed; on a terminal a progress bar shows how far a dump to a file has come.
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import lzma
import os
import sys
import warnings
from collections.abc import Iterator
from typing import IO, Any

from tether.cli.database import (
    add_database_argument,
    app_labels,
    connection_for,
    get_app_models,
    parse_apps_and_model_labels,
)
from tether.cli.errors import CommandError
from tether.db.routers import router

HELP = "write the contents of the database as a fixture (Django's JSON format)"


class ProxyModelWarning(Warning):
    pass


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "args",
        metavar="app_label[.ModelName]",
        nargs="*",
        help="restricts dumped data to the specified app_label or app_label.ModelName",
    )
    parser.add_argument(
        "--format", default="json", help="specifies the output serialization format for fixtures"
    )
    parser.add_argument(
        "--indent", type=int, help="specifies the indent level to use when pretty-printing output"
    )
    add_database_argument(parser, "nominates a specific database to dump fixtures from")
    parser.add_argument(
        "-e",
        "--exclude",
        action="append",
        default=[],
        help="an app_label or app_label.ModelName to exclude (use multiple --exclude to "
        "exclude multiple apps/models)",
    )
    parser.add_argument(
        "--natural-foreign",
        action="store_true",
        dest="use_natural_foreign_keys",
        help="use natural foreign keys if they are available",
    )
    parser.add_argument(
        "--natural-primary",
        action="store_true",
        dest="use_natural_primary_keys",
        help="use natural primary keys if they are available",
    )
    parser.add_argument(
        "-a",
        "--all",
        action="store_true",
        dest="use_base_manager",
        help="use the base manager for dumping all models stored in the database, including "
        "those that would otherwise be filtered or modified by a custom manager",
    )
    parser.add_argument(
        "--pks",
        dest="primary_keys",
        help="only dump objects with given primary keys; accepts a comma-separated list of "
        "keys; this option only works when you specify one model",
    )
    parser.add_argument("-o", "--output", help="specifies file to which the output is written")


def _selection(labels: list[str], excludes: list[str], one_model: bool) -> dict[str, Any]:
    """ "apps": {app_label: [models] or None (the whole app)} in the order asked, less the
    excluded apps; "excluded": the excluded models."""
    excluded_models, excluded_apps = parse_apps_and_model_labels(excludes)
    if not labels:
        if one_model:
            raise CommandError("You can only use --pks option with one model")
        apps = {label: None for label in app_labels() if label not in excluded_apps}
        return {"apps": apps, "excluded": excluded_models}
    if len(labels) > 1 and one_model:
        raise CommandError("You can only use --pks option with one model")
    chosen: dict[str, Any] = {}
    for label in labels:
        app_label, _, model_name = label.partition(".")
        models = get_app_models(app_label)
        if app_label in excluded_apps:
            continue
        if not model_name:
            if one_model:
                raise CommandError("You can only use --pks option with one model")
            chosen[app_label] = None
            continue
        model = next((m for m in models if m._meta.model_name == model_name.lower()), None)
        if model is None:
            raise CommandError(f"Unknown model: {app_label}.{model_name}")
        current = chosen.setdefault(app_label, [])
        if current is not None and model not in current:
            current.append(model)
    return {"apps": chosen, "excluded": excluded_models}


def _models(selection: dict[str, Any], natural_foreign: bool) -> list[Any]:
    from tether.core.serializers import app_models, sort_dependencies

    apps = selection["apps"]
    if natural_foreign:
        return sort_dependencies(apps.items(), allow_cycles=True)
    models: list[Any] = []
    for label, chosen in apps.items():
        models.extend(chosen if chosen is not None else app_models(label))
    return models


def _querysets(args: argparse.Namespace, selection: dict[str, Any]) -> Iterator[Any]:
    models = _models(selection, args.use_natural_foreign_keys)
    pks = [pk.strip() for pk in args.primary_keys.split(",")] if args.primary_keys else []
    for model in models:
        if model in selection["excluded"]:
            continue
        opts = model._meta
        if opts.proxy:
            if opts.proxy_for_model not in models:
                warnings.warn(
                    f"{opts.label} is a proxy model and won't be serialized.",
                    ProxyModelWarning,
                    stacklevel=1,
                )
            continue
        if not router.allow_migrate_model(args.alias, model):
            continue  # not on this database, for the routers (Django's rule)
        manager = model._base_manager if args.use_base_manager else model._default_manager
        queryset = manager.using(args.alias).order_by(opts.pk.name)
        if pks:
            queryset = queryset.filter(pk__in=pks)
        yield queryset


_COMPRESSED = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def _open_output(path: str) -> IO[str]:
    extension = os.path.splitext(path)[1]
    if extension == ".lzma":
        return lzma.open(path, "wt", format=lzma.FORMAT_ALONE)  # type: ignore[return-value]
    opener = _COMPRESSED.get(extension)
    if opener is not None:
        return opener(path, "wt")  # type: ignore[no-any-return,operator]
    return open(path, "w", encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    from tether.core import serializers

    connection_for(args.alias)
    selection = _selection(list(args.args), list(args.exclude), bool(args.primary_keys))
    if args.format not in serializers.get_public_serializer_formats():
        raise CommandError(f"Unknown serialization format: {args.format}")
    querysets = list(_querysets(args, selection))
    progress, total = None, 0
    if args.output and sys.stdout.isatty():
        progress = sys.stdout
        total = sum(queryset.order_by().count() for queryset in querysets)
    stream = _open_output(args.output) if args.output else sys.stdout
    try:
        serializers.serialize(
            args.format,
            (obj for queryset in querysets for obj in queryset.iterator()),
            indent=args.indent,
            use_natural_foreign_keys=args.use_natural_foreign_keys,
            use_natural_primary_keys=args.use_natural_primary_keys,
            stream=stream,
            progress_output=progress,
            object_count=total,
        )
    except CommandError:
        raise
    except Exception as exc:
        if getattr(args, "traceback", False):
            raise
        raise CommandError(f"Unable to serialize database: {exc}") from exc
    finally:
        if stream is not sys.stdout:
            stream.close()
        else:
            stream.flush()
    return 0
