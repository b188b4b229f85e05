"""Django 5.2's side of the blog (test-only, in-process, in-memory SQLite).

Configures Django once per process (reusing a configuration another differential test made),
registers a minimal app config for the twins' label so that reverse relations exist, creates
the tables and returns the namespace the scenarios run against.
"""

from __future__ import annotations

import os
import types
from functools import cache

from .schema import define

LABEL = "diffblog_twin"


def configure_django() -> None:
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
    from django.apps import AppConfig, apps

    if label in apps.app_configs:
        return
    module = types.ModuleType(f"django_twin_{label}")
    module.__file__ = __file__
    attrs = {"label": label, "path": os.path.dirname(__file__)}
    config = type("BlogTwinConfig", (AppConfig,), attrs)(module.__name__, module)
    config.apps = apps
    config.models = apps.all_models[label]
    apps.app_configs[label] = config
    apps.clear_cache()


@cache
def django_namespace() -> types.SimpleNamespace:
    configure_django()
    install_app(LABEL)
    from django.core import exceptions
    from django.db import connection, models, transaction
    from django.db.models import Prefetch

    built = define(models, LABEL)
    with connection.schema_editor() as editor:
        for model in built.values():
            editor.create_model(model)
    return types.SimpleNamespace(
        **built,
        models=models,
        transaction=transaction,
        exceptions=exceptions,
        Prefetch=Prefetch,
        connection=connection,
        side="django",
    )
