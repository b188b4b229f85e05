"""`tether migrate`, `showmigrations` and `sqlmigrate` through the command line, on the test
database of each backend: forwards, backwards, zero, --fake, --fake-initial, --plan, --check,
conflicts and dependencies on apps tether does not have."""

from __future__ import annotations

from pathlib import Path

import pytest

from tether.db import connection

from .project import Project, tables

MODELS = """\
    from tether import models


    class Student(models.Model):
        name = models.CharField(max_length=50)


    class Course(models.Model):
        title = models.CharField(max_length=50)
        students = models.ManyToManyField(Student, related_name="courses")
    """

INITIAL = """\
    from tether.db import migrations, models


    class Migration(migrations.Migration):
        initial = True

        dependencies = []

        operations = [
            migrations.CreateModel(
                name="Student",
                fields=[
                    (
                        "id",
                        models.AutoField(
                            auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                        ),
                    ),
                    ("name", models.CharField(max_length=50)),
                ],
            ),
            migrations.CreateModel(
                name="Course",
                fields=[
                    (
                        "id",
                        models.AutoField(
                            auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                        ),
                    ),
                    ("title", models.CharField(max_length=50)),
                    (
                        "students",
                        models.ManyToManyField(related_name="courses", to="{app}.student"),
                    ),
                ],
            ),
        ]
    """

SEED = """\
    from tether.db import migrations


    def seed(apps, schema_editor):
        Student = apps.get_model("{app}", "Student")
        Course = apps.get_model("{app}", "Course")
        course = Course.objects.create(title="Math")
        course.students.add(Student.objects.create(name="Ann"))


    class Migration(migrations.Migration):
        dependencies = [("{app}", "0001_initial")]

        operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
    """


@pytest.fixture
def project(tmp_path: Path, transactional_db: None):
    app = "cli_school"
    project = Project(tmp_path, app, MODELS)
    project.write_migration("0001_initial", INITIAL.replace("{app}", app))
    project.write_migration("0002_seed", SEED.replace("{app}", app))
    yield project
    project.tether("migrate", app, "zero")
    for table in ("cli_school_course_students", "cli_school_course", "cli_school_student"):
        if table in tables():
            with connection.schema_editor() as editor:
                editor.execute(f"DROP TABLE {editor.quote_name(table)}")
    if "django_migrations" in tables():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_migrations WHERE app = %s", [app])


def test_migrate_forwards_backwards_and_zero(project: Project) -> None:
    assert project.ok("showmigrations", "cli_school") == (
        "cli_school\n [ ] 0001_initial\n [ ] 0002_seed\n"
    )
    out = project.ok("migrate")
    assert out == (
        "Operations to perform:\n"
        "  Apply all migrations: cli_school\n"
        "Running migrations:\n"
        "  Applying cli_school.0001_initial... OK\n"
        "  Applying cli_school.0002_seed... OK\n"
    )
    assert project.ok("showmigrations", "--plan") == (
        "[X]  cli_school.0001_initial\n[X]  cli_school.0002_seed\n"
    )
    if connection.vendor == "sqlite":
        return  # the subprocess used its own file; the rest reads the server database
    assert {"cli_school_student", "cli_school_course_students"} <= tables()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT app, name FROM django_migrations WHERE app = %s ORDER BY name", ["cli_school"]
        )
        assert [tuple(r) for r in cursor.fetchall()] == [
            ("cli_school", "0001_initial"),
            ("cli_school", "0002_seed"),
        ]
        cursor.execute("SELECT COUNT(*) FROM cli_school_course_students")
        assert cursor.fetchone()[0] == 1
    out = project.ok("migrate", "cli_school", "0001")
    assert "  Target specific migration: 0001_initial, from cli_school\n" in out
    assert "  Unapplying cli_school.0002_seed... OK\n" in out
    out = project.ok("migrate", "cli_school", "zero")
    assert "  Unapply all migrations: cli_school\n" in out
    assert "  Unapplying cli_school.0001_initial... OK\n" in out
    assert not {"cli_school_student", "cli_school_course"} & tables()


def test_migrate_zero_on_sqlite_file(project: Project) -> None:
    project.ok("migrate")
    out = project.ok("migrate", "cli_school", "zero")
    assert out.endswith(
        "  Unapplying cli_school.0002_seed... OK\n  Unapplying cli_school.0001_initial... OK\n"
    )
    assert project.ok("showmigrations") == "cli_school\n [ ] 0001_initial\n [ ] 0002_seed\n"


def test_plan_and_check(project: Project) -> None:
    assert project.tether("migrate", "--check").returncode == 1
    assert project.ok("migrate", "--plan") == (
        "Planned operations:\n"
        "cli_school.0001_initial\n"
        "    Create model Student\n"
        "    Create model Course\n"
        "cli_school.0002_seed\n"
        "    Raw Python operation\n"
    )
    project.ok("migrate")
    assert project.tether("migrate", "--check").returncode == 0
    assert "  No planned migration operations.\n" in project.ok("migrate", "--plan")
    assert project.ok("migrate", "--plan", "cli_school", "zero").splitlines()[1:3] == [
        "cli_school.0002_seed",
        "    Raw Python operation",
    ]


