"""`tether check` and `tether migrate` run the checks as Django's commands do; the test
runner stops on errors."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tether import models
from tether.checks import SystemCheckError
from tether.test import runner
from tether.test.utils import isolate_apps

ROOT = Path(__file__).resolve().parents[2]


def _project(tmp_path: Path, models_source: str) -> None:
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent("""\
        [tool.tether]
        databases = {default = "sqlite:///project.sqlite3"}
        models = ["press.models"]
        """)
    )
    package = tmp_path / "press"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(textwrap.dedent(models_source))


def _tether(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(cwd)])
    return subprocess.run(
        [sys.executable, "-m", "tether", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


GOOD = """
    from tether import models

    class Publication(models.Model):
        title = models.CharField(max_length=30)

    class Article(models.Model):
        headline = models.CharField(max_length=100)
        publications = models.ManyToManyField(Publication)
    """

BAD = (
    GOOD
    + """
        other = models.ManyToManyField(Publication)
    """
)


def test_check_without_issues(tmp_path: Path) -> None:
    _project(tmp_path, GOOD)
    result = _tether("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_check_reports_errors_and_exits_1(tmp_path: Path) -> None:
    _project(tmp_path, BAD)
    result = _tether("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "SystemCheckError: System check identified some issues:\n\nERRORS:\n"
        "press.Article.other: (fields.E304) Reverse accessor 'Publication.article_set' for "
        "'press.Article.other' clashes with reverse accessor for 'press.Article.publications'."
        "\n\tHINT: Add or change a related_name argument to the definition for "
        "'press.Article.other' or 'press.Article.publications'.\n"
        "press.Article.publications: (fields.E304) Reverse accessor 'Publication.article_set' "
        "for 'press.Article.publications' clashes with reverse accessor for "
        "'press.Article.other'.\n\tHINT: Add or change a related_name argument to the "
        "definition for 'press.Article.publications' or 'press.Article.other'.\n\n"
        "System check identified 2 issues (0 silenced).\n"
    )


def test_check_unknown_tag(tmp_path: Path) -> None:
    _project(tmp_path, GOOD)
    result = _tether("check", "--tag", "nope", cwd=tmp_path)
    assert result.returncode == 1
    assert "There is no system check with the 'nope' tag." in result.stderr
    assert _tether("check", "--tag", "models", cwd=tmp_path).returncode == 0


def test_migrate_stops_on_check_errors(tmp_path: Path) -> None:
    _project(tmp_path, BAD)
    result = _tether("migrate", "--run-syncdb", cwd=tmp_path)
    assert result.returncode == 1
    assert "SystemCheckError: System check identified some issues:" in result.stderr
    assert "(fields.E304)" in result.stderr
    assert not (tmp_path / "project.sqlite3").exists() or "Creating table" not in result.stdout


def test_importing_models_runs_no_checks(tmp_path: Path) -> None:
    _project(tmp_path, BAD)
    code = "import press.models; print('imported')"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(tmp_path)])
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "imported\n"
    assert "tether.checks" not in result.stderr


def test_test_runner_runs_checks() -> None:
    with isolate_apps("press"):

        class Target(models.Model):
            class Meta:
                app_label = "press"

        class Broken(models.Model):
            a = models.ForeignKey(Target, models.SET_NULL)

            class Meta:
                app_label = "press"

        with pytest.raises(SystemCheckError, match=r"fields\.E320"):
            runner.run_system_checks()
    runner.run_system_checks()  # the global registry is clean again
