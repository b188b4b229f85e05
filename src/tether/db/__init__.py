"""`tether.db`: connections, transactions and the database exceptions (as `django.db`)."""

from tether.db import aliases, transaction
from tether.db.connections import (
    DEFAULT_DB_ALIAS,
    close_old_connections,
    connection,
    connections,
)
from tether.db.errors import (
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    TransactionManagementError,
)
from tether.db.routers import router

aliases.install()


def __getattr__(name: str) -> object:
    """`from tether.db import models, migrations`, as migration files write it."""
    if name in ("models", "migrations"):
        import importlib

        return importlib.import_module(f"tether.db.{name}")
    raise AttributeError(f"module 'tether.db' has no attribute {name!r}")


__all__ = [
    "DEFAULT_DB_ALIAS",
    "DataError",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "TransactionManagementError",
    "close_old_connections",
    "connection",
    "connections",
    "reset_queries",
    "router",
    "transaction",
]


def reset_queries(**kwargs: object) -> None:
    """Empty the query log of every connection of this thread or task (django.db's)."""
    for conn in connections.all():
        conn.queries_log.clear()
