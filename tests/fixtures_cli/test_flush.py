"""`tether flush`, `tether sqlflush` and `tether sqlsequencereset` through the command line on
each backend: the statements are Django's for the backend (tables in name order, where
Django's order is a set's), flush asks first, empties every model table and resets keys."""

from __future__ import annotations

import json

from migrations.project import Project
from tether.db import connection

from .shop import SEED

TABLES = [
    "fx_shop_author",
    "fx_shop_book",
    "fx_shop_book_tags",
    "fx_shop_ebook",
    "fx_shop_review",
    "fx_shop_tag",
]


def _expected_flush() -> list[str]:
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        return [f"TRUNCATE {', '.join(quote(t) for t in TABLES)} RESTART IDENTITY;"]
    if connection.vendor == "mysql":
        return [
            "SET FOREIGN_KEY_CHECKS = 0;",
            *(f"TRUNCATE {quote(t)};" for t in TABLES),
            "SET FOREIGN_KEY_CHECKS = 1;",
        ]
    names = ", ".join(f"'{t}'" for t in TABLES)
    return [
        *(f'DELETE FROM "{t}";' for t in TABLES),
        f'UPDATE "sqlite_sequence" SET "seq" = 0 WHERE "name" IN ({names});',
    ]


def test_sqlflush_prints_the_backends_statements(shop: Project) -> None:
    out = shop.ok("sqlflush")
    assert out == "\n".join(["BEGIN;", *_expected_flush(), "COMMIT;"]) + "\n"


def test_sqlsequencereset(shop: Project) -> None:
    result = shop.tether("sqlsequencereset", "fx_shop")
    assert result.returncode == 0, result.stderr
    if connection.vendor != "postgresql":
        # Their counters follow the keys inserted: nothing to reset, as with Django.
        assert (result.stdout, result.stderr) == ("", "No sequences found.\n")
        return
    lines = result.stdout.splitlines()
    assert (lines[0], lines[-1]) == ("BEGIN;", "COMMIT;")
    assert sorted(lines[1:-1]) == [
        f"SELECT setval(pg_get_serial_sequence('\"{t}\"','id'), coalesce(max(\"id\"), 1), "
        f'max("id") IS NOT null) FROM "{t}";'
        for t in TABLES
        if t != "fx_shop_ebook"  # its key is the link to its parent: no sequence
    ]
    assert "No installed app with label 'nope'." in shop.tether("sqlsequencereset", "nope").stderr


def test_flush_asks_then_empties_every_table_and_resets_keys(shop: Project) -> None:
    shop.python(SEED)
    out = shop.ok("flush", input="no\n")
    assert (
        out.startswith(
            "You have requested a flush of the database.\nThis will IRREVERSIBLY DESTROY all data "
            f'currently in the "{connection.settings_dict.name}" database,\n'
        )
        or connection.vendor == "sqlite"
    )
    assert out.endswith("    Type 'yes' to continue, or 'no' to cancel: Flush cancelled.\n")
    assert len(json.loads(shop.ok("dumpdata", "fx_shop"))) == 7
    assert shop.ok("flush", input="yes\n").endswith("Type 'yes' to continue, or 'no' to cancel: ")
    assert shop.ok("dumpdata", "fx_shop") == "[]"
    shop.python(SEED)
    assert shop.ok("flush", "--noinput") == ""
    created = shop.python("from fx_shop.models import Tag\nprint(Tag.objects.create(name='x').pk)")
    assert created == "1\n"
