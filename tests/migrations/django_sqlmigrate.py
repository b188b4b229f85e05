"""The sqlmigrate half of the differential test against Django 5.2: once both tools'
makemigrations wrote the same files (test_django_differential), each tool's sqlmigrate prints
the SQL of every migration on the backend under test. The
two scripts are run, each on an empty schema of its own, and must build the same schema:
tables, columns (type, null, default), indexes and constraints with their names. Equal schemas
rather than equal text (and column order aside): where Django rebuilds a SQLite table that
needs no rebuild (adding a many-to-many field, changing a default), tether writes nothing."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tests.migrations.project import database_url
from tests.migrations.test_django_differential import ROOT

from tether.db import connection

# Run in one subprocess per tool: each migration's sqlmigrate, then migrate to it (sqlmigrate
# reads the database, e.g. for the name of a unique_together index to drop), then back to zero.
DRIVER = """
import contextlib, io, sys
kind, names = sys.argv[1], sys.argv[2:]
if kind == "django":
    import django
    import pymysql
    # Django's MySQL backend imports MySQLdb (mysqlclient, which cannot be built here);
    # PyMySQL stands in for it, its reported version (2.x) passes Django's check.
    pymysql.install_as_MySQLdb()
    from django.core.management import call_command
    django.setup()
    def run(*argv):
        call_command(*argv, verbosity=0)
else:
    from tether.cli.main import main
    def run(*argv):
        assert main(list(argv)) == 0, argv
try:
    for name in names:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            run("sqlmigrate", "zoo", name)
        print(out.getvalue())
        with contextlib.redirect_stdout(io.StringIO()):
            run("migrate", "zoo", name)
finally:
    with contextlib.redirect_stdout(io.StringIO()):
        run("migrate", "zoo", "zero")
"""


def _django_databases(url: str, folder: Path) -> str:
    if url.startswith("sqlite"):
        name = str(folder / "django.sqlite3")
        return repr({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": name}})
    parts = urlparse(url)
    engine = "postgresql" if url.startswith("postgres") else "mysql"
    settings = {
        "ENGINE": f"django.db.backends.{engine}",
        "NAME": parts.path.lstrip("/"),
        "USER": parts.username or "",
        "PASSWORD": parts.password or "",
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }
    return repr({"default": settings})


def _sqlmigrate(folder: Path, kind: str, url: str) -> str:
    """Every migration's SQL, in order, as the tool prints it."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(folder)])
    if kind == "django":
        settings = (folder / "settings.py").read_text()
        marker = "DATABASES = "
        head, _, tail = settings.partition(marker)
        tail = tail[tail.index("}}") + 2 :]
        databases = _django_databases(url, folder)
        (folder / "settings.py").write_text(f"{head}{marker}{databases}{tail}")
        env["DJANGO_SETTINGS_MODULE"] = "settings"
    else:
        own_file = f"sqlite:///{folder / 'tether.sqlite3'}"
        env["DATABASE_URL"] = own_file if url.startswith("sqlite") else url
    names = sorted(path.stem[:4] for path in (folder / "zoo" / "migrations").glob("0*.py"))
    argv = [sys.executable, "-c", DRIVER, kind, *names]
    result = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _sqlite_schema(script: str) -> Any:
    db = sqlite3.connect(":memory:")
    db.executescript(script)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    schema = {}
    for table in sorted(tables):
        # Columns by name: where Django's rebuild of a SQLite table moves a column, the
        # schema is the same.
        columns = sorted(r[1:] for r in db.execute(f'PRAGMA table_info("{table}")'))
        keys = db.execute(f'PRAGMA foreign_key_list("{table}")').fetchall()
        indexes = []
        for _, name, unique, origin, partial in db.execute(f'PRAGMA index_list("{table}")'):
            cols = [r[2] for r in db.execute(f'PRAGMA index_info("{name}")')]
            sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
            where = sql[0].partition(" WHERE ")[2] if sql and sql[0] else ""
            # SQLite's own index names, and the hashed names of field indexes: where Django
            # rebuilds a table for a renamed foreign key, its index gets the new column's
            # name; tether's RENAME COLUMN keeps the index and its name.
            auto = name.startswith("sqlite_autoindex") or re.search(r"_[0-9a-f]{8}$", name)
            indexes.append(("" if auto else name, unique, origin, partial, cols, where))
        table_sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        checks = sorted(part.strip() for part in table_sql[0].split("CHECK")[1:])
        schema[table] = (columns, sorted(k[2:5] for k in keys), sorted(indexes), checks)
    return schema


