"""A TestCase comparing scenario outcomes on tether with Django's over the same rows."""

from __future__ import annotations

from typing import Any

from tether.db import transaction
from tether.test import TestCase

from . import models  # noqa: F401  (registers the tables before the test database is filled)
from .twins import django_outcomes, outcome, populate, tether_namespace


class DifferentialTestCase(TestCase):
    rows: dict[str, Any]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.rows = populate(tether_namespace())

    def compare(self, scenarios: Any) -> None:
        expected = django_outcomes(scenarios)
        ours = scenarios(tether_namespace(), self.rows)
        for name, scenario in ours.items():
            with self.subTest(name), transaction.atomic():
                self.assertEqual(outcome(scenario), expected[name])


def rows_of(queryset: Any) -> list[Any]:
    return [tuple(row) if isinstance(row, tuple | list) else row for row in queryset]
