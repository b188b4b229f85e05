"""Seed 003's Student and Course, linked through Enrollment (which records a date)."""

from tether import models
from tether.apps import swapped_registry
from tether.cli.seed_apps import registry

with swapped_registry(registry):

    class Student(models.Model):
        name = models.CharField(max_length=100)

        class Meta:
            app_label = "registrar"
            ordering = ["name"]

        def __str__(self):  # untyped, as a Django user writes it
            return self.name

    class Course(models.Model):
        title = models.CharField(max_length=100)
        students = models.ManyToManyField(
            "Student", through="Enrollment", related_name="enrolled_courses"
        )

        class Meta:
            app_label = "registrar"
            ordering = ["title"]

        def __str__(self):  # untyped, as a Django user writes it
            return self.title

    class Enrollment(models.Model):
        student = models.ForeignKey("Student", on_delete=models.CASCADE)
        course = models.ForeignKey("Course", on_delete=models.CASCADE)
        enrollment_date = models.DateField()

        class Meta:
            app_label = "registrar"
            ordering = ["enrollment_date", "id"]

        def __str__(self):  # untyped, as a Django user writes it
            return f"{self.student} in {self.course} since {self.enrollment_date}"


__all__ = ["Course", "Enrollment", "Student"]
