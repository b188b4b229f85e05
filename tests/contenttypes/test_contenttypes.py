"""ContentType: Django's table, rows made on demand, the per-process cache and its methods."""

from __future__ import annotations

from tether.contrib.contenttypes.models import ContentType
from tether.db import transaction
from tether.test import TestCase

from .models import Article, Author, ProxyAuthor


class TableTests(TestCase):
    def test_django_table_and_columns(self) -> None:
        opts = ContentType._meta
        self.assertEqual(opts.db_table, "django_content_type")
        self.assertEqual(opts.app_label, "contenttypes")
        self.assertEqual([f.column for f in opts.concrete_fields], ["id", "app_label", "model"])
        self.assertEqual(opts.unique_together, (("app_label", "model"),))
        self.assertEqual(opts.get_field("model").max_length, 100)

    def test_rows_exist_for_registered_models(self) -> None:
        # The test database gets a row per registered model when its tables are created.
        self.assertTrue(
            ContentType.objects.filter(app_label="contenttypes", model="author").exists()
        )


class ManagerTests(TestCase):
    def setUp(self) -> None:
        ContentType.objects.clear_cache()

    def tearDown(self) -> None:
        ContentType.objects.clear_cache()

    def test_get_for_model_reads_once_then_caches(self) -> None:
        with self.assertNumQueries(1):
            ct = ContentType.objects.get_for_model(Author)
        with self.assertNumQueries(0):
            self.assertIs(ContentType.objects.get_for_model(Author), ct)
            self.assertIs(ContentType.objects.get_for_model(Author(name="x")), ct)
            self.assertIs(ContentType.objects.get_for_id(ct.id), ct)
        self.assertEqual((ct.app_label, ct.model), ("contenttypes", "author"))

    def test_clear_cache_reads_again(self) -> None:
        ContentType.objects.get_for_model(Author)
        ContentType.objects.clear_cache()
        with self.assertNumQueries(1):
            ContentType.objects.get_for_model(Author)

    def test_get_for_model_creates_a_missing_row(self) -> None:
        ContentType.objects.filter(app_label="contenttypes", model="article").delete()
        ct = ContentType.objects.get_for_model(Article)
        self.assertEqual(ContentType.objects.get(pk=ct.pk).model, "article")

    def test_row_created_in_a_rolled_back_transaction_is_not_cached(self) -> None:
        ContentType.objects.filter(app_label="contenttypes", model="article").delete()
        try:
            with transaction.atomic():
                ContentType.objects.get_for_model(Article)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        again = ContentType.objects.get_for_model(Article)
        self.assertTrue(ContentType.objects.filter(pk=again.pk).exists())

    def test_proxy_models(self) -> None:
        concrete = ContentType.objects.get_for_model(Author)
        self.assertEqual(ContentType.objects.get_for_model(ProxyAuthor), concrete)
        proxy = ContentType.objects.get_for_model(ProxyAuthor, for_concrete_model=False)
        self.assertEqual(proxy.model, "proxyauthor")
        self.assertNotEqual(proxy, concrete)

    def test_get_for_models_one_query(self) -> None:
        with self.assertNumQueries(1):
            found = ContentType.objects.get_for_models(Author, Article, ProxyAuthor)
        self.assertEqual(found[Author], found[ProxyAuthor])
        self.assertEqual(found[Article].model, "article")
        found = ContentType.objects.get_for_models(ProxyAuthor, for_concrete_models=False)
        self.assertEqual(found[ProxyAuthor].model, "proxyauthor")

    def test_get_for_id_missing(self) -> None:
        with self.assertRaises(ContentType.DoesNotExist):
            ContentType.objects.get_for_id(987654)

    def test_natural_key(self) -> None:
        ct = ContentType.objects.get_for_model(Author)
        self.assertEqual(ct.natural_key(), ("contenttypes", "author"))
        self.assertEqual(ContentType.objects.get_by_natural_key("contenttypes", "author"), ct)


class InstanceTests(TestCase):
    def test_model_class_and_objects(self) -> None:
        author = Author.objects.create(name="Ann")
        ct = ContentType.objects.get_for_model(Author)
        self.assertIs(ct.model_class(), Author)
        self.assertEqual(ct.get_object_for_this_type(name="Ann"), author)
        self.assertEqual(list(ct.get_all_objects_for_this_type(name="Ann")), [author])
        self.assertEqual(ct.name, "author")
        self.assertEqual(str(ct), "Contenttypes | author")

    def test_model_class_of_unknown_model(self) -> None:
        ct = ContentType(app_label="nowhere", model="nothing")
        self.assertIsNone(ct.model_class())
        self.assertEqual(ct.name, "nothing")
        self.assertEqual(str(ct), "nothing")