def test_fake_and_fake_initial(project: Project) -> None:
    out = project.ok("migrate", "cli_school", "0001", "--fake")
    assert "  Applying cli_school.0001_initial... FAKED\n" in out
    project.ok("migrate", "cli_school", "zero", "--fake")
    project.ok("migrate", "cli_school", "0001")
    project.ok("migrate", "cli_school", "zero", "--fake")  # tables stay, record goes
    out = project.ok("migrate", "--fake-initial")
    assert "  Applying cli_school.0001_initial... FAKED\n" in out
    assert "  Applying cli_school.0002_seed... OK\n" in out


def test_sqlmigrate(project: Project) -> None:
    out = project.ok("sqlmigrate", "cli_school", "0001")
    assert "-- Create model Student\n" in out
    assert "CREATE TABLE" in out and "cli_school_course_students" in out
    if connection.features.can_rollback_ddl:
        assert out.startswith("BEGIN;\n") and out.endswith("COMMIT;\n")
    back = project.ok("sqlmigrate", "cli_school", "0001", "--backwards")
    assert "DROP TABLE" in back
    assert "-- THIS OPERATION CANNOT BE WRITTEN AS SQL" in project.ok(
        "sqlmigrate", "cli_school", "0002"
    )
    assert "cli_school_student" not in tables()
    bad = project.tether("sqlmigrate", "cli_school", "0009")
    assert bad.returncode == 1
    assert "Cannot find a migration matching '0009' from app 'cli_school'." in bad.stderr


def test_two_leaves_are_a_conflict_with_the_fix(project: Project) -> None:
    project.write_migration(
        "0002_other",
        """\
        from tether.db import migrations


        class Migration(migrations.Migration):
            dependencies = [("cli_school", "0001_initial")]
            operations = []
        """,
    )
    result = project.tether("migrate")
    assert result.returncode == 1
    assert (
        "Conflicting migrations detected; multiple leaf nodes in the migration graph: "
        "(0002_other, 0002_seed in cli_school).\nTo fix them run 'tether makemigrations --merge'"
    ) in result.stderr


def test_dependency_on_a_django_contrib_app_says_how_to_declare_it(project: Project) -> None:
    project.write_migration(
        "0003_owner",
        """\
        from tether.conf import settings
        from tether.db import migrations, models
        import tether.db.models.deletion


        class Migration(migrations.Migration):
            dependencies = [
                ("cli_school", "0002_seed"),
                migrations.swappable_dependency(settings.AUTH_USER_MODEL),
            ]
            operations = [
                migrations.AddField(
                    model_name="course",
                    name="owner",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=tether.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ]
        """,
    )
    result = project.tether("showmigrations")
    assert result.returncode == 1
    assert "settings.AUTH_USER_MODEL names Django's auth app" in result.stderr
    assert 'external_apps = ["auth"]' in result.stderr
    (project.root / "pyproject.toml").write_text(
        '[tool.tether]\nmodels = ["cli_school.models"]\nexternal_apps = ["auth"]\n'
    )
    out = project.ok("showmigrations")
    assert " [ ] 0003_owner\n" in out
    plan = project.ok("migrate", "--plan")
    assert "    Add field owner to course\n" in plan


def test_explicit_dependency_on_a_missing_app_is_explained(project: Project) -> None:
    project.write_migration(
        "0003_x",
        """\
        from tether.db import migrations


        class Migration(migrations.Migration):
            dependencies = [
                ("cli_school", "0002_seed"),
                ("admin", "0003_logentry_add_action_flag_choices"),
            ]
            operations = []
        """,
    )
    result = project.tether("migrate")
    assert result.returncode == 1
    assert (
        "Migration cli_school.0003_x depends on Django's contrib app 'admin', which has no "
        "migrations here."
    ) in result.stderr


def test_a_failing_migration_leaves_schema_and_records_as_they_were(project: Project) -> None:
    project.write_migration(
        "0003_broken",
        """\
        from tether.db import migrations, models


        class Migration(migrations.Migration):
            dependencies = [("cli_school", "0002_seed")]
            operations = [
                migrations.AddField("student", "age", models.IntegerField(null=True)),
                migrations.RunSQL("THIS IS NOT SQL"),
            ]
        """,
    )
    result = project.tether("migrate")
    assert result.returncode == 1
    assert "  Applying cli_school.0002_seed... OK\n" in result.stdout
    assert " [ ] 0003_broken\n" in project.ok("showmigrations")
    if connection.features.can_rollback_ddl:
        return
    assert (
        "Migration cli_school.0003_broken failed at operation 'Raw SQL operation'" in result.stderr
    )
    assert "the operations before it were applied (Add field age to student)" in result.stderr
