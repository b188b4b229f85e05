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
from tether.test import guards

__all__ = [
    "create_missing_tables",
    "ensure_test_databases",
    "flush_databases",
    "is_set_up",
    "mirrors",
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
    # The alias whose test database this one uses (settings.test_mirrors, Django's
    # TEST["MIRROR"]): a replica's alias reads the primary's test database, and the test
    # machinery (tables, flushes, transactions) leaves it to the primary's alias.
    mirror_of: str | None = None
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


def _identity(db: DatabaseSettings, alias: str = "") -> tuple[Any, ...]:
    """Which configured database this is; two in-memory SQLite aliases are two databases."""
    return (db.vendor, db.host, db.port, db.name, alias if db.name == ":memory:" else "")


def setup_test_databases(keepdb: bool = False, aliases: Iterable[str] | None = None) -> None:
    """Create a test database for every alias of `aliases` (default: every configured one)
    that has none yet, and the schema of every registered model in it. A mirror alias
    (settings.test_mirrors) gets no database of its own: it points at its primary's."""
    with _lock:
        if not _databases:
            run_system_checks()
        wanted = list(aliases) if aliases is not None else list(settings.databases)
        mirrors = dict(settings.test_mirrors)
        # A mirror's primary first: the mirror points at the database the primary gets.
        wanted = [mirrors[a] for a in wanted if a in mirrors] + wanted
        try:
            for alias in dict.fromkeys(wanted):
                if alias not in _databases:
                    _setup_one(alias, mirrors.get(alias), keepdb)
            create_missing_tables()
        except BaseException:
            teardown_test_databases()
            raise


def _setup_one(alias: str, mirror_of: str | None, keepdb: bool) -> None:
    original = connections.settings_for(alias)
    if mirror_of is not None:
        if mirror_of not in _databases:
            _setup_one(mirror_of, None, keepdb)
        test = _databases[mirror_of].test
        _databases[alias] = _TestDatabase(alias, original, test, False, keepdb, mirror_of)
        connections.override(alias, test)
        return
    key = _identity(original, alias)
    shared = [d for d in _databases.values() if _identity(d.original, d.alias) == key]
    owner = not shared
    test = shared[0].test if shared else connections[alias].creation.create_test_db(keepdb=keepdb)
    if _identity(test, alias) == key:
        raise RuntimeError(f"The test database for {alias!r} is the configured database itself.")
    _databases[alias] = _TestDatabase(alias, original, test, owner, keepdb)
    connections.override(alias, test)


def mirrors() -> set[str]:
    """The aliases set up as mirrors of another's test database."""
    return {alias for alias, database in _databases.items() if database.mirror_of}


def run_system_checks() -> None:
    """Run the system checks before any test database exists; stop on errors (Django's
    test runner does the same). Warnings are printed and the run goes on."""
    from tether.checks import check_or_raise

    check_or_raise()


# Set by the pytest plugin's --reuse-db: test cases (which call ensure_test_databases()
# without arguments) then keep the test databases too.
default_keepdb = False


def ensure_test_databases(keepdb: bool = False, aliases: Iterable[str] | None = None) -> None:
    """Set up the test databases of `aliases` (default: every configured alias) that are not
    yet, as Django creates those the tests use; tear them down at interpreter exit."""
    global _atexit_registered
    wanted = list(aliases) if aliases is not None else list(settings.databases)
    with _lock:
        if all(alias in _databases for alias in wanted):
            return
        setup_test_databases(keepdb=keepdb or default_keepdb, aliases=wanted)
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
    """Create the tables of registered models that the test databases do not have yet (on
    every test database, whatever aliases the running test declared)."""
    with _lock, guards.suspended():
        wanted = [
            m
            for m in (models if models is not None else _registered_models())
            if not m._meta.auto_created and getattr(m._meta, "managed", True) and not m._meta.proxy
        ]
        for database in _databases.values():
            if database.mirror_of or not database.owner:
                continue  # the same database as another alias's: its tables are made there
            conn = connections[database.alias]
            # A model that needs what the backend lacks (Meta.required_db_features) gets no
            # table there, as Django's migrate leaves it out.
            missing = [
                m
                for m in wanted
                if m not in database.models
                and all(getattr(conn.features, f, False) for f in m._meta.required_db_features)
            ]
            if not missing:
                continue
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
    with guards.suspended():
        for alias in aliases:
            _flush_one(alias, reset_sequences)


def _flush_one(alias: str, reset_sequences: bool) -> None:
    database = _databases.get(alias)
    if database is None or not database.tables or database.mirror_of:
        return
    conn = connections[alias]
    # Tables created last may reference earlier ones: empty them first.
    tables = list(reversed(database.tables))
    statements = conn.ops.sql_flush(tables, reset_sequences=reset_sequences)
    if not statements:
        return
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
