"""Test support for several databases: `databases` declares what a test may touch, test
databases exist for what is declared, a mirror reads its primary's test database, and
migrations ask the routers."""

from __future__ import annotations

import unittest

import pytest

from tether import models
from tether.db import connection, connections, migrations
from tether.db.migrations.migration import Migration
from tether.db.migrations.state import ProjectState
from tether.exceptions import ImproperlyConfigured
from tether.test import TestCase, TransactionTestCase, override_config

from .models import Book
from .routers import PeopleElsewhereRouter, PrimaryReplicaRouter


@pytest.fixture
def run_case(tether_db_blocker):
    """Run a test case class as unittest would (its own transactions, its own gates)."""

    def run(case: type) -> unittest.TestResult:
        result = unittest.TestResult()
        with tether_db_blocker.unblocked():
            unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
        return result

    return run


def test_a_query_on_an_undeclared_alias_fails_with_django_s_message(run_case) -> None:
    class OnlyDefault(TestCase):
        def test_it(self):
            Book.objects.using("other").count()

    result = run_case(OnlyDefault)
    [(_, trace)] = result.failures + result.errors
    assert (
        "Database queries to 'other' are not allowed in this test. Add 'other' to "
        f"{__name__}.test_a_query_on_an_undeclared_alias_fails_with_django_s_message."
        "<locals>.OnlyDefault.databases to ensure proper test isolation and silence this "
        "failure."
    ) in trace


def test_a_router_sending_a_query_elsewhere_fails_the_test(run_case) -> None:
    class Routed(TestCase):
        @override_config(routers=[PrimaryReplicaRouter()])
        def test_it(self):
            Book.objects.count()  # routed to `other`, which the class did not declare

    result = run_case(Routed)
    [(_, trace)] = result.failures + result.errors
    assert "DatabaseOperationForbidden: Database queries to 'other'" in trace


def test_declared_aliases_pass_and_the_gates_go_with_the_class(run_case) -> None:
    class Both(TestCase):
        databases = {"default", "other"}

        def test_it(self):
            Book.objects.using("other").create(title="x")
            self.assertEqual(Book.objects.using("other").count(), 1)

    result = run_case(Both)
    assert result.wasSuccessful(), result.errors + result.failures


def test_an_unknown_alias_in_databases(run_case) -> None:
    class Unknown(TestCase):
        databases = {"default", "nope"}

        def test_it(self):
            pass

    result = run_case(Unknown)
    [(_, trace)] = result.errors
    assert (
        "ImproperlyConfigured: "
        f"{__name__}.test_an_unknown_alias_in_databases.<locals>.Unknown.databases refers to "
        "'nope' which is not defined in settings.DATABASES."
    ) in trace


@pytest.mark.django_db(databases=["default"])
def test_the_db_mark_refuses_undeclared_aliases_too() -> None:
    from tether.test.guards import DatabaseOperationForbidden

    with pytest.raises(DatabaseOperationForbidden, match="the databases of its django_db mark"):
        Book.objects.using("other").count()
    assert Book.objects.count() == 0


@pytest.mark.django_db(databases=["default", "other"])
def test_the_db_mark_with_both() -> None:
    Book.objects.using("other").create(title="x")
    assert Book.objects.using("other").count() == 1
    assert Book.objects.count() == 0


class MirrorTests(TransactionTestCase):
    """`replica` is configured as a mirror of `default` (tests/conftest.py): no test database
    of its own, it reads the default's."""

    databases = {"default", "replica"}

    def test_the_mirror_reads_the_primary_s_test_database(self):
        Book.objects.create(title="Committed")
        self.assertEqual([b.title for b in Book.objects.using("replica")], ["Committed"])
        replica = connections["replica"].settings_dict.name
        self.assertEqual(replica, connections["default"].settings_dict.name)

    @override_config(routers=[PrimaryReplicaRouter()])
    def test_a_primary_replica_router_over_the_mirror(self):
        class ToReplica(PrimaryReplicaRouter):
            def db_for_read(self, model, **hints):
                return "replica"

        with override_config(routers=[ToReplica()]):
            book = Book.objects.create(title="Written")
            fetched = Book.objects.get()
        self.assertEqual(fetched, book)
        self.assertEqual(fetched._state.db, "replica")


