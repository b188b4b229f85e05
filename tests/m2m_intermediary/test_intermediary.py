"""The intermediary's two reverse FKs give each side a writer_set; queries cross it."""

import datetime

from tether.test import TestCase

from .models import Article, Reporter, Writer


class IntermediaryTests(TestCase):
    def test_both_sides_through_the_intermediary(self) -> None:
        r1 = Reporter.objects.create(first_name="John", last_name="Smith")
        r2 = Reporter.objects.create(first_name="Jane", last_name="Doe")
        a = Article.objects.create(headline="This is a test", pub_date=datetime.date(2005, 7, 27))
        w1 = Writer.objects.create(reporter=r1, article=a, position="Main writer")
        w2 = Writer.objects.create(reporter=r2, article=a, position="Contributor")
        self.assertEqual(
            [str(w) for w in a.writer_set.select_related("reporter").order_by("-position")],
            ["John Smith (Main writer)", "Jane Doe (Contributor)"],
        )
        self.assertEqual(w1.reporter, r1)
        self.assertEqual(w2.article, a)
        self.assertEqual(list(r1.writer_set.all()), [w1])
        self.assertEqual(
            list(Reporter.objects.filter(writer__article=a).order_by("first_name")), [r2, r1]
        )
        self.assertEqual(
            list(Article.objects.filter(writer__position="Contributor").distinct()), [a]
        )
        a.delete()
        self.assertFalse(Writer.objects.exists())
