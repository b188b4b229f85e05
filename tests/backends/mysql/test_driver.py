"""The MariaDB/MySQL backend against a real server: PyMySQL and aiomysql adapters, error
mapping, transactions and savepoints, value round trips, duplicate skipping without INSERT
IGNORE, test database life cycle.

Runs on its own alias (`my_driver`) whatever `--db` says. Skips when the server is unreachable
(start it: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd), fails
instead when CI=true. TETHER_MYSQL_URL overrides the URL.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

pymysql = pytest.importorskip("pymysql")

import tether  # noqa: E402
from tether.conf import parse_database_url, settings  # noqa: E402
from tether.db import IntegrityError, OperationalError, connections, transaction  # noqa: E402
from tether.db.core.plans import fetch_all, fetch_one, last_row_id, rowcount  # noqa: E402
from tether.db.core.requests import ExecuteMany  # noqa: E402
from tether.db.core.run import arun_plan, run_plan  # noqa: E402

URL = os.environ.get("TETHER_MYSQL_URL", "mysql://root@127.0.0.1:3306/test")
ALIAS = "my_driver"
START = "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"
TABLE = "tether_my_item"


def _reachable() -> str | None:
    parsed = parse_database_url(URL)
    try:
        pymysql.connect(
            host=parsed.host,
            port=parsed.port or 3306,
            user=parsed.user,
            password=parsed.password,
            database=parsed.name,
            connect_timeout=3,
        ).close()
    except pymysql.Error as exc:
        return f"MariaDB/MySQL unreachable at {URL} ({exc}); start the server: {START}"
    return None


@pytest.fixture(scope="module", autouse=True)
def mysql(tether_db_blocker: Any) -> Iterator[None]:
    """The module's own alias on the server; its tests use no test database (unblocked)."""
    problem = _reachable()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    before = dict(settings.databases)
    tether.configure(databases={**before, ALIAS: URL})
    try:
        with tether_db_blocker.unblock():
            yield
    finally:
        tether.configure(databases=before)


def run(plan: Any) -> Any:
    return run_plan(plan, connections[ALIAS])


@pytest.fixture
def table() -> Iterator[str]:
    conn = connections[ALIAS]
    q = conn.ops.quote_name
    uuid_type = conn.data_types["UUIDField"]
    with conn.schema_editor() as editor:
        editor.execute(f"DROP TABLE IF EXISTS {q(TABLE)}")
        editor.execute(
            f"CREATE TABLE {q(TABLE)} ("
            f"{q('id')} {conn.data_types['AutoField']} NOT NULL PRIMARY KEY, "
            f"{q('name')} varchar(50) NOT NULL UNIQUE, {q('price')} numeric(8, 2) NULL, "
            f"{q('seen')} datetime(6) NULL, {q('at')} time(6) NULL, {q('key')} {uuid_type} NULL, "
            f"{q('ok')} bool NULL, {q('data')} json NULL, {q('blob')} longblob NULL, "
            f"{q('n')} integer UNSIGNED NULL CHECK ({q('n')} < 100))"
        )
    yield TABLE
    with conn.schema_editor() as editor:
        editor.execute(f"DROP TABLE IF EXISTS {q(TABLE)}")


def insert(name: str) -> int:
    return run(last_row_id(f"INSERT INTO `{TABLE}` (`name`) VALUES (%s)", (name,)))  # type: ignore[no-any-return]


def names() -> list[str]:
    return [row[0] for row in run(fetch_all(f"SELECT `name` FROM `{TABLE}` ORDER BY `id`", ()))]


# ---- statements and values ---------------------------------------------------------------


def test_server_features_and_types() -> None:
    conn = connections[ALIAS]
    assert conn.vendor == "mysql"
    assert conn.ops.quote_name("a`b") == "`a``b`"
    assert not conn.features.can_rollback_ddl
    assert not conn.features.supports_update_conflicts_with_target
    if conn.mysql_is_mariadb and conn.mysql_version >= (10, 5):
        assert conn.features.can_return_columns_from_insert
    if conn.mysql_is_mariadb and conn.mysql_version >= (10, 7):
        assert conn.data_types["UUIDField"] == "uuid"
    assert conn.ops.lookup_cast("icontains") == "%s"
    assert conn.ops.operators["contains"] == "LIKE BINARY %s"