# ---- migrations ask the routers ----------------------------------------------------------

APP = "multidb_migr"


def _create_pony() -> migrations.CreateModel:
    return migrations.CreateModel(
        "Pony", [("id", models.AutoField(primary_key=True)), ("name", models.TextField())]
    )


def _apply(alias: str, operations: list) -> None:
    migration = type("Migration", (Migration,), {"operations": operations})("0001", APP)
    with connections[alias].schema_editor(atomic=migration.atomic) as editor:
        migration.apply(ProjectState(), editor)


def _unapply(alias: str, operations: list) -> None:
    migration = type("Migration", (Migration,), {"operations": operations})("0001", APP)
    state = ProjectState()
    for operation in operations:
        operation.state_forwards(APP, state)
    with connections[alias].schema_editor(atomic=migration.atomic) as editor:
        migration.unapply(state, editor)


class OnlyOtherRouter:
    def allow_migrate(self, db, app_label, **hints):
        if app_label == APP:
            return db == "other" and hints.get("target") != "no"
        return None


class MigrateTests(TransactionTestCase):
    databases = {"default", "other"}

    @override_config(routers=[OnlyOtherRouter()])
    def test_operations_run_where_allow_migrate_allows(self):
        ran = []
        operations = [
            _create_pony(),
            migrations.RunPython(lambda apps, editor: ran.append(editor.connection.alias)),
            migrations.RunPython(lambda apps, editor: ran.append("hinted"), hints={"target": "no"}),
        ]
        try:
            for alias in ("default", "other"):
                _apply(alias, operations)
            tables = {
                alias: {t.lower() for t in connections[alias].introspection.table_names()}
                for alias in ("default", "other")
            }
            self.assertNotIn(f"{APP}_pony", tables["default"])
            self.assertIn(f"{APP}_pony", tables["other"])
            self.assertEqual(ran, ["other"])
        finally:
            _unapply("other", [_create_pony()])

    @override_config(routers=[PeopleElsewhereRouter()])
    def test_allow_migrate_model_hints(self):
        from .models import Person

        operation = migrations.CreateModel("Person", [])
        self.assertFalse(operation.allow_migrate_model("default", Person))
        self.assertTrue(operation.allow_migrate_model("other", Person))
        self.assertTrue(operation.allow_migrate_model("default", Book))


def test_configure_rejects_unknown_aliases_only_when_used() -> None:
    # A router may name any alias; a bad one fails where it is used, as in Django.
    class Nowhere:
        def db_for_read(self, model, **hints):
            return "nowhere"

    with override_config(routers=[Nowhere()]):
        with pytest.raises(ImproperlyConfigured, match="The connection 'nowhere' doesn't exist"):
            Book.objects.count()
    assert connection.alias == "default"


class BooksOnlyOnDefault:
    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if model_name == "book":
            return db == "default"
        return None


class FixtureRoutingTests(TestCase):
    databases = {"default", "other"}

    @override_config(routers=[BooksOnlyOnDefault()])
    def test_dumpdata_and_loaddata_skip_what_the_routers_keep_off(self):
        import io
        import json
        import tempfile
        from pathlib import Path

        from tether.cli import call_command

        from .models import Person

        Book.objects.using("other").create(title="Stray")
        Person.objects.using("other").create(name="Mark")
        out = io.StringIO()
        call_command(
            "dumpdata",
            "multiple_database.book",
            "multiple_database.person",
            database="other",
            stdout=out,
        )
        self.assertEqual(
            [row["model"] for row in json.loads(out.getvalue())], ["multiple_database.person"]
        )
        fixture = [
            {"model": "multiple_database.book", "pk": 7, "fields": {"title": "Loaded"}},
            {"model": "multiple_database.person", "pk": 7, "fields": {"name": "Ann"}},
        ]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "both.json"
            path.write_text(json.dumps(fixture))
            call_command("loaddata", str(path), database="other", verbosity=0)
        self.assertFalse(Book.objects.using("other").filter(pk=7).exists())
        self.assertTrue(Person.objects.using("other").filter(pk=7).exists())
