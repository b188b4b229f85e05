"""`call_command(name, *args, **options)`: run a `tether` command from Python, as Django's
`django.core.management.call_command` (which is `tether.cli.call_command` here).

Positional arguments are parsed as on the command line; keyword options are matched to the
command's options by destination name or by option name (`database="other"`,
`natural_primary=True`, `verbosity=0`). Errors are raised, not printed: a CommandError for
the failures a command reports, the original exception otherwise. `stdout=`/`stderr=`
capture what the command prints.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
from typing import Any

from tether.cli.commands import COMMANDS
from tether.cli.errors import CommandError


def _parser(name: str) -> tuple[Any, argparse.ArgumentParser]:
    if name not in COMMANDS:
        raise CommandError(f"Unknown command: {name!r}")
    module = importlib.import_module(f"tether.cli.commands.{name}")
    parser = argparse.ArgumentParser(prog=f"tether {name}", add_help=False)
    module.add_arguments(parser)
    return module, parser


def _destination(parser: argparse.ArgumentParser, key: str) -> str:
    """The namespace attribute an option keyword names (`database` -> `alias`)."""
    for action in parser._actions:
        if action.dest == key:
            return key
        if f"--{key.replace('_', '-')}" in action.option_strings:
            return action.dest
    options = sorted(a.dest for a in parser._actions if a.option_strings)
    raise TypeError(
        f"Unknown option(s) for {parser.prog.split()[-1]} command: {key}. Valid options are: "
        f"{', '.join(options)}."
    )


def call_command(command_name: str, *args: Any, **options: Any) -> None:
    """Run `tether <command_name>` in this process with `args` and `options`."""
    stdout, stderr = options.pop("stdout", None), options.pop("stderr", None)
    module, parser = _parser(command_name)
    try:
        namespace = parser.parse_args([str(arg) for arg in args])
    except SystemExit:
        raise CommandError(f"Error: invalid arguments for {command_name}: {args!r}") from None
    for key, value in options.items():
        setattr(namespace, _destination(parser, key), value)
    namespace.command = command_name
    namespace.traceback = True  # raise the original exception, as Django's call_command
    namespace.database_url = None
    with contextlib.ExitStack() as stack:
        if stdout is not None:
            stack.enter_context(contextlib.redirect_stdout(stdout))
        if stderr is not None:
            stack.enter_context(contextlib.redirect_stderr(stderr))
        status = int(module.run(namespace))
    if status:
        raise CommandError(f"{command_name} exited with status {status}", status=status)
