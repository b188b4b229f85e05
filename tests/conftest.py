"""Suite-wide pytest setup: choose the backend before any test module is imported.

`--db sqlite|postgresql|mariadb` (or env TETHER_TEST_DB; env TETHER_TEST_DATABASE_URL overrides
the URL) configures the `default` alias, a second database `other` and `replica`, a mirror of
`default`. The run itself uses test databases created by the tether pytest plugin, never the
configured ones. An unreachable server skips every test with instructions, or fails the
session when CI=true.
"""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest

import tether
from tether.conf import parse_database_url

BACKEND_URLS = {
    "sqlite": "sqlite:///tether-tests.sqlite3",
    "postgresql": "postgresql://postgres@127.0.0.1:5432/test",
    "mariadb": "mysql://root@127.0.0.1:3306/test",
}
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306}
START_COMMANDS = {
    "postgresql": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "mysql": "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
}

_unreachable: str | None = None

# The plugin's own behaviour (the database blocker) is tested in pytest runs of their own.
pytest_plugins = ["pytester"]


def pytest_addoption(parser: Any) -> None:
    parser.addoption(
        "--db",
        choices=sorted(BACKEND_URLS),
        default=os.environ.get("TETHER_TEST_DB") or "sqlite",
        help="Backend to run the suite on (default: $TETHER_TEST_DB or sqlite).",
    )


def _server_unreachable(url: str) -> str | None:
    """Why the server behind `url` cannot be reached, or None if it can (or is SQLite)."""
    database = parse_database_url(url)
    if database.vendor == "sqlite":
        return None
    host = database.host or "127.0.0.1"
    port = database.port or DEFAULT_PORTS[database.vendor]
    try:
        with socket.create_connection((host, port), timeout=3):
            return None
    except OSError as exc:
        return (
            f"{database.vendor} server at {host}:{port} is unreachable ({exc}). "
            f"Start it with: {START_COMMANDS[database.vendor]}"
        )


def _other_url(url: str) -> str:
    """The second alias, `other` (the several-databases tests): env
    TETHER_TEST_OTHER_DATABASE_URL, else the default's URL with "_other" after the database
    name. Its test database is created only when a test asks for the alias."""
    explicit = os.environ.get("TETHER_TEST_OTHER_DATABASE_URL")
    if explicit:
        return explicit
    base, _, query = url.partition("?")
    if base.endswith(".sqlite3"):
        base = base[: -len(".sqlite3")] + "-other.sqlite3"
    else:
        base += "_other"
    return base + (f"?{query}" if query else "")


def pytest_configure(config: Any) -> None:
    global _unreachable
    backend = config.getoption("--db")
    url = os.environ.get("TETHER_TEST_DATABASE_URL") or BACKEND_URLS[backend]
    # `replica` reads the default's test database in tests (a mirror, Django's
    # TEST["MIRROR"]), as a replica of it would.
    tether.configure(
        databases={"default": url, "other": _other_url(url), "replica": url},
        test_mirrors={"replica": "default"},
    )
    config._tether_backend = (backend, url)
    _unreachable = _server_unreachable(url)
    if _unreachable and os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI=true and the test database is unavailable: {_unreachable}")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if _unreachable:
        marker = pytest.mark.skip(reason=_unreachable)
        for item in items:
            item.add_marker(marker)


def pytest_report_header(config: Any) -> str:
    backend, url = config._tether_backend
    note = " [UNREACHABLE: tests will be skipped]" if _unreachable else ""
    return f"tether backend: {backend} ({url}){note}"
