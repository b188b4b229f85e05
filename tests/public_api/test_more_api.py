"""More of Django's public API: select_on_save, db_default on a primary key, _is_pk_set,
rel.accessor_name and get_related_field(), Query.get_compiler(using), relation lookups with a
primary-key relation's own instance, and duration arithmetic."""

from __future__ import annotations

import datetime

from tether import models
from tether.db import DatabaseError, connection
from tether.models import ExpressionWrapper, F
from tether.test import TestCase

from .models import (
    Article,
    ArticleSelectOnSave,
    Hidden,
    Place,
    PrimaryKeyWithDbDefault,
    PrimaryKeyWithFalseyDbDefault,
    Restaurant,
    Task,
)

NOW = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


class SelectOnSaveTests(TestCase):
    def test_select_then_update(self) -> None:
        plain = Article.objects.create(headline="a", pub_date=NOW)
        with self.assertNumQueries(1):
            plain.save()
        article = ArticleSelectOnSave.objects.create(headline="b", pub_date=NOW)
        with self.assertNumQueries(2):
            article.save()
        with self.assertNumQueries(1):
            article.save(force_update=True)
        Article.objects.all().delete()
        with self.assertRaisesMessage(DatabaseError, "Forced update did not affect any rows."):
            article.save(force_update=True)

    def test_missing_row_is_inserted(self) -> None:
        article = ArticleSelectOnSave.objects.create(headline="b", pub_date=NOW)
        Article.objects.all().delete()
        article.save()
        self.assertTrue(Article.objects.filter(pk=article.pk).exists())


class DbDefaultPrimaryKeyTests(TestCase):
    def test_insert_without_an_update_first(self) -> None:
        with self.assertNumQueries(1):
            PrimaryKeyWithDbDefault().save()
        with self.assertNumQueries(1):
            PrimaryKeyWithFalseyDbDefault().save()
        # (SQLite gives an INTEGER PRIMARY KEY the next rowid, whatever its DEFAULT says.)
        self.assertEqual(PrimaryKeyWithDbDefault.objects.count(), 1)
        self.assertEqual(PrimaryKeyWithFalseyDbDefault.objects.count(), 1)


class MetaApiTests(TestCase):
    def test_is_pk_set(self) -> None:
        self.assertFalse(Place(name="x")._is_pk_set())
        self.assertTrue(Place.objects.create(name="x")._is_pk_set())

    def test_accessor_name(self) -> None:
        rel = Restaurant._meta.get_field("place").remote_field
        self.assertEqual(rel.accessor_name, "restaurant")
        hidden = Hidden._meta.get_field("place").remote_field.accessor_name
        self.assertFalse(hasattr(Place, hidden))

    def test_get_related_field(self) -> None:
        field = models.ForeignKey(Place, models.CASCADE)
        self.assertEqual(field.remote_field.get_related_field().name, "id")

    def test_get_compiler_by_alias(self) -> None:
        query = Place.objects.filter(name="x").query
        self.assertEqual(
            query.get_compiler("default").as_sql(),
            query.get_compiler(connection=connection).as_sql(),
        )
        with self.assertRaisesMessage(ValueError, "Need either using or connection"):
            query.get_compiler()


class RelationLookupTests(TestCase):
    def test_primary_key_relation_takes_its_own_instance(self) -> None:
        restaurant = Restaurant.objects.create(place=Place.objects.create(name="p"))
        self.assertEqual(Restaurant.objects.filter(pk__exact=restaurant).get(), restaurant)
        self.assertEqual(Restaurant.objects.filter(place=restaurant.place).get(), restaurant)

    def test_other_model_refused(self) -> None:
        task = Task.objects.create(estimate=datetime.timedelta(1))
        with self.assertRaisesMessage(ValueError, 'Must be "Place" instance.'):
            Restaurant.objects.filter(place=task)


class DurationArithmeticTests(TestCase):
    def test_multiply_and_divide(self) -> None:
        Task.objects.create(estimate=datetime.timedelta(hours=1))
        out = models.DurationField()
        values = Task.objects.annotate(
            twice=ExpressionWrapper(F("estimate") * 2, output_field=out),
            by_field=ExpressionWrapper(F("estimate") * F("factor"), output_field=out),
            half=ExpressionWrapper(F("estimate") / 2, output_field=out),
        ).values_list("twice", "by_field", "half")
        hour = datetime.timedelta(hours=1)
        self.assertEqual(list(values), [(2 * hour, 2 * hour, hour / 2)])
        Task.objects.update(estimate=F("estimate") * 3)
        self.assertEqual(Task.objects.get().estimate, 3 * hour)
