"""The raw contender: the DB-API driver alone (sqlite3, psycopg or PyMySQL), connected as tether
connects, running the statements tether runs (sqlspec.py) and converting values to the same
Python types: aware UTC datetimes, parsed from SQLite's text with datetime.fromisoformat."""

from __future__ import annotations

import datetime

from common import Target
from sqlspec import statements

UTC = datetime.UTC


def _sqlite_datetime(value: str) -> datetime.datetime:
    parsed = datetime.datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _naive_utc_datetime(value: datetime.datetime) -> datetime.datetime:
    return value.replace(tzinfo=UTC)


class Contender:
    name = "raw"

    def __init__(self, target: Target) -> None:
        self.target = target
        self.sql = statements(target.vendor)

    def setup(self, sqlite_path: str) -> None:
        vendor = self.target.vendor
        if vendor == "sqlite":
            import sqlite3

            conn = sqlite3.connect(sqlite_path, isolation_level=None, timeout=30.0)
            for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = NORMAL"):
                conn.execute(f"PRAGMA {pragma}")
            self.to_db = lambda c: c.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
            self.from_db = _sqlite_datetime
        elif vendor == "postgresql":
            import psycopg

            t = self.target
            conn = psycopg.connect(dbname=t.name, user=t.user or None, password=t.password or None,
                                   host=t.host or None, port=t.port, autocommit=True,
                                   cursor_factory=psycopg.ClientCursor)
            conn.execute("SELECT set_config('TimeZone', 'UTC', false)")
            self.to_db = None  # psycopg adapts aware datetimes itself
            self.from_db = None  # and returns them aware (session time zone UTC)
        else:
            import pymysql
            from pymysql.constants import CLIENT

            t = self.target
            conn = pymysql.connect(host=t.host or "localhost", port=t.port or 3306,
                                   user=t.user or None, password=t.password, db=t.name,
                                   charset="utf8mb4", autocommit=True,
                                   client_flag=CLIENT.FOUND_ROWS)
            with conn.cursor() as cursor:
                cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
                cursor.execute("SET SESSION time_zone = '+00:00'")
            self.to_db = lambda c: c.astimezone(UTC).replace(tzinfo=None)
            self.from_db = _naive_utc_datetime
        self.conn = conn
        self._run(self.sql.ddl, ())

    def teardown(self) -> None:
        self.conn.close()

    def _run(self, sql: str, params: tuple | list) -> list:
        """One statement on a fresh cursor, as tether's driver adapters run it."""
        if self.target.vendor == "sqlite":
            return self.conn.execute(sql, params).fetchall()
        with self.conn.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description is not None else []

    def _convert(self, rows: list) -> list:
        convert = self.from_db
        if convert is None:
            return [tuple(row) for row in rows]
        return [(i, n, k, convert(c)) for i, n, k, c in rows]

    # ---- workloads (the timed bodies) ----------------------------------------------------

    def create(self, values: list) -> list:
        sql, run, to_db = self.sql.insert_one, self._run, self.to_db
        ids = []
        run("BEGIN", ())
        for n, k, c in values:
            ids.append(run(sql, (n, k, c if to_db is None else to_db(c)))[0][0])
        run("COMMIT", ())
        return ids

    def bulk(self, values: list) -> list:
        size, to_db, run = self.sql.rows_per_batch, self.to_db, self._run
        ids: list = []
        run("BEGIN", ())
        for start in range(0, len(values), size):
            batch = values[start : start + size]
            params: list = []
            for n, k, c in batch:
                params.extend((n, k, c if to_db is None else to_db(c)))
            if self.sql.bulk_columnar and len(batch) > 1:
                params = [params[0::3], params[1::3], params[2::3]]  # one array per column
            rows = run(self.sql.insert_many(len(batch)), params)
            ids.extend(row[0] for row in rows)
        run("COMMIT", ())
        return ids

    def materialize(self) -> list:
        return self._convert(self._run(self.sql.select_all, (0,)))

    def get(self, ids: list[int]) -> list:
        sql, run, convert = self.sql.select_get, self._run, self._convert
        results = []
        for i in ids:
            rows = run(sql, (i, 21))
            if len(rows) != 1:
                raise LookupError(f"id {i}: {len(rows)} rows")
            results.append(convert(rows)[0])
        return results
