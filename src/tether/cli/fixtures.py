"""Where `tether loaddata` finds a fixture named by a label, as Django's: "name", "name.json",
"name.json.gz", "dir/name" or an absolute path, searched in each app's `fixtures/` folder and
the working directory; "-" reads stdin (with --format)."""

from __future__ import annotations

import bz2
import glob
import gzip
import itertools
import lzma
import os
import sys
import zipfile
from collections.abc import Callable
from typing import Any

from tether.cli.errors import CommandError

STDIN = "-"


class SingleZipReader(zipfile.ZipFile):
    """A zip fixture holds one file: read() returns its contents."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(self.namelist()) != 1:
            raise ValueError("Zip-compressed fixtures must contain one file.")

    def read(self) -> bytes:  # type: ignore[override]
        return zipfile.ZipFile.read(self, self.namelist()[0])


COMPRESSIONS: dict[str | None, Callable[[str], Any]] = {
    None: lambda path: open(path, "rb"),
    "gz": lambda path: gzip.GzipFile(path, "rb"),
    "zip": lambda path: SingleZipReader(path, "r"),
    "stdin": lambda path: sys.stdin,
    "bz2": lambda path: bz2.BZ2File(path, "r"),
    "lzma": lambda path: lzma.LZMAFile(path, "r"),
    "xz": lambda path: lzma.LZMAFile(path, "r"),
}


def _app_directory(label: str) -> str | None:
    """The folder of the package that app `label`'s models live in."""
    import tether.apps

    for model in tether.apps.apps.all_models.get(label, {}).values():
        parts = model.__module__.split(".")
        if label not in parts:
            continue
        package = sys.modules.get(".".join(parts[: parts.index(label) + 1]))
        paths = getattr(package, "__path__", None)
        if paths:
            return str(list(paths)[0])
    return None


def fixture_dirs(app_label: str | None) -> list[str]:
    """Each app's existing `fixtures/` folder (of `app_label` only, if given), then the
    working directory."""
    from tether.cli.database import app_labels

    dirs = []
    for label in app_labels():
        if app_label and label != app_label:
            continue
        folder = _app_directory(label)
        if folder and os.path.isdir(os.path.join(folder, "fixtures")):
            dirs.append(os.path.join(folder, "fixtures"))
    dirs.append("")
    return [os.path.realpath(d) for d in dirs]


def parse_name(label: str, formats: list[str], stdin_format: str | None) -> tuple[str, Any, Any]:
    """(name, serialization format or None, compression or None) of a fixture label."""
    if label == STDIN:
        if not stdin_format:
            raise CommandError("--format must be specified when reading from stdin.")
        return STDIN, stdin_format, "stdin"
    parts = label.rsplit(".", 2)
    compression = None
    if len(parts) > 1 and parts[-1] in COMPRESSIONS:
        compression, parts = parts[-1], parts[:-1]
    serialization = None
    if len(parts) > 1:
        if parts[-1] not in formats:
            raise CommandError(
                f"Problem installing fixture '{'.'.join(parts[:-1])}': {parts[-1]} is not a "
                "known serialization format."
            )
        serialization, parts = parts[-1], parts[:-1]
    return ".".join(parts), serialization, compression


def _shown(folder: str) -> str:
    return f"'{folder}'" if folder else "absolute path"


def find_fixtures(
    label: str, formats: list[str], stdin_format: str | None, alias: str, app: str | None
) -> list[tuple[str, str, str]]:
    """(path, folder, name) of every file the label names; Django's errors for none found and
    for two in one folder."""
    if label == STDIN:
        return [(STDIN, "", STDIN)]
    name, serialization, compression = parse_name(label, formats, stdin_format)
    folder, base = os.path.split(name)
    if os.path.isabs(name):
        dirs = [folder]
    else:
        dirs = fixture_dirs(app)
        if os.path.sep in os.path.normpath(name):
            dirs = [os.path.join(d, folder) for d in dirs]
    serializations = formats if serialization is None else [serialization]
    compressions = list(COMPRESSIONS) if compression is None else [compression]
    targets = {
        ".".join([base, *(part for part in combo if part)])
        for combo in itertools.product([alias, None], serializations, compressions)
    }
    found = []
    for directory in dirs:
        here = [
            (candidate, directory, base)
            for candidate in glob.iglob(glob.escape(os.path.join(directory, base)) + "*")
            if os.path.basename(candidate) in targets
        ]
        if len(here) > 1:
            raise CommandError(
                f"Multiple fixtures named '{base}' in {_shown(directory)}. Aborting."
            )
        found.extend(here)
    if not found:
        raise CommandError(f"No fixture named '{base}' found.")
    return found
