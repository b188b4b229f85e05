"""Seed 000's models as written there (no __str__, so reprs are "Course object (1)")."""

from tether import models


class Course(models.Model):
    name = models.CharField(max_length=30)


class Student(models.Model):
    name = models.CharField(max_length=30)
    courses = models.ManyToManyField(Course)
