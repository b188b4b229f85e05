"""No races: 8 threads, each on its own connection, add overlapping links at the same moment.

Through the automatic table, explicit through models with a unique pair (UniqueConstraint and
unique_together) and a symmetrical relation: every add() succeeds (no IntegrityError, no
deadlock or "database is locked" escapes), no pair is stored twice, every link is present.
Data must be committed to be seen across connections, hence TransactionTestCase.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from typing import Any

from tether.db import connection
from tether.models import signals
from tether.test import TransactionTestCase

from .models import Node, Post, Tag

THREADS = 8
ADDS_PER_THREAD = 250  # 2,000 add() calls in all
POSTS = 10
TAGS = 12


def race(work: Callable[[int, random.Random], None]) -> list[BaseException]:
    """Run work(thread number, its random source) in THREADS threads started together."""
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def target(n: int) -> None:
        try:
            barrier.wait()
            work(n, random.Random(n))
        except BaseException as exc:  # collected and reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


class RacingAdds(TransactionTestCase):
    def setUp(self) -> None:
        self.posts = [Post.objects.create(name=f"p{i}") for i in range(POSTS)]
        self.tags = [Tag.objects.create(name=f"t{i}") for i in range(TAGS)]

    def plan(self, n: int, rnd: random.Random) -> list[tuple[int, list[int]]]:
        """(post index, tag indexes) for each add() of thread n; threads overlap heavily."""
        return [(rnd.randrange(POSTS), rnd.sample(range(TAGS), 3)) for _ in range(ADDS_PER_THREAD)]

    def race_relation(self, name: str, kwargs: dict[str, Any] | None = None) -> None:
        posts, tags = self.posts, self.tags
        wanted: set[tuple[int, int]] = set()
        for n in range(THREADS):
            for p, ts in self.plan(n, random.Random(n)):
                wanted.update((posts[p].pk, tags[t].pk) for t in ts)

        def work(n: int, rnd: random.Random) -> None:
            for p, ts in self.plan(n, rnd):
                getattr(posts[p], name).add(*(tags[t] for t in ts), **(kwargs or {}))

        errors = race(work)
        self.assertEqual(errors, [])
        through = getattr(Post, name).through
        rows = list(through.objects.values_list("post_id", "tag_id"))
        self.assertEqual(len(rows), len(set(rows)), "a pair was stored twice")
        self.assertEqual(set(rows), wanted)

    def test_automatic_through(self) -> None:
        self.race_relation("tags")

    def test_through_with_unique_constraint(self) -> None:
        self.race_relation("labels", {"through_defaults": {"weight": 3}})

    def test_through_with_unique_together(self) -> None:
        self.race_relation("marks")

    def test_with_receivers_each_link_reported_once(self) -> None:
        """With m2m_changed receivers: one read first, then the INSERT skipping pairs; where
        RETURNING reports exactly the rows inserted, post_add names each new link once."""
        added: list[tuple[int, int]] = []
        lock = threading.Lock()

        def receiver(sender: Any, action: str, instance: Any, pk_set: Any, **kw: Any) -> None:
            if action == "post_add":
                with lock:
                    added.extend((instance.pk, pk) for pk in pk_set)

        signals.m2m_changed.connect(receiver, sender=Post.tags.through, weak=False)
        try:
            self.race_relation("tags")
        finally:
            signals.m2m_changed.disconnect(receiver, sender=Post.tags.through)
        rows = set(Post.tags.through.objects.values_list("post_id", "tag_id"))
        self.assertEqual(set(added), rows)
        if connection.features.can_return_rows_from_ignore_conflicts:
            self.assertEqual(len(added), len(rows), "a link was reported added twice")


class RacingSymmetricalAdds(TransactionTestCase):
    def test_both_directions_once(self) -> None:
        nodes = [Node.objects.create(name=f"n{i}") for i in range(10)]

        def plan(rnd: random.Random) -> list[tuple[int, list[int]]]:
            return [(rnd.randrange(10), rnd.sample(range(10), 3)) for _ in range(ADDS_PER_THREAD)]

        wanted: set[tuple[int, int]] = set()
        for n in range(THREADS):
            for a, bs in plan(random.Random(n)):
                for b in bs:
                    wanted.update({(nodes[a].pk, nodes[b].pk), (nodes[b].pk, nodes[a].pk)})

        def work(n: int, rnd: random.Random) -> None:
            for a, bs in plan(rnd):
                nodes[a].peers.add(*(nodes[b] for b in bs))

        self.assertEqual(race(work), [])
        rows = list(Node.peers.through.objects.values_list("from_node_id", "to_node_id"))
        self.assertEqual(len(rows), len(set(rows)))
        self.assertEqual(set(rows), wanted)
