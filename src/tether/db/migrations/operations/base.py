"""Operation: one step of a migration, as django.db.migrations.operations.base.

An operation changes the project state (state_forwards) and the database (database_forwards,
database_backwards, given the states before and after it). It remembers the arguments it was
built with, so the writer can print it back and the autodetector can compare it.
"""

from __future__ import annotations

import enum
from typing import Any

from tether.db.routers import router


class OperationCategory(enum.StrEnum):
    ADDITION = "+"
    REMOVAL = "-"
    ALTERATION = "~"
    PYTHON = "p"
    SQL = "s"
    MIXED = "?"


class Operation:
    # Can this operation be reversed?
    reversible = True
    # Can it be written as SQL (sqlmigrate)?
    reduces_to_sql = True
    # Must it run in its own transaction (RunPython(atomic=...), RunSQL(...))?
    atomic = False
    # Can the optimizer drop it when squashing?
    elidable = False
    # Arguments the writer puts one item per line.
    serialization_expand_args: list[str] = []
    category: OperationCategory | None = None
    _constructor_args: tuple[tuple[Any, ...], dict[str, Any]]

    def __new__(cls, *args: Any, **kwargs: Any) -> Operation:
        self = object.__new__(cls)
        self._constructor_args = (args, kwargs)
        return self

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """(class name, args, kwargs) this operation was built with."""
        return type(self).__name__, self._constructor_args[0], self._constructor_args[1]

    def state_forwards(self, app_label: str, state: Any) -> None:
        raise NotImplementedError("subclasses of Operation must provide a state_forwards() method")

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        raise NotImplementedError(
            "subclasses of Operation must provide a database_forwards() method"
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        raise NotImplementedError(
            "subclasses of Operation must provide a database_backwards() method"
        )

    def describe(self) -> str:
        return f"{type(self).__name__}: {self._constructor_args}"

    def formatted_description(self) -> str:
        """`describe()` behind the category symbol, as makemigrations prints it."""
        symbol = self.category.value if self.category else OperationCategory.MIXED.value
        return f"{symbol} {self.describe()}"

    @property
    def migration_name_fragment(self) -> str | None:
        """A piece of a migration's name suggested by this operation, or None."""
        return None

    def references_model(self, name: str, app_label: str) -> bool:
        """May this operation touch model `name` (lower-cased)? True unless known not."""
        return True

    def references_field(self, model_name: str, name: str, app_label: str) -> bool:
        return self.references_model(model_name, app_label)

    def allow_migrate_model(self, connection_alias: str, model: Any) -> bool:
        """Should the database of `connection_alias` get this model's tables?"""
        opts = model._meta
        if not opts.managed or opts.proxy or opts.swappable and getattr(opts, "swapped", None):
            return False
        from tether.db import connections

        connection = connections[connection_alias]
        vendor = opts.required_db_vendor
        if vendor and vendor != connection.vendor:
            return False
        features = connection.features
        if not all(getattr(features, feature, False) for feature in opts.required_db_features):
            return False
        return router.allow_migrate_model(connection_alias, model)

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        """What this operation and a later `operation` become together: a list of operations
        that replaces both, True if `operation` may move past this one, else False."""
        if self.elidable:
            return [operation]
        if operation.elidable:
            return [self]
        return False

    def __repr__(self) -> str:
        args, kwargs = self._constructor_args
        return "<{} {}{}>".format(
            type(self).__name__,
            ", ".join(map(repr, args)),
            ",".join(f" {k}={v!r}" for k, v in kwargs.items()),
        )
