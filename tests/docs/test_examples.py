"""docs/tutorial.md and the how-to pages (docs/howto/) run as written: each page's files are
written into a fresh project, its commands run there (`$ tether ...` lines, compared with the
output printed under them), its shell code is piped to `tether shell` and must print the output
block that follows it. The markers are HTML comments, invisible on the site:
`<!-- file: path -->`, `<!-- run -->`, `<!-- shell -->`, `<!-- output -->` before a code block."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(
    r"<!-- (file: (?P<path>\S+)|run|shell|output) -->\n```\w*\n(?P<body>.*?)```", re.S
)


def _run(argv: list[str], project: Path, input: str | None = None) -> str:
    env = {
        k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("TETHER_")
    }
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(project)])
    result = subprocess.run(
        argv, cwd=project, env=env, capture_output=True, text=True, timeout=300, input=input
    )
    assert result.returncode == 0, f"{argv}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _commands(body: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs of a `run` block."""
    pairs: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        else:
            pairs[-1][1].append(line)
    return [(command, "".join(f"{line}\n" for line in out)) for command, out in pairs]


def _argv(command: str) -> list[str]:
    words = shlex.split(command)
    if words[0] == "tether":
        return [sys.executable, "-m", "tether", *words[1:]]
    assert words[:3] == ["python", "-m", "pytest"], command
    return [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *words[3:]]


# databases.md's commands need PostgreSQL and MariaDB servers; the pages it sends readers to
# run here on SQLite.
PAGES = [
    ROOT / "docs" / "tutorial.md",
    *sorted(page for page in (ROOT / "docs" / "howto").glob("*.md") if page.name != "databases.md"),
]


def _write(project: Path, path: str, body: str) -> None:
    """A models module's app gets the packages the tutorial's first step makes by hand."""
    target = project / path
    if target.name == "models.py":
        (target.parent / "migrations").mkdir(parents=True, exist_ok=True)
        for package in (target.parent, target.parent / "migrations"):
            (package / "__init__.py").touch()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_the_page_runs_as_written(page: Path, tmp_path: Path) -> None:
    text = page.read_text()
    pending_shell = None
    blocks = 0
    for match in BLOCK.finditer(text):
        blocks += 1
        kind, body = match.group(1), match.group("body")
        if match.group("path"):
            _write(tmp_path, match.group("path"), body)
        elif kind == "run":
            for command, expected in _commands(body):
                out = _run(_argv(command), tmp_path)
                if expected:  # (a dump ends without a newline, as Django's)
                    assert out.rstrip("\n") == expected.rstrip("\n"), command
        elif kind == "shell":
            pending_shell = body
        else:
            assert pending_shell is not None
            argv = [sys.executable, "-m", "tether", "shell", "-v", "0"]
            assert _run(argv, tmp_path, input=pending_shell) == body
            pending_shell = None
    assert blocks, f"{page.name} has no example marked to run"
