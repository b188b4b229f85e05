"""Typing with no plugin (issue 17, item 3): mypy --strict and pyright strict over the typed
example (models.py, checks.py) report nothing, and what the example claims holds at run time.

The checkers run in subprocesses on the installed package (py.typed, a path on sys.path), each
with its own settings: mypy with an empty config and its cache in a temporary folder, pyright
strict by the files' `# pyright: strict` comment.
"""

import asyncio
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tether.models.fields.related import ForeignKey
from tether.models.manager import Manager
from tether.models.query import QuerySet
from tether.models.relations import RelatedManager
from tether.test import TestCase, TransactionTestCase

from . import checks
from .models import Author, Post, Tag

HERE = Path(__file__).parent
EXAMPLE = [str(HERE / "models.py"), str(HERE / "checks.py")]


def _run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing(tmp_path: Path) -> None:
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n")
    command = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config)]
    _run([*command, "--cache-dir", str(tmp_path / "cache"), *EXAMPLE], tmp_path)


@pytest.mark.skipif(importlib.util.find_spec("pyright") is None, reason="pyright not installed")
def test_pyright_strict_finds_nothing(tmp_path: Path) -> None:
    _run([sys.executable, "-m", "pyright", "--pythonpath", sys.executable, *EXAMPLE], tmp_path)


def test_the_package_says_it_is_typed() -> None:
    import tether

    assert (Path(tether.__file__).parent / "py.typed").is_file()


def test_generic_classes_subscript_to_themselves() -> None:
    # As Django's: an annotation evaluated at run time names the class itself.
    assert Manager[Post] is Manager
    assert QuerySet[Post] is QuerySet
    assert RelatedManager[Post] is not None
    assert ForeignKey[Author] is not None


class AnnotationsAreNotFieldsTests(TestCase):
    def test_declared_names_are_not_fields(self) -> None:
        local = {f.name for f in Post._meta.local_fields + Post._meta.local_many_to_many}
        assert local == {
            "id",
            "title",
            "subtitle",
            "published",
            "day",
            "rating",
            "author",
            "editor",
            "tags",
        }
        assert {f.name for f in Author._meta.local_fields} == {"id", "name"}

    def test_the_example_runs(self) -> None:
        author = Author.objects.create(name="Ada")
        tag = Tag.objects.create(label="orm")
        post = checks.managers_and_querysets(author)
        checks.instances(post, tag)
        checks.class_attributes()
        assert post.author_id == author.pk
        assert list(author.posts.all()) == [post]
        assert list(tag.post_set.all()) == [post]
        assert post.comment_set.get().body == "First"
        assert [p.title for p in Post.publications.live()] == []


class AsyncExampleTests(TransactionTestCase):
    def test_the_async_example_runs(self) -> None:
        author = Author.objects.create(name="Ada")
        post = asyncio.run(checks.asynchronous(author))
        assert Post.objects.get(pk=post.pk).title == "Async"
