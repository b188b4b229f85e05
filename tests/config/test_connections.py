"""Connections: aliases, the default proxy, per-thread wrappers, SQLite pragmas."""

import threading

from tether.db import connection, connections
from tether.db.core.requests import ONE, Execute
from tether.db.core.run import run_plan
from tether.test import TestCase, TransactionTestCase

from .models import Gadget


def one(sql, conn=None):
    conn = conn or connections["default"]

    def plan():
        return (yield Execute(sql, (), ONE))

    return run_plan(plan(), conn)


class ConnectionTests(TestCase):
    def test_alias_and_proxy(self):
        self.assertIs(connections["default"], connections["default"])
        self.assertEqual(connection.alias, "default")
        self.assertTrue(connection == connections["default"])
        self.assertIn("default", list(connections))

    def test_per_thread(self):
        seen = []
        thread = threading.Thread(target=lambda: seen.append(connections["default"]))
        thread.start()
        thread.join()
        self.assertIsNot(seen[0], connections["default"])

    def test_using_and_save_using(self):
        obj = Gadget(name="g")
        obj.save(using="default")
        self.assertEqual(Gadget.objects.using("default").get().name, "g")
        self.assertEqual(Gadget.objects.db, "default")
        self.assertEqual(Gadget.objects.using("default").db, "default")


class SQLitePragmaTests(TransactionTestCase):
    def setUp(self):
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only")

    def test_foreign_keys_enforced(self):
        self.assertEqual(one("PRAGMA foreign_keys")[0], 1)

    def test_file_database_uses_wal(self):
        self.assertEqual(one("PRAGMA journal_mode")[0].lower(), "wal")

    def test_new_thread_connection_has_the_same_pragmas(self):
        results = []

        def work():
            conn = connections["default"]
            results.append(
                (one("PRAGMA foreign_keys", conn)[0], one("PRAGMA journal_mode", conn)[0])
            )
            conn.close()

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        self.assertEqual(results, [(1, "wal")])
