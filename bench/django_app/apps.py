"""AppConfig so that the module path django_app carries the label benchapp."""

from django.apps import AppConfig


class BenchAppConfig(AppConfig):
    name = "django_app"
    label = "benchapp"
    default_auto_field = "django.db.models.AutoField"
