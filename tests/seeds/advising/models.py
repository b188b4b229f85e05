"""Seed 003's last variant: the reverse accessor renamed with related_name."""

from tether import models


class Student(models.Model):
    name = models.CharField(max_length=100)


class Course(models.Model):
    title = models.CharField(max_length=100)
    students = models.ManyToManyField(Student, related_name="enrolled_courses")
