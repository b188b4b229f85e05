"""`tether.test`: django.test's test cases, feature skips and query capture for tether.

Importing it does not touch a database; test databases are created the first time a
TransactionTestCase (or the pytest `db` fixture) needs them.
"""

from tether.test.testcases import (
    SimpleTestCase,
    TestCase,
    TransactionTestCase,
    skipIfDBFeature,
    skipUnlessDBFeature,
)
from tether.test.utils import CaptureQueriesContext, isolate_apps, override_config

__all__ = [
    "CaptureQueriesContext",
    "SimpleTestCase",
    "TestCase",
    "TransactionTestCase",
    "isolate_apps",
    "override_config",
    "skipIfDBFeature",
    "skipUnlessDBFeature",
]
