"""clear(bulk=False) and set(clear=True, bulk=False) save each row, as Django does."""

from tether.models import signals
from tether.test import TestCase

from .models import City, Country


class ClearNotBulkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.country = Country.objects.create(name="Peru")
        cls.lima = City.objects.create(name="Lima", country=cls.country)
        cls.cusco = City.objects.create(name="Cusco", country=cls.country)

    def test_clear_saves_each_row_with_signals(self):
        saved = []

        def receiver(sender, instance, update_fields, **kwargs):
            saved.append((instance.name, update_fields))

        signals.post_save.connect(receiver, sender=City)
        self.addCleanup(signals.post_save.disconnect, receiver, sender=City)
        with self.assertNumQueries(3):  # one SELECT, one UPDATE per row
            self.country.cities.clear(bulk=False)
        self.assertEqual(
            sorted(saved), [("Cusco", frozenset({"country"})), ("Lima", frozenset({"country"}))]
        )
        self.assertEqual(City.objects.filter(country__isnull=True).count(), 2)

    def test_set_with_clear_not_bulk(self):
        with self.assertNumQueries(4):  # clear: SELECT + 2 UPDATEs; add: 1 UPDATE
            self.country.cities.set([self.lima], bulk=False, clear=True)
        self.assertEqual(list(self.country.cities.values_list("name", flat=True)), ["Lima"])
