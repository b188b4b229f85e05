"""isnull and `= None` after a transform that binds parameters (a time zone, a JSON key): the
transform's parameters are sent with the condition."""

import datetime

from tether.test import TestCase

from .models import Event


class NullChecksOfTransformsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        when = datetime.datetime(2024, 5, 6, 7, 8, tzinfo=datetime.UTC)
        Event.objects.create(name="dated", when=when, data={"k": 1})
        Event.objects.create(name="undated", when=None, data={"other": 2})

    def names(self, **lookups):
        return sorted(Event.objects.filter(**lookups).values_list("name", flat=True))

    def test_isnull_after_a_date_transform(self):
        self.assertEqual(self.names(when__date__isnull=False), ["dated"])
        self.assertEqual(self.names(when__date__isnull=True), ["undated"])

    def test_exact_none_after_a_date_transform(self):
        self.assertEqual(self.names(when__year=None), ["undated"])
        self.assertEqual(self.names(when__date__iexact=None), ["undated"])
