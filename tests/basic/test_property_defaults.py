"""get_or_create()/update_or_create() accept a property in defaults only if it has a setter,
as Django: a read-only one is an invalid field name, and nothing is written."""

from tether.exceptions import FieldError
from tether.test import TestCase

from .models import Labelled


class PropertyDefaultsTests(TestCase):
    def test_settable_property(self):
        obj, created = Labelled.objects.get_or_create(name="x", defaults={"title": "Ada"})
        self.assertTrue(created)
        self.assertEqual(Labelled.objects.get(pk=obj.pk).name, "ada")

    def test_read_only_property(self):
        msg = "Invalid field name(s) for model Labelled: 'shout'"
        for method in (Labelled.objects.get_or_create, Labelled.objects.update_or_create):
            with self.subTest(method=method.__name__), self.assertRaisesMessage(FieldError, msg):
                method(name="a", defaults={"shout": "FRANK"})
        self.assertFalse(Labelled.objects.exists())
