"""Seed 003, option 2: Course.students through Enrollment, which records an enrollment date."""

from tether import models


class Student(models.Model):
    name = models.CharField(max_length=100)


class Course(models.Model):
    title = models.CharField(max_length=100)
    students = models.ManyToManyField("Student", through="Enrollment")


class Enrollment(models.Model):
    student = models.ForeignKey("Student", on_delete=models.CASCADE)
    course = models.ForeignKey("Course", on_delete=models.CASCADE)
    enrollment_date = models.DateField()