def test_round_trip_values(table: str) -> None:
    conn = connections[ALIAS]
    ops = conn.ops
    seen = datetime.datetime(
        2024, 5, 6, 9, 8, 9, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    key = uuid.uuid4()
    stored_key = str(key) if conn.features.has_native_uuid_field else key.hex
    new_id = run(
        last_row_id(
            f"INSERT INTO `{TABLE}` (`name`, `price`, `seen`, `at`, `key`, `ok`, `data`, `blob`) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                "50%",
                decimal.Decimal("12.30"),
                ops.adapt_datetimefield_value(seen),
                datetime.time(1, 2, 3, 4),
                stored_key,
                True,
                ops.adapt_json_value({"a": "100%"}),
                b"\x00\xff",
            ),
        )
    )
    row = run(
        fetch_one(
            f"SELECT `name`, `price`, `seen`, `at`, `key`, `ok`, `data`, `blob`, 'lit%%' "
            f"FROM `{TABLE}` WHERE `id` = %s",
            (new_id,),
        )
    )
    assert row[0] == "50%" and row[1] == decimal.Decimal("12.30")
    convert = {
        t: ops.get_db_converters(t, None)
        for t in ("DateTimeField", "UUIDField", "BooleanField", "TimeField")
    }

    def apply(kind: str, value: Any) -> Any:
        for func in convert[kind]:
            value = func(value)
        return value

    assert apply("DateTimeField", row[2]) == seen  # stored as naive UTC, back as aware UTC
    assert apply("DateTimeField", row[2]).tzinfo == datetime.UTC
    assert apply("TimeField", row[3]) == datetime.time(1, 2, 3, 4)
    assert apply("UUIDField", row[4]) == key
    assert apply("BooleanField", row[5]) is True
    assert row[6] == '{"a": "100%"}' and row[7] == b"\x00\xff" and row[8] == "lit%"


def test_rowcount_executemany_limit_offset(table: str) -> None:
    conn = connections[ALIAS]
    sql = f"INSERT INTO `{TABLE}` (`name`) VALUES (%s)"
    count = run_plan((lambda: (yield ExecuteMany(sql, [("a_b",), ("axb",), ("c",)])))(), conn)
    assert count == 3
    # CLIENT_FOUND_ROWS: an UPDATE that changes nothing still reports the rows it matched.
    assert run(rowcount(f"UPDATE `{TABLE}` SET `ok` = %s", (None,))) == 3
    clause, params = conn.ops.limit_offset_sql(1, None)
    rows = run(fetch_all(f"SELECT `name` FROM `{TABLE}` ORDER BY `id` {clause}", params))
    assert rows == [("axb",), ("c",)]
    pattern = "%" + conn.ops.prep_for_like_query("_") + "%"
    assert run(fetch_all(f"SELECT `name` FROM `{TABLE}` WHERE `name` LIKE %s", (pattern,))) == [
        ("a_b",)
    ]
    assert table in conn.introspection.table_names()


def test_skip_duplicates_without_insert_ignore(table: str) -> None:
    insert("x")
    conn = connections[ALIAS]
    suffix = conn.ops.ignore_conflicts_suffix_sql(pk_column="id")
    run(rowcount(f"INSERT INTO `{TABLE}` (`name`) VALUES (%s), (%s) {suffix}", ("x", "y")))
    assert names() == ["x", "y"]
    suffix = conn.ops.ignore_conflicts_suffix_sql(["name"])  # as bulk_create calls it
    run(rowcount(f"INSERT INTO `{TABLE}` (`name`) VALUES (%s) {suffix}", ("y",)))
    empty = conn.ops.empty_insert_sql(None, 2)
    with pytest.raises(OperationalError):  # 1364, no default for name: strict mode refuses
        run(rowcount(f"INSERT INTO `{TABLE}` {empty}", ()))
    with pytest.raises(IntegrityError):  # other errors still raise (INSERT IGNORE hides them)
        run(rowcount(f"INSERT INTO `{TABLE}` (`name`) VALUES (%s) {suffix}", (None,)))
    upsert = conn.ops.on_conflict_update_sql([], ["price"])
    run(rowcount(f"INSERT INTO `{TABLE}` (`name`, `price`) VALUES (%s, %s) {upsert}", ("y", 5)))
    assert run(fetch_one(f"SELECT `price` FROM `{TABLE}` WHERE `name` = %s", ("y",))) == (
        decimal.Decimal("5.00"),
    )


# ---- errors and transactions -------------------------------------------------------------


def test_integrity_errors(table: str) -> None:
    insert("dup")
    with pytest.raises(IntegrityError) as info:
        insert("dup")
    assert isinstance(info.value.__cause__, pymysql.err.IntegrityError)
    assert info.value.__cause__.args[0] == 1062
    if connections[ALIAS].features.supports_column_check_constraints:
        with pytest.raises(IntegrityError):  # CHECK failure, OperationalError in PyMySQL
            run(rowcount(f"INSERT INTO `{TABLE}` (`name`, `n`) VALUES (%s, %s)", ("n", 500)))


