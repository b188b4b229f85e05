"""Two relations between Article and Category: separate tables, managers and lookups."""

from tether.test import TestCase

from .models import Article, Category


class MultipleTests(TestCase):
    def test_two_relations_do_not_mix(self) -> None:
        sports, news, crime, life = (
            Category.objects.create(name=n) for n in ("Sports", "News", "Crime", "Life")
        )
        a1 = Article.objects.create(headline="Parrot steals")
        a1.primary_categories.add(news, crime)
        a1.secondary_categories.add(life)
        a2 = Article.objects.create(headline="Parrot runs")
        a2.primary_categories.add(news, sports)
        a2.secondary_categories.add(life)
        self.assertEqual(list(a1.primary_categories.all()), [crime, news])
        self.assertEqual(list(a1.secondary_categories.all()), [life])
        self.assertEqual(list(news.primary_article_set.all()), [a2, a1])
        self.assertEqual(list(news.secondary_article_set.all()), [])
        self.assertEqual(list(life.secondary_article_set.all()), [a2, a1])
        self.assertEqual(list(Article.objects.filter(primary_categories=sports)), [a2])
        self.assertEqual(list(Article.objects.filter(secondary_categories=sports)), [])
        self.assertEqual(
            list(Category.objects.filter(primary_article_set__headline="Parrot steals")),
            [crime, news],
        )
        self.assertNotEqual(
            Article.primary_categories.through._meta.db_table,
            Article.secondary_categories.through._meta.db_table,
        )
        life.delete()
        self.assertEqual(list(a1.secondary_categories.all()), [])
        self.assertEqual(list(a1.primary_categories.all()), [crime, news])
