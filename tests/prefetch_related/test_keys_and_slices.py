"""prefetch_related() across a through model keyed on a non-pk field (to_field); sliced
Prefetch querysets (`Prefetch("x", qs[1:3])`), which Django fetches in one query per level
with ROW_NUMBER() per related set; first() on a prefetched set; nested prefetches of the
parent; forward relations a prefetch queryset leaves out."""

from tether.db import NotSupportedError, connection
from tether.models import F, Prefetch, Value
from tether.test import TestCase

from .models import Admiration, Cafe, Fan, Paper, Story, Venue, Writer


class ToFieldThroughTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann, cls.bob, cls.cid = (Fan.objects.create(name=n) for n in ("Ann", "Bob", "Cid"))
        cls.ann.idols.add(cls.bob)
        cls.bob.idols.add(cls.cid)
        cls.cid.idols.add(cls.ann, cls.bob)

    def test_both_sides_in_one_query_each(self):
        with self.assertNumQueries(3):
            fans = Fan.objects.prefetch_related("idols", "admirers")
            seen = [
                (f.name, [i.name for i in f.idols.all()], [a.name for a in f.admirers.all()])
                for f in fans
            ]
        self.assertEqual(
            seen,
            [
                ("Ann", ["Bob"], ["Cid"]),
                ("Bob", ["Cid"], ["Ann", "Cid"]),
                ("Cid", ["Ann", "Bob"], ["Bob"]),
            ],
        )

    def test_prefetch_filter_reuses_the_querysets_join(self):
        # Ann also admires Cid, coldly: the annotation and the prefetch's own key filter
        # must read the same Admiration row, or Cid comes back through Bob's warm row.
        Admiration.objects.create(fan=self.ann, idol=self.cid, warm=False)
        warm = Fan.objects.annotate(warm=F("admired__warm")).filter(warm=True)
        with self.assertNumQueries(2):
            fans = list(
                Fan.objects.filter(pk__in=[self.ann.pk, self.cid.pk]).prefetch_related(
                    Prefetch("idols", queryset=warm, to_attr="warm_idols")
                )
            )
        self.assertEqual([[i.name for i in f.warm_idols] for f in fans], [["Bob"], ["Ann", "Bob"]])


class SlicedPrefetchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.papers = [Paper.objects.create(title=f"p{i}") for i in range(4)]
        cls.ann = Writer.objects.create(name="Ann")
        cls.bob = Writer.objects.create(name="Bob")
        for i in range(5):
            story = Story.objects.create(headline=f"s{i}", writer=cls.ann if i < 4 else cls.bob)
            story.papers.set(cls.papers[: i + 1])

    def skip_without_windows(self):
        if not connection.features.supports_over_clause:
            self.skipTest("needs window functions")

    def test_m2m_forward_slice(self):
        self.skip_without_windows()
        with self.assertNumQueries(3):
            stories = list(
                Story.objects.prefetch_related(
                    Prefetch("papers", Paper.objects.all()),
                    Prefetch("papers", Paper.objects.all()[1:3], to_attr="some"),
                )
            )
        for story in stories:
            self.assertEqual(
                [p.title for p in story.some], [p.title for p in story.papers.all()][1:3]
            )
        self.assertEqual([len(s.some) for s in stories], [0, 1, 2, 2, 2])

    def test_m2m_reverse_slice_descending(self):
        self.skip_without_windows()
        stories = Story.objects.order_by("-headline")
        papers = list(Paper.objects.prefetch_related(Prefetch("story_set", stories[:2])))
        self.assertEqual(
            [[s.headline for s in p.story_set.all()] for p in papers],
            [["s4", "s3"], ["s4", "s3"], ["s4", "s3"], ["s4", "s3"]],
        )

    def test_reverse_foreign_key_slice(self):
        self.skip_without_windows()
        writers = Writer.objects.prefetch_related(
            Prefetch("story_set", Story.objects.order_by("-headline")[1:], to_attr="older")
        )
        self.assertEqual(
            {w.name: [s.headline for s in w.older] for w in writers},
            {"Ann": ["s2", "s1", "s0"], "Bob": []},
        )

    def test_unsupported_without_windows(self):
        if connection.features.supports_over_clause:
            self.skipTest("the backend has window functions")
        msg = (
            "Prefetching from a limited queryset is only supported on backends that "
            "support window functions."
        )
        with self.assertRaisesMessage(NotSupportedError, msg):
            list(Story.objects.prefetch_related(Prefetch("papers", Paper.objects.all()[1:])))


