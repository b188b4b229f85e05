"""Settings and database URLs.

Precedence, highest first (API.md): `tether.configure(...)`, the `DATABASE_URL` environment
variable (the `default` alias), `[tool.tether]` in the nearest pyproject.toml, and finally
`sqlite:///db.sqlite3` in the working directory. Settings load lazily on first use.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tether.exceptions import ImproperlyConfigured

DEFAULT_URL = "sqlite:///db.sqlite3"

_SCHEMES = {
    "sqlite": "sqlite",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}


@dataclass
class DatabaseSettings:
    """One alias's connection settings, parsed from its URL."""

    vendor: str
    name: str
    # The driver the URL names (`postgresql+psycopg://`); "" for the vendor's default.
    driver: str = ""
    user: str = ""
    password: str = ""
    host: str = ""
    port: int | None = None
    options: dict[str, str] = field(default_factory=dict)
    url: str = ""
    # Django's CONN_MAX_AGE (seconds; None: no limit) and CONN_HEALTH_CHECKS, read by
    # close_old_connections() and the first statement after it.
    conn_max_age: float | None = 0
    conn_health_checks: bool = False

    def with_name(self, name: str) -> DatabaseSettings:
        copy = DatabaseSettings(**{**self.__dict__, "options": dict(self.options)})
        copy.name = name
        return copy


def parse_database_url(url: str) -> DatabaseSettings:
    """Parse one of API.md's URL forms into `DatabaseSettings`."""
    if not isinstance(url, str) or "://" not in url:
        raise ImproperlyConfigured(f"Invalid database URL {url!r}: expected scheme://...")
    scheme, rest = url.split("://", 1)
    scheme, _, driver = scheme.lower().partition("+")
    vendor = _SCHEMES.get(scheme)
    if vendor is None:
        raise ImproperlyConfigured(
            f"Unsupported database URL scheme {scheme!r} in {url!r}; "
            f"use one of {', '.join(sorted(_SCHEMES))}."
        )
    if vendor == "sqlite":
        path, _, query = rest.partition("?")
        if path in (":memory:", "/:memory:", ""):
            name = ":memory:"
        elif path.startswith("/"):
            name = path[1:]  # sqlite:///relative.db -> "relative.db"; sqlite:////abs -> "/abs"
        else:
            name = path
        return _with_connection_options(
            DatabaseSettings("sqlite", name, driver=driver, options=dict(parse_qsl(query)), url=url)
        )
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"Invalid port in database URL {url!r}") from exc
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(f"Database URL {url!r} names no database.")
    settings = DatabaseSettings(
        vendor,
        name,
        driver=driver,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        host=parts.hostname or "",
        port=port,
        options=dict(parse_qsl(parts.query)),
        url=url,
    )
    return _with_connection_options(settings)


def _with_connection_options(settings: DatabaseSettings) -> DatabaseSettings:
    """Take the options of the connection's life (every backend's) out of the driver's."""
    options = settings.options
    if "conn_max_age" in options:
        value = options.pop("conn_max_age")
        try:
            age = None if value.lower() == "none" else float(value)
        except ValueError:
            age = -1.0
        if age is not None and not age >= 0:
            raise ImproperlyConfigured(
                f"conn_max_age must be a number of seconds or 'none', not {value!r} "
                f"(in {settings.url!r})."
            )
        settings.conn_max_age = age
    if "conn_health_checks" in options:
        value = options.pop("conn_health_checks")
        if value.lower() not in _BOOLEANS:
            raise ImproperlyConfigured(
                f"conn_health_checks must be true or false, not {value!r} (in {settings.url!r})."
            )
        settings.conn_health_checks = _BOOLEANS[value.lower()]
    return settings


_BOOLEANS = {"true": True, "1": True, "yes": True, "on": True}
_BOOLEANS |= {"false": False, "0": False, "no": False, "off": False}


_DEFAULT_AUTO_FIELD = "tether.models.AutoField"


@dataclass
class Settings:
    databases: dict[str, str] = field(default_factory=lambda: {"default": DEFAULT_URL})
    use_tz: bool = True
    time_zone: str = "UTC"
    default_auto_field: Any = _DEFAULT_AUTO_FIELD
    debug: bool = False
    models: list[str] = field(default_factory=list)
    # Apps whose tables are managed elsewhere (Django's auth, admin, ...): see migrations/external.
    external_apps: list[str] = field(default_factory=list)
    # {app_label: module} where an app's migrations live (Django's MIGRATION_MODULES).
    migration_modules: dict[str, str] = field(default_factory=dict)
    # The fetch mode of querysets that name none: a mode of tether.models or its name.
    fetch_mode: Any = "FETCH_ONE"
    # Database routers (Django's DATABASE_ROUTERS): instances or dotted paths of classes.
    routers: list[Any] = field(default_factory=list)
    # {alias: primary alias}: in tests the alias uses the primary's test database instead of
    # one of its own (Django's TEST["MIRROR"]), as a replica would show the primary's rows.
    test_mirrors: dict[str, str] = field(default_factory=dict)