def test_atomic_and_savepoints(table: str) -> None:
    with transaction.atomic(using=ALIAS):
        insert("outer")
        with pytest.raises(IntegrityError), transaction.atomic(using=ALIAS):
            insert("inner")
            insert("outer")
        insert("after")
    with pytest.raises(ZeroDivisionError), transaction.atomic(using=ALIAS):
        insert("dropped")
        1 / 0  # noqa: B018
    assert names() == ["outer", "after"]


def test_sql_flush_resets_auto_increment(table: str) -> None:
    insert("x")
    conn = connections[ALIAS]
    for sql in conn.ops.sql_flush([table], reset_sequences=True):
        run(rowcount(sql, ()))
    assert insert("y") == 1
    for sql in conn.ops.sql_flush([table]):
        run(rowcount(sql, ()))
    assert names() == []


def test_returning_on_mariadb(table: str) -> None:
    conn = connections[ALIAS]
    if not conn.features.can_return_columns_from_insert:
        pytest.skip("INSERT ... RETURNING needs MariaDB 10.5+")
    rows = run(
        fetch_all(
            f"INSERT INTO `{TABLE}` (`name`) VALUES (%s), (%s) "
            + conn.ops.return_insert_columns_sql(TABLE, ["id", "name"]),
            ("r1", "r2"),
        )
    )
    assert [row[1] for row in rows] == ["r1", "r2"]


# ---- async -------------------------------------------------------------------------------


def test_async_plans_transactions_and_errors(table: str) -> None:
    async def main() -> tuple[list[str], Any]:
        conn = connections[ALIAS]
        assert conn.is_async
        sql = f"INSERT INTO `{TABLE}` (`name`) VALUES (%s)"
        async with transaction.atomic(using=ALIAS):
            await arun_plan(last_row_id(sql, ("async-1",)), conn)
            try:
                async with transaction.atomic(using=ALIAS):
                    await arun_plan(last_row_id(sql, ("async-1",)), conn)
            except IntegrityError as exc:
                assert isinstance(exc.__cause__, pymysql.err.IntegrityError)
            await arun_plan(last_row_id(sql, ("async-2",)), conn)
        rows = await arun_plan(fetch_all(f"SELECT `name` FROM `{TABLE}` ORDER BY `id`", ()), conn)
        many = await arun_plan((lambda: (yield ExecuteMany(sql, [("m1",), ("m2",)])))(), conn)
        return [row[0] for row in rows], many

    assert asyncio.run(main()) == (["async-1", "async-2"], 2)


def test_async_task_connection_closed_when_task_ends() -> None:
    async def inner() -> Any:
        conn = connections[ALIAS]
        await arun_plan(fetch_one("SELECT 1", ()), conn)
        return conn.driver

    async def main() -> bool:
        driver = await asyncio.create_task(inner())
        for _ in range(20):
            await asyncio.sleep(0.01)
            if driver.raw is None:
                return True
        return False

    assert asyncio.run(main())


def test_unreachable_server_is_operational_error() -> None:
    wrapper_class = type(connections[ALIAS])
    bad = parse_database_url("mysql://root@127.0.0.1:1/test?connect_timeout=2")
    with pytest.raises(OperationalError):
        run_plan(fetch_one("SELECT 1", ()), wrapper_class(bad, "my_bad"))


# ---- test databases ----------------------------------------------------------------------


def test_create_and_destroy_test_db() -> None:
    # A name of its own, so that the run's own test database (test_<name>) is left alone; the
    # probe database does not exist, so the admin connection must not need it.
    base = connections[ALIAS]
    conn = type(base)(base.settings_dict.with_name("tether_probe"), "my_probe")
    test_settings = conn.creation.create_test_db()
    assert test_settings.name == "test_tether_probe"
    other = type(conn)(test_settings, "my_test_db")
    assert run_plan(fetch_one("SELECT DATABASE()", ()), other) == (test_settings.name,)
    run_plan(rowcount("CREATE TABLE `kept` (`id` integer)", ()), other)
    other.close()
    assert conn.creation.create_test_db(keepdb=True).name == test_settings.name
    assert "kept" in other.introspection.table_names()
    other.close()
    conn.creation.destroy_test_db(test_settings)
    exists = "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s"
    assert run(fetch_one(exists, (test_settings.name,))) is None
