"""get_prefetch_querysets(): Django's prefetch protocol on the relation descriptors and
managers (Django's own tests call it; prefetch_related() itself does not go through it)."""

from __future__ import annotations

from tether.test import TestCase

from .models import Cafe, Story, Venue, Writer

MSG = "querysets argument of get_prefetch_querysets() should have a length of 1."


class ProtocolTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.writer = Writer.objects.create(name="w")
        cls.story = Story.objects.create(headline="a", writer=cls.writer)
        cls.venue = Venue.objects.create(name="v")
        cls.cafe = Cafe.objects.create(venue=cls.venue)

    def test_forward(self) -> None:
        stories = list(Story.objects.all())
        queryset, rel_key, inst_key, single, name, is_descriptor = (
            Story.writer.get_prefetch_querysets(stories)
        )
        self.assertEqual(list(queryset), [self.writer])
        self.assertEqual(rel_key(self.writer), inst_key(stories[0]))
        self.assertEqual((single, name, is_descriptor), (True, "writer", True))
        with self.assertRaisesMessage(ValueError, MSG):
            Story.writer.get_prefetch_querysets(stories, [Writer.objects.all()] * 2)

    def test_reverse_one_to_one(self) -> None:
        queryset, *_, single, name, _ = Venue.cafe.get_prefetch_querysets(list(Venue.objects.all()))
        self.assertEqual((list(queryset), single, name), ([self.cafe], True, "cafe"))
        with self.assertRaisesMessage(ValueError, MSG):
            Venue.cafe.get_prefetch_querysets([self.venue], [Cafe.objects.all()] * 2)

    def test_reverse_many(self) -> None:
        manager = self.writer.story_set
        queryset, *_, single, name, _ = manager.get_prefetch_querysets([self.writer])
        self.assertEqual((list(queryset), single, name), ([self.story], False, "story_set"))
        with self.assertRaisesMessage(ValueError, MSG):
            manager.get_prefetch_querysets([self.writer], [Story.objects.all()] * 2)

    def test_get_prefetcher(self) -> None:
        from tether.models.query import get_prefetcher

        prefetcher, descriptor, found, is_fetched = get_prefetcher(self.story, "writer", "writer")
        self.assertIs(descriptor, Story.writer)
        self.assertTrue(found)
        self.assertFalse(is_fetched(Story.objects.get(pk=self.story.pk)))
        queryset = prefetcher.get_prefetch_querysets(list(Story.objects.all()))[0]
        self.assertNotIn(" JOIN ", str(queryset.query))
        self.assertEqual(list(queryset), [self.writer])
