"""The pytest plugin's database blocker (issue 10, item 8), run in a pytest of its own
(pytester, in a subprocess) on a project with a configured SQLite file as its database.

Only the `db`/`transactional_db` fixtures, the `django_db` mark (pytest-django's name and
arguments) and the `tether_db` mark, tether's TestCase/TransactionTestCase and an explicit
`tether_db_blocker.unblock()` may use the database; anything else gets pytest-django's
RuntimeError, and the configured (non-test) database is never opened.
"""

from __future__ import annotations

import os
import sqlite3
import textwrap
from pathlib import Path

import pytest

MESSAGE = (
    'Database access not allowed, use the "django_db" mark, or the "db" or '
    '"transactional_db" fixtures to enable it.'
)
ROOT = Path(__file__).resolve().parents[2]

CONFTEST = """
import tether

tether.configure(databases={"default": "sqlite:///real.sqlite3"})
"""

MODELS = """
from tether import models


class Thing(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "blockapp"
"""

TESTS = """
import threading

import pytest

from tether.db import connection
from tether.test import SimpleTestCase, TestCase, TransactionTestCase

from blockapp_models import Thing


def test_plain_function_is_blocked():
    with pytest.raises(RuntimeError) as info:
        Thing.objects.count()
    assert str(info.value) == MESSAGE


def test_plain_function_in_a_thread_is_blocked():
    caught = []

    def work():
        try:
            Thing.objects.create(name="x")
        except RuntimeError as exc:
            caught.append(str(exc))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert caught == [MESSAGE]


async def _acount():
    return await Thing.objects.acount()


def test_async_code_is_blocked():
    import asyncio

    with pytest.raises(RuntimeError, match="Database access not allowed"):
        asyncio.run(_acount())


def test_db_fixture(db):
    Thing.objects.create(name="a")
    assert Thing.objects.count() == 1
    assert connection.in_atomic_block


def test_db_fixture_rolled_back(db):
    assert Thing.objects.count() == 0


@pytest.mark.django_db
def test_django_db_mark():
    Thing.objects.create(name="b")
    assert connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_django_db_mark_transaction():
    Thing.objects.create(name="c")
    assert not connection.in_atomic_block
    assert Thing.objects.count() == 1


@pytest.mark.tether_db
def test_tether_db_mark():
    assert Thing.objects.count() == 0


@pytest.mark.tether_db(transaction=True)
def test_tether_db_mark_transaction_emptied_after_the_previous():
    assert Thing.objects.count() == 0
    assert not connection.in_atomic_block


@pytest.fixture
def uses_db(db):
    return Thing.objects.create(name="via fixture")


def test_through_another_fixture(uses_db):
    assert Thing.objects.get().name == "via fixture"


def test_blocked_again_after_allowed_tests():
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        Thing.objects.count()


def test_blocker_unblocks(tether_db_blocker, django_db_blocker):
    assert tether_db_blocker is django_db_blocker
    with tether_db_blocker.unblock():
        pass
    with pytest.raises(RuntimeError):
        Thing.objects.count()


class Cases(TestCase):
    def test_testcase(self):
        Thing.objects.create(name="d")
        self.assertEqual(Thing.objects.count(), 1)


class TransactionCases(TransactionTestCase):
    def test_transaction_testcase(self):
        Thing.objects.create(name="e")
        self.assertEqual(Thing.objects.count(), 1)


class Simple(SimpleTestCase):
    def test_simple_testcase_is_blocked(self):
        # Django's own refusal comes first, as under pytest-django.
        with self.assertRaisesMessage(
            AssertionError,
            "Database queries to 'default' are not allowed in SimpleTestCase subclasses.",
        ):
            Thing.objects.count()

"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT / "src"), str(pytester.path)]))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(blockapp_models=MODELS)
    pytester.makepyfile(test_blocking=TESTS.replace("MESSAGE", repr(MESSAGE)))
    return pytester


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", *args)


def test_database_access_needs_a_fixture_a_mark_or_a_test_case(project: pytest.Pytester) -> None:
    result = _run(project)
    result.assert_outcomes(passed=15)
    real = project.path / "real.sqlite3"
    # The configured database was never opened (not even created).
    assert not real.exists()


def test_a_plain_test_never_writes_to_the_configured_database(project: pytest.Pytester) -> None:
    real = project.path / "real.sqlite3"
    raw = sqlite3.connect(real)
    raw.execute('CREATE TABLE "blockapp_thing" (id integer primary key, name varchar(20))')
    raw.close()
    project.makepyfile(
        test_writer=textwrap.dedent(
            """
            from blockapp_models import Thing

            def test_writes():
                Thing.objects.create(name="leak")
            """
        )
    )
    result = _run(project, "test_writer.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*RuntimeError: Database access not allowed*"])
    raw = sqlite3.connect(real)
    assert raw.execute('SELECT count(*) FROM "blockapp_thing"').fetchone() == (0,)
    raw.close()


def test_unknown_mark_arguments_are_refused(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_badmark=textwrap.dedent(
            """
            import pytest

            @pytest.mark.django_db(transactions=True)
            def test_x():
                pass
            """
        )
    )
    result = _run(project, "test_badmark.py")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*transactions*"])
