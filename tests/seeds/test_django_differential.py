"""Differential: every seed tour replayed on Django 5.2 and on tether prints the same thing.

The tours (`tether demo`'s Article/Publication walkthrough and the two Student/Course ones)
are replayed statement by statement: on Django in-process (in-memory SQLite, twin models from
`django_apps`) and on tether (the suite's backend, tables created fresh so ids start at 1).
Every printed repr, error message and delete count must agree, and agree with the output the
tour records for `tether demo`.
"""

from __future__ import annotations

from typing import Any

from tether.cli.tours import Step, Tour
from tether.cli.tours.press import PRESS_TOUR
from tether.cli.tours.replay import run_statement, tables_of
from tether.cli.tours.students import REGISTRAR_TOUR, SCHOOL_TOUR
from tether.db import connection
from tether.test import TransactionTestCase

from .django_apps import django_models
from .press.models import Article, Publication

TOURS = {"press": PRESS_TOUR, "school": SCHOOL_TOUR, "registrar": REGISTRAR_TOUR}


def _is_import(step: Step) -> bool:
    return step.statement.startswith("from tether.cli.seed_apps")


def replay_on_django(app_label: str, tour: Tour) -> list[str | None]:
    """The output of every non-import step of `tour`, run on Django with the twin models."""
    from django.db import connection as django_connection

    models = django_models()[app_label]
    ordered = [models[m.__name__] for m in tour.models()]
    namespace: dict[str, Any] = {"__name__": "__django_tour__", **models}
    with django_connection.schema_editor() as editor:
        for model in ordered:
            editor.create_model(model)
    try:
        return [
            run_statement(step.statement, namespace)
            for step in tour.normalized_steps()
            if not _is_import(step)
        ]
    finally:
        with django_connection.schema_editor() as editor:
            for model in reversed(ordered):
                editor.delete_model(model)


def replay_on_tether(tour: Tour, registered: dict[str, Any] | None) -> list[str | None]:
    """The output of every step of `tour` but the imports, run on tether's test database.

    The tour's own models get fresh tables, unless `registered` gives twins registered with the
    test suite (same app label, so same tables): those tables exist already and are empty, with
    sequences reset, so ids start at 1 all the same.
    """
    namespace: dict[str, Any] = {"__name__": "__tether_tour__"}
    steps = tour.normalized_steps()
    if registered is not None:
        namespace.update(registered)
        return [run_statement(s.statement, namespace) for s in steps if not _is_import(s)]
    outputs = []
    with tables_of(list(tour.models()), connection):
        for step in steps:
            output = run_statement(step.statement, namespace)
            if not _is_import(step):
                outputs.append(output)
    return outputs


class SeedToursMatchDjango(TransactionTestCase):
    reset_sequences = True

    def check(self, app_label: str, registered: dict[str, Any] | None = None) -> None:
        tour = TOURS[app_label]
        steps = [step for step in tour.normalized_steps() if not _is_import(step)]
        theirs = replay_on_django(app_label, tour)
        ours = replay_on_tether(tour, registered)
        for step, django_output, tether_output in zip(steps, theirs, ours, strict=True):
            with self.subTest(step.statement):
                self.assertEqual(tether_output, django_output)
                self.assertEqual(step.expected, django_output, "the tour records Django's output")

    def test_article_publication_walkthrough(self) -> None:
        # tests/seeds/press declares the same models in the same app: its tables are the tour's.
        self.check("press", {"Article": Article, "Publication": Publication})

    def test_student_course_tutorial(self) -> None:
        self.check("school")

    def test_enrollment_tutorial(self) -> None:
        self.check("registrar")
