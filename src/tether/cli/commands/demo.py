"""`tether demo [--sql] [--database URL]`: replay the tours as a narrated, checked transcript.

By default the demo runs on a fresh embedded SQLite database in a temporary directory, removed
at the end; `--database URL` replays on another database instead (the demo creates its tables
there, refusing if they exist, and drops them at the end). Exit status 1 when any step's output
differs from the one recorded with it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from typing import Any, TextIO

from tether.cli.tours import Tour

HELP = "replay a narrated, self-checking tour of tether on a throwaway database"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sql", action="store_true", help="also print the SQL that each step ran")
    parser.add_argument(
        "--database-url",
        dest="database_url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="replay on this database URL instead of a temporary SQLite file",
    )


def use_color(out: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def run_tours(
    tours: Sequence[Tour],
    url: str | None = None,
    show_sql: bool = False,
    out: TextIO | None = None,
    color: bool | None = None,
) -> int:
    """Replay `tours` on `url` (None: a temporary SQLite file); return the exit status."""
    from tether.cli.tours.replay import Transcript

    out = out or sys.stdout
    transcript = Transcript(out, use_color(out) if color is None else color, show_sql)
    if url is not None:
        return _replay_on(url, f"on {_redacted(url)}", tours, transcript)
    with tempfile.TemporaryDirectory(prefix="tether-demo-") as folder:
        path = os.path.join(folder, "demo.sqlite3")
        return _replay_on(
            f"sqlite:///{path}",
            "on a fresh SQLite database in a temporary directory",
            tours,
            transcript,
        )


def _replay_on(url: str, where: str, tours: Sequence[Tour], transcript: Any) -> int:
    import tether
    from tether.cli.tours.replay import replay_tours
    from tether.db import connections

    tether.configure(databases={"default": url})
    transcript.line(f"tether demo {where}", "title")
    try:
        return replay_tours(tours, transcript, connections["default"])
    finally:
        connections.close_all()


def _redacted(url: str) -> str:
    """The URL without its password, for the transcript."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def run(args: argparse.Namespace) -> int:
    from tether.cli.tours import all_tours

    return run_tours(all_tours(), getattr(args, "database_url", None), args.sql)
