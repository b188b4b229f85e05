"""`tether makemigrations` through the command line, and the seeds' Student/Course path: make
and apply the initial migration, add rows, switch Course.students to through='Enrollment' with
an enrollment_date, migrate again and keep every link; then back, and forwards again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tether.db import connection

from .project import Project, tables

APP = "mk_school"

MODELS = """\
    from tether import models


    class Student(models.Model):
        name = models.CharField(max_length=50)


    class Course(models.Model):
        title = models.CharField(max_length=50)
        students = models.ManyToManyField(Student, related_name="courses")
    """

THROUGH = """\
    from tether import models


    class Student(models.Model):
        name = models.CharField(max_length=50)


    class Course(models.Model):
        title = models.CharField(max_length=50)
        students = models.ManyToManyField(Student, related_name="courses", through="Enrollment")


    class Enrollment(models.Model):
        student = models.ForeignKey(Student, on_delete=models.CASCADE)
        course = models.ForeignKey(Course, on_delete=models.CASCADE)
        enrollment_date = models.DateField()
    """

LINKS = """\
    from mk_school.models import Course
    print(sorted((c.title, s.name) for c in Course.objects.all() for s in c.students.all()))
    """


@pytest.fixture
def project(tmp_path: Path, transactional_db: None):
    project = Project(tmp_path, APP, MODELS)
    yield project
    project.tether("migrate", APP, "zero")
    leftovers = [t for t in tables() if t.startswith(APP)]
    with connection.schema_editor() as editor:
        for table in sorted(leftovers, key=lambda t: -len(t)):
            editor.execute(f"DROP TABLE {editor.quote_name(table)}")
    if "django_migrations" in tables():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_migrations WHERE app = %s", [APP])


def test_seed_path_switches_to_a_through_model_and_keeps_every_link(project: Project) -> None:
    out = project.ok("makemigrations")
    assert out == (
        f"Migrations for '{APP}':\n"
        f"  {APP}/migrations/0001_initial.py\n"
        "    + Create model Student\n"
        "    + Create model Course\n"
    )
    source = (project.root / APP / "migrations" / "0001_initial.py").read_text()
    assert "from tether.db import migrations, models\n" in source
    assert (
        f"('students', models.ManyToManyField(related_name='courses', to='{APP}.student')),"
        in source
    )
    assert project.tether("makemigrations", "--check").returncode == 0
    project.ok("migrate")
    project.python(
        """\
        from mk_school.models import Course, Student
        ann, bob = Student.objects.create(name="Ann"), Student.objects.create(name="Bob")
        math, art = Course.objects.create(title="Math"), Course.objects.create(title="Art")
        math.students.add(ann, bob)
        art.students.add(bob)
        """
    )
    before = project.python(LINKS)
    assert before == "[('Art', 'Bob'), ('Math', 'Ann'), ('Math', 'Bob')]\n"

    project.write_models(THROUGH)
    check = project.tether("makemigrations", "--check")
    assert check.returncode == 1
    stopped = project.tether("makemigrations", "--noinput")
    assert stopped.returncode == 3
    assert "--default Enrollment.enrollment_date=<python expression>" in stopped.stderr
    out = project.ok(
        "makemigrations",
        "--noinput",
        "--name",
        "enrollment",
        "--default",
        "enrollment.enrollment_date=datetime.date(2024, 9, 1)",
    )
    assert out == (
        f"Migrations for '{APP}':\n"
        f"  {APP}/migrations/0002_enrollment.py\n"
        "    ? Custom state/database change combination\n"
        "    ~ Rename table for enrollment to (default)\n"
        "    + Add field enrollment_date to enrollment\n"
    )
    project.ok("migrate")
    assert project.python(LINKS) == before
    dates = project.python(
        """\
        from mk_school.models import Enrollment
        print(sorted({str(e.enrollment_date) for e in Enrollment.objects.all()}))
        """
    )
    assert dates == "['2024-09-01']\n"
    assert project.ok("makemigrations") == "No changes detected\n"
    project.ok("migrate", APP, "0001")
    project.write_models(MODELS)
    assert project.python(LINKS) == before
    project.write_models(THROUGH)
    project.ok("migrate")
    assert project.python(LINKS) == before


def test_field_changes_renames_m2m_and_dry_run(project: Project) -> None:
    project.ok("makemigrations")
    project.ok("migrate")
    project.write_models(
        MODELS.replace("name = models", "full_name = models").replace(
            'related_name="courses")',
            'related_name="courses")\n        mentors = models.ManyToManyField(Student)\n'
            "        room = models.IntegerField(null=True)",
        )
    )
    dry = project.ok(
        "makemigrations", "--dry-run", "--noinput", "--default", "student.full_name='?'"
    )
    assert "    - Remove field name from student\n" in dry
    assert "    + Add field full_name to student\n" in dry
    assert len(project.migration_names()) == 1
    asked = project.ok("makemigrations", input="y\n")
    assert "Was student.name renamed to student.full_name (a CharField)? [y/N]" in asked
    assert "    ~ Rename field name on student to full_name\n" in asked
    assert "    + Add field mentors to course\n" in asked
    project.ok("migrate")
    if connection.vendor != "sqlite":
        assert f"{APP}_course_mentors" in tables()
    project.python(
        """\
        from mk_school.models import Course, Student
        c = Course.objects.create(title="x", room=3)
        c.mentors.add(Student.objects.create(full_name="Zed"))
        """
    )
    project.write_models(MODELS.replace("name = models", "full_name = models"))
    out = project.ok("makemigrations", "--noinput")
    assert "    - Remove field mentors from course\n" in out
    project.ok("migrate")
    if connection.vendor != "sqlite":
        assert f"{APP}_course_mentors" not in tables()
    names = project.migration_names()
    assert names[0] == "0001_initial" and len(names) == 3


def test_empty_merge_and_conflicts(project: Project) -> None:
    project.ok("makemigrations")
    out = project.ok("makemigrations", APP, "--empty", "--name", "data")
    assert f"  {APP}/migrations/0002_data.py\n" in out
    project.write_migration(
        "0002_other",
        f"""\
        from tether.db import migrations


        class Migration(migrations.Migration):
            dependencies = [("{APP}", "0001_initial")]
            operations = []
        """,
    )
    conflict = project.tether("makemigrations")
    assert conflict.returncode == 1
    assert "To fix them run 'tether makemigrations --merge'" in conflict.stderr
    merged = project.ok("makemigrations", "--merge", "--noinput")
    assert "Created new merge migration" in merged
    assert "0003_merge_0002_data_0002_other" in project.migration_names()
    assert project.ok("makemigrations", "--merge") == "No conflicts detected to merge.\n"
    project.ok("migrate")


def test_squashmigrations(project: Project) -> None:
    project.ok("makemigrations")
    project.write_models(
        MODELS.replace(
            'related_name="courses")',
            'related_name="courses")\n        room = models.IntegerField(null=True)',
        )
    )
    project.ok("makemigrations", "--name", "room")
    out = project.ok("squashmigrations", APP, "0002", "--noinput")
    assert "  Optimized from 3 operations to 2 operations.\n" in out
    assert f"Created new squashed migration {APP}/migrations/0001_squashed_0002_room.py\n" in out
    source = (project.root / APP / "migrations" / "0001_squashed_0002_room.py").read_text()
    assert f"replaces = [('{APP}', '0001_initial'), ('{APP}', '0002_room')]" in source
    assert project.ok("showmigrations", APP) == (
        f"{APP}\n [ ] 0001_squashed_0002_room (2 squashed migrations)\n"
    )
    out = project.ok("migrate")
    assert f"  Applying {APP}.0001_squashed_0002_room... OK\n" in out
    assert project.ok("makemigrations", "--check") == "No changes detected\n"


def test_partly_applied_squash_runs_the_rest_of_the_replaced_migrations(project: Project) -> None:
    # As Django's loader: while some of the replaced migrations are applied, the squash is set
    # aside and the replaced ones run; once all are applied the squash is recorded too.
    project.ok("makemigrations")
    for field in ("room", "floor"):
        project.write_models(
            (project.root / APP / "models.py")
            .read_text()
            .replace(
                "class Course(models.Model):\n",
                f"class Course(models.Model):\n    {field} = models.IntegerField(null=True)\n",
            )
        )
        project.ok("makemigrations", "--name", field)
    project.ok("migrate", APP, "0001")
    project.ok("squashmigrations", APP, "0003", "--noinput")
    assert project.ok("showmigrations", APP) == (
        f"{APP}\n [X] 0001_initial\n [ ] 0002_room\n [ ] 0003_floor\n"
    )
    out = project.ok("migrate")
    assert f"  Applying {APP}.0002_room... OK\n  Applying {APP}.0003_floor... OK\n" in out
    assert project.ok("showmigrations", APP) == (
        f"{APP}\n [X] 0001_squashed_0003_floor (3 squashed migrations)\n"
    )
    project.ok("migrate", APP, "zero")
    assert not [t for t in tables() if t.startswith(APP)]
