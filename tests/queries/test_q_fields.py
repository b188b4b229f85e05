"""Q.referenced_base_fields, as Django's: the names of the model's own fields a condition
reads (each keyword's first part, each F's, inside expressions and nested Qs too); what a
relation's join reaches is left out."""

from tether.models import F, Q
from tether.models.lookups import Exact, IsNull
from tether.test import SimpleTestCase


class ReferencedBaseFieldsTests(SimpleTestCase):
    def test_keywords(self):
        self.assertEqual((Q(a=1) & Q(b__gt=2)).referenced_base_fields, {"a", "b"})
        self.assertEqual(Q(rel__name__startswith="x").referenced_base_fields, {"rel"})

    def test_f_values(self):
        self.assertEqual(Q(a=F("b__c")).referenced_base_fields, {"a", "b"})
        self.assertEqual((~Q(Q(a=1) | Q(d__lt=F("e")))).referenced_base_fields, {"a", "d", "e"})

    def test_expressions(self):
        self.assertEqual(Q(Exact(F("a"), IsNull(F("b"), True))).referenced_base_fields, {"a", "b"})
        self.assertEqual(Q(Exact(Q(c=F("d")), True)).referenced_base_fields, {"c", "d"})

    def test_nothing_referenced(self):
        self.assertEqual(Q().referenced_base_fields, set())
        self.assertEqual(Q(Exact(1, 1)).referenced_base_fields, set())
