"""_meta, the model registry and the schema editor, through the public API."""

from tether import apps as apps_module
from tether import models
from tether.db import IntegrityError, connection, transaction
from tether.exceptions import FieldDoesNotExist
from tether.test import TestCase, TransactionTestCase

from .models import Article, CustomKey, Plain


class MetaTests(TestCase):
    def test_names(self):
        opts = Article._meta
        self.assertEqual(opts.app_label, "basic")
        self.assertEqual(opts.model_name, "article")
        self.assertEqual(opts.object_name, "Article")
        self.assertEqual(opts.db_table, "basic_article")
        self.assertEqual(opts.label, "basic.Article")
        self.assertEqual(list(opts.ordering), ["pub_date", "headline"])

    def test_fields(self):
        opts = Article._meta
        self.assertEqual([f.name for f in opts.fields], ["id", "headline", "pub_date"])
        self.assertEqual([f.name for f in opts.concrete_fields], ["id", "headline", "pub_date"])
        self.assertEqual(opts.pk.name, "id")
        self.assertEqual(CustomKey._meta.pk.name, "code")
        self.assertIs(opts.get_field("headline"), opts.fields[1])

    def test_get_field_missing(self):
        with self.assertRaisesMessage(FieldDoesNotExist, "Article has no field named 'nope'"):
            Article._meta.get_field("nope")

    def test_registry(self):
        self.assertIs(apps_module.apps.get_model("basic", "Plain"), Plain)
        self.assertIs(apps_module.apps.get_model("basic.plain"), Plain)


class AbstractBase(models.Model):
    created_by = models.CharField(max_length=20, default="system")

    class Meta:
        abstract = True
        ordering = ("created_by",)


class Concrete(AbstractBase):
    title = models.CharField(max_length=20)

    class Meta(AbstractBase.Meta):
        unique_together = [("created_by", "title")]


class AbstractAndUniqueTests(TestCase):
    def test_abstract_fields_are_inherited(self):
        self.assertEqual([f.name for f in Concrete._meta.fields], ["id", "created_by", "title"])
        self.assertEqual(list(Concrete._meta.ordering), ["created_by"])
        self.assertFalse(Concrete._meta.abstract)
        self.assertFalse(hasattr(AbstractBase, "objects"))
        obj = Concrete.objects.create(title="t")
        self.assertEqual(Concrete.objects.get(pk=obj.pk).created_by, "system")

    def test_unique_together(self):
        Concrete.objects.create(title="same")
        Concrete.objects.create(title="same", created_by="other")
        with self.assertRaises(IntegrityError):
            with transaction.atomic():
                Concrete.objects.create(title="same")


class SchemaEditorTests(TransactionTestCase):
    def test_create_and_delete_model(self):
        registry = apps_module.Apps()
        with apps_module.swapped_registry(registry):

            class Scratch(models.Model):
                name = models.CharField(max_length=10, unique=True)
                size = models.IntegerField(db_index=True, default=0)

                class Meta:
                    app_label = "basic_scratch"

        table = Scratch._meta.db_table
        self.assertNotIn(table, connection.introspection.table_names())
        with connection.schema_editor() as editor:
            editor.create_model(Scratch)
        try:
            self.assertIn(table, connection.introspection.table_names())
            Scratch.objects.create(name="a")
            with self.assertRaises(IntegrityError):
                Scratch.objects.create(name="a")
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Scratch)
        self.assertNotIn(table, connection.introspection.table_names())
