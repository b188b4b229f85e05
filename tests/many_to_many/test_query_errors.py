"""Errors of queries over many-to-many models, with Django's messages: update() refuses SET
values that read an aggregate or a joined column through an annotation (the resolved
expression in the message); select_related() of a many-to-many is an invalid name."""

from tether.exceptions import FieldError
from tether.models import F, Max
from tether.test import TestCase

from .models import Article, Publication


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
