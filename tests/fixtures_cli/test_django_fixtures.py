"""Differential: a fixture dumped by Django 5.2 (test-only dependency, run in a subprocess on
a SQLite file) from the same models and rows is byte-for-byte what `tether dumpdata` writes;
it loads on tether, and what tether dumps loads on Django."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from migrations.project import Project

from .shop import APP, SEED, models_source

pytest.importorskip("django")


class DjangoProject:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / APP).mkdir(parents=True)
        (root / APP / "__init__.py").write_text("")
        (root / APP / "models.py").write_text(textwrap.dedent(models_source("django")))
        (root / "settings.py").write_text(
            f"SECRET_KEY = 'x'\nINSTALLED_APPS = ['{APP}']\nUSE_TZ = True\n"
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',\n"
            f"                         'NAME': {str(root / 'db.sqlite3')!r}}}}}\n"
            "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n"
        )
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(DJANGO_SETTINGS_MODULE="settings", PYTHONPATH=str(root), TZ="UTC")
        self.admin("migrate", "--run-syncdb", "-v", "0")

    def run(self, argv: list[str], input: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, *argv],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            input=input,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def admin(self, *args: str) -> str:
        return self.run(["-m", "django", *args])

    def python(self, code: str) -> str:
        return self.run(["-c", "import django; django.setup()\n" + textwrap.dedent(code)])


def test_djangos_fixture_and_tethers_are_the_same(shop: Project, tmp_path: Path) -> None:
    django = DjangoProject(tmp_path / "django")
    django.python(SEED)
    shop.python(SEED)
    for options in ([], ["--indent", "2"], ["--natural-foreign", "--natural-primary"]):
        assert shop.ok("dumpdata", APP, *options) == django.admin("dumpdata", APP, *options)
    jsonl = django.admin("dumpdata", APP, "--format", "jsonl")
    assert shop.ok("dumpdata", APP, "--format", "jsonl") == jsonl

    # Django's fixture loads on tether (emptied first) and dumps back the same.
    fixture = tmp_path / "from_django.json"
    fixture.write_text(django.admin("dumpdata", APP, "--indent", "2"))
    shop.ok("flush", "--noinput")
    assert shop.ok("loaddata", str(fixture)) == "Installed 7 object(s) from 1 fixture(s)\n"
    assert shop.ok("dumpdata", APP, "--indent", "2") == fixture.read_text()

    # tether's natural-key fixture loads on Django (emptied first) and dumps back the same.
    natural = tmp_path / "from_tether.json"
    natural.write_text(shop.ok("dumpdata", APP, "--natural-foreign", "--natural-primary"))
    django.admin("flush", "--noinput")
    assert django.admin("loaddata", str(natural)) == "Installed 7 object(s) from 1 fixture(s)\n"
    assert django.admin("dumpdata", APP, "--natural-foreign", "--natural-primary") == (
        natural.read_text()
    )