def _postgresql_schema(url: str, script: str, schema: str) -> Any:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        db.execute(f'CREATE SCHEMA "{schema}"')
        try:
            db.execute(f'SET search_path TO "{schema}"')
            db.execute(script.encode())
            columns = db.execute(
                "SELECT table_name, column_name, data_type, character_maximum_length,"
                " is_nullable, column_default, is_identity FROM information_schema.columns"
                " WHERE table_schema = %s ORDER BY table_name, ordinal_position",
                (schema,),
            ).fetchall()
            constraints = db.execute(
                "SELECT c.conrelid::regclass::text, c.conname, c.contype,"
                " pg_get_constraintdef(c.oid) FROM pg_constraint c"
                " JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = %s"
                " ORDER BY 1, 2",
                (schema,),
            ).fetchall()
            indexes = db.execute(
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s"
                " ORDER BY 1, 2",
                (schema,),
            ).fetchall()
        finally:
            db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def local(value: Any) -> str:
        return str(value).replace(f'"{schema}".', "").replace(f"{schema}.", "")

    # Django's extra varchar_pattern_ops index of an indexed CharField, which tether does not
    # make (docs/differences-from-django.md, "Schema editor").
    indexes = [row for row in indexes if not row[1].endswith("_like")]
    return [[tuple(map(local, row)) for row in rows] for rows in (columns, constraints, indexes)]


def _mariadb_schema(url: str, script: str, schema: str) -> Any:
    """The schema `script` builds in a database of its own (MariaDB's schema), read from
    information_schema."""
    import pymysql
    from pymysql.constants import CLIENT

    parts = urlparse(url)
    db = pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=parts.username or "root",
        password=parts.password or "",
        client_flag=CLIENT.MULTI_STATEMENTS,
        autocommit=True,
    )
    try:
        with db.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{schema}`")
            cursor.execute(f"CREATE DATABASE `{schema}`")
            try:
                cursor.execute(f"USE `{schema}`")
                cursor.execute(script)
                while cursor.nextset():
                    pass
                return {name: _mariadb_rows(cursor, sql, schema) for name, sql in MARIADB_SCHEMA}
            finally:
                cursor.execute(f"DROP DATABASE IF EXISTS `{schema}`")
    finally:
        db.close()


def _mariadb_rows(cursor: Any, sql: str, schema: str) -> list[tuple[Any, ...]]:
    cursor.execute(sql, (schema,))
    return sorted(cursor.fetchall(), key=repr)


# What the comparison reads of a MariaDB schema, each query filtered on the schema's name.
MARIADB_SCHEMA = [
    (
        "columns",
        "SELECT table_name, column_name, column_type, is_nullable, column_default, extra,"
        " column_key, collation_name FROM information_schema.columns WHERE table_schema = %s",
    ),
    (
        "indexes",
        "SELECT table_name, index_name, non_unique, seq_in_index, column_name, sub_part"
        " FROM information_schema.statistics WHERE table_schema = %s",
    ),
    (
        "constraints",
        "SELECT table_name, constraint_name, constraint_type"
        " FROM information_schema.table_constraints WHERE constraint_schema = %s",
    ),
    (
        "keys",
        "SELECT table_name, constraint_name, column_name, ordinal_position,"
        " referenced_table_name, referenced_column_name"
        " FROM information_schema.key_column_usage WHERE constraint_schema = %s",
    ),
    (
        "checks",
        "SELECT table_name, constraint_name, check_clause"
        " FROM information_schema.check_constraints WHERE constraint_schema = %s",
    ),
]


def assert_same_schema(tmp_path: Path) -> None:
    """Run both tools' sqlmigrate on the projects `_make` left in tmp_path/<tool>."""
    url = database_url(tmp_path)
    scripts = {kind: _sqlmigrate(tmp_path / kind, kind, url) for kind in ("tether", "django")}
    if connection.vendor == "sqlite":
        schemas = {kind: _sqlite_schema(script) for kind, script in scripts.items()}
    elif connection.vendor == "mysql":
        schemas = {kind: _mariadb_schema(url, s, f"sqlm_{kind}") for kind, s in scripts.items()}
    else:
        schemas = {kind: _postgresql_schema(url, s, f"sqlm_{kind}") for kind, s in scripts.items()}
    assert schemas["tether"] == schemas["django"], scripts
