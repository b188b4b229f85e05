"""Shared by every bench process: the data set, the database URL, fresh databases, and the
admin connection (a raw driver connection outside the timed code) used to seed and to verify.

Nothing here imports tether or Django, so a contender process loads only its own stack.
"""

from __future__ import annotations

import datetime
import os
import random
import tempfile
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

UTC = datetime.UTC
ROWS = 10_000  # rows created, bulk-created and materialized
GETS = 5_000  # get() by pk calls
SEED = 20250101  # the get workload's ids are random but fixed by this seed
TABLE = "bench_item"
BASE_TIME = datetime.datetime(2024, 1, 1, tzinfo=UTC)


def expected_rows(count: int = ROWS) -> list[tuple[int, str, int, datetime.datetime]]:
    """Row i (1-based): (id, name, number, created); created carries microseconds on purpose."""
    return [
        (
            i,
            f"item {i:05d}",
            (i * 7919) % 100_003,
            BASE_TIME + datetime.timedelta(seconds=i * 61, microseconds=(i * 7907) % 1_000_000),
        )
        for i in range(1, count + 1)
    ]


def input_values(count: int = ROWS) -> list[tuple[str, int, datetime.datetime]]:
    """The (name, number, created) values the create workloads insert, in id order."""
    return [row[1:] for row in expected_rows(count)]


def get_ids(count: int = GETS, rows: int = ROWS) -> list[int]:
    rng = random.Random(SEED)
    return [rng.randint(1, rows) for _ in range(count)]


@dataclass
class Target:
    """Where a contender runs: the vendor and what its drivers need to connect."""

    vendor: str  # sqlite | postgresql | mysql
    url: str
    name: str = ""
    user: str = ""
    password: str = ""
    host: str = ""
    port: int | None = None
    sqlite_dir: str = ""

    @classmethod
    def parse(cls, url: str) -> Target:
        scheme = url.split("://", 1)[0].lower()
        if scheme == "sqlite":
            return cls("sqlite", url)
        vendor = {"postgresql": "postgresql", "postgres": "postgresql",
                  "mysql": "mysql", "mariadb": "mysql"}.get(scheme)
        if vendor is None:
            raise SystemExit(f"unsupported database URL {url!r}")
        parts = urlsplit(url)
        return cls(vendor, url, unquote(parts.path.lstrip("/")), unquote(parts.username or ""),
                   unquote(parts.password or ""), parts.hostname or "", parts.port)

    def fresh_sqlite_path(self) -> str:
        """A new, empty database file in a new temporary directory."""
        folder = tempfile.mkdtemp(prefix="tether-bench-", dir=self.sqlite_dir or None)
        return os.path.join(folder, "bench.sqlite3")


# ---- the admin connection: seed, drop, read back (never timed) ----------------------------


def admin_connect(target: Target, sqlite_path: str = "") -> object:
    if target.vendor == "sqlite":
        import sqlite3

        conn = sqlite3.connect(sqlite_path, isolation_level=None, timeout=30.0)
        conn.execute("PRAGMA journal_mode = WAL")
        return conn
    if target.vendor == "postgresql":
        import psycopg

        conn = psycopg.connect(dbname=target.name, user=target.user or None,
                               password=target.password or None, host=target.host or None,
                               port=target.port, autocommit=True)
        conn.execute("SET TIME ZONE 'UTC'")
        return conn
    import pymysql

    return pymysql.connect(host=target.host or "localhost", port=target.port or 3306,
                           user=target.user or None, password=target.password,
                           database=target.name, autocommit=True, charset="utf8mb4")


def admin_execute(conn: object, sql: str, params: tuple = ()) -> list[tuple]:
    cursor = conn.cursor()  # type: ignore[attr-defined]
    cursor.execute(sql, params)
    rows = list(cursor.fetchall()) if cursor.description is not None else []
    cursor.close()
    return rows


def drop_table(target: Target) -> None:
    """Servers: the fresh database of a repeat is a dropped table (the contender recreates it)."""
    conn = admin_connect(target)
    try:
        admin_execute(conn, f"DROP TABLE IF EXISTS {quote(target, TABLE)}")
    finally:
        conn.close()  # type: ignore[attr-defined]


def quote(target: Target, name: str) -> str:
    return f"`{name}`" if target.vendor == "mysql" else f'"{name}"'


def seed(target: Target, sqlite_path: str = "") -> None:
    """Insert the expected rows (with their ids) through the raw driver, in one transaction."""
    conn = admin_connect(target, sqlite_path)
    mark = "?" if target.vendor == "sqlite" else "%s"
    columns = ", ".join(quote(target, c) for c in ("id", "name", "number", "created"))
    sql = f"INSERT INTO {quote(target, TABLE)} ({columns}) VALUES ({mark}, {mark}, {mark}, {mark})"
    rows = [(i, n, k, db_datetime(target, c)) for i, n, k, c in expected_rows()]
    try:
        cursor = conn.cursor()  # type: ignore[attr-defined]
        cursor.execute("BEGIN")
        cursor.executemany(sql, rows)
        cursor.execute("COMMIT")
        if target.vendor == "postgresql":  # explicit ids leave the identity sequence behind
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), {ROWS})")
        cursor.close()
    finally:
        conn.close()  # type: ignore[attr-defined]


def db_datetime(target: Target, value: datetime.datetime) -> object:
    """An aware UTC datetime as each driver stores it (tether's and Django's convention)."""
    if target.vendor == "sqlite":
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if target.vendor == "mysql":
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def py_datetime(target: Target, value: object) -> datetime.datetime:
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    assert isinstance(value, datetime.datetime), value
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def read_back(target: Target, sqlite_path: str = "") -> list[tuple]:
    """Every row of the table in id order, as (id, name, number, aware UTC created)."""
    conn = admin_connect(target, sqlite_path)
    try:
        columns = ", ".join(quote(target, c) for c in ("id", "name", "number", "created"))
        rows = admin_execute(conn, f"SELECT {columns} FROM {quote(target, TABLE)} ORDER BY 1")
    finally:
        conn.close()  # type: ignore[attr-defined]
    return [(i, n, k, py_datetime(target, c)) for i, n, k, c in rows]
