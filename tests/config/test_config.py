"""Configuration: URL parsing and precedence (configure > DATABASE_URL > pyproject > default).

Nothing here touches the suite's configured test database: precedence is checked on fresh
`_SettingsHolder` objects, with the global connection reset disabled.
"""

from __future__ import annotations

import pytest

from tether import conf
from tether.conf import DEFAULT_URL, _SettingsHolder, parse_database_url
from tether.exceptions import ImproperlyConfigured


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """A working directory without pyproject.toml above it, no DATABASE_URL, no global reset."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(conf, "_find_pyproject", lambda start: _nearest(start, tmp_path))
    import tether.db

    monkeypatch.setattr(tether.db.connections, "reset", lambda: None)
    return tmp_path


def _nearest(start, root):
    """Like conf._find_pyproject, but never looks above the test's tmp_path."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
        if folder == root:
            return None
    return None


def write_pyproject(folder, body):
    (folder / "pyproject.toml").write_text(body, encoding="utf-8")


class TestURLParsing:
    def test_sqlite_relative(self):
        db = parse_database_url("sqlite:///relative.db")
        assert (db.vendor, db.name) == ("sqlite", "relative.db")
        assert parse_database_url("sqlite:///sub/dir/x.db").name == "sub/dir/x.db"

    def test_sqlite_absolute(self):
        db = parse_database_url("sqlite:////abs/path.db")
        assert (db.vendor, db.name) == ("sqlite", "/abs/path.db")

    @pytest.mark.parametrize("url", ["sqlite://:memory:", "sqlite:///:memory:"])
    def test_sqlite_memory(self, url):
        assert parse_database_url(url).name == ":memory:"

    def test_postgresql(self):
        db = parse_database_url("postgresql://user:pw@host:5432/name?sslmode=require")
        assert db.vendor == "postgresql"
        assert (db.user, db.password, db.host, db.port, db.name) == (
            "user",
            "pw",
            "host",
            5432,
            "name",
        )
        assert db.options == {"sslmode": "require"}

    def test_postgres_alias_and_defaults(self):
        db = parse_database_url("postgres://localhost/shop")
        assert (db.vendor, db.host, db.port, db.name, db.user, db.password) == (
            "postgresql",
            "localhost",
            None,
            "shop",
            "",
            "",
        )

    def test_quoted_credentials(self):
        db = parse_database_url("postgresql://us%40er:p%3Aw%2Fd@h:1/n%20ame")
        assert (db.user, db.password, db.name) == ("us@er", "p:w/d", "n ame")

    @pytest.mark.parametrize("scheme", ["mysql", "mariadb"])
    def test_mysql_and_mariadb(self, scheme):
        db = parse_database_url(f"{scheme}://root:secret@127.0.0.1:3306/app?charset=utf8mb4")
        assert db.vendor == "mysql"
        assert (db.user, db.password, db.host, db.port, db.name) == (
            "root",
            "secret",
            "127.0.0.1",
            3306,
            "app",
        )
        assert db.options == {"charset": "utf8mb4"}

    @pytest.mark.parametrize(
        "url",
        [
            "",
            "db.sqlite3",
            "oracle://u@h/db",
            "postgresql://host:notaport/db",
            "postgresql://host:5432/",
            "mysql://host",
            None,
        ],
    )
    def test_bad_urls(self, url):
        with pytest.raises(ImproperlyConfigured):
            parse_database_url(url)


