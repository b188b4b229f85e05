"""A TestCase comparing scenario outcomes on tether with Django's over the same rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tether.db import connection, transaction
from tether.test import TestCase

from . import models  # noqa: F401  (registers the tables before the test database is filled)
from .twins import django_outcomes, outcome, populate, tether_namespace


class DifferentialTestCase(TestCase):
    rows: dict[str, Any]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.rows = populate(tether_namespace())

    def compare(
        self, scenarios: Any, answers: Mapping[str, Mapping[str, str]] | None = None
    ) -> None:
        """Each scenario's outcome on tether equals Django's on the same backend, except
        those `answers[vendor]` names (each with why; docs/differences-from-django.md):
        Django raises on that backend and tether answers."""
        expected = django_outcomes(scenarios)
        ours = scenarios(tether_namespace(), self.rows)
        deliberate = (answers or {}).get(connection.vendor, {})
        for name, scenario in ours.items():
            with self.subTest(name), transaction.atomic():
                found = outcome(scenario)
                if found[0] != "ok":  # a failed statement aborts PostgreSQL's transaction
                    transaction.set_rollback(True)
                if name in deliberate:
                    self.assertNotEqual(expected[name][0], "ok", "Django answers now")
                    self.assertEqual(found[0], "ok", found)
                else:
                    self.assertEqual(found, expected[name])


def rows_of(queryset: Any) -> list[Any]:
    return [tuple(row) if isinstance(row, tuple | list) else row for row in queryset]
