"""The MariaDB/MySQL backend branches on the server it talks to (MariaDB or MySQL, and the
version), not on an assumption that it is MariaDB: RETURNING, the uuid column type, CHECK
constraints, JSON and regular expressions. No MySQL server is needed: each alias points at an
unresolvable host and is told its server's version string, as the driver would on connect.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import tether
from tether import models
from tether.conf import settings
from tether.db import connections
from tether.models.sql.dml import insert_sql


class Gadget(models.Model):
    name = models.CharField(max_length=20)
    key = models.UUIDField(null=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "backends"


@pytest.fixture
def server() -> Iterator[Any]:
    """server(version) -> a MySQL-backend connection that believes it talks to `version`."""
    before = dict(settings.databases)
    made: list[str] = []

    def make(version: str) -> Any:
        name = f"kind{len(made)}"
        made.append(name)
        host = f"{name}-{len(before)}.mysql-kind.invalid"
        tether.configure(databases={**settings.databases, name: f"mysql://u@{host}:3306/x"})
        conn = connections[name]
        conn.server_info = version
        return conn

    try:
        yield make
    finally:
        tether.configure(databases=before)


def select_sql(conn: Any, **filters: Any) -> str:
    qs = Gadget.objects.using(conn.alias).filter(**filters)
    entry, _ = qs._query.get_compiler(connection=conn).compiled()
    return entry.sql  # type: ignore[no-any-return]


MYSQL_8 = "8.0.36"
MARIADB_11 = "11.4.2-MariaDB-log"


@pytest.mark.parametrize(
    ("version", "mariadb", "returning", "uuid_type", "checks"),
    [
        (MARIADB_11, True, True, "uuid", True),
        ("10.6.18-MariaDB", True, True, "char(32)", True),
        ("10.4.1-MariaDB", True, False, "char(32)", True),
        (MYSQL_8, False, False, "char(32)", True),
        ("8.0.15", False, False, "char(32)", False),
        ("5.7.44-log", False, False, "char(32)", False),
    ],
)
def test_features_follow_the_server(
    server: Any, version: str, mariadb: bool, returning: bool, uuid_type: str, checks: bool
) -> None:
    conn = server(version)
    assert conn.mysql_is_mariadb is mariadb
    features = conn.features
    assert features.can_return_columns_from_insert is returning
    assert features.can_return_rows_from_bulk_insert is returning
    assert features.has_native_uuid_field is (uuid_type == "uuid")
    assert Gadget._meta.get_field("key").db_type(conn) == uuid_type
    assert features.supports_column_check_constraints is checks
    check = Gadget._meta.get_field("count").db_check(conn)
    assert (check is not None) is checks


def test_inserts_return_ids_only_where_the_server_can(server: Any) -> None:
    fields = [Gadget._meta.get_field("name")]
    pk = Gadget._meta.pk
    for version, returning in ((MARIADB_11, True), (MYSQL_8, False)):
        conn = server(version)
        wanted = [pk] if conn.features.can_return_rows_from_bulk_insert else []
        sql = insert_sql(conn, Gadget, fields, 2, wanted)
        assert ("RETURNING" in sql) is returning
        assert "UNNEST" not in sql


def test_regex_branches(server: Any) -> None:
    mysql = server(MYSQL_8)
    assert "REGEXP_LIKE(`backends_gadget`.`name`, %s, 'c')" in select_sql(mysql, name__regex="^a")
    assert "REGEXP_LIKE(`backends_gadget`.`name`, %s, 'i')" in select_sql(mysql, name__iregex="a")
    mariadb = server(MARIADB_11)
    assert "`backends_gadget`.`name` REGEXP BINARY %s" in select_sql(mariadb, name__regex="^a")
    assert "`backends_gadget`.`name` REGEXP %s" in select_sql(mariadb, name__iregex="a")
