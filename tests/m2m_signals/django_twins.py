"""Django 5.2 twins of `models.py`, for the differential test (test-only, in-process).

`django_models()` configures Django once per process (in-memory SQLite, no installed apps; a
configuration another differential test made is reused), registers a minimal app config for
the twins' label (Django computes reverse relations only over installed apps), creates their
tables and returns them by name.
"""

from __future__ import annotations

import os
import types
from functools import cache
from typing import Any

LABEL = "m2m_signals_twin"


def _configure() -> None:
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


def _install_app(label: str) -> None:
    from django.apps import AppConfig, apps

    if label in apps.app_configs:
        return
    module = types.ModuleType(f"django_twin_{label}")
    module.__file__ = __file__
    attrs = {"label": label, "path": os.path.dirname(__file__)}
    config = type("TwinConfig", (AppConfig,), attrs)(module.__name__, module)
    config.apps = apps
    config.models = apps.all_models[label]
    apps.app_configs[label] = config
    apps.clear_cache()


@cache
def django_models() -> dict[str, Any]:
    _configure()
    _install_app(LABEL)
    from django.db import connection, models

    meta = {"app_label": LABEL}

    def model(name: str, fields: dict[str, Any], **options: Any) -> Any:
        attrs = {"__module__": __name__, "Meta": type("Meta", (), {**meta, **options}), **fields}
        if "name" in fields:
            attrs["__str__"] = lambda self: self.name
        return type(name, (models.Model,), attrs)

    part = model("Part", {"name": models.CharField(max_length=20)})
    car = model(
        "Car",
        {
            "name": models.CharField(max_length=20),
            "parts": models.ManyToManyField(part, related_name="cars"),
        },
    )
    person = model(
        "Person",
        {
            "name": models.CharField(max_length=20),
            "friends": models.ManyToManyField("self"),
            "pals": models.ManyToManyField("self", through="Friendship", symmetrical=True),
        },
    )
    friendship = model(
        "Friendship",
        {
            "first": models.ForeignKey(person, models.CASCADE, related_name="+"),
            "second": models.ForeignKey(person, models.CASCADE, related_name="+"),
            "since": models.IntegerField(default=2000),
        },
        unique_together=[("first", "second")],
    )
    member = model("Member", {"name": models.CharField(max_length=20)})
    club = model(
        "Club",
        {
            "name": models.CharField(max_length=20),
            "members": models.ManyToManyField(member, through="Membership", related_name="clubs"),
            "guests": models.ManyToManyField(member, through="Visit", related_name="visited"),
        },
    )
    membership = model(
        "Membership",
        {
            "member": models.ForeignKey(member, models.CASCADE),
            "club": models.ForeignKey(club, models.CASCADE),
            "role": models.CharField(max_length=10, default="member"),
        },
        constraints=[
            models.UniqueConstraint(fields=["member", "club"], name="twin_one_membership")
        ],
    )
    visit = model(
        "Visit",
        {
            "member": models.ForeignKey(member, models.CASCADE),
            "club": models.ForeignKey(club, models.CASCADE),
            "day": models.IntegerField(default=1),
        },
    )
    found = {
        "Part": part,
        "Car": car,
        "Person": person,
        "Friendship": friendship,
        "Member": member,
        "Club": club,
        "Membership": membership,
        "Visit": visit,
    }
    with connection.schema_editor() as editor:
        for cls in found.values():
            editor.create_model(cls)
    return found
