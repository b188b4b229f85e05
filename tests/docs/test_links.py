"""Every link in README.md, CHANGELOG.md and docs/ leads somewhere: a relative link names a file
of the repository, and its #anchor a heading of that file (GitHub's anchors, which the site's
match). README.md and CHANGELOG.md link only into the repository, so they read the same on a
checkout, a package index and the built site. (`mkdocs build --strict` in CI checks the site's
own pages again, with its API reference.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```.*?^```", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def _links(page: Path) -> list[str]:
    text = CODE_SPAN.sub("", FENCE.sub("", page.read_text()))
    return LINK.findall(text)


def _anchors(page: Path) -> set[str]:
    """The ids GitHub (and the site's toc) give the page's headings."""
    text = FENCE.sub("", page.read_text())
    headings = re.findall(r"^#{1,6} (.+)$", text, re.M)
    return {
        re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings
    }


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_points_to_an_existing_file_and_heading(page: Path) -> None:
    broken = []
    for link in _links(page):
        if re.match(r"[a-z]+:", link):
            continue
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        if not target.is_relative_to(ROOT) or not target.exists():
            broken.append(link)
        elif anchor and target.suffix == ".md" and anchor not in _anchors(target):
            broken.append(link)
    assert not broken, f"{page.name}: broken links {broken}"


@pytest.mark.parametrize("name", ["README.md", "CHANGELOG.md"])
def test_the_front_pages_link_only_into_the_repository(name: str) -> None:
    absolute = [link for link in _links(ROOT / name) if re.match(r"[a-z]+:", link)]
    assert not absolute, f"{name} links outside the repository: {absolute}"
