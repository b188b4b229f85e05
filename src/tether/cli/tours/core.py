"""The core tour: what tether does before relations and many-to-many arrive.

Every expected output holds on SQLite, PostgreSQL and MariaDB alike: the steps avoid what
Django itself lets differ between backends (case-sensitivity of LIKE, collation order).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tether.cli.tours import Step, Tour


def _models() -> Sequence[Any]:
    from tether.cli.demo_models import Article, Publication

    return [Publication, Article]


_PUBLICATIONS = (
    "<QuerySet [<Publication: Highlights for Children>, <Publication: Science News>, "
    "<Publication: Science Weekly>, <Publication: The Python Journal>]>"
)

STEPS: list[Step] = [
    Step(
        "from tether.cli.demo_models import Article, Publication",
        say="Two models, written as in Django but with `from tether import models`\n"
        "(see tether/cli/demo_models.py). Their tables were created with\n"
        "`connection.schema_editor().create_model(...)`.",
    ),
    Step("import datetime"),
    Step(
        'p1 = Publication(title="The Python Journal")',
        say="save() inserts a new row; objects.create() builds and saves in one call.",
    ),
    Step("p1.save()"),
    Step("p1.pk", "1"),
    Step('Publication.objects.create(title="Science News")', "<Publication: Science News>"),
    Step(
        'Publication.objects.bulk_create([Publication(title="Science Weekly"), '
        'Publication(title="Highlights for Children")])',
        "[<Publication: Science Weekly>, <Publication: Highlights for Children>]",
    ),
    Step(
        "Publication.objects.all()",
        _PUBLICATIONS,
        say="Meta.ordering = ['title'] orders every query unless order_by() says otherwise.",
    ),
    Step(
        'Publication.objects.filter(title__startswith="Science").exclude(title__endswith="Weekly")',
        "<QuerySet [<Publication: Science News>]>",
        say="QuerySets are lazy and chainable; lookups are Django's.",
    ),
    Step("from tether.models import Q"),
    Step(
        'Publication.objects.filter(Q(title__contains="Python") | Q(title__istartswith="high"))'
        ".count()",
        "2",
    ),
    Step(
        'a1 = Article.objects.create(headline="Django lets you build web apps easily", '
        "pub_date=datetime.date(2005, 7, 27), views=120)",
        say="Values come back with their Python types.",
    ),
    Step(
        'Article.objects.create(headline="NASA uses Python", '
        "pub_date=datetime.date(2005, 7, 28), views=45)",
        "<Article: NASA uses Python>",
    ),
    Step(
        "Article.objects.filter(pub_date__gte=datetime.date(2005, 7, 28))"
        '.values_list("headline", flat=True)',
        "<QuerySet ['NASA uses Python']>",
    ),
    Step(
        'Article.objects.order_by("-views").values("headline", "pub_date")',
        "<QuerySet [{'headline': 'Django lets you build web apps easily', "
        "'pub_date': datetime.date(2005, 7, 27)}, "
        "{'headline': 'NASA uses Python', 'pub_date': datetime.date(2005, 7, 28)}]>",
    ),
    Step(
        "Article.objects.filter(views__lt=100).update(views=100)",
        "1",
        say="update() and delete() work on whole QuerySets in one statement.",
    ),
    Step('Article.objects.get(headline="NASA uses Python").views', "100"),
    Step(
        'Article.objects.get(headline="Nobody wrote this")',
        "Traceback (most recent call last):\n...\n"
        "DoesNotExist: Article matching query does not exist.",
        say="Errors carry Django's messages.",
    ),
    Step(
        'Publication.objects.filter(title__startswith="Science").delete()',
        "(2, {'demo.Publication': 2})",
    ),
    Step(
        'Publication.objects.values_list("title", flat=True)',
        "<QuerySet ['Highlights for Children', 'The Python Journal']>",
    ),
    Step(
        "from tether.db import transaction",
        say="transaction.atomic() rolls back everything inside it when an exception escapes.",
    ),
    Step(
        "with transaction.atomic():\n"
        '    Publication(title="Never published").save()\n'
        '    raise ValueError("changed my mind")',
        "Traceback (most recent call last):\n...\nValueError: changed my mind",
    ),
    Step('Publication.objects.filter(title="Never published").exists()', "False"),
    Step(
        "import asyncio",
        say="The same operations are natively async (acreate, aget, acount, async for, ...):",
    ),
    Step("asyncio.run(Article.objects.filter(views__gte=100).acount())", "2"),
]

CORE_TOUR = Tour(
    title="A short tour of what tether does today",
    intro=(
        "Each line below is run as you would type it at the Python prompt; tether checks\n"
        "that the result matches the one recorded with the step."
    ),
    models=_models,
    steps=STEPS,
    outro=(
        "Next: many-to-many relations, replayed from Django's documentation and two\n"
        "tutorials. Run `tether demo --sql` to see the SQL of every step."
    ),
)
