"""Apps tether does not have, declared external: their tables are managed elsewhere.

A Django project's migrations may depend on contrib apps (auth, admin, sessions, ...) or on
`settings.AUTH_USER_MODEL`. tether has no such apps: `configure(external_apps=["auth"])` (or
`external_apps = ["auth"]` under `[tool.tether]`) declares them external. Dependencies on an
external app are then satisfied without migrations, and a relation to one of its models is
rendered in the migration state as a stand-in (an unmanaged model with an integer key `id`), so
foreign keys to `auth.user` get their column. Without the declaration the loader stops with a
message that names the app and this setting.
"""

from __future__ import annotations

from typing import Any

from tether.conf import settings

# Django's contrib apps a Django project's migrations commonly depend on.
DJANGO_CONTRIB_APPS = frozenset(
    {"auth", "admin", "sessions", "contenttypes", "sites", "messages", "flatpages", "redirects"}
)


def external_apps() -> frozenset[str]:
    return frozenset(getattr(settings, "external_apps", ()) or ())


def missing_app_message(app_label: str, origin: Any) -> str:
    what = "Django's contrib app" if app_label in DJANGO_CONTRIB_APPS else "app"
    return (
        f"Migration {origin[0]}.{origin[1]} depends on {what} '{app_label}', which has no "
        f"migrations here. If its tables are managed elsewhere (by Django, or by hand), declare "
        f'it external: tether.configure(external_apps=["{app_label}"]) or, in pyproject.toml, '
        f'[tool.tether] external_apps = ["{app_label}"].'
    )


def add_stand_ins(apps: Any) -> None:
    """Render a stand-in for every pending relation target in an external app."""
    from tether.models import AutoField, Model

    wanted = external_apps()
    for app_label, model_name in apps.pending_references():
        if app_label not in wanted:
            continue
        meta = type(
            "Meta",
            (),
            {
                "app_label": app_label,
                "apps": apps,
                "managed": False,
                "db_table": f"{app_label}_{model_name}",
            },
        )
        attrs = {"id": AutoField(primary_key=True), "Meta": meta, "__module__": "__fake__"}
        type(model_name.capitalize(), (Model,), attrs)
