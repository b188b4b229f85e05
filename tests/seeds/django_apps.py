"""Django 5.2 twins of the seed tours' models, for differential tests (test-only).

`django_models()` configures Django once per process (in-memory SQLite, no installed apps; it
reuses a configuration another differential test already made) and returns the models of the
`press`, `school` and `registrar` apps by app label, declared as tether's seed apps declare them
so that every repr, message and delete count can be compared as printed.
"""

from __future__ import annotations

import os
import types
from functools import cache
from typing import Any


def configure_django() -> None:
    """Configure and set up Django for in-process use, unless already done."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
            INSTALLED_APPS=[],
            USE_TZ=True,
            TIME_ZONE="UTC",
        )
        django.setup()


def install_app(label: str) -> None:
    """Register an app config for `label` in Django's registry (test-only, in memory).

    Django computes reverse relations only over installed apps' models, so a model of an app
    that is not installed has no `article_set` or `article__...` lookups. This adds a minimal
    app config without importing a package, which settings.configure() would need.
    """
    from django.apps import AppConfig, apps

    if label in apps.app_configs:
        return
    module = types.ModuleType(f"django_twin_{label}")
    module.__file__ = __file__
    config_class = type(
        f"{label.title()}Config", (AppConfig,), {"label": label, "path": os.path.dirname(__file__)}
    )
    config = config_class(module.__name__, module)
    config.apps = apps
    config.models = apps.all_models[label]
    apps.app_configs[label] = config
    apps.clear_cache()


@cache
def django_models() -> dict[str, dict[str, Any]]:
    """{app_label: {model name: Django model class}} for the three seed apps."""
    configure_django()
    from django.db import models

    for label in ("press", "school", "registrar"):
        install_app(label)

    class Publication(models.Model):
        title = models.CharField(max_length=30)

        class Meta:
            app_label = "press"
            ordering = ["title"]

        def __str__(self) -> str:
            return self.title

    class Article(models.Model):
        headline = models.CharField(max_length=100)
        publications = models.ManyToManyField(Publication)

        class Meta:
            app_label = "press"
            ordering = ["headline"]

        def __str__(self) -> str:
            return self.headline

    press = {"Publication": Publication, "Article": Article}

    class Course(models.Model):
        name = models.CharField(max_length=30)

        class Meta:
            app_label = "school"
            ordering = ["name"]

        def __str__(self) -> str:
            return self.name

    class Student(models.Model):
        name = models.CharField(max_length=30)
        courses = models.ManyToManyField(Course)

        class Meta:
            app_label = "school"
            ordering = ["name"]

        def __str__(self) -> str:
            return self.name

    school = {"Course": Course, "Student": Student}
    return {"press": press, "school": school, "registrar": _registrar()}


def _registrar() -> dict[str, Any]:
    from django.db import models

    class Student(models.Model):
        name = models.CharField(max_length=100)

        class Meta:
            app_label = "registrar"
            ordering = ["name"]

        def __str__(self) -> str:
            return self.name

    class Course(models.Model):
        title = models.CharField(max_length=100)
        students = models.ManyToManyField(
            "Student", through="Enrollment", related_name="enrolled_courses"
        )

        class Meta:
            app_label = "registrar"
            ordering = ["title"]

        def __str__(self) -> str:
            return self.title

    class Enrollment(models.Model):
        student = models.ForeignKey("Student", on_delete=models.CASCADE)
        course = models.ForeignKey("Course", on_delete=models.CASCADE)
        enrollment_date = models.DateField()

        class Meta:
            app_label = "registrar"
            ordering = ["enrollment_date", "id"]

        def __str__(self) -> str:
            return f"{self.student} in {self.course} since {self.enrollment_date}"

    return {"Student": Student, "Course": Course, "Enrollment": Enrollment}
