"""SQL logging as Django's: every statement to the `tether.db.backends` logger at DEBUG while
queries are logged (debug=True), with the duration, SQL, parameters and alias as extra fields;
DDL to `tether.db.backends.schema`."""

import logging

from tether.db import connection
from tether.test import TestCase, TransactionTestCase
from tether.test.utils import override_config

from .models import Car


class QueryLoggerTests(TestCase):
    def test_statements_logged_under_debug(self):
        with override_config(debug=True), self.assertLogs("tether.db.backends", "DEBUG") as logs:
            list(Car.objects.filter(name="x' OR 1=1"))
        record = logs.records[-1]
        self.assertIn("SELECT", record.sql)
        self.assertEqual(list(record.params), ["x' OR 1=1"])
        self.assertEqual(record.alias, "default")
        self.assertGreaterEqual(record.duration, 0)
        self.assertRegex(record.getMessage(), r"^\(\d+\.\d{3}\) SELECT .*; args=.*; alias=default$")

    def test_nothing_logged_without_debug(self):
        logger = logging.getLogger("tether.db.backends")
        with self.assertNoLogs(logger, "DEBUG"):
            list(Car.objects.all())


class SchemaLoggerTests(TransactionTestCase):
    def test_ddl_logged(self):
        with self.assertLogs("tether.db.backends.schema", "DEBUG") as logs:
            with connection.schema_editor() as editor:
                editor.execute("CREATE TABLE tether_log_probe (id INTEGER)")
                editor.execute("DROP TABLE tether_log_probe")
        self.assertEqual(
            [r.sql for r in logs.records],
            ["CREATE TABLE tether_log_probe (id INTEGER)", "DROP TABLE tether_log_probe"],
        )
