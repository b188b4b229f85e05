"""A real streaming replica behind the routers of docs/scaling-out.md (run as written there):
reads served by the server in recovery, writes by the primary, reads inside atomic(), and
what a caller gets when the replica lags or is down.

The tests commit (a rolled-back transaction never reaches a replica) and, where a read must
see a write, first wait until the replica has replayed the primary's WAL up to it.
"""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tether.conf import settings
from tether.db import (
    InternalError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)
from tether.models.expressions import RawSQL
from tether.test import override_config
from tether.test.utils import CaptureQueriesContext

from .conftest import PRIMARY, REPLICA
from .models import Note

DOC = Path(__file__).resolve().parents[2] / "docs" / "scaling-out.md"


def _recipes() -> dict[str, Any]:
    """The doc's router recipes (the code blocks marked `<!-- recipe -->`), run in order."""
    namespace: dict[str, Any] = {}
    for block in re.findall(r"<!-- recipe -->\n```python\n(.*?)```", DOC.read_text(), re.S):
        exec(block, namespace)
    return namespace


RECIPES = _recipes()


def router(name: str) -> Any:
    """The doc's router `name`, pointed at this pair's aliases."""
    return type(name, (RECIPES[name],), {"primary": PRIMARY, "replicas": [REPLICA]})()


