"""prefetch_related(), Prefetch and prefetch_related_objects(): Django 5.2's results, cache
names and query counts (counted on Django 5.2 for the same data), one query per relation
level, chunked key lists, caches dropped by writes, and prefetched relations read in async
code without I/O."""

import asyncio
from unittest import mock

from tether.db import connection
from tether.models import Prefetch, aprefetch_related_objects, prefetch_related_objects
from tether.models.query import QuerySet
from tether.test import TestCase, TransactionTestCase
from tether.test.utils import CaptureQueriesContext

from .models import Album, Cafe, Musician, Paper, Story, Venue, Writer


def titles(objs):
    return [o.title for o in objs]


class PrefetchData:
    @classmethod
    def make_data(cls):
        cls.ann = Writer.objects.create(name="Ann")
        cls.bob = Writer.objects.create(name="Bob")
        cls.papers = [Paper.objects.create(title=f"p{i}") for i in range(4)]
        cls.stories = []
        for i in range(5):
            writer = cls.ann if i % 2 else (cls.bob if i < 4 else None)
            story = Story.objects.create(headline=f"a{i}", writer=writer)
            story.papers.set(cls.papers[: i % 4 + 1])
            cls.stories.append(story)
        cls.musicians = [Musician.objects.create(name=f"m{i}") for i in range(3)]
        album = Album.objects.create(title="first")
        album.players.set(cls.musicians[:2])
        cls.venues = [Venue.objects.create(name=f"v{i}") for i in range(3)]
        Cafe.objects.create(venue=cls.venues[0], serves_tea=True)
        Cafe.objects.create(venue=cls.venues[1], serves_tea=False)


EXPECTED_PAPERS = [
    ("a0", ["p0"]),
    ("a1", ["p0", "p1"]),
    ("a2", ["p0", "p1", "p2"]),
    ("a3", ["p0", "p1", "p2", "p3"]),
    ("a4", ["p0"]),
]


