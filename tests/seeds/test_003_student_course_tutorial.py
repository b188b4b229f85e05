"""Seed 003: an English Student/Course tutorial (plain M2M, a through model, related_name).

The seed starts from rows it never creates (`Student.objects.get(id=1)`,
`Course.objects.get(id=2)`): each test creates them first, with sequences reset so the literal
ids hold on every backend. Its closing `makemigrations`/`migrate` step belongs to the migrations
issue; the test database's schema is built as API.md's "schema without migrations" says (by the
test runner, with `schema_editor().create_model`). The seed prints no results: the expected ones
are Django 5.2's.
"""

import datetime

from tether.test import TransactionTestCase

from .advising import models as advising
from .catalog import models as catalog
from .enrollments import models as registrar


class SimpleManyToManyTests(TransactionTestCase):
    reset_sequences = True

    def setUp(self) -> None:
        catalog.Student.objects.create(name="Ada")
        catalog.Course.objects.create(title="Algebra")
        catalog.Course.objects.create(title="Biology")

    def test_add_query_remove_clear(self) -> None:
        student = catalog.Student.objects.get(id=1)
        course = catalog.Course.objects.get(id=2)
        course.students.add(student)
        self.assertEqual(repr(course.students.all()), "<QuerySet [<Student: Student object (1)>]>")
        self.assertEqual(repr(student.course_set.all()), "<QuerySet [<Course: Course object (2)>]>")
        course.students.remove(student)
        self.assertEqual(repr(course.students.all()), "<QuerySet []>")
        course.students.add(student)
        course.students.clear()
        self.assertEqual(list(student.course_set.all()), [])
        self.assertEqual(catalog.Student.objects.count(), 1)


class ThroughModelTests(TransactionTestCase):
    reset_sequences = True

    def setUp(self) -> None:
        registrar.Student.objects.create(name="Ada")
        registrar.Course.objects.create(title="Algebra")
        registrar.Course.objects.create(title="Biology")

    def test_enrollment_create_upsert_and_queries(self) -> None:
        Enrollment = registrar.Enrollment
        student = registrar.Student.objects.get(id=1)
        course = registrar.Course.objects.get(id=2)
        enrollment = Enrollment.objects.create(
            student=student, course=course, enrollment_date="2025-06-11"
        )
        self.assertEqual(repr(enrollment), "<Enrollment: Enrollment object (1)>")
        # create() keeps the value it was given, as Django does; the database holds a date.
        self.assertEqual(enrollment.enrollment_date, "2025-06-11")
        enrollment, created = Enrollment.objects.update_or_create(
            student=student, course=course, defaults={"enrollment_date": "2025-06-11"}
        )
        self.assertEqual(
            (repr(enrollment), created), ("<Enrollment: Enrollment object (1)>", False)
        )
        self.assertEqual(Enrollment.objects.get().enrollment_date, datetime.date(2025, 6, 11))
        enrollment, created = Enrollment.objects.update_or_create(
            student=student, course_id=1, defaults={"enrollment_date": "2025-06-12"}
        )
        self.assertEqual((enrollment.pk, created), (2, True))

        # The models have no Meta.ordering: several rows are compared in id order.
        self.assertEqual(repr(course.students.all()), "<QuerySet [<Student: Student object (1)>]>")
        self.assertEqual(
            repr(student.course_set.order_by("id")),
            "<QuerySet [<Course: Course object (1)>, <Course: Course object (2)>]>",
        )
        self.assertEqual(
            repr(Enrollment.objects.filter(student=student).order_by("id")),
            "<QuerySet [<Enrollment: Enrollment object (1)>, <Enrollment: Enrollment object (2)>]>",
        )
        self.assertEqual(
            repr(registrar.Course.objects.filter(enrollment__student=student).order_by("id")),
            "<QuerySet [<Course: Course object (1)>, <Course: Course object (2)>]>",
        )
        self.assertEqual(
            list(registrar.Course.objects.filter(enrollment__enrollment_date__gt="2025-06-11")),
            [registrar.Course.objects.get(id=1)],
        )
        # "simple M:M only", says the seed; since Django 2.2 remove() and clear() work through a
        # model too, deleting the Enrollment rows.
        course.students.remove(student)
        self.assertEqual(list(Enrollment.objects.values_list("pk", flat=True)), [2])
        registrar.Course.objects.get(id=1).students.clear()
        self.assertFalse(Enrollment.objects.exists())

    def test_add_through_a_model_with_a_required_column(self) -> None:
        student = registrar.Student.objects.get(id=1)
        course = registrar.Course.objects.get(id=2)
        course.students.add(student, through_defaults={"enrollment_date": "2025-06-11"})
        self.assertEqual(
            list(registrar.Enrollment.objects.values_list("enrollment_date", flat=True)),
            [datetime.date(2025, 6, 11)],
        )


class RelatedNameTests(TransactionTestCase):
    reset_sequences = True

    def test_enrolled_courses(self) -> None:
        student = advising.Student.objects.create(name="Ada")
        course = advising.Course.objects.create(title="Algebra")
        course.students.add(student)
        self.assertEqual(
            repr(student.enrolled_courses.all()), "<QuerySet [<Course: Course object (1)>]>"
        )
        self.assertFalse(hasattr(student, "course_set"))
        self.assertEqual(list(advising.Course.objects.filter(students=student)), [course])
