"""Default orderings that follow relations in a circle raise Django's FieldError instead of
recursing without end; an explicit path through the same relations still orders."""

from tether.exceptions import FieldError
from tether.test import TestCase

from .models import Egg, Hen, Ouroboros


class OrderingLoopTests(TestCase):
    def test_circle_of_default_orderings(self):
        for model in (Hen, Egg, Ouroboros):
            with self.subTest(model=model.__name__):
                with self.assertRaisesMessage(FieldError, "Infinite loop caused by ordering."):
                    list(model.objects.all())

    def test_explicit_path_orders(self):
        hen = Hen.objects.create()
        egg = Egg.objects.create(hen=hen)
        Hen.objects.filter(pk=hen.pk).update(egg=egg)
        self.assertSequenceEqual(Hen.objects.order_by("egg__hen__egg__id"), [hen])
        self.assertSequenceEqual(
            Hen.objects.order_by("egg__hen__id").values_list("pk", flat=True), [hen.pk]
        )


class NoneOrderingTests(TestCase):
    def test_meta_ordering_none_is_no_ordering(self):
        egg = Egg.objects.create()
        saved = Egg._meta.ordering
        Egg._meta.ordering = None
        try:
            self.assertSequenceEqual(Egg.objects.all(), [egg])
            self.assertIs(Egg.objects.all().ordered, False)
        finally:
            Egg._meta.ordering = saved
