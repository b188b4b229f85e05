"""Unsupported lookups name what Django names: every part from the first that fails
(`headline__blahblah__exact`), the class of the field they were tried on (ForeignKey,
ManyToOneRel); `isnull` with a non-boolean value fails when the query runs, as in Django."""

from tether.exceptions import FieldError
from tether.test import TestCase

from .models import Article, Reporter


class LookupErrorTests(TestCase):
    def test_transform_then_lookup(self):
        msg = (
            "Unsupported lookup 'blahblah__exact' for CharField or join on the field not permitted."
        )
        with self.assertRaisesMessage(FieldError, msg):
            Article.objects.filter(headline__blahblah__exact=99)
        msg = "Unsupported lookup 'blahblah' for CharField or join on the field not permitted."
        with self.assertRaisesMessage(FieldError, msg):
            Article.objects.filter(headline__blahblah=99)

    def test_empty_last_part(self):
        msg = (
            "Unsupported lookup 'gt__' for DateField or join on the field not permitted, "
            "perhaps you meant gt or gte?"
        )
        with self.assertRaisesMessage(FieldError, msg):
            Article.objects.filter(pub_date__gt__="blahblah")

    def test_nested_lookup_on_a_foreign_key(self):
        msg = "Unsupported lookup 'editor__name' for ForeignKey or join on the field not permitted."
        with self.assertRaisesMessage(FieldError, msg):
            Article.objects.filter(reporter__editor__name="James")

    def test_reverse_foreign_key(self):
        msg = "Unsupported lookup 'title' for ManyToOneRel or join on the field not permitted."
        with self.assertRaisesMessage(FieldError, msg):
            Reporter.objects.filter(article__title="Article 1")

    def test_isnull_needs_a_boolean_when_run(self):
        msg = "The QuerySet value for an isnull lookup must be True or False."
        for name, queryset in (
            ("column", Article.objects.filter(headline__isnull=1)),
            ("foreign key", Article.objects.filter(reporter__isnull=1)),
            ("reverse", Reporter.objects.filter(article__isnull=1)),
        ):
            with self.subTest(name), self.assertRaisesMessage(ValueError, msg):
                queryset.exists()


class ExactQuerySetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        import datetime

        cls.john = Reporter.objects.create(first_name="John", last_name="Smith")
        cls.paul = Reporter.objects.create(first_name="Paul", last_name="Jones")
        for reporter in (cls.john, cls.paul):
            Article.objects.create(
                headline=reporter.first_name, pub_date=datetime.date(2005, 7, 27), reporter=reporter
            )

    def test_a_queryset_value_must_be_limited_to_one_row(self):
        msg = "The QuerySet value for an exact lookup must be limited to one result using slicing."
        for value in (
            Reporter.objects.all(),
            Reporter.objects.all()[:2],
            Reporter.objects.all()[1:],
        ):
            with self.subTest(value=value), self.assertRaisesMessage(ValueError, msg):
                list(Article.objects.filter(reporter=value))
        only_paul = Article.objects.filter(reporter=Reporter.objects.order_by("-first_name")[:1])
        self.assertEqual([a.headline for a in only_paul], ["Paul"])
        second = Article.objects.filter(reporter=Reporter.objects.all()[1:2])
        self.assertEqual([a.headline for a in second], ["Paul"])

    def test_a_queryset_value_must_select_one_column(self):
        msg = "The QuerySet value for the exact lookup must have 1 selected fields (received 2)"
        with self.assertRaisesMessage(ValueError, msg):
            Article.objects.filter(reporter=Reporter.objects.values("id", "first_name")[:1])

    def test_a_subquery_on_another_database(self):
        msg = (
            "Subqueries aren't allowed across different databases. Force the inner query to "
            "be evaluated using `list(inner_query)`."
        )
        inner = Reporter.objects.using("elsewhere").all()  # an alias never configured
        with self.assertRaisesMessage(ValueError, msg):
            list(Article.objects.filter(reporter__in=inner))
        self.assertEqual(
            len(Article.objects.filter(reporter__in=Reporter.objects.using("default"))), 2
        )
