"""docs/tutorial.md runs as written: its files are written into a fresh project, its commands
run there (`$ tether ...` lines, compared with the output printed under them), its shell code
is piped to `tether shell` and must print the output block that follows it."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

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


def test_the_tutorial_runs_as_written(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "tutorial.md").read_text()
    (tmp_path / "press" / "migrations").mkdir(parents=True)
    for name in ("press/__init__.py", "press/migrations/__init__.py"):
        (tmp_path / name).write_text("")
    pending_shell = None
    for match in BLOCK.finditer(text):
        kind, body = match.group(1), match.group("body")
        if match.group("path"):
            (tmp_path / match.group("path")).write_text(body)
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
