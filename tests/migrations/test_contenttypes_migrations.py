"""contenttypes' own migrations, under Django's names: `tether migrate` creates the content type
table through them and records them as Django does, so a database either tool migrated
continues under the other; makemigrations writes nothing for contenttypes itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from tether.contrib.contenttypes.models import ContentType
from tether.db import connection

from .project import Project, tables

APP = "ct_notes"
MODELS = """\
    from tether import models
    from tether.contrib.contenttypes.models import ContentType


    class Note(models.Model):
        kind = models.ForeignKey(ContentType, models.CASCADE)
    """


KEPT = "django_content_type_kept"


def _step_aside(table: str, back: bool = False) -> None:
    """Move the runner's content type table out of migrate's way, or back. PostgreSQL: into a
    schema of its own (its index, constraint and sequence names go with it); MariaDB: renamed.
    Other tables' foreign keys follow it either way."""
    with connection.schema_editor() as editor:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_schema()")
                home = cursor.fetchone()[0]
            if back:
                editor.execute(
                    f'ALTER TABLE "ct_kept".{editor.quote_name(table)} SET SCHEMA "{home}"'
                )
                editor.execute('DROP SCHEMA "ct_kept"')
            else:
                editor.execute('CREATE SCHEMA "ct_kept"')
                editor.execute(f'ALTER TABLE {editor.quote_name(table)} SET SCHEMA "ct_kept"')
        elif back:
            editor.alter_db_table(ContentType, KEPT, table)
        else:
            editor.alter_db_table(ContentType, table, KEPT)


@pytest.fixture
def project(tmp_path: Path, transactional_db: None):
    # A server's test database has the runner's content type table, which other tables point
    # at: it steps aside while migrate makes its own. On SQLite the project has a database
    # file of its own.
    table = ContentType._meta.db_table
    aside = connection.vendor != "sqlite" and table in tables()
    if aside:
        _step_aside(table)
    project = Project(tmp_path, APP, MODELS)
    yield project
    project.tether("migrate", APP, "zero")
    project.tether("migrate", "contenttypes", "zero")
    if aside:
        with connection.schema_editor() as editor:
            for name in (f"{APP}_note", table):
                if name in tables():
                    editor.execute(f"DROP TABLE {editor.quote_name(name)}")
        _step_aside(table, back=True)
    if "django_migrations" in tables():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_migrations")


def test_contenttypes_migrations_run_and_are_recorded_under_djangos_names(project: Project):
    made = project.ok("makemigrations", "--noinput")
    assert f"Migrations for '{APP}'" in made
    assert "contenttypes" not in made
    source = (project.root / APP / "migrations" / "0001_initial.py").read_text()
    assert "('contenttypes', '0002_remove_content_type_name')" in source
    out = project.ok("migrate")
    assert "  Applying contenttypes.0001_initial... OK\n" in out
    assert "  Applying contenttypes.0002_remove_content_type_name... OK\n" in out
    recorded = project.python(
        """
        from tether.db import connection
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations WHERE app = 'contenttypes'")
            print(sorted(tuple(row) for row in cursor.fetchall()))
        """
    )
    assert recorded.strip() == (
        "[('contenttypes', '0001_initial'), ('contenttypes', '0002_remove_content_type_name')]"
    )
    columns = project.python(
        """
        from tether.db import connection
        with connection.cursor() as cursor:
            found = connection.introspection.get_table_description(cursor, "django_content_type")
        print(sorted(column.name for column in found))
        """
    )
    assert columns.strip() == "['app_label', 'id', 'model']"
    assert project.ok("makemigrations", "--check") == "No changes detected\n"
    project.ok("migrate", APP, "zero")
    project.ok("migrate", "contenttypes", "zero")
    gone = project.python(
        """
        from tether.db import connection
        print("django_content_type" in connection.introspection.table_names())
        """
    )
    assert gone.strip() == "False"