class PrefetchedFirstLastTests(TestCase):
    """first() on an ordered prefetched set reads the prefetched rows, no query (last()
    reverses the queryset, which queries, in Django as here)."""

    @classmethod
    def setUpTestData(cls):
        papers = [Paper.objects.create(title=f"p{i}") for i in range(3)]
        for i in range(4):
            Story.objects.create(headline=f"s{i}").papers.set(papers[: i + 1])

    def test_first(self):
        with self.assertNumQueries(2):
            stories = Story.objects.prefetch_related("papers")
            firsts = [s.papers.first().title for s in stories]
        self.assertEqual(firsts, ["p0"] * 4)

    def test_first_under_a_chunked_iterator(self):
        with self.assertNumQueries(3):
            stories = Story.objects.prefetch_related("papers").iterator(chunk_size=2)
            firsts = [s.papers.first().title for s in stories]
        self.assertEqual(firsts, ["p0"] * 4)


class NestedBackReferenceTests(TestCase):
    def test_nested_prefetch_of_the_parent_is_not_overwritten(self):
        # The stories' queryset prefetches their writer itself: that prefetch fills
        # story.writer, not the back-reference to the writer being prefetched for.
        ann = Writer.objects.create(name="Ann")
        Story.objects.create(headline="s0", writer=ann)
        marked = Writer.objects.annotate(mark=Value("inner"))
        stories = Story.objects.prefetch_related(Prefetch("writer", queryset=marked))
        with self.assertNumQueries(3):
            writer = Writer.objects.prefetch_related(Prefetch("story_set", stories)).get()
        with self.assertNumQueries(0):
            self.assertEqual(writer.story_set.all()[0].writer.mark, "inner")


class PrefetchedMissingForwardTests(TestCase):
    """A forward relation prefetched with a queryset that leaves its row out reads as
    missing: DoesNotExist for a non-null key, None for a nullable one, with no query."""

    @classmethod
    def setUpTestData(cls):
        venue = Venue.objects.create(name="v")
        Cafe.objects.create(venue=venue)
        Story.objects.create(headline="s", writer=Writer.objects.create(name="Ann"))

    def test_non_null_key_raises(self):
        cafe = Cafe.objects.prefetch_related(
            Prefetch("venue", queryset=Venue.objects.filter(name="elsewhere"))
        ).get()
        with self.assertNumQueries(0), self.assertRaises(Venue.DoesNotExist):
            _ = cafe.venue

    def test_nullable_key_is_none(self):
        story = Story.objects.prefetch_related(
            Prefetch("writer", queryset=Writer.objects.filter(name="nobody"))
        ).get()
        with self.assertNumQueries(0):
            self.assertIsNone(story.writer)


class RawAfterPrefetchTests(TestCase):
    def test_raw_keeps_the_prefetch(self):
        story = Story.objects.create(headline="s")
        story.papers.add(Paper.objects.create(title="p"))
        table = Story._meta.db_table
        with self.assertNumQueries(2):
            stories = list(
                Story.objects.prefetch_related("papers").raw(
                    f"SELECT * FROM {connection.ops.quote_name(table)} WHERE id = %s", [story.pk]
                )
            )
        with self.assertNumQueries(0):
            self.assertEqual([p.title for p in stories[0].papers.all()], ["p"])
