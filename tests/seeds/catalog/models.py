"""Seed 003, option 1: `Course.students = models.ManyToManyField(Student)`."""

from tether import models


class Student(models.Model):
    name = models.CharField(max_length=100)


class Course(models.Model):
    title = models.CharField(max_length=100)
    students = models.ManyToManyField(Student)
