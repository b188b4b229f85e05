"""The test database life cycle: create, fill with the schema, flush, destroy.

`setup_test_databases()` creates a test database for every configured alias (a temporary file
for SQLite, `test_<name>` on a server), points the alias at it with `connections.override`, and
creates the table of every registered model. Models registered later (a test module imported
after setup) get their tables from `create_missing_tables()`, which test cases call before use.
`ensure_test_databases()` does the setup once per process and registers the teardown with
atexit, so `python -m unittest` works without a runner; the pytest plugin tears down at the end
of the session. This module knows nothing about test cases.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import tether.apps
from tether.conf import DatabaseSettings, settings
from tether.db.connections import connections
from tether.db.core.requests import ROWCOUNT, Execute
from tether.db.core.run import run_plan
from tether.db.transaction import atomic

__all__ = [
    "create_missing_tables",
    "ensure_test_databases",
    "flush_databases",
    "is_set_up",
    "setup_test_databases",
    "teardown_test_databases",
    "test_database_settings",
]


@dataclass
class _TestDatabase:
    alias: str
    original: DatabaseSettings
    test: DatabaseSettings
    owner: bool  # False when another alias already created this same database
    keepdb: bool
    models: set[Any] = field(default_factory=set)  # models whose tables exist here
    tables: list[str] = field(default_factory=list)  # every table created, flush order


_lock = threading.RLock()
_databases: dict[str, _TestDatabase] = {}
_atexit_registered = False


def is_set_up() -> bool:
    """Whether the test databases exist (and the aliases point at them)."""
    return bool(_databases)


def test_database_settings(alias: str) -> DatabaseSettings | None:
    """The settings of `alias`'s test database, or None before setup."""
    database = _databases.get(alias)
    return database.test if database else None


def _identity(db: DatabaseSettings) -> tuple[Any, ...]:
    return (db.vendor, db.host, db.port, db.name)


def setup_test_databases(keepdb: bool = False, aliases: Iterable[str] | None = None) -> None:
    """Create a test database for every alias and the schema of every registered model."""
    with _lock:
        if _databases:
            return
        run_system_checks()
        created: dict[tuple[Any, ...], DatabaseSettings] = {}
        try:
            for alias in aliases if aliases is not None else list(settings.databases):
                original = connections.settings_for(alias)
                key = _identity(original)
                owner = key not in created
                if owner:
                    creation = connections[alias].creation
                    created[key] = creation.create_test_db(keepdb=keepdb)
                test = created[key]
                if _identity(test) == key:
                    raise RuntimeError(
                        f"The test database for {alias!r} is the configured database itself."
                    )
                _databases[alias] = _TestDatabase(alias, original, test, owner, keepdb)
                connections.override(alias, test)
            create_missing_tables()
        except BaseException:
            teardown_test_databases()
            raise


def run_system_checks() -> None:
    """Run the system checks before any test database exists; stop on errors (Django's
    test runner does the same). Warnings are printed and the run goes on."""
    from tether.checks import check_or_raise

    check_or_raise()


# Set by the pytest plugin's --reuse-db: test cases (which call ensure_test_databases()
# without arguments) then keep the test databases too.
default_keepdb = False


def ensure_test_databases(keepdb: bool = False) -> None:
    """Set the test databases up once per process; tear them down at interpreter exit."""
    global _atexit_registered
    with _lock:
        if _databases:
            return
        setup_test_databases(keepdb=keepdb or default_keepdb)
        if not _atexit_registered:
            atexit.register(teardown_test_databases)
            _atexit_registered = True


def _registered_models() -> list[Any]:
    # Read the attribute each time: isolate_apps swaps the registry for a while.
    return list(tether.apps.apps.get_models())


def _tables_of(model: Any) -> list[str]:
    tables = [model._meta.db_table]
    for m2m in getattr(model._meta, "local_many_to_many", ()):
        through = m2m.remote_field.through
        if getattr(through, "_meta", None) is not None and through._meta.auto_created:
            tables.append(through._meta.db_table)
    return tables


def create_missing_tables(models: Sequence[Any] | None = None) -> None:
    """Create the tables of registered models that the test databases do not have yet."""
    with _lock:
        wanted = [
            m
            for m in (models if models is not None else _registered_models())
            if not m._meta.auto_created and getattr(m._meta, "managed", True) and not m._meta.proxy
        ]
        for database in _databases.values():
            missing = [m for m in wanted if m not in database.models]
            if not missing:
                continue
            conn = connections[database.alias]
            if database.keepdb:
                missing = _skip_kept_tables(conn, database, missing)
                if not missing:
                    continue
            with conn.schema_editor() as editor:
                for model in missing:
                    editor.create_model(model)
            for model in missing:
                database.models.add(model)
                for table in _tables_of(model):
                    if table not in database.tables:
                        database.tables.append(table)
            from tether.models.signals import emit_post_migrate

            emit_post_migrate(database.alias)


def _skip_kept_tables(conn: Any, database: _TestDatabase, models: list[Any]) -> list[Any]:
    """--reuse-db: models whose table the kept database already has count as created."""
    existing = {name.lower() for name in conn.introspection.table_names()}
    missing = []
    for model in models:
        if model._meta.db_table.lower() in existing:
            database.models.add(model)
            for table in _tables_of(model):
                if table not in database.tables:
                    database.tables.append(table)
        else:
            missing.append(model)
    return missing


def flush_databases(aliases: Iterable[str], reset_sequences: bool = False) -> None:
    """Empty every table the test databases of `aliases` hold (and reset sequences)."""
    for alias in aliases:
        database = _databases.get(alias)
        if database is None or not database.tables:
            continue
        conn = connections[alias]
        # Tables created last may reference earlier ones: empty them first.
        tables = list(reversed(database.tables))
        statements = conn.ops.sql_flush(tables, reset_sequences=reset_sequences)
        if not statements:
            continue
        with atomic(alias, savepoint=conn.features.can_rollback_ddl):
            for sql in statements:
                run_plan(_execute(conn.ops.to_driver_sql(sql)), conn)
        from tether.models.signals import emit_post_migrate

        emit_post_migrate(alias)


def _execute(sql: str) -> Any:
    return (yield Execute(sql, (), ROWCOUNT))


def teardown_test_databases() -> None:
    """Point every alias back at its configured database and destroy the test databases."""
    with _lock:
        databases = list(_databases.values())
        _databases.clear()
        connections.close_all()
        for database in databases:
            connections.override(database.alias, None)
        errors: list[BaseException] = []
        for database in databases:
            if not database.owner:
                continue
            try:
                connections[database.alias].creation.destroy_test_db(
                    database.test, keepdb=database.keepdb
                )
            except Exception as exc:  # destroy the others anyway
                errors.append(exc)
        connections.close_all()
        if errors:
            raise errors[0]
