"""Database URL options on the servers (sslmode, connect_timeout, application_name, pool sizes;
charset, isolation_level, init_command, ssl_*), unknown options refused by name, and several
aliases at once: `default` on whatever `--db` chose plus `reports` on PostgreSQL, with
`.using()`, `save(using=)`, `db_manager()` and related managers following the instance's db.

Each server part skips when its server is unreachable (fails instead when CI=true).
TETHER_PG_URL / TETHER_MYSQL_URL override the URLs.
"""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

import tether
from tether import models
from tether.conf import parse_database_url, settings
from tether.db import OperationalError, connections
from tether.db.core.plans import fetch_one
from tether.db.core.run import arun_plan, run_plan
from tether.exceptions import ImproperlyConfigured

PG_URL = os.environ.get("TETHER_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
MYSQL_URL = os.environ.get("TETHER_MYSQL_URL", "mysql://root@127.0.0.1:3306/test")


def _need(url: str) -> None:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=3).close()
    except OSError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{url} unreachable: {exc}")
        pytest.skip(f"{url} unreachable ({exc}); see DEVELOPERS.md to start the server")


@pytest.fixture
def alias(tether_db_blocker: Any) -> Iterator[Any]:
    """alias(url) -> a fresh alias configured for `url`, removed afterwards (the test uses
    these aliases only, no test database: unblocked)."""
    before = dict(settings.databases)
    made: list[str] = []

    def make(url: str) -> str:
        name = f"opt{len(made)}"
        made.append(name)
        tether.configure(databases={**settings.databases, name: url})
        return name

    try:
        with tether_db_blocker.unblock():
            yield make
    finally:
        for name in made:
            connections[name].close()
        tether.configure(databases=before)


def one(alias: str, sql: str) -> Any:
    return run_plan(fetch_one(sql, []), connections[alias])


