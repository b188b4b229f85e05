"""The migrations tour: the seeds' Student/Course project evolves through makemigrations and
migrate, gains rows, switches Course.students to through='Enrollment' with an enrollment_date,
migrates again and keeps every link.

The project is written to a temporary folder and each command runs as `python -m tether` in it
(a fresh process sees the edited models.py, as a user's shell does), on the demo's database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from tether.cli.tours import Step, Tour

APP = "campus"

BEFORE = """\
from tether import models


class Student(models.Model):
    name = models.CharField(max_length=50)


class Course(models.Model):
    title = models.CharField(max_length=50)
    students = models.ManyToManyField(Student, related_name="courses")
"""

AFTER = """\
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

ROWS = """\
from campus.models import Course, Student
ann, bob = Student.objects.create(name="Ann"), Student.objects.create(name="Bob")
Course.objects.create(title="Math").students.add(ann, bob)
Course.objects.create(title="Art").students.add(bob)
"""

LINKS = """\
from campus.models import Course
print(sorted((c.title, s.name) for c in Course.objects.all() for s in c.students.all()))
"""

DATES = """\
from campus.models import Enrollment
print(sorted({str(e.enrollment_date) for e in Enrollment.objects.all()}))
"""


class Project:
    """A throw-away project folder; commands run in it against the demo's database."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="tether-demo-project-"))
        (self.folder / APP / "migrations").mkdir(parents=True)
        (self.folder / APP / "__init__.py").write_text("")
        (self.folder / APP / "migrations" / "__init__.py").write_text("")
        (self.folder / "pyproject.toml").write_text(f'[tool.tether]\nmodels = ["{APP}.models"]\n')

    def _run(self, argv: list[str]) -> None:
        from tether.db import connections

        env = dict(os.environ)
        env["DATABASE_URL"] = connections["default"].settings_dict.url
        env["PYTHONPATH"] = os.pathsep.join(
            [str(self.folder), str(Path(__file__).resolve().parents[3])]
        )
        result = subprocess.run(
            [sys.executable, *argv], cwd=self.folder, env=env, capture_output=True, text=True
        )
        print((result.stdout + result.stderr).rstrip("\n"))

    def write_models(self, source: str) -> None:
        (self.folder / APP / "models.py").write_text(source)

    def tether(self, *args: str) -> None:
        self._run(["-m", "tether", *args])

    def python(self, code: str) -> None:
        self._run(["-c", textwrap.dedent(code)])

    def remove(self) -> None:
        """Forget the project: its migration records, and django_migrations if now empty."""
        import shutil

        from tether.db import connection

        shutil.rmtree(self.folder, ignore_errors=True)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_migrations WHERE app = %s", [APP])
            cursor.execute("SELECT COUNT(*) FROM django_migrations")
            empty = cursor.fetchone()[0] == 0
        if empty:
            with connection.schema_editor() as editor:
                editor.execute(f"DROP TABLE {editor.quote_name('django_migrations')}")


def _namespace() -> dict[str, Any]:
    return {
        "Project": Project,
        "BEFORE": BEFORE,
        "AFTER": AFTER,
        "ROWS": ROWS,
        "LINKS": LINKS,
        "DATES": DATES,
    }


MIGRATIONS_STEPS: list[Step] = [
    Step(
        "project = Project()",
        say="A project folder with campus/models.py and an empty campus/migrations package:",
    ),
    Step("project.write_models(BEFORE)", say="Student and Course, an automatic many-to-many:"),
    Step(
        'project.tether("makemigrations")',
        f"Migrations for '{APP}':\n"
        f"  {APP}/migrations/0001_initial.py\n"
        "    + Create model Student\n"
        "    + Create model Course",
        say="`tether makemigrations` writes Django's file (from tether.db import migrations, "
        "models):",
    ),
    Step(
        'project.tether("migrate")',
        "Operations to perform:\n"
        f"  Apply all migrations: {APP}\n"
        "Running migrations:\n"
        f"  Applying {APP}.0001_initial... OK",
        say="`tether migrate` applies it and records it in django_migrations:",
    ),
    Step("project.python(ROWS)", say="Rows and links, through the project's models:"),
    Step("project.python(LINKS)", "[('Art', 'Bob'), ('Math', 'Ann'), ('Math', 'Bob')]"),
    Step(
        "project.write_models(AFTER)",
        say="The links gain a date: Course.students goes through='Enrollment':",
    ),
    Step(
        'project.tether("makemigrations", "--noinput", "--name", "enrollment", "--default", '
        '"enrollment.enrollment_date=datetime.date(2024, 9, 1)")',
        f"Migrations for '{APP}':\n"
        f"  {APP}/migrations/0002_enrollment.py\n"
        "    ? Custom state/database change combination\n"
        "    ~ Rename table for enrollment to (default)\n"
        "    + Add field enrollment_date to enrollment",
        say="Enrollment takes over the join table: no copy (Django asks for this by hand); "
        "the one-off default fills the existing rows:",
    ),
    Step(
        'project.tether("migrate")',
        "Operations to perform:\n"
        f"  Apply all migrations: {APP}\n"
        "Running migrations:\n"
        f"  Applying {APP}.0002_enrollment... OK",
    ),
    Step(
        "project.python(LINKS)",
        "[('Art', 'Bob'), ('Math', 'Ann'), ('Math', 'Bob')]",
        say="Every link is still there, now with its enrollment date:",
    ),
    Step("project.python(DATES)", "['2024-09-01']"),
    Step(
        'project.tether("showmigrations")',
        f"{APP}\n [X] 0001_initial\n [X] 0002_enrollment",
    ),
    Step(
        'project.tether("migrate", "campus", "zero")',
        "Operations to perform:\n"
        f"  Unapply all migrations: {APP}\n"
        "Running migrations:\n"
        f"  Unapplying {APP}.0002_enrollment... OK\n"
        f"  Unapplying {APP}.0001_initial... OK",
        say="And back to no tables at all (`migrate campus 0001` would stop at the first):",
    ),
    Step("project.remove()"),
]

MIGRATIONS_TOUR = Tour(
    title="Migrations: the Student/Course project evolves",
    models=list,
    steps=MIGRATIONS_STEPS,
    intro="makemigrations and migrate as in the seeds' tutorial, then the switch to a through "
    "model with data in the tables.",
    namespace=_namespace(),
)
