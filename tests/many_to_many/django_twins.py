"""The models of `models.py` declared for Django 5.2 (test-only), and the shared sample data.

`django_models()` returns the Django twins (configured once per process, in-memory SQLite);
`populate(models)` fills either ORM's models with the same rows, given a dict of classes.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from seeds.django_apps import configure_django, install_app

HEADLINES = {
    "a1": ("Django lets you build web apps easily", 12),
    "a2": ("NASA uses Python", 30),
    "a3": ("NASA finds intelligent life on Earth", 7),
    "a4": ("Oxygen-free diet works wonders", 3),
    "a5": ("Nobody publishes this", 1),
}
TITLES = {
    "p1": "The Python Journal",
    "p2": "Science News",
    "p3": "Science Weekly",
    "p4": "Highlights for Children",
    "p5": "Unread Monthly",
}
LINKS = {"a1": ["p1"], "a2": ["p1", "p2", "p3", "p4"], "a3": ["p2"], "a4": ["p2", "p3"]}
READERS = {"Ann": ["a1", "a2"], "Bob": ["a2"], "Cid": []}
EDITIONS = {"p1": [1, 2, 3], "p2": [7], "p4": [1, 2]}


def populate(m: dict[str, Any]) -> dict[str, Any]:
    """Create the sample rows with `m`'s models; return them by short name."""
    rows: dict[str, Any] = {}
    for key, title in TITLES.items():
        rows[key] = m["Publication"].objects.create(title=title)
    for key, (headline, pages) in HEADLINES.items():
        rows[key] = m["Article"].objects.create(headline=headline, pages=pages)
        rows[key].publications.set([rows[p] for p in LINKS.get(key, [])])
    for name, keys in READERS.items():
        rows[name] = m["Reader"].objects.create(name=name)
        rows[name].articles.add(*[rows[k] for k in keys])
    for key, numbers in EDITIONS.items():
        for number in numbers:
            m["Edition"].objects.create(publication=rows[key], number=number)
    return rows


@cache
def django_models() -> dict[str, Any]:
    configure_django()
    install_app("many_to_many")
    from django.db import connection, models

    class Publication(models.Model):
        title = models.CharField(max_length=30)

        class Meta:
            app_label = "many_to_many"
            ordering = ["title"]

        def __str__(self) -> str:
            return self.title

    class Article(models.Model):
        headline = models.CharField(max_length=100)
        pages = models.IntegerField(default=0)
        publications = models.ManyToManyField(Publication)

        class Meta:
            app_label = "many_to_many"
            ordering = ["headline"]

        def __str__(self) -> str:
            return self.headline

    class Reader(models.Model):
        name = models.CharField(max_length=30)
        articles = models.ManyToManyField(
            Article, related_name="readers", related_query_name="reader"
        )

        class Meta:
            app_label = "many_to_many"
            ordering = ["name"]

        def __str__(self) -> str:
            return self.name

    class Edition(models.Model):
        publication = models.ForeignKey(Publication, models.CASCADE, related_name="editions")
        number = models.IntegerField()

        class Meta:
            app_label = "many_to_many"
            ordering = ["publication__title", "number"]

        def __str__(self) -> str:
            return f"{self.publication} #{self.number}"

    classes = {"Publication": Publication, "Article": Article, "Reader": Reader, "Edition": Edition}
    with connection.schema_editor() as editor:
        for model in classes.values():
            editor.create_model(model)
    return classes


def tether_namespace() -> dict[str, Any]:
    """tether's models and expression classes, by name."""
    from tether.models import Avg, Count, F, Max, Min, Q, Sum

    from . import models

    names = {"Q": Q, "F": F, "Count": Count, "Sum": Sum, "Avg": Avg, "Min": Min, "Max": Max}
    for model in (models.Publication, models.Article, models.Reader, models.Edition):
        names[model.__name__] = model
    return names


def django_namespace() -> dict[str, Any]:
    """Django's twin models and expression classes, by name."""
    from django.db.models import Avg, Count, F, Max, Min, Q, Sum

    names = {"Q": Q, "F": F, "Count": Count, "Sum": Sum, "Avg": Avg, "Min": Min, "Max": Max}
    return {**django_models(), **names}


def django_outcomes(scenarios: Any) -> dict[str, Any]:
    """Run every scenario on Django over fresh sample rows (rolled back afterwards)."""
    from django.db import transaction

    m = django_namespace()
    results: dict[str, Any] = {}
    with transaction.atomic():
        rows = populate(m)
        for name, scenario in scenarios(m, rows).items():
            with transaction.atomic():
                results[name] = outcome(scenario)
        transaction.set_rollback(True)
    return results


def outcome(func: Any) -> Any:
    """("ok", value) or (exception class name, message): comparable across the two ORMs."""
    try:
        return ("ok", func())
    except Exception as exc:
        return (type(exc).__name__, str(exc))