_KNOWN = set(Settings.__dataclass_fields__)
_FETCH_MODE_NAMES = ("FETCH_ONE", "FETCH_PEERS", "RAISE")


def _check_routers(values: dict[str, Any]) -> None:
    """A list of routers, as Django's DATABASE_ROUTERS; a lone string would be read letter by
    letter, so it is refused here rather than failing later on "m" not being importable."""
    routers = values.get("routers", [])
    if not isinstance(routers, list | tuple):
        raise ImproperlyConfigured(
            f"routers must be a list of routers or dotted paths, not {routers!r}."
        )


def _check_fetch_mode(values: dict[str, Any]) -> None:
    """A fetch mode by name (all a pyproject.toml can hold) or a mode object; checked before
    it is kept, so that a typo does not break every later settings read."""
    mode = values.get("fetch_mode", "FETCH_ONE")
    if mode in _FETCH_MODE_NAMES or (not isinstance(mode, str) and hasattr(mode, "fetch")):
        return
    raise ImproperlyConfigured(
        f"fetch_mode must be {', '.join(_FETCH_MODE_NAMES[:-1])}, {_FETCH_MODE_NAMES[-1]} or a "
        f"FetchMode, not {mode!r}."
    )


def _find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _pyproject_settings() -> dict[str, Any]:
    path = _find_pyproject(Path.cwd())
    if path is None:
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ImproperlyConfigured(f"Cannot read {path}: {exc}") from exc
    section = data.get("tool", {}).get("tether", {})
    unknown = set(section) - _KNOWN
    if unknown:
        raise ImproperlyConfigured(
            f"Unknown [tool.tether] setting(s) in {path}: {', '.join(sorted(unknown))}"
        )
    values = dict(section)
    _check_fetch_mode(values)
    _check_routers(values)
    if isinstance(values.get("databases"), dict):
        values["databases"] = {
            alias: _anchored(url, path.parent) for alias, url in values["databases"].items()
        }
    return values


def _anchored(url: Any, folder: Path) -> Any:
    """A relative SQLite path in [tool.tether] made relative to the pyproject.toml's folder:
    running from a subfolder must open the same file, not make a second one."""
    if not isinstance(url, str):
        return url
    database = parse_database_url(url)
    if _SCHEMES.get(url.split("://", 1)[0].lower()) != "sqlite" or database.name == ":memory:":
        return url
    if os.path.isabs(database.name):
        return url
    query = url.partition("?")[2]
    return f"sqlite:///{folder / database.name}" + (f"?{query}" if query else "")


def _auth_user_model(settings: Settings) -> str:
    """`settings.AUTH_USER_MODEL`, which Django's migrations name: tether has no auth app, so
    it is Django's default user model in an app declared external, or a clear error."""
    if "auth" in settings.external_apps:
        return "auth.User"
    raise ImproperlyConfigured(
        "settings.AUTH_USER_MODEL names Django's auth app, which tether does not have. If its "
        "tables are managed elsewhere (by Django), declare it external: "
        'tether.configure(external_apps=["auth"]) or [tool.tether] external_apps = ["auth"].'
    )


class _SettingsHolder:
    """The process-wide settings, loaded on first access and replaced by configure()."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._explicit: dict[str, Any] = {}
        # Called after every configure(): tether.db registers the closing of open connections
        # here, so that conf never imports the layer that depends on it.
        self.on_configure: list[Callable[[], None]] = []

    def _load(self) -> Settings:
        values: dict[str, Any] = _pyproject_settings()
        env_url = os.environ.get("DATABASE_URL")
        if env_url:
            values["databases"] = {**values.get("databases", {}), "default": env_url}
        values.update(self._explicit)
        databases = dict(values.get("databases") or {})
        databases.setdefault("default", DEFAULT_URL)
        values["databases"] = databases
        for alias, url in databases.items():
            parse_database_url(url)  # fail early on a malformed URL
            if not isinstance(alias, str):
                raise ImproperlyConfigured(f"Database alias {alias!r} must be a string.")
        self._settings = Settings(**values)
        return self._settings

    def current(self) -> Settings:
        """The settings object itself (a plain attribute read, for hot paths: the router)."""
        return self._settings or self._load()

    def __getattr__(self, name: str) -> Any:
        settings = self._settings or self._load()
        if name == "AUTH_USER_MODEL":
            return _auth_user_model(settings)
        return getattr(settings, name)

    def configure(self, **options: Any) -> None:
        unknown = set(options) - _KNOWN
        if unknown:
            raise ImproperlyConfigured(
                f"configure() got unknown setting(s): {', '.join(sorted(unknown))}"
            )
        _check_fetch_mode(options)
        _check_routers(options)
        self._explicit.update(options)
        self._settings = None
        self._load()
        for listener in self.on_configure:
            listener()


settings = _SettingsHolder()


def configure(**options: Any) -> None:
    """Set tether's settings: databases={alias: URL}, use_tz, time_zone, default_auto_field,
    debug, models, fetch_mode (see tether.models.fetch_modes), routers (Django's
    DATABASE_ROUTERS, see tether.db.routers). Open connections are closed so
    that the next query uses the new settings."""
    settings.configure(**options)
