"""distinct(*fields): DISTINCT ON (...) on PostgreSQL, the first row of each group in the
query's order; elsewhere Django's NotSupportedError when the query runs (not when it is
built), and delete() after it refused with Django's TypeError everywhere."""

import datetime

from tether.db import NotSupportedError
from tether.test import TestCase, skipIfDBFeature, skipUnlessDBFeature

from .models import Article, Reporter


class DistinctOnTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.john = Reporter.objects.create(first_name="John", last_name="Smith")
        cls.paul = Reporter.objects.create(first_name="Paul", last_name="Jones")
        day = datetime.date(2005, 7, 27)
        for headline, reporter in [("b", cls.john), ("a", cls.john), ("c", cls.paul)]:
            Article.objects.create(headline=headline, pub_date=day, reporter=reporter)

    @skipUnlessDBFeature("can_distinct_on_fields")
    def test_first_row_per_group(self):
        rows = Article.objects.order_by("reporter_id", "-headline").distinct("reporter")
        self.assertEqual([a.headline for a in rows], ["b", "c"])
        self.assertIn("DISTINCT ON", str(rows.query))

    @skipUnlessDBFeature("can_distinct_on_fields")
    def test_across_a_relation_and_values(self):
        rows = (
            Article.objects.order_by("reporter__first_name", "headline")
            .distinct("reporter__first_name")
            .values_list("reporter__first_name", "headline")
        )
        self.assertEqual(list(rows), [("John", "a"), ("Paul", "c")])

    @skipIfDBFeature("can_distinct_on_fields")
    def test_refused_when_run(self):
        rows = Article.objects.distinct("reporter")  # building it is fine, as in Django
        msg = "DISTINCT ON fields is not supported by this database backend"
        with self.assertRaisesMessage(NotSupportedError, msg):
            list(rows)

    def test_delete_after_distinct_fields(self):
        with self.assertRaisesMessage(TypeError, "Cannot call delete() after .distinct(*fields)."):
            Article.objects.distinct("id").delete()
        self.assertEqual(Article.objects.count(), 3)

    @skipUnlessDBFeature("can_distinct_on_fields")
    def test_count_and_exists(self):
        rows = Article.objects.order_by("reporter_id").distinct("reporter")
        self.assertEqual(rows.count(), 2)
        self.assertTrue(rows.exists())

    @skipUnlessDBFeature("can_distinct_on_fields")
    def test_in_bulk_on_the_distinct_field(self):
        rows = (
            Article.objects.order_by("reporter_id", "-headline")
            .distinct("reporter_id")
            .in_bulk([self.john.pk, self.paul.pk], field_name="reporter_id")
        )
        self.assertEqual(
            {k: a.headline for k, a in rows.items()}, {self.john.pk: "b", self.paul.pk: "c"}
        )
