"""The Article/Publication tour: the walkthrough of Django's many-to-many documentation.

Statements are the English seed's; expected outputs are what Django 5.2 prints for them, which
differs from the docs' text in three ways the narration points out: delete() returns its counts,
the TypeError also names the object, and a4's publications are empty before set() (the docs
show Science News there, contradicting their own remove() a few steps earlier).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tether.cli.tours import Step, Tour

HEADLINE = "Django lets you build web apps easily"


def _models() -> Sequence[Any]:
    from tether.cli.seed_apps.press import Article, Publication

    return [Publication, Article]


def _articles(*headlines: str) -> str:
    return "<QuerySet [" + ", ".join(f"<Article: {h}>" for h in headlines) + "]>"


def _publications(*titles: str) -> str:
    return "<QuerySet [" + ", ".join(f"<Publication: {t}>" for t in titles) + "]>"


def _error(kind: str, message: str) -> str:
    return f"Traceback (most recent call last):\n...\n{kind}: {message}"


JOURNAL, NEWS, WEEKLY = "The Python Journal", "Science News", "Science Weekly"
HIGHLIGHTS, NASA = "Highlights for Children", "NASA uses Python"
LIFE, OXYGEN = "NASA finds intelligent life on Earth", "Oxygen-free diet works wonders"
ALL_FOUR = _publications(HIGHLIGHTS, NEWS, WEEKLY, JOURNAL)
BOTH = _articles(HEADLINE, NASA)
EMPTY = "<QuerySet []>"

STEPS: list[Step] = [
    Step(
        "from tether.cli.seed_apps.press import Article, Publication",
        say="An Article can be published in many Publications, and a Publication has many\n"
        "Articles: `publications = models.ManyToManyField(Publication)` on Article\n"
        "(tether/cli/seed_apps/press.py). Create a few Publications:",
    ),
    Step("p1 = Publication(title='The Python Journal')"),
    Step("p1.save()"),
    Step("p2 = Publication(title='Science News')"),
    Step("p2.save()"),
    Step("p3 = Publication(title='Science Weekly')"),
    Step("p3.save()"),
    Step(f"a1 = Article(headline={HEADLINE!r})", say="Create an Article:"),
    Step(
        "a1.publications.add(p1)",
        _error(
            "ValueError",
            f'"<Article: {HEADLINE}>" needs to have a value for field "id" before this '
            "many-to-many relationship can be used.",
        ),
        say="You can't associate it with a Publication until it's been saved:",
    ),
    Step("a1.save()", say="Save it!"),
    Step("a1.publications.add(p1)", say="Associate the Article with a Publication:"),
    Step(
        "a2 = Article(headline='NASA uses Python')",
        say="Create another Article, and set it to appear in the Publications:",
    ),
    Step("a2.save()"),
    Step("a2.publications.add(p1, p2)"),
    Step("a2.publications.add(p3)"),
    Step(
        "a2.publications.add(p3)",
        say="Adding a second time is OK, it will not duplicate the relation:",
    ),
    Step(
        "a2.publications.add(a1)",
        _error("TypeError", f"'Publication' instance expected, got <Article: {HEADLINE}>"),
        say="Adding an object of the wrong type raises TypeError (Django 5.2 also names it):",
    ),
    Step(
        "new_publication = a2.publications.create(title='Highlights for Children')",
        say="Create and add a Publication to an Article in one step using create():",
    ),
    Step(
        "a1.publications.all()",
        _publications(JOURNAL),
        say="Article objects have access to their related Publication objects:",
    ),
    Step("a2.publications.all()", ALL_FOUR),
    Step(
        "p2.article_set.all()",
        _articles(NASA),
        say="Publication objects have access to their related Article objects:",
    ),
    Step("p1.article_set.all()", BOTH),
    Step("Publication.objects.get(id=4).article_set.all()", _articles(NASA)),
    Step(
        "Article.objects.filter(publications__id=1)",
        BOTH,
        say="Many-to-many relationships can be queried using lookups across relationships:",
    ),
    Step("Article.objects.filter(publications__pk=1)", BOTH),
    Step("Article.objects.filter(publications=1)", BOTH),
    Step("Article.objects.filter(publications=p1)", BOTH),
    Step(
        'Article.objects.filter(publications__title__startswith="Science")', _articles(NASA, NASA)
    ),
    Step(
        'Article.objects.filter(publications__title__startswith="Science").distinct()',
        _articles(NASA),
    ),
    Step(
        'Article.objects.filter(publications__title__startswith="Science").count()',
        "2",
        say="The count() function respects distinct() as well:",
    ),
    Step(
        'Article.objects.filter(publications__title__startswith="Science").distinct().count()', "1"
    ),
    Step("Article.objects.filter(publications__in=[1,2]).distinct()", BOTH),
    Step("Article.objects.filter(publications__in=[p1,p2]).distinct()", BOTH),
    Step(
        "Publication.objects.filter(id=1)",
        _publications(JOURNAL),
        say="Reverse m2m queries are supported (i.e., starting at the table that doesn't have\n"
        "a ManyToManyField):",
    ),
    Step("Publication.objects.filter(pk=1)", _publications(JOURNAL)),
    Step('Publication.objects.filter(article__headline__startswith="NASA")', ALL_FOUR),
    Step("Publication.objects.filter(article__id=1)", _publications(JOURNAL)),
    Step("Publication.objects.filter(article__pk=1)", _publications(JOURNAL)),
    Step("Publication.objects.filter(article=1)", _publications(JOURNAL)),
    Step("Publication.objects.filter(article=a1)", _publications(JOURNAL)),
    Step("Publication.objects.filter(article__in=[1,2]).distinct()", ALL_FOUR),
    Step("Publication.objects.filter(article__in=[a1,a2]).distinct()", ALL_FOUR),
    Step(
        "Article.objects.exclude(publications=p2)",
        _articles(HEADLINE),
        say="Excluding a related item works as you would expect, too (although the SQL\n"
        "involved is a little complex):",
    ),
    Step(
        "p1.delete()",
        "(3, {'press.Article_publications': 2, 'press.Publication': 1})",
        say="If we delete a Publication, its Articles won't be able to access it\n"
        "(delete() returns what it deleted, link rows included):",
    ),
    Step("Publication.objects.all()", _publications(HIGHLIGHTS, NEWS, WEEKLY)),
    Step("a1 = Article.objects.get(pk=1)"),
    Step("a1.publications.all()", EMPTY),
    Step(
        "a2.delete()",
        "(4, {'press.Article_publications': 3, 'press.Article': 1})",
        say="If we delete an Article, its Publications won't be able to access it:",
    ),
    Step("Article.objects.all()", _articles(HEADLINE)),
    Step("p2.article_set.all()", EMPTY),
    Step(
        "a4 = Article(headline='NASA finds intelligent life on Earth')",
        say="Adding via the 'other' end of an m2m:",
    ),
    Step("a4.save()"),
    Step("p2.article_set.add(a4)"),
    Step("p2.article_set.all()", _articles(LIFE)),
    Step("a4.publications.all()", _publications(NEWS)),
    Step(
        "new_article = p2.article_set.create(headline='Oxygen-free diet works wonders')",
        say="Adding via the other end using keywords:",
    ),
    Step("p2.article_set.all()", _articles(LIFE, OXYGEN)),
    Step("a5 = p2.article_set.all()[1]"),
    Step("a5.publications.all()", _publications(NEWS)),
    Step("a4.publications.remove(p2)", say="Removing Publication from an Article:"),
    Step("p2.article_set.all()", _articles(OXYGEN)),
    Step("a4.publications.all()", EMPTY),
    Step("p2.article_set.remove(a5)", say="And from the other end:"),
    Step("p2.article_set.all()", EMPTY),
    Step("a5.publications.all()", EMPTY),
    Step(
        "a4.publications.all()",
        EMPTY,
        say="Relation sets can be set (the docs print Science News for a4 here, but a4's\n"
        "link was removed above; Django prints an empty QuerySet, and so does tether):",
    ),
    Step("a4.publications.set([p3])"),
    Step("a4.publications.all()", _publications(WEEKLY)),
    Step("p2.article_set.clear()", say="Relation sets can be cleared:"),
    Step("p2.article_set.all()", EMPTY),
    Step("p2.article_set.add(a4, a5)", say="And you can clear from the other end:"),
    Step("p2.article_set.all()", _articles(LIFE, OXYGEN)),
    Step("a4.publications.all()", _publications(NEWS, WEEKLY)),
    Step("a4.publications.clear()"),
    Step("a4.publications.all()", EMPTY),
    Step("p2.article_set.all()", _articles(OXYGEN)),
    Step(
        "p1 = Publication(title='The Python Journal')",
        say="Recreate the Article and Publication we have deleted:",
    ),
    Step("p1.save()"),
    Step("a2 = Article(headline='NASA uses Python')"),
    Step("a2.save()"),
    Step("a2.publications.add(p1, p2, p3)"),
    Step(
        "Publication.objects.filter(title__startswith='Science').delete()",
        "(5, {'press.Article_publications': 3, 'press.Publication': 2})",
        say="Bulk delete some Publications - references to deleted publications should go:",
    ),
    Step("Publication.objects.all()", _publications(HIGHLIGHTS, JOURNAL)),
    Step("Article.objects.all()", _articles(HEADLINE, LIFE, NASA, OXYGEN)),
    Step("a2.publications.all()", _publications(JOURNAL)),
    Step(
        "q = Article.objects.filter(headline__startswith='Django')",
        say="Bulk delete some articles - references to deleted objects should go:",
    ),
    Step("print(q)", _articles(HEADLINE)),
    Step("q.delete()", "(1, {'press.Article': 1})"),
    Step(
        "print(q)",
        EMPTY,
        say="After the delete(), the QuerySet cache needs to be cleared, and the referenced\n"
        "objects should be gone:",
    ),
    Step("p1.article_set.all()", _articles(NASA)),
]

PRESS_TOUR = Tour(
    title="Many-to-many: Articles and Publications (Django's documentation, replayed)",
    intro=(
        "The walkthrough of Django's many-to-many documentation, statement by statement, with\n"
        "the results Django 5.2 prints. Tables are created fresh, so ids start at 1."
    ),
    models=_models,
    steps=STEPS,
)

__all__ = ["PRESS_TOUR", "STEPS"]
