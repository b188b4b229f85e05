"""`tether dumpdata` and `tether loaddata` through the command line, on the test database of
each backend: Django's JSON and JSON Lines formats, natural keys, selection and exclusion,
output files, raw saves (no model save(), signals told raw=True), one transaction per load."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from migrations.project import Project

from .shop import SEED

BOOK = {
    "title": "Dune",
    "author": 1,
    "price": "9.50",
    "published": "2024-05-06T07:08:09.123Z",
    "released": "2024-05-06",
    "length": "1 00:00:05",
    "extra": {"tags": ["a", "b"], "pages": 412},
    "cover": "AAFieXRlcw==",
    "code": "12345678-1234-5678-1234-567812345678",
    "in_print": True,
    "tags": [1, 2],
}
EMMA = {
    "title": "Emma",
    "author": None,
    "price": None,
    "published": None,
    "released": None,
    "length": None,
    "extra": None,
    "cover": None,
    "code": None,
    "in_print": False,
    "tags": [2],
}
EXPECTED = [
    {"model": "fx_shop.tag", "pk": 1, "fields": {"name": "red"}},
    {"model": "fx_shop.tag", "pk": 2, "fields": {"name": "blue"}},
    {"model": "fx_shop.author", "pk": 1, "fields": {"name": "Ann (saved)"}},
    {"model": "fx_shop.book", "pk": 1, "fields": BOOK},
    {"model": "fx_shop.book", "pk": 2, "fields": EMMA},
    {"model": "fx_shop.ebook", "pk": 2, "fields": {"url": "https://example.com/emma"}},
    {"model": "fx_shop.review", "pk": 1, "fields": {"book": 1, "tag": 1, "text": "great!"}},
]


def _fails(shop: Project, *args: str) -> str:
    """stderr of a failing command run as a user runs it (no --traceback)."""
    result = shop._run(["-m", "tether", *args], None)
    assert result.returncode == 1, result.stdout
    return result.stderr


def _links_sorted(objects: list[dict]) -> list[dict]:
    """The dumped objects with each book's tag keys sorted: a many-to-many's keys are listed in
    whatever order the database reads them (MariaDB may read them through the unique name index)."""
    for obj in objects:
        if obj["model"] == "fx_shop.book":
            obj["fields"]["tags"] = sorted(obj["fields"]["tags"])
    return objects


def _empty(shop: Project) -> None:
    shop.python(
        """
        from fx_shop.models import Author, Book, Tag
        Book.objects.all().delete(); Author.objects.all().delete(); Tag.objects.all().delete()
        """
    )


def test_dumpdata_writes_djangos_json(shop: Project) -> None:
    shop.python(SEED)
    out = shop.ok("dumpdata", "fx_shop")
    assert json.loads(out) == EXPECTED
    assert out.startswith('[{"model": "fx_shop.tag", "pk": 1, "fields": {"name": "red"}}, {')
    assert out.endswith("}]")
    indented = shop.ok("dumpdata", "fx_shop.tag", "--indent", "2")
    assert indented == (
        "[\n"
        '{\n  "model": "fx_shop.tag",\n  "pk": 1,\n  "fields": {\n    "name": "red"\n  }\n},\n'
        '{\n  "model": "fx_shop.tag",\n  "pk": 2,\n  "fields": {\n    "name": "blue"\n  }\n}\n'
        "]\n"
    )
    lines = shop.ok("dumpdata", "fx_shop", "--format", "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == EXPECTED
    assert lines[0] == '{"model": "fx_shop.tag","pk": 1,"fields": {"name": "red"}}'


def test_selection_exclusion_pks_and_output_files(shop: Project, tmp_path: Path) -> None:
    shop.python(SEED)
    only = json.loads(shop.ok("dumpdata", "fx_shop.author", "fx_shop.Tag"))
    assert [o["model"] for o in only] == ["fx_shop.author", "fx_shop.tag", "fx_shop.tag"]
    rest = json.loads(
        shop.ok("dumpdata", "fx_shop", "-e", "fx_shop.book", "--exclude", "fx_shop.tag")
    )
    assert {o["model"] for o in rest} == {"fx_shop.author", "fx_shop.ebook", "fx_shop.review"}
    assert json.loads(shop.ok("dumpdata", "fx_shop.tag", "--pks", "2")) == [EXPECTED[1]]
    shop.ok("dumpdata", "fx_shop", "-o", str(tmp_path / "all.json.gz"))
    with gzip.open(tmp_path / "all.json.gz", "rt") as f:
        assert json.load(f) == EXPECTED
    for args, message in [
        (["nope"], "No installed app with label 'nope'."),
        (["fx_shop.nope"], "Unknown model: fx_shop.nope"),
        (["fx_shop", "--format", "xml"], "Unknown serialization format: xml"),
        (["fx_shop", "--pks", "1"], "You can only use --pks option with one model"),
        (["--database", "other"], "The connection 'other' doesn't exist."),
    ]:
        assert _fails(shop, "dumpdata", *args) == f"tether dumpdata: error: {message}\n"


def test_round_trip_is_raw_and_keeps_many_to_many(shop: Project, tmp_path: Path) -> None:
    shop.python(SEED)
    shop.ok("dumpdata", "fx_shop", "--indent", "4", "-o", str(tmp_path / "shop.json"))
    _empty(shop)
    assert shop.ok("dumpdata", "fx_shop") == "[]"
    out = shop.ok("loaddata", str(tmp_path / "shop.json"))
    assert out == "Installed 7 object(s) from 1 fixture(s)\n"
    # Raw: Author.save() would add " (saved)" again, the receiver another "!".
    assert json.loads(shop.ok("dumpdata", "fx_shop")) == EXPECTED
    # The sequences moved past the loaded keys: a new row gets the next key.
    created = shop.python(
        "from fx_shop.models import Tag\nprint(Tag.objects.create(name='green').pk)"
    )
    assert created == "3\n"


def test_natural_keys_and_forward_references(shop: Project, tmp_path: Path) -> None:
    shop.python(SEED)
    out = shop.ok("dumpdata", "fx_shop", "--natural-foreign", "--natural-primary")
    dumped = json.loads(out)
    assert dumped[0] == {"model": "fx_shop.tag", "fields": {"name": "red"}}
    # A many-to-many's keys come in the database's order (no ORDER BY, as Django's): sorted here.
    assert sorted(dumped[3]["fields"]["tags"]) == [["blue"], ["red"]]
    assert dumped[-1]["fields"]["tag"] == ["red"]
    fixture = tmp_path / "natural.json"
    fixture.write_text(out)
    _empty(shop)
    shop.ok("loaddata", str(fixture))
    again = json.loads(shop.ok("dumpdata", "fx_shop", "--natural-foreign", "--natural-primary"))
    assert _links_sorted(again) == _links_sorted(dumped)
    # A natural key naming an object further on in the fixture: resolved at the end.
    forward = tmp_path / "forward.jsonl"
    forward.write_text(
        '{"model": "fx_shop.review", "pk": 7, "fields": {"book": 1, "tag": ["green"], '
        '"text": "later"}}\n{"model": "fx_shop.tag", "fields": {"name": "green"}}\n'
    )
    assert shop.ok("loaddata", str(forward)) == "Installed 2 object(s) from 1 fixture(s)\n"
    check = "from fx_shop.models import Review\nprint(Review.objects.get(pk=7).tag.name)"
    assert shop.python(check) == "green\n"


def test_a_failing_fixture_writes_nothing(shop: Project, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '[{"model": "fx_shop.tag", "pk": 5, "fields": {"name": "x"}},'
        ' {"model": "fx_shop.nope", "pk": 1, "fields": {}}]'
    )
    assert _fails(shop, "loaddata", str(bad)) == (
        f"tether loaddata: error: DeserializationError: Problem installing fixture '{bad}': "
        "Invalid model identifier: fx_shop.nope\n"
    )
    dangling = tmp_path / "dangling.json"
    dangling.write_text(
        '[{"model": "fx_shop.tag", "pk": 5, "fields": {"name": "x"}},'
        ' {"model": "fx_shop.author", "pk": 1, "fields": {"name": "A"}},'
        ' {"model": "fx_shop.book", "pk": 1, "fields": {"title": "T", "author": 9}}]'
    )
    assert _fails(shop, "loaddata", str(dangling)) == (
        "tether loaddata: error: IntegrityError: Problem installing fixtures: The row in table "
        "'fx_shop_book' with primary key '1' has an invalid foreign key: fx_shop_book.author_id "
        "contains a value '9' that does not have a corresponding value in fx_shop_author.id.\n"
    )
    assert shop.ok("dumpdata", "fx_shop") == "[]"
    assert _fails(shop, "loaddata", "missing") == (
        "tether loaddata: error: No fixture named 'missing' found.\n"
    )


def test_fixtures_folder_stdin_ignorenonexistent_and_exclude(shop: Project) -> None:
    folder = shop.root / "fx_shop" / "fixtures"
    folder.mkdir()
    (folder / "tags.json").write_text(
        '[{"model": "fx_shop.tag", "pk": 1, "fields": {"name": "red", "gone": 1}}]'
    )
    assert "Tag has no field named 'gone'" in _fails(shop, "loaddata", "tags")
    assert shop.ok("loaddata", "tags", "--ignorenonexistent") == (
        "Installed 1 object(s) from 1 fixture(s)\n"
    )
    line = '{"model": "fx_shop.author", "pk": 4, "fields": {"name": "Bo"}}\n'
    assert shop.ok("loaddata", "-", "--format", "jsonl", input=line) == (
        "Installed 1 object(s) from 1 fixture(s)\n"
    )
    assert shop.ok("loaddata", "-", "--format", "jsonl", "-e", "fx_shop.author", input=line) == (
        "Installed 0 object(s) (of 1) from 1 fixture(s)\n"
    )
    assert [o["pk"] for o in json.loads(shop.ok("dumpdata", "fx_shop.author"))] == [4]
