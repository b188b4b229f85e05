"""Generic relations inherited from abstract and multi-table parents, and what a
GenericForeignKey cannot do (reverse querying)."""

from __future__ import annotations

from tether.checks import run_checks
from tether.contrib.contenttypes.fields import GenericForeignKey
from tether.exceptions import FieldError
from tether.test import TestCase

from .models import Animal, Comparison, Rock, TaggedItem, ValuableTaggedItem


class InheritanceTests(TestCase):
    def test_abstract_parent_generic_foreign_key(self) -> None:
        self.assertIsInstance(Comparison._meta.get_field("first_obj"), GenericForeignKey)
        rock, cat = Rock.objects.create(name="r"), Animal.objects.create(name="cat")
        comparison = Comparison.objects.create(comparative="harder", first_obj=rock, other_obj=cat)
        comparison = Comparison.objects.get(pk=comparison.pk)
        self.assertEqual((comparison.first_obj, comparison.other_obj), (rock, cat))
        self.assertEqual(list(rock.comparisons.all()), [comparison])
        self.assertEqual(list(Rock.objects.filter(comparisons__comparative="harder")), [rock])

    def test_multi_table_child_generic_foreign_key(self) -> None:
        rock = Rock.objects.create(name="r")
        item = ValuableTaggedItem.objects.create(tag="shiny", value=10, content_object=rock)
        self.assertEqual(ValuableTaggedItem.objects.get().content_object, rock)
        self.assertEqual(list(rock.valuable_tags.all()), [item])
        self.assertEqual(list(Rock.objects.filter(valuable_tags__value=10)), [rock])
        self.assertEqual(list(Rock.objects.filter(valuable_tags__value=11)), [])
        rock.delete()
        self.assertFalse(TaggedItem.objects.exists())

    def test_no_check_errors(self) -> None:
        errors = [e for e in run_checks() if e.id.startswith("contenttypes.")]
        self.assertEqual(errors, [])


class ReverseQueryingTests(TestCase):
    def test_generic_foreign_key_cannot_be_filtered_on(self) -> None:
        msg = "Field 'content_object' does not generate an automatic reverse relation"
        with self.assertRaisesMessage(FieldError, msg):
            TaggedItem.objects.get(content_object="")
