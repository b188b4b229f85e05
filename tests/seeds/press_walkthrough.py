"""The Article/Publication walkthrough of Django's many-to-many docs, as one reusable test.

Seeds 001 (Spanish), 002 (English) and 004 (Russian) are the same walkthrough in three
translations. `ArticlePublicationWalkthrough` replays it step by step and compares each printed
repr exactly; a seed module picks its headline spelling ("web" or "Web") and documents where its
text differs from what Django 5.2 really prints. Ids are literal in the walkthrough
(`Publication.objects.get(id=4)`), so the test resets sequences: every backend starts at 1.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tether.test import TransactionTestCase

from .press.models import Article, Publication


def articles(*headlines: str) -> str:
    """The repr Django prints for a QuerySet of articles with these headlines."""
    return "<QuerySet [" + ", ".join(f"<Article: {h}>" for h in headlines) + "]>"


def publications(*titles: str) -> str:
    """The repr Django prints for a QuerySet of publications with these titles."""
    return "<QuerySet [" + ", ".join(f"<Publication: {t}>" for t in titles) + "]>"


JOURNAL = "The Python Journal"
NEWS = "Science News"
WEEKLY = "Science Weekly"
HIGHLIGHTS = "Highlights for Children"
NASA = "NASA uses Python"
LIFE = "NASA finds intelligent life on Earth"
OXYGEN = "Oxygen-free diet works wonders"
EMPTY = "<QuerySet []>"


class ArticlePublicationWalkthrough(TransactionTestCase):
    """Replays the walkthrough; subclasses set `headline` (the first article's headline)."""

    reset_sequences = True
    headline: ClassVar[str] = "Django lets you build web apps easily"
    __test__ = False  # only the seed modules' subclasses run

    def assertPrints(self, value: Any, expected: str) -> None:
        """What the `>>>` prompt would print for `value` is exactly `expected`."""
        self.assertEqual(repr(value), expected)

    def test_walkthrough(self) -> None:
        django_article = self.headline
        p1 = Publication(title=JOURNAL)
        p1.save()
        p2 = Publication(title=NEWS)
        p2.save()
        p3 = Publication(title=WEEKLY)
        p3.save()
        self.assertEqual((p1.id, p2.id, p3.id), (1, 2, 3))

        a1 = Article(headline=django_article)
        with self.assertRaisesMessage(
            ValueError,
            f'"<Article: {django_article}>" needs to have a value for field "id" before this '
            "many-to-many relationship can be used.",
        ):
            a1.publications.add(p1)
        a1.save()
        a1.publications.add(p1)

        a2 = Article(headline=NASA)
        a2.save()
        a2.publications.add(p1, p2)
        a2.publications.add(p3)
        a2.publications.add(p3)  # a second time: no duplicate link
        self.assertEqual(Article.publications.through.objects.filter(article=a2).count(), 3)

        # The seeds stop at "'Publication' instance expected"; Django 5.2 adds the object.
        with self.assertRaisesMessage(
            TypeError, f"'Publication' instance expected, got <Article: {django_article}>"
        ):
            a2.publications.add(a1)

        new_publication = a2.publications.create(title=HIGHLIGHTS)
        self.assertEqual(new_publication.id, 4)
        self.assertPrints(a1.publications.all(), publications(JOURNAL))
        self.assertPrints(a2.publications.all(), publications(HIGHLIGHTS, NEWS, WEEKLY, JOURNAL))
        self.assertPrints(p2.article_set.all(), articles(NASA))
        self.assertPrints(p1.article_set.all(), articles(django_article, NASA))
        self.assertPrints(Publication.objects.get(id=4).article_set.all(), articles(NASA))

        # Lookups across the relation.
        both = articles(django_article, NASA)
        self.assertPrints(Article.objects.filter(publications__id=1), both)
        self.assertPrints(Article.objects.filter(publications__pk=1), both)
        self.assertPrints(Article.objects.filter(publications=1), both)
        self.assertPrints(Article.objects.filter(publications=p1), both)
        science = Article.objects.filter(publications__title__startswith="Science")
        self.assertPrints(science, articles(NASA, NASA))
        self.assertPrints(science.distinct(), articles(NASA))
        self.assertEqual(science.count(), 2)
        self.assertEqual(science.distinct().count(), 1)
        self.assertPrints(Article.objects.filter(publications__in=[1, 2]).distinct(), both)
        self.assertPrints(Article.objects.filter(publications__in=[p1, p2]).distinct(), both)

        # Reverse queries, from the model without the ManyToManyField.
        self.assertPrints(Publication.objects.filter(id=1), publications(JOURNAL))
        self.assertPrints(Publication.objects.filter(pk=1), publications(JOURNAL))
        all_four = publications(HIGHLIGHTS, NEWS, WEEKLY, JOURNAL)
        self.assertPrints(
            Publication.objects.filter(article__headline__startswith="NASA"), all_four
        )
        for lookup in ({"article__id": 1}, {"article__pk": 1}, {"article": 1}, {"article": a1}):
            self.assertPrints(Publication.objects.filter(**lookup), publications(JOURNAL))
        self.assertPrints(Publication.objects.filter(article__in=[1, 2]).distinct(), all_four)
        self.assertPrints(Publication.objects.filter(article__in=[a1, a2]).distinct(), all_four)

        self.assertPrints(Article.objects.exclude(publications=p2), articles(django_article))

        # Deleting either side removes its links. The seeds print nothing for delete(); Django
        # 5.2 returns the counts per model label, link rows included.
        self.assertEqual(
            p1.delete(), (3, {"press.Article_publications": 2, "press.Publication": 1})
        )
        self.assertPrints(Publication.objects.all(), publications(HIGHLIGHTS, NEWS, WEEKLY))
        a1 = Article.objects.get(pk=1)
        self.assertPrints(a1.publications.all(), EMPTY)
        self.assertEqual(a2.delete(), (4, {"press.Article_publications": 3, "press.Article": 1}))
        self.assertPrints(Article.objects.all(), articles(django_article))
        self.assertPrints(p2.article_set.all(), EMPTY)

        # Adding from the other end.
        a4 = Article(headline=LIFE)
        a4.save()
        p2.article_set.add(a4)
        self.assertPrints(p2.article_set.all(), articles(LIFE))
        self.assertPrints(a4.publications.all(), publications(NEWS))
        new_article = p2.article_set.create(headline=OXYGEN)
        self.assertEqual(str(new_article), OXYGEN)
        self.assertPrints(p2.article_set.all(), articles(LIFE, OXYGEN))
        a5 = p2.article_set.all()[1]
        self.assertPrints(a5.publications.all(), publications(NEWS))

        # Removing, from both ends.
        a4.publications.remove(p2)
        self.assertPrints(p2.article_set.all(), articles(OXYGEN))
        self.assertPrints(a4.publications.all(), EMPTY)
        p2.article_set.remove(a5)
        self.assertPrints(p2.article_set.all(), EMPTY)
        self.assertPrints(a5.publications.all(), EMPTY)

        # set(). The docs print <QuerySet [<Publication: Science News>]> for a4 here, which
        # contradicts the remove() just above; Django 5.2 prints what the database holds.
        self.assertPrints(a4.publications.all(), EMPTY)
        a4.publications.set([p3])
        self.assertPrints(a4.publications.all(), publications(WEEKLY))

        # clear(), from both ends.
        p2.article_set.clear()
        self.assertPrints(p2.article_set.all(), EMPTY)
        p2.article_set.add(a4, a5)
        self.assertPrints(p2.article_set.all(), articles(LIFE, OXYGEN))
        self.assertPrints(a4.publications.all(), publications(NEWS, WEEKLY))
        a4.publications.clear()
        self.assertPrints(a4.publications.all(), EMPTY)
        self.assertPrints(p2.article_set.all(), articles(OXYGEN))

        # Recreate the deleted rows; they get new ids (5 and 5): sequences never go back.
        p1 = Publication(title=JOURNAL)
        p1.save()
        a2 = Article(headline=NASA)
        a2.save()
        self.assertEqual((p1.id, a2.id), (5, 5))
        a2.publications.add(p1, p2, p3)

        # Bulk delete: the links of the deleted rows go too.
        deleted = Publication.objects.filter(title__startswith="Science").delete()
        self.assertEqual(deleted, (5, {"press.Article_publications": 3, "press.Publication": 2}))
        self.assertPrints(Publication.objects.all(), publications(HIGHLIGHTS, JOURNAL))
        self.assertPrints(Article.objects.all(), articles(django_article, LIFE, NASA, OXYGEN))
        self.assertPrints(a2.publications.all(), publications(JOURNAL))

        q = Article.objects.filter(headline__startswith="Django")
        self.assertEqual(str(q), articles(django_article))
        self.assertEqual(q.delete(), (1, {"press.Article": 1}))
        # After delete() the QuerySet's cache is cleared: it queries again.
        self.assertEqual(str(q), EMPTY)
        self.assertPrints(p1.article_set.all(), articles(NASA))
