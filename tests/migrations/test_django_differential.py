"""Differential test: Django 5.2's makemigrations and tether's write the same file (imports
renamed, header left out) for a corpus of model changes (tests/migrations/django_corpus.py).
Each case is a models.py before and after; both tools make the initial migration from
`before`, then the migration for `after`. Then both tools' sqlmigrate must build the same
schema from those files (django_sqlmigrate.py), on each backend. Django runs in a
subprocess on a throw-away settings module (test-only dependency)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.migrations.django_corpus import CASES

pytest.importorskip("django")

ROOT = Path(__file__).resolve().parents[2]
HEADER = (
    "import uuid\nfrom decimal import Decimal\n\n"
    "from {lib} import models\nfrom {models}.functions import Lower"
)


def _write(folder: Path, app: str, models_source: str, header: str) -> None:
    (folder / app / "models.py").write_text(f"{header}\n\n\n{models_source}")


def _run(argv: list[str], folder: Path, env: dict[str, str], answers: str | None = None) -> None:
    if answers is None:
        argv = [*argv, "--noinput"]
    result = subprocess.run(
        argv, cwd=folder, env=env, input=answers or "", capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _files(folder: Path, app: str, kind: str) -> list[str]:
    texts = []
    for path in sorted((folder / app / "migrations").glob("0*.py")):
        lines = path.read_text().splitlines()[2:]  # the header and its blank line
        text = (
            "\n".join(lines)
            .replace("django.db", "tether.db")
            .replace("django.utils", "tether.utils")
        )
        texts.append(f"{path.name}\n{text}")
    return texts


def _make(tmp: Path, kind: str, before: str, after: str, answers: str | None) -> list[str]:
    folder = tmp / kind
    (folder / "zoo" / "migrations").mkdir(parents=True)
    (folder / "zoo" / "__init__.py").write_text("")
    (folder / "zoo" / "migrations" / "__init__.py").write_text("")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(folder)])
    if kind == "django":
        (folder / "settings.py").write_text(
            "SECRET_KEY = 'x'\nINSTALLED_APPS = ['zoo']\nUSE_TZ = True\n"
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',\n"
            "                         'NAME': ':memory:'}}\n"
            "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n"
        )
        env["DJANGO_SETTINGS_MODULE"] = "settings"
        argv = [sys.executable, "-m", "django", "makemigrations", "zoo"]
        header = HEADER.format(lib="django.db", models="django.db.models")
    else:
        (folder / "pyproject.toml").write_text(
            "[tool.tether]\nmodels = ['zoo.models']\n"
            f"databases = {{default = 'sqlite:///{folder / 'db.sqlite3'}'}}\n"
        )
        argv = [sys.executable, "-m", "tether", "makemigrations", "zoo"]
        header = HEADER.format(lib="tether", models="tether.models")
    _write(folder, "zoo", before, header)
    _run(argv, folder, env)
    _write(folder, "zoo", after, header)
    _run(argv, folder, env, answers)
    return _files(folder, "zoo", kind)


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_migrations_as_django(case: str, tmp_path: Path, transactional_db: None) -> None:
    before, after, answers = CASES[case]
    tether = _make(tmp_path, "tether", before, after, answers)
    assert tether == _make(tmp_path, "django", before, after, answers)
    from tests.migrations.django_sqlmigrate import assert_same_schema  # imports ROOT from here

    assert_same_schema(tmp_path)
