"""Differential test: Django 5.2's makemigrations and tether's write the same file (imports
renamed, header left out) for a corpus of model changes (tests/migrations/django_corpus.py).
Each case is a models.py before and after; both tools make the initial migration from
`before`, then the migration for `after`. Then both tools' sqlmigrate must build the same
schema from those files (django_sqlmigrate.py), on each backend. Django runs in a
subprocess on a throw-away settings module (test-only dependency)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from tests.migrations.django_corpus import CASES
from tests.migrations.project import database_url

from tether.db import connection

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


def _project(tmp: Path, kind: str, apps: list[str]) -> tuple[Path, list[str], str, dict[str, str]]:
    """A project of `apps` for `kind` (tether or django): its folder, the makemigrations
    command, the models' header and the environment to run it in."""
    folder = tmp / kind
    for app in apps:
        (folder / app / "migrations").mkdir(parents=True)
        (folder / app / "__init__.py").write_text("")
        (folder / app / "migrations" / "__init__.py").write_text("")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(folder)])
    if kind == "django":
        (folder / "settings.py").write_text(
            f"SECRET_KEY = 'x'\nINSTALLED_APPS = {apps!r}\nUSE_TZ = True\n"
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',\n"
            "                         'NAME': ':memory:'}}\n"
            "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n"
        )
        env["DJANGO_SETTINGS_MODULE"] = "settings"
        argv = [sys.executable, "-m", "django", "makemigrations", *apps]
        header = HEADER.format(lib="django.db", models="django.db.models")
    else:
        models = [f"{app}.models" for app in apps]
        (folder / "pyproject.toml").write_text(
            f"[tool.tether]\nmodels = {models!r}\n"
            f"databases = {{default = 'sqlite:///{folder / 'db.sqlite3'}'}}\n"
        )
        argv = [sys.executable, "-m", "tether", "makemigrations", *apps]
        header = HEADER.format(lib="tether", models="tether.models")
    return folder, argv, header, env


def _make(tmp: Path, kind: str, before: str, after: str, answers: str | None) -> list[str]:
    folder, argv, header, env = _project(tmp, kind, ["zoo"])
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


# Two apps whose models point at each other: one app's first migration creates its model
# without the foreign key, which a second migration adds once the other app's model exists.
CYCLE = {
    "cyc_a": "class A(models.Model):\n"
    "    name = models.CharField(max_length=10)\n"
    "    friend = models.ForeignKey('cyc_b.B', models.CASCADE)\n",
    "cyc_b": "class B(models.Model):\n"
    "    name = models.CharField(max_length=10)\n"
    "    friend = models.ForeignKey('cyc_a.A', models.CASCADE)\n",
}


def test_apps_pointing_at_each_other(tmp_path: Path, transactional_db: None) -> None:
    made = {}
    for kind in ("tether", "django"):
        folder, argv, header, env = _project(tmp_path, kind, list(CYCLE))
        for app, source in CYCLE.items():
            _write(folder, app, source, header)
        _run(argv, folder, env)
        made[kind] = [text for app in CYCLE for text in _files(folder, app, kind)]
    assert made["tether"] == made["django"]
    assert [text.partition("\n")[0] for text in made["tether"]] == [
        "0001_initial.py",
        "0002_initial.py",
        "0001_initial.py",
    ]
    folder = tmp_path / "tether"
    env["DATABASE_URL"] = url = database_url(tmp_path)
    _run([sys.executable, "-m", "tether", "migrate"], folder, env)
    assert {"cyc_a_a", "cyc_b_b"} <= _tables(url)
    _run([sys.executable, "-m", "tether", "migrate", "cyc_a", "zero"], folder, env)
    assert not {"cyc_a_a", "cyc_b_b"} & _tables(url)
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_migrations WHERE app IN (%s, %s)", list(CYCLE))


def _tables(url: str) -> set[str]:
    """The tables of the database the project's commands used."""
    if connection.vendor != "sqlite":
        return set(connection.introspection.table_names())
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
        return {
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
