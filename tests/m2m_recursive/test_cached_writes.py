"""Symmetrical writes served from the cached DELETE: both directions, second call cached."""

from __future__ import annotations

from tether.test import TestCase

from .models import Person


class SymmetricalCachedDeleteTests(TestCase):
    def test_symmetrical(self) -> None:
        ann, bob, cat, dan = (Person.objects.create(name=n) for n in ("ann", "bob", "cat", "dan"))
        ann.friends.set([bob, cat])
        bob.friends.set([ann, dan])  # cached DELETE of the unwanted links, both directions
        self.assertEqual(sorted(p.name for p in ann.friends.all()), ["bob", "cat"])
        self.assertEqual(sorted(p.name for p in dan.friends.all()), ["bob"])
        ann.friends.remove(cat)
        bob.friends.remove(dan)
        self.assertEqual(sorted(p.name for p in cat.friends.all()), [])
        self.assertEqual(sorted(p.name for p in bob.friends.all()), ["ann"])
        bob.friends.clear()
        self.assertEqual(list(ann.friends.all()), [])
