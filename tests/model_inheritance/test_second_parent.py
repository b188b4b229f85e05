"""A second concrete parent (its link is not the child's pk) and grandparents' reverse relations.

Django 5.2: update() of a field of a parent reached through a non-pk parent link reads the link
values with the child keys and updates that parent's rows by them; `_meta.fields_map` and
`get_field()` know the reverse relations of every ancestor.
"""

from tether.test import TestCase

from .models import Brand, BrandedPlace, BrandedShop, ItalianRestaurant, Place, Review


class SecondParentUpdateTests(TestCase):
    def setUp(self):
        # Brands and places numbered apart, so that a wrong key updates the wrong row.
        self.stray = [Brand.objects.create(brand_name=f"stray{i}") for i in range(3)]
        Place.objects.create(name="plain")
        self.bp = BrandedPlace.objects.create(name="bp", brand_name="old", motto="m")
        self.shop = BrandedShop.objects.create(name="shop", brand_name="old2")

    def test_keys_differ(self):
        self.assertNotEqual(self.bp.pk, self.bp.brand_ptr_id)

    def test_update_second_parent_field(self):
        count = BrandedPlace.objects.filter(name="bp").update(brand_name="new")
        self.assertEqual(count, 1)
        self.assertEqual(Brand.objects.get(pk=self.bp.brand_ptr_id).brand_name, "new")
        self.assertEqual(
            sorted(
                Brand.objects.filter(brand_name__startswith="stray").values_list(
                    "brand_name", flat=True
                )
            ),
            ["stray0", "stray1", "stray2"],
        )

    def test_update_both_parents_and_local(self):
        count = BrandedPlace.objects.update(brand_name="all", name="n", motto="z")
        self.assertEqual(count, 2)
        self.assertEqual(
            sorted(BrandedPlace.objects.values_list("brand_name", "name", "motto")),
            [("all", "n", "z"), ("all", "n", "z")],
        )
        self.assertEqual(Brand.objects.filter(brand_name="all").count(), 2)

    def test_update_through_grandchild(self):
        self.assertEqual(BrandedShop.objects.update(brand_name="g", opening=7), 1)
        shop = BrandedShop.objects.get()
        self.assertEqual((shop.brand_name, shop.opening), ("g", 7))
        self.assertEqual(Brand.objects.filter(brand_name="g").count(), 1)


class GrandparentReverseRelationTests(TestCase):
    def test_fields_map_and_get_field(self):
        opts = ItalianRestaurant._meta
        self.assertIn("reviews", opts.fields_map)
        self.assertIs(opts.get_field("reviews"), Place._meta.get_field("reviews"))
        self.assertIs(
            opts.get_field("lot").related_model, Place._meta.get_field("lot").related_model
        )
        self.assertEqual(
            sorted(opts.fields_map), ["Supplier_customers+", "lot", "provider", "review", "reviews"]
        )  # Django 5.2's
        reverse = [f.name for f in opts.get_fields() if f.auto_created and not f.concrete]
        self.assertEqual(reverse, ["lot", "reviews", "provider", "review"])

    def test_filter_through_grandparent_reverse_relation(self):
        ir = ItalianRestaurant.objects.create(name="ir", rating=1)
        Review.objects.create(restaurant=ir, place=ir)
        self.assertEqual(list(ItalianRestaurant.objects.filter(reviews__isnull=False)), [ir])
