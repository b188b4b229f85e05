"""The blog app on Django 5.2 and on tether: the same ~90 operations give the same results.

Django runs in-process on an in-memory SQLite database; tether on the suite's backend. The
steps avoid what legitimately differs per backend (LIKE case rules, NULL ordering, error
messages from the database itself, primary key values, timestamps).
"""

from __future__ import annotations

import asyncio
import types

from tether import models
from tether.db import connection, transaction
from tether.exceptions import ObjectDoesNotExist
from tether.models import Prefetch
from tether.test import TestCase, TransactionTestCase

from . import models as blog
from .async_scenario import async_steps
from .django_twins import django_namespace
from .scenario import run_steps

NAMES = ["Author", "Profile", "Tag", "Post", "Comment", "Group", "Membership"]


def tether_namespace() -> types.SimpleNamespace:
    return types.SimpleNamespace(
        **{name: getattr(blog, name) for name in NAMES},
        models=models,
        transaction=transaction,
        exceptions=ObjectDoesNotExist,
        Prefetch=Prefetch,
        connection=connection,
        side="tether",
    )


def fresh_django() -> types.SimpleNamespace:
    ns = django_namespace()
    for name in ("Membership", "Group", "Comment", "Post", "Profile", "Tag", "Author"):
        getattr(ns, name).objects.all().delete()
    return ns


class BlogDifferentialTests(TestCase):
    maxDiff = None

    def test_same_results_as_django(self):
        expected = run_steps(fresh_django())
        mine = run_steps(tether_namespace())
        self.assertGreaterEqual(len(expected), 80)
        for (name, theirs), (_, ours) in zip(expected, mine, strict=True):
            with self.subTest(name):
                self.assertEqual(ours, theirs)


class BlogAsyncDifferentialTests(TransactionTestCase):
    maxDiff = None

    def test_same_async_results_as_django(self):
        from asgiref.sync import async_to_sync

        # Inside async_to_sync, Django's thread-sensitive ORM calls run on this thread, which
        # holds the in-memory database's connection.
        expected = async_to_sync(async_steps)(fresh_django())
        mine = asyncio.run(async_steps(tether_namespace()))
        for (name, theirs), (_, ours) in zip(expected, mine, strict=True):
            with self.subTest(name):
                self.assertEqual(ours, theirs)
        self.assertEqual(len(mine), len(expected))
