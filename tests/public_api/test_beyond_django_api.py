"""The names docs/beyond-django.md documents (issue 16), importable where it says."""

from __future__ import annotations

import tether
from tether import models
from tether.exceptions import FieldError, FieldFetchBlocked
from tether.models import fetch_modes, signals
from tether.models.fields.m2m import ManyToManyDescriptor
from tether.test import SimpleTestCase


class BeyondDjangoNamesTests(SimpleTestCase):
    def test_fetch_modes(self):
        self.assertIs(models.FETCH_ONE, fetch_modes.FETCH_ONE)
        self.assertIs(models.FETCH_PEERS, fetch_modes.FETCH_PEERS)
        self.assertIs(models.RAISE, fetch_modes.RAISE)
        for name in ("FETCH_ONE", "FETCH_PEERS", "RAISE"):
            self.assertIn(name, models.__all__)
        self.assertTrue(issubclass(FieldFetchBlocked, FieldError))
        self.assertTrue(callable(models.QuerySet.fetch_mode))
        self.assertTrue(callable(fetch_modes.no_lazy_fetch))
        self.assertTrue(callable(SimpleTestCase.assertNoLazyFetch))
        self.assertIn("fetch_mode", tether.conf.Settings.__dataclass_fields__)

    def test_complete_events_and_bulk_linking(self):
        self.assertTrue(callable(signals.complete_events))
        self.assertEqual(models.ManyToManyField("x", complete_events=True).complete_events, True)
        for name in ("link", "alink", "unlink", "aunlink", "relink", "arelink"):
            self.assertTrue(callable(getattr(ManyToManyDescriptor, name)), name)
