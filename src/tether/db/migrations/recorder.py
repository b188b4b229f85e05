"""MigrationRecorder: which migrations a database has applied, in Django's django_migrations
table (id, app, name, applied), so a database Django migrated continues under tether and back.

The row model lives in a registry of its own, never in the project's.
"""

from __future__ import annotations

from typing import Any

from tether.db.migrations.exceptions import MigrationSchemaMissing

_model: Any = None


def migration_model() -> Any:
    """The model of a django_migrations row (built once, on first use)."""
    global _model
    if _model is None:
        from tether.apps import Apps
        from tether.models import CharField, DateTimeField, Model
        from tether.utils.timezone import now

        class Migration(Model):
            app = CharField(max_length=255)
            name = CharField(max_length=255)
            applied = DateTimeField(default=now)

            class Meta:
                apps = Apps()
                app_label = "migrations"
                db_table = "django_migrations"

            def __str__(self) -> str:
                return f"Migration {self.name} for {self.app}"

        _model = Migration
    return _model


class MigrationRecorder:
    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self._has_table = False

    @property
    def Migration(self) -> Any:  # noqa: N802 - Django's attribute name
        return migration_model()

    @property
    def migration_qs(self) -> Any:
        return self.Migration.objects.using(self.connection.alias)

    def has_table(self) -> bool:
        if self._has_table:
            return True
        table = self.Migration._meta.db_table
        tables = {name.lower() for name in self.connection.introspection.table_names()}
        self._has_table = table in tables
        return self._has_table

    def ensure_schema(self) -> None:
        """Create django_migrations if the database does not have it yet."""
        if self.has_table():
            return
        from tether.db.errors import DatabaseError

        try:
            with self.connection.schema_editor() as editor:
                editor.create_model(self.Migration)
        except DatabaseError as exc:
            raise MigrationSchemaMissing(
                f"Unable to create the django_migrations table ({exc})"
            ) from exc
        self._has_table = True

    def applied_migrations(self) -> dict[tuple[str, str], Any]:
        """{(app, name): row} of every applied migration, empty without the table."""
        if not self.has_table():
            return {}
        return {(row.app, row.name): row for row in self.migration_qs.all()}

    def record_applied(self, app: str, name: str) -> None:
        self.ensure_schema()
        self.migration_qs.create(app=app, name=name)

    def record_unapplied(self, app: str, name: str) -> None:
        self.ensure_schema()
        self.migration_qs.filter(app=app, name=name).delete()

    def flush(self) -> None:
        self.migration_qs.all().delete()
