"""A throw-away project on disk for the command-line tests: pyproject.toml, an app package
with models.py and migrations, run by `python -m tether` in a subprocess against the test
database of the backend under test (a file next to the project for SQLite)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tether.db import connection
from tether.test.runner import test_database_settings

ROOT = Path(__file__).resolve().parents[2]


def database_url(tmp_path: Path) -> str:
    """A URL of the test database a subprocess may use (SQLite: a file in tmp_path)."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'project.sqlite3'}"
    db = test_database_settings("default")
    assert db is not None, "request the transactional_db fixture first"
    scheme = "postgresql" if db.vendor == "postgresql" else "mysql"
    auth = db.user + (f":{db.password}" if db.password else "")
    port = f":{db.port}" if db.port else ""
    return f"{scheme}://{auth}@{db.host or '127.0.0.1'}{port}/{db.name}"


class Project:
    def __init__(self, root: Path, app: str, models: str, extra: str = "") -> None:
        self.root = root
        self.app = app
        self.url = database_url(root)
        (root / "pyproject.toml").write_text(f'[tool.tether]\nmodels = ["{app}.models"]\n{extra}')
        (root / app / "migrations").mkdir(parents=True)
        (root / app / "__init__.py").write_text("")
        (root / app / "migrations" / "__init__.py").write_text("")
        self.write_models(models)

    def write_models(self, source: str) -> None:
        (self.root / self.app / "models.py").write_text(textwrap.dedent(source))

    def write_migration(self, name: str, source: str) -> None:
        (self.root / self.app / "migrations" / f"{name}.py").write_text(textwrap.dedent(source))

    def migration_names(self) -> list[str]:
        folder = self.root / self.app / "migrations"
        return sorted(p.stem for p in folder.glob("0*.py"))

    def _run(
        self, argv: list[str], input: str | None, **extra_env: str
    ) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TETHER_")}
        env["DATABASE_URL"] = self.url
        env.update(extra_env)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(self.root)])
        env["TZ"] = "UTC"
        return subprocess.run(
            [sys.executable, *argv],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            input=input,
        )

    def tether(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return self._run(["-m", "tether", "--traceback", *args], input)

    def python(self, code: str) -> str:
        """Run `code` in the project (its models imported by it), return its output."""
        result = self._run(["-c", textwrap.dedent(code)], None)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def ok(self, *args: str, input: str | None = None) -> str:
        result = self.tether(*args, input=input)
        assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result.stdout


def tables() -> set[str]:
    return {name.lower() for name in connection.introspection.table_names()}
