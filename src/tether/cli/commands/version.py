"""`tether version`: print tether's version and the Python it runs on."""

from __future__ import annotations

import argparse
import platform

HELP = "print tether's version"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`version` takes no options."""


def run(args: argparse.Namespace) -> int:
    from tether import __version__

    print(f"tether {__version__} (Python {platform.python_version()})")
    return 0
