"""Differential test: Django 5.2's makemigrations and tether's write the same file (imports
renamed, header left out) for a corpus of model changes. Each case is a models.py before and
after; both tools make the initial migration from `before`, then the migration for `after`.
Django runs in a subprocess on a throw-away settings module (test-only dependency)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("django")

ROOT = Path(__file__).resolve().parents[2]
HEAD = "class Student(models.Model):\n    name = models.CharField(max_length=50)\n\n\n"

CASES = {
    "add_nullable_field": (
        HEAD,
        HEAD.replace("max_length=50)", "max_length=50)\n    age = models.IntegerField(null=True)"),
    ),
    "remove_field": (
        HEAD.replace("max_length=50)", "max_length=50)\n    age = models.IntegerField(null=True)"),
        HEAD,
    ),
    "alter_field": (HEAD, HEAD.replace("max_length=50", "max_length=80, db_index=True")),
    "add_model_with_fk_and_m2m": (
        HEAD,
        HEAD + "class Course(models.Model):\n"
        "    title = models.CharField(max_length=50, unique=True)\n"
        "    teacher = models.ForeignKey(Student, models.SET_NULL, null=True, related_name='+')\n"
        "    students = models.ManyToManyField(Student, related_name='courses')\n",
    ),
    "delete_model": (HEAD + "class Room(models.Model):\n    size = models.IntegerField()\n", HEAD),
    "options_and_index": (
        HEAD,
        HEAD.replace(
            "max_length=50)",
            "max_length=50)\n\n    class Meta:\n        ordering = ['name']\n"
            "        indexes = [models.Index(fields=['name'], name='student_name_idx')]\n"
            "        constraints = [models.CheckConstraint(condition=models.Q(name__gt=''), "
            "name='name_not_empty')]",
        ),
    ),
    "add_field_with_default_and_unique_together": (
        HEAD,
        HEAD.replace(
            "max_length=50)",
            "max_length=50)\n    code = models.CharField(max_length=5, default='x')\n\n"
            "    class Meta:\n        unique_together = [('name', 'code')]\n"
            "        db_table = 'pupils'",
        ),
    ),
    "remove_m2m_and_fk": (
        HEAD + "class Course(models.Model):\n"
        "    lead = models.ForeignKey(Student, models.CASCADE, related_name='+')\n"
        "    students = models.ManyToManyField(Student, related_name='courses')\n",
        HEAD + "class Course(models.Model):\n    pass\n",
    ),
}


def _write(folder: Path, app: str, models_source: str, header: str) -> None:
    (folder / app / "models.py").write_text(f"{header}\n\n\n{models_source}")


def _run(argv: list[str], folder: Path, env: dict[str, str]) -> None:
    result = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def _files(folder: Path, app: str, kind: str) -> list[str]:
    texts = []
    for path in sorted((folder / app / "migrations").glob("0*.py")):
        lines = path.read_text().splitlines()[2:]  # the header and its blank line
        text = "\n".join(lines).replace("django.db", "tether.db")
        texts.append(f"{path.name}\n{text}")
    return texts


def _make(tmp: Path, kind: str, before: str, after: str) -> list[str]:
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
        argv = [sys.executable, "-m", "django", "makemigrations", "--noinput", "zoo"]
        header = "from django.db import models"
    else:
        (folder / "pyproject.toml").write_text(
            "[tool.tether]\nmodels = ['zoo.models']\n"
            f"databases = {{default = 'sqlite:///{folder / 'db.sqlite3'}'}}\n"
        )
        argv = [sys.executable, "-m", "tether", "makemigrations", "--noinput", "zoo"]
        header = "from tether import models"
    _write(folder, "zoo", before, header)
    _run(argv, folder, env)
    _write(folder, "zoo", after, header)
    _run(argv, folder, env)
    return _files(folder, "zoo", kind)


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_migrations_as_django(case: str, tmp_path: Path) -> None:
    before, after = CASES[case]
    assert _make(tmp_path, "tether", before, after) == _make(tmp_path, "django", before, after)
