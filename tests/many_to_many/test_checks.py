"""Clashing many-to-many accessors fail the model checks with Django 5.2's messages.

Each scenario declares the same models on Django (an app registered in memory for it) and on
tether (under isolate_apps), runs the models' checks and compares the `fields.*` messages as
`manage.py check` / `tether check` print them: id, text and hint.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from seeds.django_apps import configure_django, install_app
from tether.checks.model_checks import check_model
from tether.test import SimpleTestCase
from tether.test.utils import isolate_apps

_labels = itertools.count()


def two_m2m_to_one_target(models: Any, label: str) -> list[Any]:
    class Publication(models.Model):
        class Meta:
            app_label = label

    class Article(models.Model):
        publications = models.ManyToManyField(Publication)
        featured_in = models.ManyToManyField(Publication)

        class Meta:
            app_label = label

    return [Publication, Article]


def m2m_and_fk_to_one_target(models: Any, label: str) -> list[Any]:
    class User(models.Model):
        class Meta:
            app_label = label

    class Issue(models.Model):
        cc = models.ManyToManyField(User)
        client = models.ForeignKey(User, models.CASCADE)

        class Meta:
            app_label = label

    return [User, Issue]


def related_name_clashes_with_a_field(models: Any, label: str) -> list[Any]:
    class Tag(models.Model):
        entries = models.IntegerField()

        class Meta:
            app_label = label

    class Entry(models.Model):
        tags = models.ManyToManyField(Tag, related_name="entries")

        class Meta:
            app_label = label

    return [Tag, Entry]


def self_relations_without_related_name(models: Any, label: str) -> list[Any]:
    class Person(models.Model):
        idols = models.ManyToManyField("self", symmetrical=False)
        mentors = models.ManyToManyField("self", symmetrical=False)

        class Meta:
            app_label = label

    return [Person]


def related_query_name_clash(models: Any, label: str) -> list[Any]:
    class Course(models.Model):
        class Meta:
            app_label = label

    class Student(models.Model):
        courses = models.ManyToManyField(Course, related_name="pupils", related_query_name="x")
        audits = models.ManyToManyField(Course, related_name="auditors", related_query_name="x")

        class Meta:
            app_label = label

    return [Course, Student]


def hidden_reverse_never_clashes(models: Any, label: str) -> list[Any]:
    class Tag(models.Model):
        class Meta:
            app_label = label

    class Photo(models.Model):
        tags = models.ManyToManyField(Tag, related_name="+")
        more_tags = models.ManyToManyField(Tag, related_name="+")

        class Meta:
            app_label = label

    return [Tag, Photo]


def related_names_tell_them_apart(models: Any, label: str) -> list[Any]:
    class Category(models.Model):
        class Meta:
            app_label = label

    class Article(models.Model):
        primary = models.ManyToManyField(Category, related_name="primary_articles")
        secondary = models.ManyToManyField(Category, related_name="secondary_articles")

        class Meta:
            app_label = label

    return [Category, Article]


SCENARIOS: dict[str, Callable[[Any, str], list[Any]]] = {
    f.__name__: f
    for f in (
        two_m2m_to_one_target,
        m2m_and_fk_to_one_target,
        related_name_clashes_with_a_field,
        self_relations_without_related_name,
        related_query_name_clash,
        hidden_reverse_never_clashes,
        related_names_tell_them_apart,
    )
}


def field_messages(messages: list[Any], label: str) -> list[str]:
    """The fields.* messages as printed, with the scenario's app label made neutral."""
    texts = [str(m).replace(f"{label}.", "app.") for m in messages if m.id.startswith("fields.")]
    return sorted(texts)


def django_messages(scenario: Callable[[Any, str], list[Any]]) -> list[str]:
    configure_django()
    from django.db import models

    label = f"checks_dj_{next(_labels)}"
    install_app(label)
    classes = scenario(models, label)
    return field_messages([m for cls in classes for m in cls.check()], label)


def tether_messages(scenario: Callable[[Any, str], list[Any]]) -> list[str]:
    from tether import models

    label = f"checks_te_{next(_labels)}"
    with isolate_apps(label):
        classes = scenario(models, label)
        return field_messages([m for cls in classes for m in check_model(cls)], label)


class ClashingAccessorTests(SimpleTestCase):
    maxDiff = None

    def test_same_messages_as_django(self) -> None:
        for name, scenario in SCENARIOS.items():
            with self.subTest(name):
                self.assertEqual(tether_messages(scenario), django_messages(scenario))

    def test_the_documented_clash(self) -> None:
        messages = tether_messages(two_m2m_to_one_target)
        self.assertEqual(
            [m.split(")")[0].split("(")[1] for m in messages],
            ["fields.E304"] * 2,
        )
        self.assertIn(
            "app.Article.featured_in: (fields.E304) Reverse accessor 'Publication.article_set' "
            "for 'app.Article.featured_in' clashes with reverse accessor for "
            "'app.Article.publications'.\n\tHINT: Add or change a related_name argument to the "
            "definition for 'app.Article.featured_in' or 'app.Article.publications'.",
            messages,
        )
