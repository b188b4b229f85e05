"""A ForeignKey to a proxy model is a relation to its concrete model when rows are deleted
(Django collects the related objects of the concrete model and of all its proxies)."""

from tether.models.deletion import ProtectedError
from tether.test import TestCase

from .models import Document, DocumentProxy, Image, Note, Page, Stamp


class ProxyRelationDeleteTests(TestCase):
    def test_delete_concrete_instance_cascades_through_proxy_fk(self):
        doc = Document.objects.create(name="d")
        Page.objects.create(doc_id=doc.pk)
        Page.objects.create(doc_id=doc.pk)
        note = Note.objects.create(doc_id=doc.pk)
        result = doc.delete()
        self.assertEqual(result, (3, {"delete_regress.Page": 2, "delete_regress.Document": 1}))
        self.assertFalse(Page.objects.exists())
        note.refresh_from_db()
        self.assertIsNone(note.doc_id)

    def test_queryset_delete_of_concrete_model(self):
        doc = Document.objects.create(name="d")
        Page.objects.create(doc_id=doc.pk)
        self.assertEqual(
            Document.objects.all().delete(),
            (2, {"delete_regress.Page": 1, "delete_regress.Document": 1}),
        )

    def test_delete_through_proxy_still_works(self):
        doc = DocumentProxy.objects.create(name="d")
        Page.objects.create(doc=doc)
        self.assertEqual(
            doc.delete(), (2, {"delete_regress.Page": 1, "delete_regress.DocumentProxy": 1})
        )

    def test_protect_through_proxy_fk(self):
        doc = Document.objects.create(name="d")
        Stamp.objects.create(doc_id=doc.pk)
        with self.assertRaises(ProtectedError):
            doc.delete()
        self.assertTrue(Document.objects.exists())

    def test_delete_child_follows_proxy_fk_of_parent(self):
        image = Image.objects.create(name="i")
        Page.objects.create(doc_id=image.pk)
        result = image.delete()
        self.assertEqual(
            result,
            (
                3,
                {
                    "delete_regress.Page": 1,
                    "delete_regress.Image": 1,
                    "delete_regress.Document": 1,
                },
            ),
        )
        self.assertFalse(Page.objects.exists())
