"""Seed 000's Course and Student: the relation is declared on Student."""

from tether import models
from tether.apps import swapped_registry
from tether.cli.seed_apps import registry

with swapped_registry(registry):

    class Course(models.Model):
        name = models.CharField(max_length=30)

        class Meta:
            app_label = "school"
            ordering = ["name"]

        def __str__(self):  # untyped, as a Django user writes it
            return self.name

    class Student(models.Model):
        name = models.CharField(max_length=30)
        courses = models.ManyToManyField(Course)

        class Meta:
            app_label = "school"
            ordering = ["name"]

        def __str__(self):  # untyped, as a Django user writes it
            return self.name


__all__ = ["Course", "Student"]
