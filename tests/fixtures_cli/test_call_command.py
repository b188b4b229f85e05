"""Fixtures from Python, as a Django test suite uses them: `TestCase.fixtures` (loaded once
per class inside its transaction; per test for TransactionTestCase) and `call_command`."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from tether.cli import CommandError, call_command
from tether.test import TestCase, TransactionTestCase

from .models import Club, Person


class FixturesAttributeTests(TestCase):
    fixtures = ["people"]

    def test_loaded_before_the_tests(self) -> None:
        self.assertEqual(sorted(Person.objects.values_list("name", flat=True)), ["Ann", "Bo"])
        club = Club.objects.get()
        self.assertEqual(sorted(p.name for p in club.members.all()), ["Ann", "Bo"])

    def test_each_test_sees_them_again(self) -> None:
        Person.objects.all().delete()
        self.assertEqual(Person.objects.count(), 0)

    def test_each_test_sees_them_again_too(self) -> None:
        self.assertEqual(Person.objects.count(), 2)


class TransactionFixturesTests(TransactionTestCase):
    fixtures = ["people.json"]

    def test_loaded(self) -> None:
        self.assertEqual(Club.objects.get().members.count(), 2)


class CallCommandTests(TestCase):
    def test_options_by_name_and_output(self) -> None:
        call_command("loaddata", "people", verbosity=0)
        out = io.StringIO()
        call_command("dumpdata", "fixtures_cli.person", natural_primary=True, stdout=out)
        self.assertEqual(
            json.loads(out.getvalue()),
            [
                {"model": "fixtures_cli.person", "fields": {"name": "Ann"}},
                {"model": "fixtures_cli.person", "fields": {"name": "Bo"}},
            ],
        )
        out = io.StringIO()
        call_command("loaddata", "people", database="default", stdout=out)
        self.assertEqual(out.getvalue(), "Installed 3 object(s) from 1 fixture(s)\n")
        self.assertEqual(Person.objects.count(), 2)  # found again by natural key

    def test_a_dump_to_a_file_shows_progress_on_a_terminal(self) -> None:
        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        call_command("loaddata", "people", verbosity=0)
        out = Terminal()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "people.json"
            call_command("dumpdata", "fixtures_cli.person", output=str(path), stdout=out)
            self.assertEqual(len(json.loads(path.read_text())), 2)
        half, full = "." * 37 + " " * 38, "." * 75
        self.assertEqual(out.getvalue(), f"\r[{half}]\r[{full}]\n")

    def test_errors_are_raised(self) -> None:
        with self.assertRaisesMessage(CommandError, "No fixture named 'missing' found."):
            call_command("loaddata", "missing")
        with self.assertRaisesMessage(CommandError, "Unknown command: 'nope'"):
            call_command("nope")
