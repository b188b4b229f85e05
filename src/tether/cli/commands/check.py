"""`tether check [--database ALIAS] [--tag TAG]`: run the system checks, as Django's
`manage.py check`.

It imports the modules listed in `[tool.tether] models` (as migrate does), runs every
registered check and prints the findings in Django's format, ending with "System check
identified N issues (0 silenced)."; the exit status is 1 when any finding is an error.
"""

from __future__ import annotations

import argparse
import sys

from tether.cli.commands.migrate import import_model_modules
from tether.cli.errors import CommandError

HELP = "run the system checks on the models (Django's 'check')"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tag",
        "-t",
        dest="tags",
        action="append",
        metavar="TAG",
        help="run only the checks with this tag (repeatable)",
    )
    parser.add_argument(
        "--database",
        dest="databases",
        action="append",
        metavar="ALIAS",
        help="run the database-dependent checks (e.g. column name lengths) for this alias",
    )
    parser.add_argument("--list-tags", action="store_true", help="list the available tags and exit")


def run(args: argparse.Namespace) -> int:
    from tether.checks import format_report, run_checks
    from tether.checks.registry import _load_builtin_checks, registry
    from tether.conf import settings

    import_model_modules(settings.models)
    _load_builtin_checks()
    if args.list_tags:
        tags = sorted({t for c in registry.registered_checks for t in getattr(c, "tags", ())})
        print("\n".join(tags))
        return 0
    for tag in args.tags or ():
        if not registry.tag_exists(tag):
            raise CommandError(f"There is no system check with the '{tag}' tag.")
    messages = run_checks(tags=args.tags, databases=getattr(args, "databases", None))
    text, serious = format_report(messages)
    if serious:
        print(f"SystemCheckError: {text}", file=sys.stderr)
        return 1
    print(text, file=sys.stderr if messages else sys.stdout)
    return 0
