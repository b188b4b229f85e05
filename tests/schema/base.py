"""Shared set-up for the schema editor tests: models made per test in an isolated registry,
tables created and dropped by the test itself, rows read back with plain SQL."""

from __future__ import annotations

from typing import Any

from tether import models
from tether.db import connection
from tether.test import TransactionTestCase
from tether.test.utils import isolate_apps


class SchemaTestCase(TransactionTestCase):
    def setUp(self) -> None:
        self._isolation = isolate_apps("schema")
        self._isolation.__enter__()
        self.tables: list[str] = []

    def tearDown(self) -> None:
        try:
            existing = set(connection.introspection.table_names())
            for table in reversed(self.tables):
                if table in existing:
                    with connection.schema_editor() as editor:
                        editor.execute(
                            editor.sql_delete_table % {"table": editor.quote_name(table)}
                        )
        finally:
            self._isolation.__exit__(None, None, None)

    # ---- helpers -------------------------------------------------------------------------

    def create(self, *model_classes: Any) -> None:
        with connection.schema_editor() as editor:
            for model in model_classes:
                editor.create_model(model)
                self.tables.append(model._meta.db_table)
                for field in model._meta.local_many_to_many:
                    self.tables.append(field.remote_field.through._meta.db_table)

    def rows(self, table: str, *columns: str, order_by: str = "id") -> list[tuple[Any, ...]]:
        ops = connection.ops
        names = ", ".join(ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {names} FROM {ops.quote_name(table)} ORDER BY {ops.quote_name(order_by)}"
            )
            return [tuple(row) for row in cursor.fetchall()]

    def columns(self, table: str) -> dict[str, Any]:
        return {
            info.name: info for info in connection.introspection.get_table_description(None, table)
        }

    def constraints(self, table: str) -> dict[str, dict[str, Any]]:
        return connection.introspection.get_constraints(None, table)  # type: ignore[no-any-return]

    def constraints_on(self, table: str, columns: list[str], **kinds: Any) -> list[str]:
        found = []
        for name, info in self.constraints(table).items():
            if info["columns"] != columns:
                continue
            if all(info[key] == value for key, value in kinds.items()):
                found.append(name)
        return found

    @staticmethod
    def field(field: Any, name: str) -> Any:
        """A field as Django's tests make one: unbound, named."""
        field.set_attributes_from_name(name)
        return field


def author_model(**extra: Any) -> Any:
    attrs = {
        "__module__": "tests.schema.models",
        "name": models.CharField(max_length=50),
        "age": models.IntegerField(null=True),
        **extra,
        "Meta": type("Meta", (), {"app_label": "schema"}),
    }
    return type("Author", (models.Model,), attrs)
