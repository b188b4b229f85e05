"""Errors of queries over many-to-many models, with Django's messages: update() refuses SET
values that read an aggregate or a joined column through an annotation (the resolved
expression in the message) and an ordering by an aggregate; select_related() of a
many-to-many is an invalid name. update() after order_by() on MySQL/MariaDB updates the rows in
that order (UPDATE ... ORDER BY), as Django, so a unique column can be shifted in place."""

from tether.db import connection, transaction
from tether.exceptions import FieldError
from tether.models import Count, F, Max
from tether.test import TestCase, skipUnlessDBFeature

from .models import Article, Publication, Ranked


class UpdateFromAnnotationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.pub = Publication.objects.create(title="The Python Journal")
        Article.objects.create(headline="Django lets you build web apps").publications.add(cls.pub)

    def test_aggregate_over_own_columns(self):
        msg = (
            "Aggregate functions are not allowed in this query "
            "(headline=Max(Col(many_to_many_article, many_to_many.Article.headline)))."
        )
        with self.assertNumQueries(0), self.assertRaisesMessage(FieldError, msg):
            Article.objects.annotate(top=Max("headline")).update(headline=F("top"))

    def test_annotation_over_a_join(self):
        msg = "Joined field references are not permitted in this query"
        with self.assertNumQueries(0), self.assertRaisesMessage(FieldError, msg):
            Publication.objects.annotate(top=Max("article__headline")).update(title=F("top"))

    def test_plain_annotation_still_updates(self):
        updated = Article.objects.annotate(alias=F("headline")).update(headline=F("alias"))
        self.assertEqual(updated, 1)


class SelectRelatedManyToManyTests(TestCase):
    def test_many_to_many_is_an_invalid_name(self):
        msg = "Invalid field name(s) given in select_related: 'publications'. Choices are: (none)"
        with self.assertRaisesMessage(FieldError, msg):
            list(Article.objects.select_related("publications"))


class UpdateOrderingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Ranked.objects.create(number=1)
        Ranked.objects.create(number=2)

    def test_ordering_by_an_aggregate_is_refused(self):
        msg = "Cannot update when ordering by an aggregate: Count("
        with self.assertNumQueries(0), self.assertRaisesMessage(FieldError, msg):
            Ranked.objects.annotate(n=Count("tags")).order_by("n").update(number=5)

    @skipUnlessDBFeature("supports_update_order_by")
    def test_shift_a_unique_column_in_order(self):
        for ordering in ("-number", F("number").desc(), F("number") * -1):
            with self.subTest(ordering=ordering), transaction.atomic():
                updated = Ranked.objects.order_by(ordering).update(number=F("number") + 1)
                self.assertEqual(updated, 2)
        inverse = Ranked.objects.annotate(inverse=F("number").desc()).order_by("inverse")
        self.assertEqual(inverse.update(number=F("number") + 1), 2)
        plain = Ranked.objects.annotate(plain=F("number")).order_by("-plain")
        self.assertEqual(plain.update(number=F("number") + 1), 2)
        self.assertEqual(sorted(Ranked.objects.values_list("number", flat=True)), [6, 7])

    @skipUnlessDBFeature("supports_update_order_by")
    def test_joined_ordering_is_left_out(self):
        from tether.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            Ranked.objects.order_by("tags__title").update(number=F("number") + 10)
        self.assertNotIn("ORDER BY", captured.captured_queries[0]["sql"])
