"""Seed 000: a Russian tutorial on Student and Course (the relation declared on Student).

The seed prints no results; the expected ones are Django 5.2's. Its models have no __str__, so
Django prints "<Course: Course object (1)>"-style reprs: the ids are literal, hence the reset
sequences.
"""

from tether.test import TransactionTestCase

from .classroom.models import Course, Student


class RussianTutorialTests(TransactionTestCase):
    reset_sequences = True

    def test_forward_side(self) -> None:
        tom = Student.objects.create(name="Tom")
        algebra = tom.courses.create(name="Algebra")
        self.assertEqual(repr(algebra), "<Course: Course object (1)>")
        courses = Student.objects.get(name="Tom").courses.all()
        self.assertEqual(repr(courses), "<QuerySet [<Course: Course object (1)>]>")
        students = Student.objects.filter(courses__name="Algebra")
        self.assertEqual(repr(students), "<QuerySet [<Student: Student object (1)>]>")
        self.assertEqual([s.name for s in students], ["Tom"])
        self.assertEqual(list(Student.objects.filter(courses__id=algebra.id)), [tom])

    def test_reverse_side_with_set(self) -> None:
        python = Course.objects.create(name="Python")
        bob = python.student_set.create(name="Bob")
        sam = Student(name="Sam")
        sam.save()
        python.student_set.add(sam)
        students = python.student_set.all().order_by("id")  # no Meta.ordering
        self.assertEqual(
            repr(students),
            "<QuerySet [<Student: Student object (1)>, <Student: Student object (2)>]>",
        )
        self.assertEqual(python.student_set.count(), 2)
        python.student_set.remove(sam)
        self.assertEqual(list(python.student_set.all()), [bob])
        self.assertEqual(list(sam.courses.all()), [])
        python.student_set.clear()
        self.assertEqual(repr(python.student_set.all()), "<QuerySet []>")
        self.assertEqual(python.student_set.count(), 0)
        # clear() removes links only: the students themselves stay.
        self.assertEqual(Student.objects.count(), 2)
