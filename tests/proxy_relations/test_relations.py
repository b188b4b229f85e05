"""Relations to a proxy model are seen from the concrete model too, and relations to the
concrete model from its proxies, as Django keys relations on the concrete model."""

from __future__ import annotations

from tether.test import TestCase

from .models import Badge, Member, Team, Vip


class RelationsSharedByProxyAndConcrete(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.ann = Member.objects.create(name="ann")
        cls.bob = Member.objects.create(name="bob")
        Badge.objects.create(holder=Vip.objects.get(pk=cls.ann.pk), label="gold")
        Team.objects.create(captain=cls.bob)

    def test_concrete_model_filters_through_a_relation_to_its_proxy(self) -> None:
        self.assertEqual(list(Member.objects.filter(badges__label="gold")), [self.ann])
        self.assertIn("badges", {f.name for f in Member._meta.get_fields()})

    def test_proxy_filters_through_a_relation_to_the_concrete_model(self) -> None:
        names = [p.name for p in Vip.objects.filter(teams__isnull=False)]
        self.assertEqual(names, ["bob"])

    def test_deleting_through_the_concrete_model_cascades_to_the_proxy_relation(self) -> None:
        _, counts = Member.objects.filter(pk=self.ann.pk).delete()
        self.assertEqual(counts, {"proxy_relations.Badge": 1, "proxy_relations.Member": 1})
        self.assertFalse(Badge.objects.exists())
