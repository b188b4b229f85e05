"""Skipping existing pairs hides no other error: a through model's other unique key still
raises IntegrityError (ON CONFLICT names the pair; on MariaDB, whose ON DUPLICATE KEY cannot
name it, add() reads the pairs first and inserts plainly)."""

from __future__ import annotations

from tether.db import IntegrityError, connection
from tether.models.relations.m2m_writes import strategy_for
from tether.test import TestCase

from .models import Sticker, Tag


class OtherUniqueKey(TestCase):
    def test_other_unique_violation_raises(self) -> None:
        s1, s2 = Sticker.objects.create(name="s1"), Sticker.objects.create(name="s2")
        t1, t2 = Tag.objects.create(name="t1"), Tag.objects.create(name="t2")
        s1.stamps.add(t1, through_defaults={"code": "A"})
        s1.stamps.add(t1, through_defaults={"code": "B"})  # existing pair: skipped
        self.assertEqual(list(Sticker.stamps.through.objects.values_list("code", flat=True)), ["A"])
        with self.assertRaises(IntegrityError):
            s2.stamps.add(t2, through_defaults={"code": "A"})

    def test_strategy(self) -> None:
        manager = Sticker(pk=1, name="x").stamps
        strategy = strategy_for(manager, connection)
        named_target = connection.features.supports_ignore_conflicts_with_target
        self.assertEqual(strategy.insert_ignoring_pairs, named_target)
        self.assertEqual(strategy.read_existing_first, not named_target)
