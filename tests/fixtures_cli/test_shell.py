"""`tether shell` and `tether dbshell` through the command line on each backend."""

from __future__ import annotations

from migrations.project import Project
from tether.conf import parse_database_url
from tether.db import connection
from tether.db.connections import load_backend

IMPORTED = "5 objects imported automatically (use -v 2 for details).\n\n"


def test_shell_command_and_stdin_see_the_models(shop: Project) -> None:
    assert shop.ok("shell", "-c", "print(Tag.objects.count(), Ebook.__name__)") == (
        IMPORTED + "0 Ebook\n"
    )
    assert shop.ok("shell", "-v", "0", "-c", "print(Author.objects.create(name='A').pk)") == ("1\n")
    assert shop.ok("shell", "--no-imports", "-v", "0", "-c", "print('Tag' in dir())") == ("False\n")
    piped = shop.ok("shell", input="print(Author.objects.get().name)\n")
    assert piped == IMPORTED + "A (saved)\n"
    verbose = shop.ok("shell", "-v", "2", "-c", "pass")
    assert verbose == (
        "5 objects imported automatically:\n\n"
        "  from fx_shop.models import Author, Book, Ebook, Review, Tag\n\n"
    )


def test_dbshell_runs_the_client_on_the_configured_database(shop: Project) -> None:
    query = {"sqlite": "select 40 + 2;", "postgresql": "-c", "mysql": "-e"}[connection.vendor]
    args = [query] if connection.vendor == "sqlite" else [query, "select 40 + 2"]
    assert "42" in shop.ok("dbshell", "--", *args)
    client = {"sqlite": "sqlite3", "postgresql": "psql", "mysql": "mariadb"}[connection.vendor]
    result = shop._run(["-m", "tether", "dbshell"], "", PATH="/nonexistent")
    assert (result.returncode, result.stderr) == (
        1,
        f"tether dbshell: error: You appear not to have the {client.replace('mariadb', 'mysql')!r}"
        " program installed or on your path.\n",
    )


def test_dbshell_never_puts_the_password_on_the_command_line() -> None:
    for url, variable in [
        ("postgresql://ann:s3cret@db.example:5433/shop?sslmode=require", "PGPASSWORD"),
        ("mysql://ann:s3cret@db.example:3307/shop?charset=utf8mb4", "MYSQL_PWD"),
    ]:
        settings = parse_database_url(url)
        client = load_backend(settings.vendor)(settings).client
        args, env = client.settings_to_cmd_args_env(settings, ["--quiet"])
        assert not any("s3cret" in arg for arg in args)
        assert env is not None and env[variable] == "s3cret"
        assert args[-2:] == ["shop", "--quiet"]
        assert "5433" in " ".join(args) or "3307" in " ".join(args)
