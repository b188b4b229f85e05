"""The Student/Course tours: seed 000's tutorial and seed 003's through-model tutorial.

Statements follow the seeds; expected outputs are what Django 5.2 prints for them (the seeds
print none). The models have a __str__ so that the transcript names students and courses.
Seed 003 starts from rows it never creates, so its tour creates them first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tether.cli.tours import Step, Tour


def _school_models() -> Sequence[Any]:
    from tether.cli.seed_apps.school import Course, Student

    return [Course, Student]


def _registrar_models() -> Sequence[Any]:
    from tether.cli.seed_apps.registrar import Course, Enrollment, Student

    return [Student, Course, Enrollment]


SCHOOL_STEPS: list[Step] = [
    Step(
        "from tether.cli.seed_apps.school import Course, Student",
        say="A student takes many courses and a course has many students:\n"
        "`courses = models.ManyToManyField(Course)` on Student (tether/cli/seed_apps/school.py).",
    ),
    Step('tom = Student.objects.create(name="Tom")', say="Create a student and a course of his:"),
    Step('tom.courses.create(name="Algebra")', "<Course: Algebra>"),
    Step('Student.objects.get(name="Tom").courses.all()', "<QuerySet [<Course: Algebra>]>"),
    Step(
        'Student.objects.filter(courses__name="Algebra")',
        "<QuerySet [<Student: Tom>]>",
        say="Filter students by a course's field: the relation's name, two underscores, the field:",
    ),
    Step(
        'python = Course.objects.create(name="Python")',
        say="From the course's side, the reverse accessor is <model>_set:",
    ),
    Step('python.student_set.create(name="Bob")', "<Student: Bob>"),
    Step('sam = Student(name="Sam")'),
    Step("sam.save()"),
    Step("python.student_set.add(sam)"),
    Step("python.student_set.all()", "<QuerySet [<Student: Bob>, <Student: Sam>]>"),
    Step("python.student_set.count()", "2"),
    Step("python.student_set.remove(sam)"),
    Step("python.student_set.all()", "<QuerySet [<Student: Bob>]>"),
    Step("sam.courses.all()", "<QuerySet []>"),
    Step("python.student_set.clear()"),
    Step("python.student_set.all()", "<QuerySet []>"),
    Step(
        "Student.objects.all()",
        "<QuerySet [<Student: Bob>, <Student: Sam>, <Student: Tom>]>",
        say="remove() and clear() delete links only; the students remain:",
    ),
]

REGISTRAR_STEPS: list[Step] = [
    Step(
        "from tether.cli.seed_apps.registrar import Course, Enrollment, Student",
        say="Course.students goes through an Enrollment model that records a date, and the\n"
        "reverse accessor is renamed with related_name='enrolled_courses'\n"
        "(tether/cli/seed_apps/registrar.py). The tutorial starts from existing rows:",
    ),
    Step('Student.objects.create(name="Ada")', "<Student: Ada>"),
    Step('Course.objects.create(title="Algebra")', "<Course: Algebra>"),
    Step('Course.objects.create(title="Biology")', "<Course: Biology>"),
    Step("student = Student.objects.get(id=1)"),
    Step("course = Course.objects.get(id=2)"),
    Step(
        "Enrollment.objects.create(student=student, course=Course.objects.get(id=1), "
        'enrollment_date="2025-06-11")',
        "<Enrollment: Ada in Algebra since 2025-06-11>",
        say="With a through table, create the link rows themselves...",
    ),
    Step(
        'course.students.add(student, through_defaults={"enrollment_date": "2025-06-10"})',
        say="...or add() with through_defaults for the extra columns:",
    ),
    Step(
        "enrollment, created = Enrollment.objects.update_or_create(\n"
        "    student=student,\n"
        "    course=course,\n"
        "    defaults={'enrollment_date': '2025-06-11'},\n"
        ")",
        say="Upsert (update if it exists, otherwise insert):",
    ),
    Step("created", "False"),
    Step("enrollment", "<Enrollment: Ada in Biology since 2025-06-11>"),
    Step("course.students.all()", "<QuerySet [<Student: Ada>]>"),
    Step(
        "student.enrolled_courses.all()",
        "<QuerySet [<Course: Algebra>, <Course: Biology>]>",
        say="The reverse side, by its related_name:",
    ),
    Step(
        "Enrollment.objects.filter(student=student)",
        "<QuerySet [<Enrollment: Ada in Algebra since 2025-06-11>, "
        "<Enrollment: Ada in Biology since 2025-06-11>]>",
    ),
    Step(
        "Course.objects.filter(enrollment__student=student)",
        "<QuerySet [<Course: Algebra>, <Course: Biology>]>",
        say="Courses of a student, through the Enrollment model:",
    ),
    Step(
        'Course.objects.filter(enrollment__enrollment_date__gte="2025-06-11").count()',
        "2",
    ),
    Step("course.students.remove(student)", say="remove() and clear() delete Enrollment rows:"),
    Step("course.students.all()", "<QuerySet []>"),
    Step("Enrollment.objects.all()", "<QuerySet [<Enrollment: Ada in Algebra since 2025-06-11>]>"),
    Step("student.enrolled_courses.clear()"),
    Step("Enrollment.objects.count()", "0"),
]

SCHOOL_TOUR = Tour(
    title="Many-to-many: students and courses (seed 000)",
    intro="Creating, adding, removing and clearing from both sides of a relation.",
    models=_school_models,
    steps=SCHOOL_STEPS,
)

REGISTRAR_TOUR = Tour(
    title="Many-to-many through a model: enrollments (seed 003)",
    intro="A through model with an extra column, update_or_create, and a renamed reverse side.",
    models=_registrar_models,
    steps=REGISTRAR_STEPS,
)

__all__ = ["REGISTRAR_TOUR", "SCHOOL_TOUR"]
