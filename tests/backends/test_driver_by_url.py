"""A vendor's dialect (SQL, types, features, version) is apart from its driver (connect,
execute, convert): the URL may name the driver (`postgresql+psycopg://`), a vendor lists the
drivers it offers, and reading the server's version is the dialect's, whatever driver
reported it. No server is needed: nothing here connects except SQLite in memory."""

from __future__ import annotations

import pytest

from tether.conf import parse_database_url
from tether.db.backends.mysql.driver import MySQLDriver
from tether.db.backends.postgresql.driver import PostgresDriver
from tether.db.backends.sqlite.driver import AsyncSQLiteDriver, SQLiteDriver
from tether.db.connections import load_backend
from tether.exceptions import ImproperlyConfigured


@pytest.mark.parametrize(
    ("url", "vendor", "driver"),
    [
        ("postgresql+psycopg://u@h/db", "postgresql", "psycopg"),
        ("postgres://u@h/db", "postgresql", ""),
        ("mysql+pymysql://u@h/db", "mysql", "pymysql"),
        ("mariadb+PyMySQL://u@h/db", "mysql", "pymysql"),
        ("sqlite+sqlite3:///x.db", "sqlite", "sqlite3"),
        ("sqlite://:memory:", "sqlite", ""),
    ],
)
def test_the_url_may_name_the_driver(url: str, vendor: str, driver: str) -> None:
    database = parse_database_url(url)
    assert (database.vendor, database.driver) == (vendor, driver)


@pytest.mark.parametrize(
    ("url", "driver_class"),
    [
        ("postgresql://u@h/db", PostgresDriver),
        ("postgresql+psycopg://u@h/db", PostgresDriver),
        ("mysql://u@h/db", MySQLDriver),
        ("mysql+pymysql://u@h/db", MySQLDriver),
        ("sqlite+sqlite3://:memory:", SQLiteDriver),
    ],
)
def test_the_wrapper_opens_the_named_driver_or_the_vendors_default(url, driver_class) -> None:
    database = parse_database_url(url)
    wrapper = load_backend(database.vendor)(database, "driver_by_url")
    assert wrapper.driver_class is driver_class


def test_an_unknown_driver_is_refused_naming_the_ones_offered() -> None:
    database = parse_database_url("postgresql+asyncpg://u@h/db")
    with pytest.raises(ImproperlyConfigured, match="'asyncpg'.*psycopg"):
        load_backend("postgresql")(database, "driver_by_url")


def test_a_named_driver_connects(db: None) -> None:
    wrapper = load_backend("sqlite")(parse_database_url("sqlite+sqlite3://:memory:"), "named")
    assert wrapper.async_driver_class is AsyncSQLiteDriver
    try:
        assert isinstance(wrapper.connect(), SQLiteDriver)
    finally:
        wrapper.close()


def test_the_dialect_reads_the_version_string_any_driver_reports() -> None:
    # MariaDB announces itself as "5.5.5-<version>-MariaDB" to old replication clients.
    database = parse_database_url("mysql://u@version-sniff.invalid:3306/db")
    wrapper = load_backend("mysql")(database, "driver_by_url")
    wrapper.server_info = "5.5.5-10.11.6-MariaDB-log"
    assert wrapper.server_info == "10.11.6-MariaDB-log"
    assert wrapper.mysql_is_mariadb
    assert wrapper.mysql_version == (10, 11, 6)
