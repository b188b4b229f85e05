"""A lookup expression and keyword conditions of one filter() call share a many-valued join,
as in Django: the conditions are about one related row."""

import datetime

from tether.models import F
from tether.models.lookups import Exact
from tether.test import TestCase

from .models import Article, Reporter


class LookupJoinReuseTests(TestCase):
    def test_one_related_row(self):
        john = Reporter.objects.create(first_name="John", last_name="Smith")
        paul = Reporter.objects.create(first_name="Paul", last_name="Jones")
        Article.objects.create(headline="NY", pub_date=datetime.date(2005, 1, 1), reporter=john)
        Article.objects.create(headline="LA", pub_date=datetime.date(2006, 1, 1), reporter=john)
        Article.objects.create(headline="NY", pub_date=datetime.date(2006, 1, 1), reporter=paul)
        found = Reporter.objects.filter(
            Exact(F("article__headline"), "NY"), article__pub_date=datetime.date(2006, 1, 1)
        )
        self.assertEqual([r.first_name for r in found], ["Paul"])
