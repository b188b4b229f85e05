"""The `tether` command line: in-process through `main()`, and as a real subprocess.

The demo and migrate commands reconfigure the process's databases; the `restore_settings`
fixture puts the suite's configuration back afterwards.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tether
from tether.cli.main import main
from tether.cli.tours import Step, Tour, all_tours
from tether.cli.tours.replay import Transcript, matches, run_statement
from tether.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def restore_settings(tether_db_blocker: Any) -> Iterator[None]:
    """For a test that runs the demo on its own throwaway database (declared: unblocked)."""
    saved = dict(settings.databases)
    try:
        with tether_db_blocker.unblock():
            yield
    finally:
        tether.configure(databases=saved)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [extra.pop("PYTHONPATH", "")])]
    )
    env.update(extra)
    return env


def _tether(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tether", *args],
        cwd=cwd,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


# ---- main() in-process -----------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version"]) == 0
    assert capsys.readouterr().out.startswith(f"tether {tether.__version__} (Python ")


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: tether" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_malformed_database_url_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], restore_settings: None
) -> None:
    assert main(["--database-url", "nonsense", "migrate", "--run-syncdb"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tether migrate: error: ImproperlyConfigured: Invalid database URL")


def test_database_names_an_alias_and_database_url_a_url(
    capsys: pytest.CaptureFixture[str], restore_settings: None, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    assert main(["sqlflush", "--database", "elsewhere"]) == 1
    error = capsys.readouterr().err
    assert error == "tether sqlflush: error: The connection 'elsewhere' doesn't exist.\n"
    # Before or after the command, for the alias --database names: a one-off connection.
    for argv in (
        ["--database-url", url, "sqlflush", "--database", "elsewhere"],
        ["sqlflush", "--database", "elsewhere", "--database-url", url],
    ):
        tether.configure(databases={"default": settings.databases["default"]})
        assert main(argv) == 0
        assert capsys.readouterr().err == "No tables found.\n"  # a new, empty file
        assert settings.databases["elsewhere"] == url
    assert (tmp_path / "other.sqlite3").exists()


@pytest.fixture
def outside_test_database(restore_settings: None) -> Iterator[None]:
    """Let the in-process demo use its own throwaway database, as it does for a user.

    Under the suite, `default` points at the test database, whose tables (other test apps
    use the demo's table names too) the demo refuses to touch.
    """
    from tether.db import connections
    from tether.test.runner import test_database_settings

    test_settings = test_database_settings("default")
    connections.override("default", None)
    try:
        yield
    finally:
        if test_settings is not None:
            connections.override("default", test_settings)


def test_demo_in_process(capsys: pytest.CaptureFixture[str], outside_test_database: None) -> None:
    assert main(["demo", "--sql"]) == 0
    out = capsys.readouterr().out
    for step in all_tours()[0].normalized_steps():
        assert f">>> {step.statement.splitlines()[0]}" in out
    assert "SQL: INSERT INTO" in out
    assert "\x1b[" not in out  # captured output is not a terminal: no colour
    assert "gave the expected result" in out


# ---- tours --------------------------------------------------------------------------------


def test_a_wrong_expected_value_makes_the_demo_exit_1(restore_settings: None) -> None:
    from tether.cli.commands.demo import run_tours
    from tether.cli.tours.core import CORE_TOUR

    wrong = Tour(
        title="deliberately wrong",
        models=CORE_TOUR.models,
        steps=[
            ("from tether.cli.demo_models import Publication", None),
            ('Publication.objects.create(title="Only one")', "<Publication: Only one>"),
            ("Publication.objects.count()", "2"),  # there is one
        ],
    )
    out = io.StringIO()
    assert run_tours([wrong], out=out, color=False) == 1
    text = out.getvalue()
    assert ">>> Publication.objects.count()\n1  ✗\n  expected:\n    2\n" in text
    assert "1 of 3 steps differ from the expected result." in text


def test_tuples_and_steps_both_work(restore_settings: None) -> None:
    from tether.cli.commands.demo import run_tours

    tour = Tour("plain", models=lambda: [], steps=[("1 + 1", "2"), Step("x = 3"), ("x", "3")])
    out = io.StringIO()
    assert run_tours([tour], out=out, color=False) == 0
    assert "All 3 steps gave the expected result." in out.getvalue()


def test_run_statement_shows_what_the_prompt_shows() -> None:
    namespace: dict[str, object] = {}
    assert run_statement("x = 2", namespace) is None
    assert run_statement("x * 21", namespace) == "42"
    assert run_statement("for i in range(2):\n    print(i)", namespace) == "0\n1"
    assert run_statement("None", namespace) is None
    assert run_statement("{}['k']", namespace) == (
        "Traceback (most recent call last):\n...\nKeyError: 'k'"
    )
    assert matches("a  \nb\n", "a\nb")
    assert not matches(None, "1")


def test_colour_only_when_asked() -> None:
    plain, coloured = io.StringIO(), io.StringIO()
    Transcript(plain, color=False).line("hi", "ok")
    Transcript(coloured, color=True).line("hi", "ok")
    assert plain.getvalue() == "hi\n"
    assert coloured.getvalue() == "\x1b[32mhi\x1b[0m\n"


def test_demo_models_stay_out_of_the_global_registry() -> None:
    import tether.apps
    from tether.cli import demo_models

    assert demo_models.Article not in tether.apps.apps.get_models()
    assert demo_models.registry.get_model("demo", "Article") is demo_models.Article


# ---- subprocesses -------------------------------------------------------------------------


def test_python_m_tether_demo(tmp_path: Path) -> None:
    result = _tether("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ">>> Publication.objects.all()" in result.stdout
    assert "<QuerySet [<Publication: Highlights for Children>," in result.stdout
    assert "✗" not in result.stdout
    assert list(tmp_path.iterdir()) == []  # the demo database lived in a temporary directory


def _project(tmp_path: Path, models: str = "tinyapp.models") -> None:
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [tool.tether]
            databases = {{default = "sqlite:///project.sqlite3"}}
            models = ["{models}"]
            """
        )
    )
    (tmp_path / "tinyapp").mkdir()
    (tmp_path / "tinyapp" / "__init__.py").write_text("")
    (tmp_path / "tinyapp" / "models.py").write_text(
        textwrap.dedent(
            """\
            from tether import models


            class Widget(models.Model):
                name = models.CharField(max_length=20, unique=True)


            class Gadget(models.Model):
                size = models.IntegerField(db_index=True)
            """
        )
    )


