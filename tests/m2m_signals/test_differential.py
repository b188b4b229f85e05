"""m2m_changed on tether is Django's: the same scenario, the same calls in the same order.

The scenario (`scenario.STEPS`: add, remove, clear, set, create, forward and reverse, a
symmetrical self relation with and without a through model, through models with and without a
unique pair, through_defaults, existing links added, missing ones removed) runs on Django 5.2
in-process (in-memory SQLite) and on tether (the suite's backend); every m2m_changed call is
recorded as (action, instance, reverse, model, sender, using, pk_set as names) and the lists
must be equal, step by step.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from tether.test import TransactionTestCase

from . import models  # noqa: F401  (registers the tables)
from .scenario import django_world, run, tether_world


@cache
def django_run(receivers: bool, in_atomic: bool) -> list[Any]:
    return run(django_world(), receivers, in_atomic)


class M2MChangedMatchesDjango(TransactionTestCase):
    def test_signals_step_by_step(self) -> None:
        expected = django_run(True, False)
        got = run(tether_world(), True, False)
        self.assertEqual([label for label, _, _ in got], [label for label, _, _ in expected])
        for (label, calls, _), (_, django_calls, _) in zip(got, expected, strict=True):
            with self.subTest(step=label):
                self.assertEqual(calls, django_calls)

    def test_signals_inside_a_transaction(self) -> None:
        expected = [calls for _, calls, _ in django_run(True, True)]
        self.assertEqual([calls for _, calls, _ in run(tether_world(), True, True)], expected)
