"""The `pair` fixture: a PostgreSQL primary and a streaming replica of it (servers.py), started
for this package's tests and configured as the aliases `primary` and `standby`, with the
replica tests' tables created on the primary (the replica gets them by replication).

Only with `--db postgresql`. A machine that cannot run the pair skips the tests with the
reason, or fails them when CI=true (as an unreachable test server does, tests/conftest.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tether.conf import settings
from tether.db import connections
from tether.test import override_config

from .models import Note
from .servers import ReplicaPair, Unavailable

PRIMARY = "primary"
REPLICA = "standby"


@pytest.fixture(scope="module")
def pair(request: Any, tether_db_blocker: Any) -> Iterator[ReplicaPair]:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("the streaming replica tests run with --db postgresql")
    try:
        servers = ReplicaPair.create()
    except Unavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and no PostgreSQL replica can be started here: {exc}")
        pytest.skip(f"no PostgreSQL replica can be started here: {exc}")
    servers.start()
    try:
        databases = {
            **settings.databases,
            PRIMARY: servers.primary.url(),
            REPLICA: servers.replica.url(),
        }
        # These servers are the tests' own: no test database, the tests commit for real.
        with override_config(databases=databases), tether_db_blocker.unblock():
            with connections[PRIMARY].schema_editor() as editor:
                editor.create_model(Note)
            yield servers
    finally:
        servers.stop()
