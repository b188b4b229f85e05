"""select_related(): related objects come from the same row, so reading them costs no query."""

import asyncio

from tether.db import connection
from tether.exceptions import FieldError
from tether.test import TestCase, TransactionTestCase
from tether.test.utils import CaptureQueriesContext

from .models import Collection, Domain, Herbarium, Kingdom, Loan, Phylum, Sheet, Species, Specimen


class SelectRelatedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        d = Domain.objects.create(name="Eukaryota")
        k = Kingdom.objects.create(name="Animalia", domain=d)
        p = Phylum.objects.create(name="Chordata", kingdom=k)
        cls.human = Species.objects.create(name="Homo sapiens", phylum=p)
        cls.chimp = Species.objects.create(name="Pan troglodytes", phylum=p, relative=cls.human)
        Specimen.objects.create(label="a", species=cls.chimp)
        Specimen.objects.create(label="b")

    def test_without_select_related_queries_per_level(self):
        with self.assertNumQueries(4):
            s = Species.objects.get(name="Homo sapiens")
            self.assertEqual(s.phylum.kingdom.domain.name, "Eukaryota")

    def test_named_path(self):
        with self.assertNumQueries(1):
            s = Species.objects.select_related("phylum__kingdom__domain").get(name="Homo sapiens")
            self.assertEqual(s.phylum.kingdom.domain.name, "Eukaryota")

    def test_no_arguments_follows_non_null_keys(self):
        with self.assertNumQueries(1):
            species = list(Species.objects.select_related())
            self.assertEqual([s.phylum.kingdom.domain.name for s in species], ["Eukaryota"] * 2)
        with self.assertNumQueries(1):
            # relative is nullable: not followed.
            self.assertEqual(species[1].relative.name, "Homo sapiens")

    def test_nullable_is_left_outer_join(self):
        with CaptureQueriesContext(connection) as ctx:
            specimens = list(Specimen.objects.select_related("species__phylum"))
        self.assertIn("LEFT OUTER JOIN", ctx.captured_queries[0]["sql"])
        self.assertNotIn("INNER JOIN", ctx.captured_queries[0]["sql"])
        with self.assertNumQueries(0):
            self.assertEqual(specimens[0].species.phylum.name, "Chordata")
            self.assertIsNone(specimens[1].species)

    def test_self_relation(self):
        with self.assertNumQueries(2):
            chimp = Species.objects.select_related("relative").get(name="Pan troglodytes")
            self.assertEqual(chimp.relative.name, "Homo sapiens")
            human = Species.objects.select_related("relative").get(name="Homo sapiens")
            self.assertIsNone(human.relative)

    def test_chained_and_cleared(self):
        qs = Species.objects.select_related("phylum").select_related("relative")
        with self.assertNumQueries(1):
            chimp = qs.get(name="Pan troglodytes")
            self.assertEqual((chimp.phylum.name, chimp.relative.name), ("Chordata", "Homo sapiens"))
        with self.assertNumQueries(2):
            chimp = qs.select_related(None).get(name="Pan troglodytes")
            self.assertEqual(chimp.phylum.name, "Chordata")

    def test_with_filter_on_same_relation(self):
        with self.assertNumQueries(1):
            rows = list(Species.objects.select_related("phylum").filter(phylum__name="Chordata"))
            self.assertEqual([s.phylum.name for s in rows], ["Chordata", "Chordata"])

    def test_count_values_and_cache(self):
        qs = Species.objects.select_related("phylum")
        self.assertEqual(qs.count(), 2)
        self.assertEqual(
            list(qs.values_list("name", flat=True)), ["Homo sapiens", "Pan troglodytes"]
        )
        # Same SQL shape twice: the second compile uses the cached statement.
        self.assertEqual([s.phylum.name for s in qs.filter(name__startswith="Pan")], ["Chordata"])
        self.assertEqual([s.phylum.name for s in qs.filter(name__startswith="Homo")], ["Chordata"])

    def test_errors(self):
        with self.assertRaisesMessage(
            FieldError,
            "Invalid field name(s) given in select_related: 'nope'. Choices are: phylum, relative",
        ):
            list(Species.objects.select_related("nope"))
        with self.assertRaisesMessage(
            FieldError,
            "Non-relational field given in select_related: 'name'. Choices are: phylum, relative",
        ):
            list(Species.objects.select_related("name"))
        with self.assertRaisesMessage(
            FieldError, "Invalid field name(s) given in select_related: 'x'. Choices are: domain"
        ):
            list(Phylum.objects.select_related("kingdom__x"))
        with self.assertRaisesMessage(
            TypeError, "Cannot call select_related() after .values() or .values_list()"
        ):
            Species.objects.values("name").select_related("phylum")


class InheritedRelatedTests(TestCase):
    """A related model that inherits its primary key and fields from a parent table: its
    columns are read from both tables, the parent joined through the child's link."""

    def test_multi_table_child_through_foreign_key(self):
        herbarium = Herbarium.objects.create(curator="Ann", city="Kew")
        first = Sheet.objects.create(label="a", herbarium=herbarium)
        Sheet.objects.create(label="b", previous=first)
        with self.assertNumQueries(1):
            sheets = list(Sheet.objects.select_related("herbarium", "previous").order_by("label"))
            self.assertEqual(
                [
                    (s.herbarium and (s.herbarium.pk, s.herbarium.curator, s.herbarium.city))
                    for s in sheets
                ],
                [(herbarium.pk, "Ann", "Kew"), None],
            )
        with self.assertNumQueries(1):
            sheets = list(Sheet.objects.select_related("previous__herbarium").order_by("label"))
            self.assertEqual(sheets[1].previous.herbarium.curator, "Ann")
            self.assertIsNone(sheets[0].previous)

    def test_child_from_its_parent_reads_inherited_columns_once(self):
        herbarium = Herbarium.objects.create(curator="Ann", city="Kew")
        Loan.objects.create(collection=herbarium)
        Loan.objects.create(collection=Collection.objects.create(curator="Bob"))
        qs = Loan.objects.select_related("collection__herbarium").order_by("pk")
        # Loan -> Collection -> Herbarium: the child's inherited columns come from the
        # Collection row already joined (as Django's), not from a second join of its table.
        self.assertEqual(str(qs.query).count(" JOIN "), 2)
        with self.assertNumQueries(1):
            loans = list(qs)
            found = loans[0].collection.herbarium
            self.assertEqual((found.pk, found.curator, found.city), (herbarium.pk, "Ann", "Kew"))
            with self.assertRaises(Herbarium.DoesNotExist):
                _ = loans[1].collection.herbarium


class AsyncSelectRelatedTests(TransactionTestCase):
    def test_async(self):
        async def scenario():
            d = await Domain.objects.acreate(name="D")
            k = await Kingdom.objects.acreate(name="K", domain=d)
            p = await Phylum.objects.acreate(name="Chordata", kingdom=k)
            s = await Species.objects.acreate(name="S", phylum=p)
            await Specimen.objects.acreate(label="a", species=s)
            await Specimen.objects.acreate(label="b")
            return [x async for x in Specimen.objects.select_related("species__phylum")]

        rows = asyncio.run(scenario())
        self.assertEqual(rows[0].species.phylum.name, "Chordata")
        self.assertIsNone(rows[1].species)