class TestPrecedence:
    def test_default_is_sqlite_file_in_cwd(self, isolated):
        holder = _SettingsHolder()
        assert holder.databases == {"default": DEFAULT_URL}
        assert DEFAULT_URL == "sqlite:///db.sqlite3"
        assert (holder.use_tz, holder.time_zone, holder.debug) == (True, "UTC", False)

    def test_pyproject_over_default(self, isolated):
        write_pyproject(
            isolated,
            '[tool.tether]\ndatabases = {default = "sqlite:///from_pyproject.db"}\n'
            'models = ["shop.models"]\n',
        )
        holder = _SettingsHolder()
        # A relative SQLite path in [tool.tether] is relative to the pyproject.toml's folder.
        assert holder.databases == {"default": f"sqlite:///{isolated / 'from_pyproject.db'}"}
        assert holder.models == ["shop.models"]

    def test_nearest_pyproject_from_a_subfolder(self, isolated, monkeypatch):
        write_pyproject(isolated, '[tool.tether]\ndatabases = {default = "sqlite:///up.db"}\n')
        sub = isolated / "a" / "b"
        sub.mkdir(parents=True)
        monkeypatch.chdir(sub)
        url = _SettingsHolder().databases["default"]
        assert parse_database_url(url).name == str(isolated / "up.db")

    def test_relative_sqlite_paths_from_pyproject_keep_their_options(self, isolated, monkeypatch):
        write_pyproject(
            isolated,
            '[tool.tether]\ndatabases = {default = "sqlite:///data/x.db?timeout=3", '
            'mem = "sqlite://:memory:", abs = "sqlite:////srv/a.db"}\n',
        )
        (isolated / "sub").mkdir()
        monkeypatch.chdir(isolated / "sub")
        databases = _SettingsHolder().databases
        default = parse_database_url(databases["default"])
        assert (default.name, default.options) == (
            str(isolated / "data" / "x.db"),
            {"timeout": "3"},
        )
        assert databases["mem"] == "sqlite://:memory:"
        assert databases["abs"] == "sqlite:////srv/a.db"

    def test_relative_sqlite_paths_from_env_and_configure_stay_relative(
        self, isolated, monkeypatch
    ):
        write_pyproject(isolated, '[tool.tether]\ndatabases = {other = "sqlite:///o.db"}\n')
        (isolated / "sub").mkdir()
        monkeypatch.chdir(isolated / "sub")
        monkeypatch.setenv("DATABASE_URL", "sqlite:///env.db")
        holder = _SettingsHolder()
        assert holder.databases["default"] == "sqlite:///env.db"
        assert holder.databases["other"] == f"sqlite:///{isolated / 'o.db'}"
        holder.configure(databases={"default": "sqlite:///conf.db"})
        assert holder.databases == {"default": "sqlite:///conf.db"}

    def test_pyproject_without_section(self, isolated):
        write_pyproject(isolated, '[project]\nname = "x"\n')
        assert _SettingsHolder().databases == {"default": DEFAULT_URL}

    def test_env_over_pyproject(self, isolated, monkeypatch):
        write_pyproject(
            isolated,
            '[tool.tether]\ndatabases = {default = "sqlite:///p.db", other = "sqlite:///o.db"}\n',
        )
        monkeypatch.setenv("DATABASE_URL", "postgres://u@h/envdb")
        holder = _SettingsHolder()
        assert holder.databases == {
            "default": "postgres://u@h/envdb",
            "other": f"sqlite:///{isolated / 'o.db'}",
        }

    def test_configure_over_env(self, isolated, monkeypatch):
        write_pyproject(isolated, '[tool.tether]\ndatabases = {default = "sqlite:///p.db"}\n')
        monkeypatch.setenv("DATABASE_URL", "sqlite:///env.db")
        holder = _SettingsHolder()
        holder.configure(databases={"default": "sqlite:///explicit.db"}, debug=True)
        assert holder.databases == {"default": "sqlite:///explicit.db"}
        assert holder.debug is True

    def test_configure_keeps_other_sources_for_unset_settings(self, isolated, monkeypatch):
        write_pyproject(isolated, '[tool.tether]\ntime_zone = "Europe/Paris"\n')
        monkeypatch.setenv("DATABASE_URL", "sqlite:///env.db")
        holder = _SettingsHolder()
        holder.configure(use_tz=False)
        assert holder.databases == {"default": "sqlite:///env.db"}
        assert holder.time_zone == "Europe/Paris"
        assert holder.use_tz is False

    def test_bad_url_from_any_source(self, isolated, monkeypatch):
        monkeypatch.setenv("DATABASE_URL", "nonsense")
        with pytest.raises(ImproperlyConfigured):
            _SettingsHolder().databases  # noqa: B018
        monkeypatch.delenv("DATABASE_URL")
        write_pyproject(isolated, '[tool.tether]\ndatabases = {default = "ftp://x/y"}\n')
        with pytest.raises(ImproperlyConfigured):
            _SettingsHolder().databases  # noqa: B018
        with pytest.raises(ImproperlyConfigured):
            _SettingsHolder().configure(databases={"default": "nope://"})

    def test_unknown_settings(self, isolated):
        with pytest.raises(ImproperlyConfigured, match="unknown setting"):
            _SettingsHolder().configure(databse={})
        write_pyproject(isolated, "[tool.tether]\nbogus = 1\n")
        with pytest.raises(ImproperlyConfigured, match="bogus"):
            _SettingsHolder().databases  # noqa: B018

    def test_malformed_pyproject(self, isolated):
        write_pyproject(isolated, "[tool.tether\n")
        with pytest.raises(ImproperlyConfigured):
            _SettingsHolder().databases  # noqa: B018


def test_suite_database_is_untouched():
    """The global settings still point at the suite's backend after the tests above."""
    from tether.conf import settings

    assert "default" in settings.databases
    assert parse_database_url(settings.databases["default"]).vendor in {
        "sqlite",
        "postgresql",
        "mysql",
    }