def test_migrate_run_syncdb_creates_missing_tables(tmp_path: Path) -> None:
    _project(tmp_path)
    first = _tether("migrate", "--run-syncdb", cwd=tmp_path, PYTHONPATH=str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert first.stdout == (
        "Operations to perform:\n"
        "  Synchronize unmigrated apps: tinyapp\n"
        "  Apply all migrations: (none)\n"
        "Synchronizing apps without migrations:\n"
        "  Creating tables...\n"
        "    Creating table tinyapp_widget\n"
        "    Creating table tinyapp_gadget\n"
        "    Running deferred SQL...\n"
        "Running migrations:\n"
        "  No migrations to apply.\n"
    )
    with sqlite3.connect(tmp_path / "project.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"tinyapp_widget", "tinyapp_gadget"} <= tables
    assert any(name.startswith("tinyapp_gadget_size_") for name in tables)  # the deferred index

    again = _tether("migrate", "--run-syncdb", cwd=tmp_path, PYTHONPATH=str(tmp_path))
    assert again.returncode == 0, again.stderr
    assert "Creating table " not in again.stdout
    assert "No tables to create" in again.stdout


def test_migrate_reports_a_models_module_that_does_not_import(tmp_path: Path) -> None:
    _project(tmp_path, models="tinyapp.missing")
    result = _tether("migrate", "--run-syncdb", cwd=tmp_path, PYTHONPATH=str(tmp_path))
    assert result.returncode == 1
    assert "cannot import the models module 'tinyapp.missing'" in result.stderr
    assert "Traceback" not in result.stderr
