"""The router's own rules, without a database: the order routers are asked in, what a missing
method or a None answer means, the fallbacks, dotted paths, and where the list comes from."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import tether
from tether.conf import _SettingsHolder
from tether.db import router
from tether.db.utils import ConnectionRouter
from tether.exceptions import ImproperlyConfigured
from tether.test import override_config

from .models import Book, Person
from .routers import (
    NoAnswerRouter,
    PeopleElsewhereRouter,
    PrimaryReplicaRouter,
    RecordingRouter,
    WriteOnlyRouter,
)


def test_without_routers_everything_goes_to_default() -> None:
    assert router.db_for_read(Book) == "default"
    assert router.db_for_write(Book) == "default"
    assert router.allow_migrate("other", "multiple_database") is True
    assert router.allow_migrate_model("other", Book) is True


def test_the_instance_hint_is_the_fallback() -> None:
    book = Book(title="Dive")
    book._state.db = "other"
    assert router.db_for_read(Person, instance=book) == "other"
    assert router.db_for_write(Person, instance=book) == "other"
    assert router.db_for_write(Person, instance=Book()) == "default"  # not on a database yet


def test_the_first_answer_wins_and_none_passes_on() -> None:
    routers = ConnectionRouter([NoAnswerRouter(), WriteOnlyRouter(), PrimaryReplicaRouter()])
    # NoAnswerRouter says None; WriteOnlyRouter has no db_for_read: PrimaryReplica decides.
    assert routers.db_for_read(Book) == "other"
    assert routers.db_for_write(Book) == "other"  # WriteOnlyRouter's, before PrimaryReplica's
    assert ConnectionRouter([PrimaryReplicaRouter(), WriteOnlyRouter()]).db_for_write(Book) == (
        "default"
    )


def test_allow_relation_defaults_to_one_database() -> None:
    a, b = Person(name="a"), Person(name="b")
    a._state.db, b._state.db = "default", "other"
    assert router.allow_relation(a, b) is False
    b._state.db = "default"
    assert router.allow_relation(a, b) is True
    a._state.db = "other"
    assert ConnectionRouter([NoAnswerRouter(), PrimaryReplicaRouter()]).allow_relation(a, b)


def test_allow_migrate_passes_hints_and_falls_back_to_true() -> None:
    routers = ConnectionRouter([NoAnswerRouter(), PeopleElsewhereRouter()])
    assert routers.allow_migrate_model("default", Person) is False
    assert routers.allow_migrate_model("other", Person) is True
    assert routers.allow_migrate_model("default", Book) is True  # nobody answers: allowed
    assert routers.allow_migrate("default", "multiple_database", model_name="profile") is False


def test_hints_reach_the_router() -> None:
    recorder = RecordingRouter()
    book = Book(title="Dive")
    with override_config(routers=[recorder]):
        assert router.db_for_write(Person, instance=book) == "default"
    assert recorder.calls == [("write", Person, {"instance": book})]


def test_dotted_paths_are_imported_and_instantiated_once() -> None:
    path = "tests.multiple_database.routers.PrimaryReplicaRouter"
    with override_config(routers=[path]):
        first = router.routers
        assert [type(r).__name__ for r in first] == ["PrimaryReplicaRouter"]
        assert router.routers is first
        assert router.db_for_read(Book) == "other"
    assert router.routers == []


def test_a_bad_dotted_path_says_which() -> None:
    with override_config(routers=["tests.multiple_database.routers.Nope"]):
        with pytest.raises(ImproperlyConfigured, match="Cannot import the database router"):
            router.db_for_read(Book)


def test_an_error_inside_a_router_is_not_swallowed() -> None:
    class Broken:
        def db_for_read(self, model, **hints):
            raise AttributeError("oops")

    with override_config(routers=[Broken()]):
        with pytest.raises(AttributeError, match="oops"):
            router.db_for_read(Book)


def test_configure_refuses_a_lone_string() -> None:
    with pytest.raises(ImproperlyConfigured, match="routers must be a list"):
        tether.configure(routers="myapp.routers.Primary")


def test_pyproject_names_routers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [tool.tether]
            routers = ["tests.multiple_database.routers.PrimaryReplicaRouter"]
            """
        )
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    holder = _SettingsHolder()
    assert holder.routers == ["tests.multiple_database.routers.PrimaryReplicaRouter"]
    assert ConnectionRouter(holder.routers).db_for_read(Book) == "other"
    (tmp_path / "pyproject.toml").write_text('[tool.tether]\nrouters = "one.Router"\n')
    with pytest.raises(ImproperlyConfigured, match="routers must be a list"):
        _SettingsHolder().routers  # noqa: B018 - the read loads the file
