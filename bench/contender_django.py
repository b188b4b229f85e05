"""The Django contender (a bench-only dependency): settings configured in-process, the model in
django_app/models.py, the table created by Django's own schema editor."""

from __future__ import annotations

from common import Target

_ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "postgresql": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
}


def _database(target: Target, sqlite_path: str) -> dict:
    engine = _ENGINES[target.vendor]
    if target.vendor == "sqlite":
        # The same file settings as tether's SQLite connections: WAL, synchronous NORMAL.
        init = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"
        return {"ENGINE": engine, "NAME": sqlite_path, "OPTIONS": {"init_command": init}}
    options = {"charset": "utf8mb4"} if target.vendor == "mysql" else {}
    return {"ENGINE": engine, "NAME": target.name, "USER": target.user,
            "PASSWORD": target.password, "HOST": target.host,
            "PORT": str(target.port or ""), "OPTIONS": options}


class Contender:
    name = "django"
    _configured = False

    def __init__(self, target: Target) -> None:
        self.target = target

    def setup(self, sqlite_path: str) -> None:
        import django
        from django.conf import settings

        database = _database(self.target, sqlite_path)
        if not Contender._configured:
            settings.configure(
                DEBUG=False, USE_TZ=True, TIME_ZONE="UTC",
                INSTALLED_APPS=["django_app.apps.BenchAppConfig"],
                DATABASES={"default": database},
                DEFAULT_AUTO_FIELD="django.db.models.AutoField",
            )
            django.setup()
            Contender._configured = True
        from django.db import connection

        connection.close()
        connection.settings_dict.update(database)
        from django_app.models import Item

        self.Item = Item
        with connection.schema_editor() as editor:
            editor.create_model(Item)

    def teardown(self) -> None:
        from django.db import connection

        connection.close()

    # ---- workloads (the timed bodies) ----------------------------------------------------

    def create(self, values: list) -> list:
        from django.db import transaction

        create = self.Item.objects.create
        with transaction.atomic():
            return [create(name=n, number=k, created=c) for n, k, c in values]

    def bulk(self, values: list) -> list:
        Item = self.Item
        return Item.objects.bulk_create([Item(name=n, number=k, created=c) for n, k, c in values])

    def materialize(self) -> list:
        return list(self.Item.objects.filter(number__gte=0).order_by("id"))

    def get(self, ids: list[int]) -> list:
        get = self.Item.objects.get
        return [get(pk=i) for i in ids]
