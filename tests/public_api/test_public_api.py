"""Names Django's tests rely on: tether.dispatch, EmptyQuerySet, contains(), get_next_by_FOO,
Model.check()."""

from __future__ import annotations

import datetime

from tether import models
from tether.dispatch import Signal, receiver
from tether.models.query import EmptyQuerySet
from tether.models.signals import Signal as ModelSignalBase
from tether.test import TestCase

from .models import Article, Other


class DispatchTests(TestCase):
    def test_same_signal_class_as_the_model_signals(self) -> None:
        self.assertIs(Signal, ModelSignalBase)

    def test_receiver(self) -> None:
        ping = Signal()
        seen = []

        @receiver(ping)
        def on_ping(sender: object, **kwargs: object) -> None:
            seen.append((sender, kwargs))

        ping.send(sender="me", x=1)
        self.assertEqual(seen, [("me", {"signal": ping, "x": 1})])


class EmptyQuerySetTests(TestCase):
    def test_isinstance(self) -> None:
        self.assertIsInstance(Article.objects.none(), EmptyQuerySet)
        self.assertIsInstance(Article.objects.none().filter(headline="x"), EmptyQuerySet)
        self.assertNotIsInstance(Article.objects.all(), EmptyQuerySet)
        self.assertNotIsInstance(object(), EmptyQuerySet)

    def test_cannot_instantiate(self) -> None:
        with self.assertRaisesMessage(TypeError, "EmptyQuerySet can't be instantiated"):
            EmptyQuerySet()


class ContainsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        now = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        cls.a = Article.objects.create(headline="a", pub_date=now)
        cls.b = Article.objects.create(headline="b", pub_date=now)

    def test_contains(self) -> None:
        with self.assertNumQueries(1):
            self.assertTrue(Article.objects.filter(headline="a").contains(self.a))
        self.assertFalse(Article.objects.filter(headline="a").contains(self.b))
        self.assertFalse(Article.objects.all().contains(Other(pk=self.a.pk)))

    def test_uses_the_result_cache(self) -> None:
        queryset = Article.objects.all()
        list(queryset)
        with self.assertNumQueries(0):
            self.assertTrue(queryset.contains(self.b))

    def test_errors(self) -> None:
        with self.assertRaisesMessage(TypeError, "'obj' must be a model instance."):
            Article.objects.contains(1)
        with self.assertRaisesMessage(
            ValueError, "QuerySet.contains() cannot be used on unsaved objects."
        ):
            Article.objects.contains(Article(headline="x"))
        msg = "Cannot call QuerySet.contains() after .values() or .values_list()."
        with self.assertRaisesMessage(TypeError, msg):
            Article.objects.values("id").contains(self.a)

    async def test_acontains(self) -> None:
        self.assertTrue(await Article.objects.acontains(self.a))
        self.assertFalse(await Article.objects.filter(headline="b").acontains(self.a))


class NextPreviousTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        day = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        cls.first = Article.objects.create(headline="1", pub_date=day)
        cls.second = Article.objects.create(headline="2", pub_date=day)  # same date: by pk
        cls.third = Article.objects.create(headline="3", pub_date=day + datetime.timedelta(1))

    def test_next_and_previous(self) -> None:
        self.assertEqual(self.first.get_next_by_pub_date(), self.second)
        self.assertEqual(self.second.get_next_by_pub_date(), self.third)
        self.assertEqual(self.third.get_previous_by_pub_date(), self.second)
        self.assertEqual(self.second.get_previous_by_pub_date(), self.first)
        self.assertEqual(self.first.get_next_by_pub_date(headline="3"), self.third)

    def test_none_left(self) -> None:
        with self.assertRaisesMessage(
            Article.DoesNotExist, "Article matching query does not exist."
        ):
            self.third.get_next_by_pub_date()

    def test_unsaved(self) -> None:
        msg = "get_next/get_previous cannot be used on unsaved objects."
        with self.assertRaisesMessage(ValueError, msg):
            Article(
                pub_date=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
            ).get_next_by_pub_date()

    def test_only_for_not_null_fields(self) -> None:
        self.assertFalse(hasattr(Article, "get_next_by_published"))


class ModelCheckTests(TestCase):
    def test_check(self) -> None:
        self.assertEqual(Article.check(), [])

    def test_check_reports_errors(self) -> None:
        class Bad(models.Model):
            name_ = models.CharField(max_length=5)

            class Meta:
                app_label = "public_api_bad"

        self.assertEqual([e.id for e in Bad.check()], ["fields.E001"])