def ask(alias: str, sql: str, params: Any = ()) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def wait_for_replay(timeout: float = 30.0) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    target = ask(PRIMARY, "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while not ask(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
        assert time.monotonic() < deadline, f"the replica has not replayed {target} in {timeout}s"
        time.sleep(0.02)


def unique() -> str:
    return uuid.uuid4().hex


def served_by() -> tuple[bool, int]:
    """(in recovery?, port) of the server that answers a routed read of Note."""
    answer = (
        Note.objects.annotate(
            recovery=RawSQL("pg_is_in_recovery()", []), port=RawSQL("inet_server_port()", [])
        )
        .values_list("recovery", "port")
        .first()
    )
    assert answer is not None
    return answer


@pytest.fixture
def plain(pair: Any) -> Any:
    with override_config(routers=[router("PrimaryReplicaRouter")]):
        yield pair


def test_reads_are_served_by_the_replica_and_writes_by_the_primary(plain: Any) -> None:
    text = unique()
    with CaptureQueriesContext(connections[PRIMARY]) as on_primary:
        note = Note.objects.create(text=text)
    assert note._state.db == PRIMARY
    assert any("INSERT" in query["sql"] for query in on_primary.captured_queries)
    wait_for_replay()

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        read = Note.objects.get(text=text)
    assert read._state.db == REPLICA
    assert len(on_replica) == 1
    assert served_by() == (True, plain.replica.port)
    assert ask(PRIMARY, "SELECT pg_is_in_recovery()") is False
    assert ask(PRIMARY, "SELECT inet_server_port()") == plain.primary.port


def test_the_replica_refuses_writes(pair: Any) -> None:
    with pytest.raises(InternalError, match="read-only transaction"):
        Note.objects.using(REPLICA).create(text=unique())


def test_a_rolled_back_write_never_reaches_the_replica(plain: Any) -> None:
    text = unique()
    with pytest.raises(ZeroDivisionError), transaction.atomic(using=PRIMARY):
        Note.objects.create(text=text)
        1 / 0  # noqa: B018 - the rollback
    Note.objects.create(text=unique())  # a later commit, to wait for
    wait_for_replay()
    assert not Note.objects.filter(text=text).exists()


def test_inside_atomic_the_plain_router_reads_the_replica_and_misses_the_write(plain: Any) -> None:
    text = unique()
    with transaction.atomic(using=PRIMARY):
        Note.objects.create(text=text)
        assert not Note.objects.filter(text=text).exists()  # the replica has no such row
    wait_for_replay()
    assert Note.objects.filter(text=text).exists()


def test_read_your_writes_router_reads_the_primary_inside_atomic(pair: Any) -> None:
    text = unique()
    with override_config(routers=[router("ReadYourWritesRouter")]):
        with transaction.atomic(using=PRIMARY):
            Note.objects.create(text=text)
            assert Note.objects.get(text=text)._state.db == PRIMARY
            assert served_by() == (False, pair.primary.port)
        wait_for_replay()
        assert Note.objects.get(text=text)._state.db == REPLICA


class PausedReplay:
    """The replica stops applying the primary's WAL (it still receives it) until exit."""

    def __enter__(self) -> None:
        ask(REPLICA, "SELECT pg_wal_replay_pause()::text")

    def __exit__(self, *exc: object) -> None:
        ask(REPLICA, "SELECT pg_wal_replay_resume()::text")


def test_a_lagging_replica_serves_older_rows_to_the_plain_router(plain: Any) -> None:
    text = unique()
    with PausedReplay():
        Note.objects.create(text=text)
        assert not Note.objects.filter(text=text).exists()  # committed, not replayed yet
    wait_for_replay()
    assert Note.objects.filter(text=text).exists()


def test_caught_up_router_reads_the_primary_until_the_replica_has_the_write(pair: Any) -> None:
    text = unique()
    with override_config(routers=[router("CaughtUpRouter")]):
        wait_for_replay()
        assert Note.objects.filter(text="nothing written yet").first() is None
        assert served_by()[0] is True  # no write of this caller's: the replica

        with PausedReplay():
            Note.objects.create(text=text)
            assert Note.objects.get(text=text)._state.db == PRIMARY
            assert served_by() == (False, pair.primary.port)
        wait_for_replay()
        assert Note.objects.get(text=text)._state.db == REPLICA
        assert served_by() == (True, pair.replica.port)


class StoppedReplica:
    """The replica server is stopped until exit, then started again (same port, same data)."""

    def __init__(self, pair: Any) -> None:
        self.pair = pair

    def __enter__(self) -> None:
        self.pair.stop_server(self.pair.replica)

    def __exit__(self, *exc: object) -> None:
        self.pair.start_server(self.pair.replica)


def test_a_replica_that_is_down_is_a_clear_error_with_the_plain_router(plain: Any) -> None:
    Note.objects.create(text=unique())
    wait_for_replay()
    assert Note.objects.exists()  # a connection to the replica is open
    with StoppedReplica(plain):
        with pytest.raises(OperationalError):
            Note.objects.exists()  # on the connection the server dropped
        with pytest.raises(OperationalError, match=f"port {plain.replica.port} failed"):
            Note.objects.exists()  # a new connection is refused
    wait_for_replay()
    assert Note.objects.exists()  # back on the replica, reconnected


def test_fallback_router_reads_the_primary_while_the_replica_is_down(pair: Any) -> None:
    text = unique()
    with override_config(routers=[router("FallbackRouter")]):
        Note.objects.create(text=text)
        wait_for_replay()
        assert Note.objects.get(text=text)._state.db == REPLICA
        with StoppedReplica(pair):
            assert Note.objects.get(text=text)._state.db == PRIMARY
            assert served_by() == (False, pair.primary.port)
        wait_for_replay()
        assert Note.objects.get(text=text)._state.db == REPLICA


def test_a_restarted_replica_costs_no_error_with_health_checks(pair: Any) -> None:
    # docs/configuration.md, "Connection health": close_old_connections() at the start of a
    # unit of work, then the first statement checks the connection and replaces a dead one.
    url = settings.databases[REPLICA]
    checked = url + ("&" if "?" in url else "?") + "conn_max_age=none&conn_health_checks=true"
    databases = {**settings.databases, REPLICA: checked}
    with override_config(databases=databases, routers=[router("PrimaryReplicaRouter")]):
        Note.objects.create(text=unique())
        wait_for_replay()
        assert Note.objects.exists()  # a connection to the replica is open
        with StoppedReplica(pair):
            pass  # stopped and started again: the open connection is dead
        close_old_connections()  # the start of the next unit of work
        wait_for_replay()  # its first statement on the replica: checked, then replaced
        assert Note.objects.exists()