class PrefetchRelationTests(PrefetchData, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_data()

    def test_forward_many_to_many(self):
        with self.assertNumQueries(2):
            stories = list(Story.objects.prefetch_related("papers"))
            got = [(s.headline, titles(s.papers.all())) for s in stories]
        self.assertEqual(got, EXPECTED_PAPERS)
        self.assertEqual(got, [(s.headline, titles(s.papers.all())) for s in Story.objects.all()])
        cached = stories[0]._prefetched_objects_cache["papers"]
        self.assertIsInstance(cached, QuerySet)
        self.assertIs(stories[0].papers.all(), cached)

    def test_one_query_selects_the_source_key(self):
        with CaptureQueriesContext(connection) as ctx:
            list(Story.objects.prefetch_related("papers"))
        self.assertEqual(len(ctx), 2)
        sql = ctx.captured_queries[1]["sql"]
        self.assertIn("_prefetch_related_val_story_id", sql)
        self.assertIn("story_papers", sql)

    def test_reverse_many_to_many_cache_name(self):
        with self.assertNumQueries(2):
            papers = list(Paper.objects.prefetch_related("story_set"))
        # Django names the cache of a reverse many-to-many by its related query name.
        self.assertEqual(list(papers[0]._prefetched_objects_cache), ["story"])
        with self.assertNumQueries(0):
            self.assertEqual([len(p.story_set.all()) for p in papers], [5, 3, 2, 1])
            self.assertEqual([h.headline for h in papers[2].story_set.all()], ["a2", "a3"])

    def test_related_name_many_to_many(self):
        with self.assertNumQueries(2):
            musicians = list(Musician.objects.order_by("name").prefetch_related("albums"))
        self.assertEqual(list(musicians[0]._prefetched_objects_cache), ["albums"])
        with self.assertNumQueries(0):
            self.assertEqual(
                [titles(m.albums.all()) for m in musicians], [["first"], ["first"], []]
            )
        with self.assertNumQueries(2):
            albums = list(Album.objects.prefetch_related("players"))
        with self.assertNumQueries(0):
            self.assertEqual(sorted(m.name for m in albums[0].players.all()), ["m0", "m1"])

    def test_reverse_foreign_key(self):
        with self.assertNumQueries(2):
            writers = list(Writer.objects.prefetch_related("story_set"))
        self.assertEqual(list(writers[0]._prefetched_objects_cache), ["story_set"])
        with self.assertNumQueries(0):
            got = [
                (
                    w.name,
                    [s.headline for s in w.story_set.all()],
                    w.story_set.count(),
                    w.story_set.exists(),
                    all(s.writer is w for s in w.story_set.all()),
                )
                for w in writers
            ]
        self.assertEqual(
            got, [("Ann", ["a1", "a3"], 2, True, True), ("Bob", ["a0", "a2"], 2, True, True)]
        )

    def test_filter_on_prefetched_manager_queries(self):
        writers = list(Writer.objects.prefetch_related("story_set"))
        with self.assertNumQueries(2):
            self.assertEqual([w.story_set.filter(headline="a1").count() for w in writers], [1, 0])
        stories = list(Story.objects.prefetch_related("papers"))
        with self.assertNumQueries(1):
            self.assertEqual(titles(stories[3].papers.filter(title__gt="p1")), ["p2", "p3"])
        with self.assertNumQueries(1):
            self.assertEqual(titles(stories[3].papers.order_by("-title")[:2]), ["p3", "p2"])

    def test_forward_foreign_key_fills_fields_cache(self):
        with self.assertNumQueries(2):
            stories = list(Story.objects.prefetch_related("writer"))
        with self.assertNumQueries(0):
            names = [s.writer and s.writer.name for s in stories]
        self.assertEqual(names, ["Bob", "Ann", "Bob", "Ann", None])
        self.assertIs(stories[1].writer, stories[3].writer)
        self.assertIn("writer", stories[0]._state.fields_cache)

    def test_one_to_one_both_ways(self):
        with self.assertNumQueries(2):
            cafes = list(Cafe.objects.order_by("pk").prefetch_related("venue"))
        with self.assertNumQueries(0):
            self.assertEqual([c.venue.name for c in cafes], ["v0", "v1"])
            self.assertIs(cafes[0].venue.cafe, cafes[0])
        with self.assertNumQueries(2):
            venues = list(Venue.objects.order_by("pk").prefetch_related("cafe"))
        with self.assertNumQueries(0):
            self.assertEqual([v.cafe.serves_tea for v in venues[:2]], [True, False])
            self.assertIs(venues[0].cafe.venue, venues[0])
            with self.assertRaises(Cafe.DoesNotExist):
                _ = venues[2].cafe

    def test_chained_paths(self):
        with self.assertNumQueries(3):
            stories = list(Story.objects.prefetch_related("papers__story_set"))
            got = [[len(p.story_set.all()) for p in s.papers.all()] for s in stories]
        self.assertEqual(got, [[5], [5, 3], [5, 3, 2], [5, 3, 2, 1], [5]])
        with self.assertNumQueries(3):
            writers = list(Writer.objects.prefetch_related("story_set__papers"))
            got = [[len(s.papers.all()) for s in w.story_set.all()] for w in writers]
        self.assertEqual(got, [[2, 4], [1, 3]])
        with self.assertNumQueries(3):
            stories = list(Story.objects.prefetch_related("writer__story_set"))
            got = [s.writer and len(s.writer.story_set.all()) for s in stories]
        self.assertEqual(got, [2, 2, 2, 2, None])

    def test_select_related_level_is_not_fetched_again(self):
        with self.assertNumQueries(2):
            stories = list(
                Story.objects.select_related("writer").prefetch_related("writer__story_set")
            )
            got = [s.writer and len(s.writer.story_set.all()) for s in stories]
        self.assertEqual(got, [2, 2, 2, 2, None])

    def test_prefetch_queryset_and_to_attr(self):
        later = Paper.objects.filter(title__gt="p0").order_by("-title")
        expected = [
            ("a0", []),
            ("a1", ["p1"]),
            ("a2", ["p2", "p1"]),
            ("a3", ["p3", "p2", "p1"]),
            ("a4", []),
        ]
        with self.assertNumQueries(2):
            stories = list(
                Story.objects.prefetch_related(Prefetch("papers", queryset=later, to_attr="later"))
            )
            got = [(s.headline, titles(s.later)) for s in stories]
        self.assertEqual(got, expected)
        self.assertIsInstance(stories[0].later, list)
        self.assertNotIn("papers", stories[0]._prefetched_objects_cache)
        with self.assertNumQueries(2):
            stories = list(Story.objects.prefetch_related(Prefetch("papers", queryset=later)))
            got = [(s.headline, titles(s.papers.all())) for s in stories]
        self.assertEqual(got, expected)
        with self.assertNumQueries(1):
            self.assertEqual(titles(stories[3].papers.all().filter(title__lt="p3")), ["p2", "p1"])

    def test_forward_key_to_attr(self):
        with self.assertNumQueries(2):
            stories = list(Story.objects.prefetch_related(Prefetch("writer", to_attr="author")))
        self.assertEqual(
            [s.author and s.author.name for s in stories], ["Bob", "Ann", "Bob", "Ann", None]
        )

    def test_nested_prefetch_objects(self):
        inner = Paper.objects.prefetch_related(Prefetch("story_set", to_attr="stories"))
        with self.assertNumQueries(3):
            stories = list(
                Story.objects.prefetch_related(Prefetch("papers", queryset=inner, to_attr="ps"))
            )
            got = [[len(p.stories) for p in s.ps] for s in stories]
        self.assertEqual(got, [[5], [5, 3], [5, 3, 2], [5, 3, 2, 1], [5]])

    def test_lookup_through_to_attr(self):
        with self.assertNumQueries(3):
            stories = list(
                Story.objects.prefetch_related(Prefetch("papers", to_attr="ps"), "ps__story_set")
            )
            got = [[len(p.story_set.all()) for p in s.ps] for s in stories]
        self.assertEqual(got, [[5], [5, 3], [5, 3, 2], [5, 3, 2, 1], [5]])

    def test_cached_property_to_attr(self):
        with self.assertNumQueries(2):
            stories = list(
                Story.objects.prefetch_related(Prefetch("papers", to_attr="cached_papers"))
            )
            self.assertEqual(titles(stories[1].cached_papers), ["p0", "p1"])

    def test_duplicate_and_overlapping_lookups(self):
        with self.assertNumQueries(2):
            list(Story.objects.prefetch_related("papers", "papers"))
        with self.assertNumQueries(3):
            list(Story.objects.prefetch_related("papers", "papers__story_set"))
        with self.assertNumQueries(1):
            list(Story.objects.prefetch_related("papers").prefetch_related(None))

    def test_empty_results_run_no_prefetch_query(self):
        with self.assertNumQueries(1):
            self.assertEqual(
                list(Story.objects.filter(headline="zz").prefetch_related("papers")), []
            )

    def test_get_prefetches(self):
        with self.assertNumQueries(2):
            story = Story.objects.prefetch_related("papers").get(headline="a2")
        with self.assertNumQueries(0):
            self.assertEqual(titles(story.papers.all()), ["p0", "p1", "p2"])

    def test_prefetch_related_objects(self):
        stories = list(Story.objects.all())
        with self.assertNumQueries(2):
            prefetch_related_objects(stories, "papers", "writer")
        with self.assertNumQueries(0):
            prefetch_related_objects(stories, "papers", "writer")
            self.assertEqual(
                [(s.headline, titles(s.papers.all())) for s in stories], EXPECTED_PAPERS
            )
        prefetch_related_objects([], "papers")

    def test_iterator_prefetches_each_chunk(self):
        queryset = Story.objects.prefetch_related("papers")
        with self.assertRaisesMessage(
            ValueError,
            "chunk_size must be provided when using QuerySet.iterator() after prefetch_related().",
        ):
            queryset.iterator()
        with self.assertNumQueries(4):
            got = [(s.headline, titles(s.papers.all())) for s in queryset.iterator(chunk_size=2)]
        self.assertEqual(got, EXPECTED_PAPERS)

    def test_values_results_are_left_alone(self):
        with self.assertNumQueries(1):
            rows = list(Story.objects.values("headline").prefetch_related("papers"))
        self.assertEqual(len(rows), 5)

    def test_errors(self):
        cases = [
            (
                "nope",
                AttributeError,
                "Cannot find 'nope' on Story object, 'nope' is an invalid parameter to "
                "prefetch_related()",
            ),
            (
                "writer__nope",
                AttributeError,
                "Cannot find 'nope' on Writer object, 'writer__nope' is an invalid parameter to "
                "prefetch_related()",
            ),
            (
                "headline",
                ValueError,
                "'headline' does not resolve to an item that supports prefetching - this is an "
                "invalid parameter to prefetch_related().",
            ),
            (
                "papers__title",
                ValueError,
                "'papers__title' does not resolve to an item that supports prefetching - this is "
                "an invalid parameter to prefetch_related().",
            ),
        ]
        for lookup, error, message in cases:
            with self.subTest(lookup=lookup), self.assertRaisesMessage(error, message):
                list(Story.objects.prefetch_related(lookup))
        with self.assertRaisesMessage(
            ValueError, "Prefetch querysets cannot use raw(), values(), and values_list()."
        ):
            Prefetch("papers", queryset=Paper.objects.values("title"))
        with self.assertRaisesMessage(
            ValueError, "Prefetch querysets cannot use raw(), values(), and values_list()."
        ):
            Prefetch("papers", queryset=Paper.objects.values_list("title", flat=True))
        with self.assertRaisesMessage(
            ValueError,
            "'papers' lookup was already seen with a different queryset. You may need to adjust "
            "the ordering of your lookups.",
        ):
            list(
                Story.objects.prefetch_related(
                    Prefetch("papers", queryset=Paper.objects.all()),
                    Prefetch("papers", queryset=Paper.objects.filter(title="x")),
                )
            )
        with self.assertRaisesMessage(
            ValueError, "to_attr=papers conflicts with a field on the Story model."
        ):
            list(Story.objects.prefetch_related(Prefetch("papers", to_attr="papers")))

    def test_prefetch_equality(self):
        self.assertEqual(Prefetch("papers"), Prefetch("papers", queryset=Paper.objects.all()))
        self.assertNotEqual(Prefetch("papers"), Prefetch("papers", to_attr="ps"))
        self.assertEqual(Prefetch("papers", to_attr="ps").prefetch_to, "ps")


class WritesDropTheCacheTests(PrefetchData, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_data()

    def story(self):
        return Story.objects.prefetch_related("papers").get(headline="a1")

    def writer(self):
        return Writer.objects.prefetch_related("story_set").get(name="Ann")

    def test_many_to_many_writes(self):
        writes = {
            "add": lambda m: m.add(self.papers[3]),
            "remove": lambda m: m.remove(self.papers[0]),
            "clear": lambda m: m.clear(),
            "set": lambda m: m.set(self.papers[2:]),
            "create": lambda m: m.create(title="p9"),
            "get_or_create new": lambda m: m.get_or_create(title="p8"),
            "update_or_create": lambda m: m.update_or_create(title="p1", defaults={"title": "p1"}),
        }
        for name, write in writes.items():
            with self.subTest(write=name):
                story = self.story()
                write(story.papers)
                self.assertNotIn("papers", story._prefetched_objects_cache)
                fresh = titles(Story.objects.get(pk=story.pk).papers.all())
                self.assertEqual(titles(story.papers.all()), fresh)

    def test_many_to_many_get_without_create_keeps_the_cache(self):
        story = self.story()
        story.papers.get_or_create(title="p0")
        self.assertIn("papers", story._prefetched_objects_cache)

    def test_reverse_many_to_many_write(self):
        paper = Paper.objects.prefetch_related("story_set").get(title="p3")
        self.assertEqual([s.headline for s in paper.story_set.all()], ["a3"])
        paper.story_set.add(self.stories[0])
        self.assertNotIn("story", paper._prefetched_objects_cache)
        self.assertEqual([s.headline for s in paper.story_set.all()], ["a0", "a3"])

    def test_reverse_foreign_key_writes(self):
        extra = Story.objects.create(headline="zz", writer=self.bob)
        writes = {
            "add": lambda m: m.add(extra),
            "clear": lambda m: m.clear(),
            "set": lambda m: m.set([extra]),
            "create": lambda m: m.create(headline="c"),
            "get_or_create new": lambda m: m.get_or_create(headline="new"),
            "update_or_create": lambda m: m.update_or_create(headline="a1"),
            "remove": lambda m: m.remove(self.stories[1]),
        }
        for name, write in writes.items():
            with self.subTest(write=name):
                writer = self.writer()
                write(writer.story_set)
                self.assertNotIn("story_set", writer._prefetched_objects_cache)
                fresh = [s.headline for s in Writer.objects.get(pk=writer.pk).story_set.all()]
                self.assertEqual([s.headline for s in writer.story_set.all()], fresh)

    def test_reverse_foreign_key_get_without_create_keeps_the_cache(self):
        writer = self.writer()
        writer.story_set.get_or_create(headline="a1")
        self.assertIn("story_set", writer._prefetched_objects_cache)


class ChunkingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Paper.objects.bulk_create([Paper(title=f"p{i}") for i in range(3)])
        papers = list(Paper.objects.all())
        Story.objects.bulk_create([Story(headline=f"s{i:03}") for i in range(25)])
        links = [
            Story.papers.through(story_id=s.pk, paper_id=papers[i % 3].pk)
            for i, s in enumerate(Story.objects.all())
        ]
        Story.papers.through.objects.bulk_create(links)

    def limit(self, value):
        return mock.patch.object(type(connection.features), "max_query_params", value)

    def test_keys_are_chunked_under_the_parameter_limit(self):
        expected = [(s.headline, titles(s.papers.all())) for s in Story.objects.all()]
        with self.limit(10):
            with CaptureQueriesContext(connection) as ctx:
                stories = list(Story.objects.prefetch_related("papers"))
            # 25 keys, 10 a query: 3 queries after the stories.
            self.assertEqual(len(ctx), 4)
            self.assertEqual([(s.headline, titles(s.papers.all())) for s in stories], expected)
            with self.assertNumQueries(4):
                list(
                    Story.objects.prefetch_related(
                        Prefetch("papers", queryset=Paper.objects.filter(title__gt=""))
                    )
                )
        with self.limit(None):
            with self.assertNumQueries(2):
                list(Story.objects.prefetch_related("papers"))

    def test_sqlite_limit_2500_sources(self):
        if connection.vendor != "sqlite":
            self.skipTest("SQLite's 999-parameter limit")
        Story.objects.bulk_create([Story(headline=f"t{i:04}") for i in range(2475)])
        with self.assertNumQueries(4):
            stories = list(Story.objects.prefetch_related("papers"))
        self.assertEqual(len(stories), 2500)
        self.assertEqual(sum(len(s.papers.all()) for s in stories), 25)


class AsyncPrefetchTests(PrefetchData, TransactionTestCase):
    def setUp(self):
        self.make_data()

    def test_prefetched_relations_read_without_io(self):
        async def scenario():
            stories = [s async for s in Story.objects.prefetch_related("papers", "writer")]
            got = [(s.headline, titles(s.papers.all())) for s in stories]
            writers = [s.writer and s.writer.name for s in stories]
            counts = [await s.papers.acount() for s in stories]
            async_titles = [[p.title async for p in s.papers.all()] for s in stories]
            return got, writers, counts, async_titles

        got, writers, counts, async_titles = asyncio.run(scenario())
        self.assertEqual(got, EXPECTED_PAPERS)
        self.assertEqual(writers, ["Bob", "Ann", "Bob", "Ann", None])
        self.assertEqual(counts, [1, 2, 3, 4, 1])
        self.assertEqual(async_titles, [t for _, t in EXPECTED_PAPERS])

    def test_aprefetch_related_objects(self):
        async def scenario():
            writers = [w async for w in Writer.objects.all()]
            await aprefetch_related_objects(writers, "story_set__papers")
            return [[(s.headline, len(s.papers.all())) for s in w.story_set.all()] for w in writers]

        self.assertEqual(asyncio.run(scenario()), [[("a1", 2), ("a3", 4)], [("a0", 1), ("a2", 3)]])

    def test_aiterator_prefetches_each_chunk(self):
        async def scenario():
            queryset = Story.objects.prefetch_related("papers")
            return [(s.headline, titles(s.papers.all())) async for s in queryset.aiterator(2)]

        self.assertEqual(asyncio.run(scenario()), EXPECTED_PAPERS)

    def test_unloaded_relation_still_refuses_io(self):
        from tether.exceptions import SynchronousOnlyOperation

        async def scenario():
            stories = [
                s
                async for s in Story.objects.filter(writer__isnull=False).prefetch_related("papers")
            ]
            _ = stories[0].writer

        with self.assertRaises(SynchronousOnlyOperation):
            asyncio.run(scenario())
