"""The `tether` entry point: global options, command dispatch, and error reporting.

`main(argv)` returns the exit status instead of exiting, so tests can call it in-process.
Global options: `--database-url URL` points a database alias at another database for this run
(the alias the command's `--database ALIAS` names, `default` otherwise; it may also follow the
command), `--traceback` shows the full traceback of an unexpected error. Commands are imported
lazily, so `tether version` never loads a database driver.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType

from tether.cli.commands import COMMANDS
from tether.cli.errors import CommandError

_URL_HELP = (
    "use this database URL for this run, for the alias --database names ('default' "
    "otherwise), over the configuration"
)


def _command_module(name: str) -> ModuleType:
    return importlib.import_module(f"tether.cli.commands.{name}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `tether` with one sub-parser per command."""
    from tether import __version__

    parser = argparse.ArgumentParser(
        prog="tether",
        description="tether: Django's model and query API as a standalone ORM.",
    )
    parser.add_argument("--version", action="version", version=f"tether {__version__}")
    parser.add_argument(
        "--database-url",
        dest="database_url",
        metavar="URL",
        default=None,
        help=_URL_HELP,
    )
    parser.add_argument(
        "--traceback", action="store_true", help="show the full traceback of an unexpected error"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="<command>")
    for name in COMMANDS:
        module = _command_module(name)
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        if "--database-url" not in sub._option_string_actions:
            # SUPPRESS: a value given before the command is not reset by the sub-parser.
            sub.add_argument(
                "--database-url", metavar="URL", default=argparse.SUPPRESS, help=_URL_HELP
            )
        sub.set_defaults(handler=module.run)
    return parser


def _point_alias_at(alias: str, url: str) -> None:
    import tether
    from tether.conf import settings

    tether.configure(databases={**dict(settings.databases), alias: url})


def main(argv: Sequence[str] | None = None) -> int:
    """Run `tether` with `argv` (default: sys.argv[1:]) and return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exit_:  # --help, --version and usage errors
        return exit_.code if isinstance(exit_.code, int) else 2
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    from tether.db import Error as DatabaseLayerError
    from tether.exceptions import ImproperlyConfigured

    try:
        if args.database_url and args.command != "demo":  # the demo's own database
            _point_alias_at(getattr(args, "alias", "default"), args.database_url)
        return int(args.handler(args))
    except CommandError as exc:
        print(f"tether {args.command}: error: {exc}", file=sys.stderr)
        return exc.status
    except (ImproperlyConfigured, DatabaseLayerError) as exc:
        print(f"tether {args.command}: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `tether demo | head`: the reader left; not an error of ours
        _silence_stdout()
        return 0
    except OSError as exc:
        if exc.filename is None:  # not a file the command was told to read or write
            return _unexpected(args, exc)
        print(f"tether {args.command}: error: {exc.strerror}: '{exc.filename}'", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"tether {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        return _unexpected(args, exc)
    finally:
        _close_connections()


def _unexpected(args: argparse.Namespace, exc: Exception) -> int:
    if args.traceback:
        traceback.print_exc()
    print(
        f"tether {args.command}: unexpected error: {type(exc).__name__}: {exc}"
        + ("" if args.traceback else " (run with --traceback for details)"),
        file=sys.stderr,
    )
    return 1


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests)
        pass
    finally:
        os.close(devnull)


def _close_connections() -> None:
    if "tether.db.connections" in sys.modules:
        from tether.db import connections

        connections.close_all()


if __name__ == "__main__":
    sys.exit(main())
