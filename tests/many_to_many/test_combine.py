"""`qs1 & qs2` and `qs1 | qs2` over many-to-many paths: each side keeps its own joins, so
`filter(publications=a) & filter(publications=b)` finds the articles in both publications
(two joins), as Django's; the rows are Django's (checked against Django 5.2 by hand)."""

from tether.models import Q
from tether.test import TestCase

from .models import Article, Publication, Reader


class CombineTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p1 = Publication.objects.create(title="p1")
        cls.p2 = Publication.objects.create(title="p2")
        cls.a1 = Article.objects.create(headline="a1", pages=1)
        cls.a2 = Article.objects.create(headline="a2", pages=2)
        cls.a3 = Article.objects.create(headline="a3", pages=3)
        cls.a1.publications.add(cls.p1)
        cls.a2.publications.add(cls.p1, cls.p2)
        cls.a3.publications.add(cls.p2)
        cls.reader = Reader.objects.create(name="r")
        cls.reader.articles.add(cls.a3)

    def test_and_across_one_relation_needs_both_links(self):
        both = Article.objects.filter(publications=self.p1) & Article.objects.filter(
            publications=self.p2
        )
        self.assertSequenceEqual(both, [self.a2])
        self.assertEqual(str(both.query).count("JOIN"), 2)  # one through-table join each

    def test_and_keeps_each_sides_joins_and_conditions(self):
        left = Article.objects.filter(publications__title="p2")
        right = Article.objects.filter(Q(pages__gte=2) & Q(reader__name="r"))
        self.assertSequenceEqual(left & right, [self.a3])
        self.assertSequenceEqual(right & left, [self.a3])
        self.assertSequenceEqual(
            (left & right) | Article.objects.filter(pages=1), [self.a1, self.a3]
        )

    def test_and_with_plain_filters_and_ordering(self):
        ordered = Article.objects.order_by("-headline")
        self.assertSequenceEqual(ordered & Article.objects.filter(pages__lte=2), [self.a2, self.a1])
        self.assertSequenceEqual(
            Article.objects.filter(pages__lte=2) & Article.objects.order_by("-pages"),
            [self.a2, self.a1],
        )

    def test_or_over_one_relation_keeps_rows_of_either_side(self):
        either = Article.objects.filter(publications=self.p1) | Article.objects.filter(pages=3)
        self.assertSequenceEqual(either.order_by("headline"), [self.a1, self.a2, self.a3])
        left_outer = str(either.query)
        self.assertIn("LEFT OUTER JOIN", left_outer)
        same = Article.objects.filter(Q(publications=self.p1) | Q(pages=3))
        self.assertEqual(left_outer, str(same.query))

    def test_or_with_sliced_sides(self):
        first = Article.objects.order_by("headline")[:1]
        last = Article.objects.order_by("-headline")[:1]
        self.assertCountEqual(first | last, [self.a1, self.a3])

    def test_errors(self):
        with self.assertRaisesMessage(
            TypeError, "Cannot combine queries once a slice has been taken."
        ):
            Article.objects.all()[0:1] & Article.objects.all()[1:2]
        with self.assertRaisesMessage(
            TypeError, "Cannot combine a unique query with a non-unique query."
        ):
            Article.objects.distinct() | Article.objects.all()

    def test_joins_of_an_evaluated_ordering_do_not_stay(self):
        by_title = Article.objects.order_by("publications__title")
        self.assertIn("JOIN", str(by_title.query))
        self.assertNotIn("JOIN", str(by_title.order_by("pk").query))
        evaluated = Article.objects.filter(pages=2).order_by("publications__title")
        list(evaluated)
        combined = (Article.objects.all() & evaluated).order_by("headline")
        self.assertNotIn("JOIN", str(combined.query))
        self.assertSequenceEqual(combined, [self.a2])
