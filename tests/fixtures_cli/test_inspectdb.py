"""`tether inspectdb` through the command line on each backend: the module it prints for the
shop's tables imports, reads the rows back (the pure join table also as a ManyToManyField),
and on SQLite it is Django's inspectdb output line for line but for that field."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from migrations.project import Project
from tether.db import connection

from .shop import SEED

TABLES = ["fx_shop_author", "fx_shop_book", "fx_shop_book_tags", "fx_shop_review", "fx_shop_tag"]
M2M = (
    "    tags = models.ManyToManyField('FxShopTag', through='FxShopBookTags', "
    "through_fields=('book', 'tag'), related_name='+')"
)


def test_inspected_models_read_the_rows(shop: Project) -> None:
    shop.python(SEED)
    source = shop.ok("inspectdb", *TABLES, "fx_shop_ebook")
    assert source.startswith("# This is an auto-generated tether model module.\n")
    assert "\nclass FxShopBookTags(models.Model):\n" in source
    assert M2M + "\n" in source
    assert (
        "    book_ptr = models.OneToOneField(FxShopBook, models.DO_NOTHING, primary_key=True)\n"
        in (source)
    )
    (shop.root / "legacy").mkdir()
    (shop.root / "legacy" / "__init__.py").write_text("")
    (shop.root / "legacy" / "models.py").write_text(source)
    pyproject = shop.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"]', '", "legacy.models"]'))
    out = shop.ok(
        "shell",
        "-v",
        "0",
        "-c",
        "book = FxShopBook.objects.get(title='Dune')\n"
        "print(book.author.name, list(book.tags.order_by('name').values_list('name', flat=True)))\n"
        "print(FxShopEbook.objects.get().book_ptr.title, FxShopReview.objects.get().tag.name)",
    )
    assert out == "Ann (saved) ['blue', 'red']\nEmma red\n"
    assert shop.ok("check") == "System check identified no issues (0 silenced).\n"


def test_same_as_djangos_inspectdb_on_sqlite(shop: Project, tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("Django reads the SQLite file here (its MariaDB driver is not installed)")
    pytest.importorskip("django")
    ours = shop.ok("inspectdb").splitlines()
    (tmp_path / "dj").mkdir()
    (tmp_path / "dj" / "settings.py").write_text(
        "SECRET_KEY = 'x'\nINSTALLED_APPS = []\n"
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', "
        f"'NAME': {shop.url.removeprefix('sqlite:///')!r}}}}}\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings", "PYTHONPATH": str(tmp_path / "dj")}
    result = subprocess.run(
        [sys.executable, "-m", "django", "inspectdb"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    theirs = result.stdout.splitlines()
    renamed = [
        line.replace("Django", "tether").replace("from django.db import", "from tether import")
        for line in theirs
    ]
    assert [line for line in ours if line != M2M] == renamed
