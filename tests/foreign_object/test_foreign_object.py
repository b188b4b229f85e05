"""ForeignObject: no column of its own, a join on every field pair, attribute access."""

from __future__ import annotations

from tether.test import TestCase

from .models import Freebie, Product, Stock


class ForeignObjectTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.apple = Product.objects.create(name="apple")
        cls.pear = Product.objects.create(name="pear")
        cls.stock = Stock.objects.create(product=cls.apple, short=True)

    def test_no_column(self) -> None:
        field = Freebie._meta.get_field("stock")
        self.assertFalse(field.concrete)
        self.assertNotIn("stock", [f.column for f in Freebie._meta.concrete_fields])

    def test_access_matches_every_pair(self) -> None:
        matching = Freebie.objects.create(gift_product=self.apple, stock_id=self.stock.pk)
        other = Freebie.objects.create(gift_product=self.pear, stock_id=self.stock.pk)
        self.assertEqual(Freebie.objects.get(pk=matching.pk).stock, self.stock)
        self.assertIsNone(Freebie.objects.get(pk=other.pk).stock)
        self.assertIsNone(Freebie(gift_product=self.apple).stock)

    def test_assignment_sets_the_fields(self) -> None:
        freebie = Freebie(stock=self.stock)
        self.assertEqual(
            (freebie.stock_id, freebie.gift_product_id), (self.stock.pk, self.apple.pk)
        )
        with self.assertRaisesMessage(ValueError, 'must be a "Stock" instance.'):
            Freebie(stock=self.apple)

    def test_filter_joins_on_every_pair(self) -> None:
        Freebie.objects.create(gift_product=self.apple, stock_id=self.stock.pk)
        Freebie.objects.create(gift_product=self.pear, stock_id=self.stock.pk)
        self.assertEqual(
            [f.gift_product_id for f in Freebie.objects.filter(stock__short=True)], [self.apple.pk]
        )

    def test_isnull_needs_a_boolean(self) -> None:
        msg = "The QuerySet value for an isnull lookup must be True or False."
        with self.assertRaisesMessage(ValueError, msg):
            Freebie.objects.filter(stock__isnull=1).exists()
