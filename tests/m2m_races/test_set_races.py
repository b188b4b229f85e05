"""Concurrent set() on one relation (issue 10, item 6): 8 threads x 10 set() calls on the same
post's links, with overlapping target sets. No deadlock (or "database is locked") reaches a
caller, no pair is stored twice, and the links left are those of one of the calls.

set() first locks the source row (SELECT ... FOR [NO KEY] UPDATE where the backend has it;
SQLite's write transaction begins IMMEDIATE), so overlapping set() calls on one instance run
one after the other instead of deleting and inserting each other's rows in opposite orders.
"""

from __future__ import annotations

import random
import threading
from typing import Any

from tether.db import OperationalError
from tether.models import signals
from tether.test import TransactionTestCase

from .models import Post, Tag
from .test_races import race

SETS_PER_THREAD = 10
TAGS = 12


class RacingSets(TransactionTestCase):
    def setUp(self) -> None:
        self.post = Post.objects.create(name="p")
        self.tags = [Tag.objects.create(name=f"t{i}") for i in range(TAGS)]
        self.post.tags.set(self.tags[:6])

    def race_sets(self, name: str = "tags") -> set[frozenset[int]]:
        """Run the race; returns every target set some call asked for."""
        asked: set[frozenset[int]] = set()
        lock = threading.Lock()

        def work(n: int, rnd: random.Random) -> None:
            post = Post.objects.get(pk=self.post.pk)
            for _ in range(SETS_PER_THREAD):
                chosen = rnd.sample(self.tags, rnd.randrange(2, 9))
                with lock:
                    asked.add(frozenset(tag.pk for tag in chosen))
                getattr(post, name).set(chosen)

        errors = race(work)
        self.assertEqual(errors, [], "a set() call failed (deadlock?)")
        return asked

    def assert_one_of(self, asked: set[frozenset[int]], name: str = "tags") -> None:
        through = getattr(Post, name).through
        rows = list(through.objects.values_list("post_id", "tag_id"))
        self.assertEqual(len(rows), len(set(rows)), "a pair was stored twice")
        self.assertIn(frozenset(tag for _post, tag in rows), asked)

    def test_no_deadlock_reaches_the_caller(self) -> None:
        self.assert_one_of(self.race_sets())

    def test_through_model_with_unique_pair(self) -> None:
        self.assert_one_of(self.race_sets("marks"), "marks")

    def test_with_receivers_each_call_reported_once(self) -> None:
        calls: list[str] = []
        lock = threading.Lock()

        def receiver(sender: Any, action: str, **kwargs: Any) -> None:
            with lock:
                calls.append(action)

        signals.m2m_changed.connect(receiver, sender=Post.tags.through, weak=False)
        try:
            asked = self.race_sets()
        finally:
            signals.m2m_changed.disconnect(receiver, sender=Post.tags.through)
        self.assert_one_of(asked)
        # Every pre_ has its post_: no call was cut short (and retried) after a receiver ran.
        for kind in ("add", "remove"):
            self.assertEqual(calls.count(f"pre_{kind}"), calls.count(f"post_{kind}"))


class SetRetryTests(TransactionTestCase):
    """A deadlock victim is retried only while no m2m_changed receiver has run."""

    def setUp(self) -> None:
        self.post = Post.objects.create(name="p")
        self.tags = [Tag.objects.create(name=f"t{i}") for i in range(3)]
        self.post.tags.set(self.tags[:1])

    def fail_once_at(self, failing: str) -> list[str]:
        """A receiver that records the actions and raises a deadlock error once, at `action`."""
        from .test_retry import transient_error

        seen: list[str] = []

        def receiver(sender: Any, action: str, **kwargs: Any) -> None:
            seen.append(action)
            if action == failing and seen.count(action) == 1:
                raise transient_error()

        signals.m2m_changed.connect(receiver, sender=Post.tags.through, weak=False)
        self.addCleanup(signals.m2m_changed.disconnect, receiver, sender=Post.tags.through)
        return seen

    def test_no_retry_once_a_receiver_ran(self) -> None:
        seen = self.fail_once_at("post_remove")
        with self.assertRaises(OperationalError):
            self.post.tags.set(self.tags[1:])
        self.assertEqual(seen, ["pre_remove", "post_remove"])  # not sent again
        self.assertEqual(set(self.post.tags.all()), {self.tags[0]})  # rolled back
