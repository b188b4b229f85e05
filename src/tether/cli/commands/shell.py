"""`tether shell [-c CODE] [-i ipython|bpython|python] [--no-imports] [--no-startup]
[-v N]`: Django's shell. The models of the modules in `[tool.tether] models` are imported
into the namespace (Django 5.2's automatic imports); IPython or bpython is used when
installed, the standard interpreter otherwise. `-c` runs code and exits, as does code piped
on stdin."""

from __future__ import annotations

import argparse
import os
import select
import sys
import traceback
from typing import Any

from tether.cli.database import add_verbosity_argument
from tether.cli.errors import CommandError

HELP = "run a Python interpreter with the models imported (IPython if installed)"

SHELLS = ("ipython", "bpython", "python")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-startup",
        action="store_true",
        help="when using plain Python, ignore the PYTHONSTARTUP environment variable and "
        "~/.pythonrc.py script",
    )
    parser.add_argument(
        "--no-imports", action="store_true", help="disable automatic imports of models"
    )
    parser.add_argument(
        "-i",
        "--interface",
        choices=SHELLS,
        help='specify an interactive interpreter interface: "ipython", "bpython" or "python"',
    )
    parser.add_argument(
        "-c",
        "--command",
        dest="code",  # not "command": main() dispatches on args.command
        help="instead of opening an interactive shell, run a command and exit",
    )
    add_verbosity_argument(parser)


def namespace(args: argparse.Namespace) -> dict[str, Any]:
    """Every registered model by class name (the model registered first wins a name clash,
    as Django's earlier app does), and the report Django prints of what was imported."""
    import tether.apps
    from tether.cli.commands.migrate import import_model_modules
    from tether.conf import settings

    import_model_modules(settings.models)
    if args.no_imports:
        return {}
    by_module: dict[str, list[str]] = {}
    names: dict[str, Any] = {}
    for model in tether.apps.apps.get_models():
        if model.__name__ in names:
            continue
        names[model.__name__] = model
        by_module.setdefault(model.__module__, []).append(model.__name__)
    if args.verbosity >= 1:
        count = len(names)
        message = f"{count} {'object' if count == 1 else 'objects'} imported automatically"
        if args.verbosity < 2:
            print(f"{message}{' (use -v 2 for details)' if count else ''}.\n")
        else:
            lines = [
                f"  from {module} import {', '.join(sorted(members))}"
                for module, members in sorted(by_module.items())
            ]
            print(f"{message}:\n\n" + "\n".join(lines) + "\n" if lines else f"{message}.\n")
    return names


def _ipython(names: dict[str, Any], args: argparse.Namespace) -> None:
    from IPython import start_ipython

    start_ipython(argv=[], user_ns=names)


def _bpython(names: dict[str, Any], args: argparse.Namespace) -> None:
    import bpython

    bpython.embed(names)


def _python(names: dict[str, Any], args: argparse.Namespace) -> None:
    import code

    if not args.no_startup:
        scripts = [os.environ.get("PYTHONSTARTUP"), os.path.expanduser("~/.pythonrc.py")]
        for script in dict.fromkeys(s for s in scripts if s and os.path.isfile(s)):
            with open(script) as handle:
                source = handle.read()
            try:
                exec(compile(source, script, "exec"), names)
            except Exception:
                traceback.print_exc()
    try:
        import readline
        import rlcompleter

        readline.set_completer(rlcompleter.Completer(names).complete)
    except ImportError:
        pass
    code.interact(local=names)


_INTERFACES = {"ipython": _ipython, "bpython": _bpython, "python": _python}


def _piped_stdin() -> bool:
    return (
        sys.platform != "win32"
        and not sys.stdin.isatty()
        and bool(select.select([sys.stdin], [], [], 0)[0])
    )


def run(args: argparse.Namespace) -> int:
    if args.code:
        exec(args.code, {"__name__": "__main__", **namespace(args)})
        return 0
    if _piped_stdin():
        exec(sys.stdin.read(), {"__name__": "__main__", **namespace(args)})
        return 0
    names = namespace(args)
    for interface in [args.interface] if args.interface else SHELLS:
        try:
            _INTERFACES[interface](names, args)
            return 0
        except ImportError:
            continue
    raise CommandError(f"Couldn't import {interface} interface.")
