"""The pytest plugin's `db` and `transactional_db` fixtures, on plain test functions."""

from __future__ import annotations

import pytest

from tether.db import connections
from tether.test import runner

from .sql import execute, fetch, quote

TABLE = "test_support_plugin_raw"


@pytest.fixture(scope="module")
def raw_table():
    runner.ensure_test_databases()
    execute(f"CREATE TABLE {quote(TABLE)} (v integer)")
    yield
    execute(f"DROP TABLE {quote(TABLE)}")


def rows():
    return fetch(f"SELECT v FROM {quote(TABLE)}")


def test_db_first(raw_table, db):
    assert connections["default"].in_atomic_block
    execute(f"INSERT INTO {quote(TABLE)} (v) VALUES (1)")
    assert rows() == [(1,)]


def test_db_second_sees_rollback(raw_table, db):
    assert rows() == []


def test_transactional_db_commits(raw_table, transactional_db):
    conn = connections["default"]
    assert not conn.in_atomic_block
    execute(f"INSERT INTO {quote(TABLE)} (v) VALUES (2)")
    assert rows() == [(2,)]
    # Not a model table, so the plugin's flush leaves it: clean up by hand.
    execute(f"DELETE FROM {quote(TABLE)}")


def test_points_at_test_database(db):
    assert runner.is_set_up()
    assert connections["default"].settings_dict == runner.test_database_settings("default")
