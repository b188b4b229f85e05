"""The models of `models.py` declared for Django 5.2 (test-only), the sample rows, and a
runner that gives each scenario's outcome on Django (in-process, on the backend tether runs
on: seeds/django_server.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from seeds.django_apps import configure_django, install_app
from seeds.django_server import django_alias

AUTHORS = {"ann": ("Ann", 34, 4.5), "bob": ("Bob", 51, None), "cid": ("Cid", 28, 3.0)}
TAGS = ("db", "python", "web", "unused")
BOOKS = {
    # key: (title, pages, price, flags, author, editor, tags, published)
    "b1": ("Alpha", 120, "10.50", 5, "ann", None, ["db", "python"], (2020, 1, 5)),
    "b2": ("Beta", 300, "25.00", 3, "ann", "bob", ["python"], (2021, 3, 1)),
    "b3": ("Gamma", 80, "7.25", 12, "bob", "ann", [], (2019, 7, 9)),
    "b4": ("Delta", 450, "40.00", 0, "bob", None, ["db", "web", "python"], (2022, 11, 30)),
    "b5": ("Epsilon", 200, "15.75", 9, "ann", "cid", ["web"], (2021, 3, 1)),
}


def populate(m: dict[str, Any]) -> dict[str, Any]:
    """Create the sample rows with `m`'s models; return them by key."""
    rows: dict[str, Any] = {}
    for key, (name, age, rating) in AUTHORS.items():
        rows[key] = m["Author"].objects.create(name=name, age=age, rating=rating)
    for label in TAGS:
        rows[label] = m["Tag"].objects.create(label=label)
    for key, (title, pages, price, flags, author, editor, tags, day) in BOOKS.items():
        book = m["Book"].objects.create(
            title=title,
            pages=pages,
            price=Decimal(price),
            flags=flags,
            author=rows[author],
            editor=rows[editor] if editor else None,
            published=datetime.date(*day),
        )
        book.tags.set([rows[t] for t in tags])
        rows[key] = book
    return rows


@cache
def django_models() -> dict[str, Any]:
    configure_django()
    install_app("query_power")
    from django.db import connections, models

    class Author(models.Model):
        name = models.CharField(max_length=40)
        age = models.IntegerField()
        rating = models.FloatField(null=True)

        class Meta:
            app_label = "query_power"
            ordering = ["name"]

        def __str__(self) -> str:
            return self.name

    class Tag(models.Model):
        label = models.CharField(max_length=20)

        class Meta:
            app_label = "query_power"
            ordering = ["label"]

        def __str__(self) -> str:
            return self.label

    class Book(models.Model):
        title = models.CharField(max_length=60)
        pages = models.IntegerField()
        price = models.DecimalField(max_digits=6, decimal_places=2)
        flags = models.IntegerField(default=0)
        author = models.ForeignKey(Author, models.CASCADE, related_name="books")
        editor = models.ForeignKey(Author, models.SET_NULL, null=True, related_name="edited")
        tags = models.ManyToManyField(Tag, related_name="books")
        published = models.DateField()

        class Meta:
            app_label = "query_power"
            ordering = ["title"]

        def __str__(self) -> str:
            return self.title

    classes = {"Author": Author, "Tag": Tag, "Book": Book}
    with connections[django_alias("query_power")].schema_editor() as editor:
        for model in classes.values():
            editor.create_model(model)
    return classes


def _namespace(module: Any, functions: Any) -> dict[str, Any]:
    names = {name: getattr(module, name) for name in EXPRESSION_NAMES if hasattr(module, name)}
    # Every database function tether has, under its Django name.
    for name in FUNCTION_NAMES + tuple(getattr(functions, "__all__", ())):
        if hasattr(functions, name):
            names[name] = getattr(functions, name)
    return names


EXPRESSION_NAMES = (
    "Q F Value Func ExpressionWrapper ExpressionList OrderBy Case When Subquery OuterRef Exists "
    "Window RowRange ValueRange RawSQL FilteredRelation Count Sum Avg Min Max StdDev Variance "
    "IntegerField FloatField DecimalField CharField BooleanField TextField DateField DateTimeField "
    "JSONField Transform WindowFrameExclusion"
).split()
FUNCTION_NAMES = ("Rank", "RowNumber")


def tether_namespace() -> dict[str, Any]:
    from tether import models
    from tether.models import functions

    from . import models as app

    return {**_namespace(models, functions), "Author": app.Author, "Tag": app.Tag, "Book": app.Book}


def django_namespace() -> dict[str, Any]:
    from django.db import models
    from django.db.models import functions
    from django.db.models.expressions import RawSQL

    return {**_namespace(models, functions), "RawSQL": RawSQL, **django_models()}


def django_outcomes(scenarios: Any) -> dict[str, Any]:
    """Run every scenario on Django over fresh sample rows (rolled back afterwards)."""
    from django.db import transaction

    m = django_namespace()
    alias = django_alias("query_power")
    results: dict[str, Any] = {}
    with transaction.atomic(using=alias):
        rows = populate(m)
        for name, scenario in scenarios(m, rows).items():
            with transaction.atomic(using=alias):
                results[name] = outcome(scenario)
                if results[name][0] != "ok":
                    # A failed statement aborts PostgreSQL's transaction: back to before it.
                    transaction.set_rollback(True, using=alias)
        transaction.set_rollback(True, using=alias)
    return results


def outcome(func: Any) -> Any:
    """("ok", value) or (exception class name, message): comparable across the two ORMs."""
    try:
        return ("ok", func())
    except Exception as exc:
        return (type(exc).__name__, str(exc))