def _with(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query


# ---- PostgreSQL ---------------------------------------------------------------------------


def test_pg_options_reach_the_session(alias: Any) -> None:
    _need(PG_URL)
    name = alias(_with(PG_URL, "sslmode=disable&connect_timeout=5&application_name=tether_h17"))
    assert one(name, "SELECT current_setting('application_name')") == ("tether_h17",)
    assert one(name, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == (False,)
    prefer = alias(_with(PG_URL, "sslmode=prefer&sslrootcert=/nonexistent/root.crt"))
    assert one(prefer, "SELECT 1") == (1,)


def test_pg_sslmode_require_is_enforced(alias: Any) -> None:
    _need(PG_URL)
    name = alias(_with(PG_URL, "sslmode=require&connect_timeout=5"))
    if one(alias(PG_URL), "SELECT current_setting('ssl')") == ("on",):
        pytest.skip("this server offers TLS")
    with pytest.raises(OperationalError):
        one(name, "SELECT 1")


def test_pg_pool_sizes(alias: Any) -> None:
    _need(PG_URL)
    from tether.db.backends.postgresql.driver import _sync_pool

    name = alias(_with(PG_URL, "pool=true&pool_min_size=1&pool_max_size=3"))
    assert one(name, "SELECT 2") == (2,)
    pool = _sync_pool(parse_database_url(settings.databases[name]))
    assert (pool.min_size, pool.max_size) == (1, 3)
    bad = alias(_with(PG_URL, "pool=true&pool_max_size=many"))
    with pytest.raises(ImproperlyConfigured, match="pool"):
        one(bad, "SELECT 1")


def test_pg_unknown_option_is_named(alias: Any) -> None:
    name = alias(_with(PG_URL, "sslmode=disable&bogus_opt=1"))
    with pytest.raises(ImproperlyConfigured, match="bogus_opt"):
        one(name, "SELECT 1")


# ---- MariaDB / MySQL ----------------------------------------------------------------------


def test_mysql_options_reach_the_session(alias: Any) -> None:
    _need(MYSQL_URL)
    query = (
        "charset=utf8mb4&connect_timeout=5&isolation_level=repeatable%20read"
        "&init_command=SET%20%40tether_h17%20%3D%2042"
    )
    name = alias(_with(MYSQL_URL, query))
    assert one(name, "SELECT @@character_set_client") == ("utf8mb4",)
    assert one(name, "SELECT @@tx_isolation") == ("REPEATABLE-READ",)
    assert one(name, "SELECT @tether_h17") == (42,)
    default = alias(MYSQL_URL)
    assert one(default, "SELECT @@tx_isolation") == ("READ-COMMITTED",)


def test_mysql_unknown_and_invalid_options_are_named(alias: Any) -> None:
    with pytest.raises(ImproperlyConfigured, match="sslmode"):
        one(alias(_with(MYSQL_URL, "sslmode=require")), "SELECT 1")
    with pytest.raises(ImproperlyConfigured, match="connect_timeout"):
        one(alias(_with(MYSQL_URL, "connect_timeout=soon")), "SELECT 1")
    with pytest.raises(ImproperlyConfigured, match="ssl_verify_cert"):
        one(alias(_with(MYSQL_URL, "ssl_verify_cert=maybe")), "SELECT 1")
    with pytest.raises(ImproperlyConfigured, match="SSL"):
        one(alias(_with(MYSQL_URL, "ssl_ca=/nonexistent/ca.pem")), "SELECT 1")


def test_mysql_ssl_options_map_to_one_context() -> None:
    from tether.db.backends.mysql.driver import connect_kwargs, ssl_context

    def context(query: str) -> Any:
        return ssl_context(parse_database_url(_with(MYSQL_URL, query)))

    assert context("charset=utf8mb4") is None
    assert context("ssl=false") is None
    plain = context("ssl=true")
    assert plain.verify_mode == ssl.CERT_NONE and not plain.check_hostname
    verified = context("ssl_verify_cert=true")
    assert verified.verify_mode == ssl.CERT_REQUIRED and verified.check_hostname
    no_identity = context("ssl_verify_cert=true&ssl_verify_identity=false")
    assert no_identity.verify_mode == ssl.CERT_REQUIRED and not no_identity.check_hostname
    kwargs = connect_kwargs(parse_database_url(_with(MYSQL_URL, "ssl=1")))
    assert isinstance(kwargs["ssl"], ssl.SSLContext)  # what PyMySQL and aiomysql both take


def test_mysql_tls_asked_but_not_offered_fails(alias: Any) -> None:
    _need(MYSQL_URL)
    if one(alias(MYSQL_URL), "SELECT @@have_ssl") == ("YES",):
        pytest.skip("this server offers TLS")
    name = alias(_with(MYSQL_URL, "ssl=true"))
    with pytest.raises(OperationalError, match="SSL|TLS"):
        one(name, "SELECT 1")
    with pytest.raises(OperationalError, match="SSL|TLS"):
        asyncio.run(arun_plan(fetch_one("SELECT 1", []), connections[name]))


# ---- several aliases at once --------------------------------------------------------------


class Writer(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        app_label = "backends"
        db_table = "tether_h17_writer"


class Piece(models.Model):
    title = models.CharField(max_length=30)
    writer = models.ForeignKey(Writer, models.CASCADE, related_name="pieces")
    tags = models.ManyToManyField("Label", related_name="pieces")

    class Meta:
        app_label = "backends"
        db_table = "tether_h17_piece"


class Label(models.Model):
    word = models.CharField(max_length=30)

    class Meta:
        app_label = "backends"
        db_table = "tether_h17_label"


@pytest.fixture
def reports(transactional_db: None) -> Iterator[str]:
    """`reports` on PostgreSQL beside `default`, with the three tables created there."""
    _need(PG_URL)
    before = dict(settings.databases)
    tether.configure(databases={**before, "reports": PG_URL})
    conn = connections["reports"]
    with conn.schema_editor() as editor:
        for table in (
            "tether_h17_piece_tags",
            "tether_h17_piece",
            "tether_h17_label",
            "tether_h17_writer",
        ):
            editor.execute(f"DROP TABLE IF EXISTS {conn.ops.quote_name(table)} CASCADE")
        for model in (Writer, Label, Piece):
            editor.create_model(model)
    try:
        yield "reports"
    finally:
        with conn.schema_editor() as editor:
            for model in (Piece, Label, Writer):
                editor.delete_model(model)
        conn.close()
        tether.configure(databases=before)


def test_aliases_side_by_side(reports: str) -> None:
    assert connections["reports"].vendor == "postgresql"
    writer = Writer.objects.using(reports).create(name="ann")
    assert writer._state.db == reports
    Writer.objects.db_manager(reports).create(name="bob")
    saved = Writer(name="cy")
    saved.save(using=reports)
    assert saved._state.db == reports
    assert sorted(Writer.objects.using(reports).values_list("name", flat=True)) == [
        "ann",
        "bob",
        "cy",
    ]
    assert Writer.objects.db_manager(reports).get(name="bob").name == "bob"
    # Related managers follow the instance's database, in both directions.
    piece = writer.pieces.create(title="essay")
    assert piece._state.db == reports
    fetched = Writer.objects.using(reports).get(name="ann")
    assert [p.title for p in fetched.pieces.all()] == ["essay"]
    again = Piece.objects.using(reports).get()
    assert again.writer.name == "ann" and again.writer._state.db == reports
    label = Label.objects.using(reports).create(word="long")
    again.tags.add(label)
    assert [t.word for t in again.tags.all()] == ["long"]
    assert [p.title for p in label.pieces.all()] == ["essay"]
    # Updates and deletes go where the instance came from.
    fetched.name = "anne"
    fetched.save()
    assert Writer.objects.using(reports).filter(name="anne").count() == 1
    again.delete()
    assert Piece.objects.using(reports).count() == 0
