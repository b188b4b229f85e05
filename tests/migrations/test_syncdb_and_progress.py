"""`migrate --run-syncdb` for an app without migrations: missing join tables are created and
columns it cannot add are named; and the progress lines `migrate` prints on a terminal."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from tether.cli.migrate_run import Progress
from tether.db import connection, migrations

from .project import Project, tables

MODELS = """\
    from tether import models


    class Box(models.Model):
        label = models.CharField(max_length=20)
    """


@pytest.fixture
def project(tmp_path: Path, transactional_db: None):
    project = Project(tmp_path, "sync_app", MODELS)
    shutil.rmtree(tmp_path / "sync_app" / "migrations")
    yield project
    leftovers = [t for t in tables() if t.startswith("sync_app")]
    with connection.schema_editor() as editor:
        for table in sorted(leftovers, key=len, reverse=True):
            editor.execute(f"DROP TABLE {editor.quote_name(table)}")


def test_run_syncdb_adds_join_tables_and_names_missing_columns(project: Project) -> None:
    out = project.ok("migrate", "--run-syncdb")
    assert "    Creating table sync_app_box\n" in out
    project.write_models(
        "from tether import models\n\n\nclass Box(models.Model):\n"
        "    label = models.CharField(max_length=20)\n"
        "    size = models.IntegerField(null=True)\n"
        "    friends = models.ManyToManyField('self')\n"
    )
    out = project.ok("migrate", "--run-syncdb")
    assert "    Creating table sync_app_box_friends\n" in out
    assert "    Cannot add column sync_app_box.size: its table exists" in out
    assert project.tether("migrate", "sync_app").stderr.endswith(
        "error: App 'sync_app' does not have migrations.\n"
    )


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_lines_on_a_terminal_and_in_a_pipe() -> None:
    operation = migrations.RunSQL("SELECT 1")
    pipe = io.StringIO()
    progress = Progress(pipe)
    progress("apply_start", "shop.0001_initial")
    progress("operation_start", operation)
    progress("apply_success", "shop.0001_initial")
    assert pipe.getvalue() == "  Applying shop.0001_initial... OK\n"
    terminal = _Terminal()
    progress = Progress(terminal)
    progress("apply_start", "shop.0001_initial")
    progress("operation_start", operation)
    progress("apply_success", "shop.0001_initial")
    lines = terminal.getvalue().splitlines()
    assert lines[0] == "  Applying shop.0001_initial..."
    assert lines[1].startswith("    [") and lines[1].endswith("s] Raw SQL operation")
    assert lines[2].startswith("  OK (")
