"""The migration framework's exceptions, named and worded as django.db.migrations.exceptions."""

from __future__ import annotations

from typing import Any

from tether.db.errors import DatabaseError


class AmbiguityError(Exception):
    """More than one migration matches a name prefix."""


class BadMigrationError(Exception):
    """A migration module has no Migration class."""


class CircularDependencyError(Exception):
    """Migrations depend on each other in a circle."""


class InconsistentMigrationHistory(Exception):
    """A migration is applied while one of its dependencies is not."""


class InvalidBasesError(ValueError):
    """A model's bases cannot be resolved in the migration state."""


class IrreversibleError(RuntimeError):
    """An operation cannot be reversed."""


class NodeNotFoundError(LookupError):
    """A migration names a dependency that does not exist."""

    def __init__(self, message: str, node: Any, origin: Any = None) -> None:
        self.message = message
        self.origin = origin
        self.node = node

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"NodeNotFoundError({self.node!r})"


class MigrationSchemaMissing(DatabaseError):
    """The django_migrations table cannot be created."""


class InvalidMigrationPlan(ValueError):
    """A plan mixes forwards and backwards migrations."""


class ExternalAppDependency(NodeNotFoundError):
    """A migration depends on an app tether does not have (Django's auth, admin, sessions or
    settings.AUTH_USER_MODEL), and the app is not declared external."""
