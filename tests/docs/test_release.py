"""The release metadata agrees with itself: the version tether reports is the one CHANGELOG.md
describes first, and pyproject.toml's Python classifiers are the versions
docs/supported-versions.md declares, none below requires-python. (The build and clean install
are checked by tools/check_wheel.py in CI.)"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import tether

ROOT = Path(__file__).resolve().parents[2]


def test_the_changelog_describes_the_current_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    first = re.search(r"^## (\S+)", changelog, re.M)
    assert first is not None and first.group(1) == tether.__version__


def test_the_python_classifiers_match_the_supported_versions_page() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    prefix = "Programming Language :: Python :: 3."
    classified = [
        c.removeprefix("Programming Language :: Python :: ")
        for c in project["classifiers"]
        if c.startswith(prefix)
    ]
    minimum = project["requires-python"].removeprefix(">=")
    assert classified and classified[0] == minimum
    page = (ROOT / "docs" / "supported-versions.md").read_text()
    row = next(line for line in page.splitlines() if line.startswith("| Python |"))
    declared = row.split("|")[2].split("(")[0]
    assert re.findall(r"3\.\d+", declared) == classified
