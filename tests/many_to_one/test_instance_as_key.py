"""An instance given for a foreign key's column (`article.reporter_id = reporter`, or
`update_or_create(defaults={"reporter_id": reporter})`) is written as the instance's key when
the row is updated, as Django's UPDATE does (Model.prepare_database_save)."""

import datetime

from tether.test import TestCase

from .models import Article, Reporter


class InstanceForKeyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.john = Reporter.objects.create(first_name="John", last_name="Smith")
        cls.paul = Reporter.objects.create(first_name="Paul", last_name="Jones")
        cls.article = Article.objects.create(
            headline="This is a test", pub_date=datetime.date(2005, 7, 27), reporter=cls.john
        )

    def test_update_or_create_defaults(self):
        article, created = Article.objects.update_or_create(
            pk=self.article.pk, defaults={"reporter_id": self.paul}
        )
        self.assertIs(created, False)
        self.assertEqual(Article.objects.get().reporter_id, self.paul.pk)

    def test_save_of_an_existing_row(self):
        article = Article.objects.get()
        article.reporter_id = self.paul
        article.save()
        self.assertEqual(Article.objects.values_list("reporter_id", flat=True).get(), self.paul.pk)
