"""bulk_create options, bulk_update, iterator(chunk_size) and earliest()/latest()."""

import asyncio
import datetime

from tether.db import NotSupportedError, connection
from tether.exceptions import FieldDoesNotExist
from tether.models import F
from tether.test import TestCase, TransactionTestCase, skipIfDBFeature, skipUnlessDBFeature

from .models import Country, Dated, Note, Tag, Undated

D = datetime.date


def countries():
    return [
        Country(name="United States of America", iso_two_letter="US"),
        Country(name="The Netherlands", iso_two_letter="NL"),
        Country(name="Germany", iso_two_letter="DE"),
        Country(name="Czech Republic", iso_two_letter="CZ"),
    ]


class BulkCreateTests(TestCase):
    def test_simple(self):
        created = Country.objects.bulk_create(countries())
        self.assertEqual(len(created), 4)
        self.assertEqual(
            [c.name for c in Country.objects.all()],
            ["Czech Republic", "Germany", "The Netherlands", "United States of America"],
        )

    def test_one_statement_and_pks(self):
        objs = countries()
        with self.assertNumQueries(1):
            Country.objects.bulk_create(objs)
        if connection.features.can_return_rows_from_bulk_insert:
            self.assertEqual(
                sorted(c.pk for c in objs), sorted(Country.objects.values_list("pk", flat=True))
            )
            self.assertFalse(objs[0]._state.adding)
        else:
            self.assertIsNone(objs[0].pk)

    def test_batch_size(self):
        with self.assertNumQueries(2):
            Country.objects.bulk_create(countries(), batch_size=2)
        with self.assertNumQueries(0):
            Country.objects.bulk_create([], batch_size=2)
        self.assertEqual(Country.objects.count(), 4)
        with self.assertRaisesMessage(ValueError, "Batch size must be a positive integer."):
            Country.objects.bulk_create(countries(), batch_size=0)

    def test_large_batch_is_split(self):
        Note.objects.bulk_create([Note(note=str(i)) for i in range(1001)])
        self.assertEqual(Note.objects.count(), 1001)

    def test_ignore_conflicts(self):
        Country.objects.bulk_create(countries()[:2])
        objs = countries()
        Country.objects.bulk_create(objs, ignore_conflicts=True)
        self.assertEqual(Country.objects.count(), 4)
        # Keys are not read back when conflicting rows may be skipped.
        self.assertIsNone(objs[0].pk)

    @skipUnlessDBFeature("supports_update_conflicts")
    def test_update_conflicts(self):
        Country.objects.bulk_create(countries())
        changed = [
            Country(name="USA", iso_two_letter="US", population=330),
            Country(name="Nederland", iso_two_letter="NL", population=17),
            Country(name="France", iso_two_letter="FR", population=68),
        ]
        unique = (
            ["iso_two_letter"]
            if connection.features.supports_update_conflicts_with_target
            else None
        )
        Country.objects.bulk_create(
            changed,
            update_conflicts=True,
            update_fields=["name", "population"],
            unique_fields=unique,
        )
        self.assertEqual(Country.objects.count(), 5)
        self.assertEqual(
            list(
                Country.objects.filter(population__gt=0).values_list(
                    "iso_two_letter", "name", "population"
                )
            ),
            [("FR", "France", 68), ("NL", "Nederland", 17), ("US", "USA", 330)],
        )
        if connection.features.can_return_rows_from_bulk_insert:
            self.assertEqual(changed[0].pk, Country.objects.get(iso_two_letter="US").pk)

    def test_option_errors(self):
        with self.assertRaisesMessage(
            ValueError, "ignore_conflicts and update_conflicts are mutually exclusive."
        ):
            Country.objects.bulk_create(countries(), ignore_conflicts=True, update_conflicts=True)
        with self.assertRaisesMessage(
            ValueError, "Fields that will be updated when a row insertion fails"
        ):
            Country.objects.bulk_create(countries(), update_conflicts=True)
        unique = (
            ["iso_two_letter"]
            if connection.features.supports_update_conflicts_with_target
            else None
        )
        with self.assertRaisesMessage(
            ValueError, "bulk_create() cannot be used with primary keys in update_fields."
        ):
            Country.objects.bulk_create(
                countries(), update_conflicts=True, update_fields=["id"], unique_fields=unique
            )

    @skipUnlessDBFeature("supports_update_conflicts_with_target")
    def test_unique_fields_required(self):
        with self.assertRaisesMessage(
            ValueError, "Unique fields that can trigger the upsert must be provided."
        ):
            Country.objects.bulk_create(countries(), update_conflicts=True, update_fields=["name"])

    @skipIfDBFeature("supports_update_conflicts_with_target")
    def test_unique_fields_refused(self):
        with self.assertRaisesMessage(
            NotSupportedError, "does not support updating conflicts with specifying"
        ):
            Country.objects.bulk_create(
                countries(),
                update_conflicts=True,
                update_fields=["name"],
                unique_fields=["iso_two_letter"],
            )

    def test_unsaved_related(self):
        with self.assertRaisesMessage(
            ValueError,
            "bulk_create() prohibited to prevent data loss due to unsaved related object 'tag'.",
        ):
            Note.objects.bulk_create([Note(note="n", tag=Tag(name="t"))])


class BulkUpdateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.notes = [Note.objects.create(note=str(i), misc=str(i)) for i in range(10)]

    def test_simple(self):
        for note in self.notes:
            note.note = f"test-{note.id}"
        with self.assertNumQueries(1):
            rows = Note.objects.bulk_update(self.notes, ["note"])
        self.assertEqual(rows, 10)
        self.assertEqual(
            sorted(Note.objects.values_list("note", flat=True)),
            sorted(f"test-{n.id}" for n in self.notes),
        )

    def test_multiple_fields_and_batches(self):
        for note in self.notes:
            note.note, note.rank = f"n{note.id}", note.id * 2
        with self.assertNumQueries(4):
            # Three batches inside one atomic block (the test's transaction: no BEGIN of its own)
            # plus nothing else; Django issues the same UPDATEs.
            rows = Note.objects.bulk_update(self.notes, ["note", "rank"], batch_size=4)
            list(Note.objects.all())
        self.assertEqual(rows, 10)
        self.assertEqual(
            sorted(Note.objects.values_list("note", "rank")),
            sorted((f"n{n.id}", n.id * 2) for n in self.notes),
        )

    def test_foreign_key_nulls_and_expressions(self):
        tag = Tag.objects.create(name="t")
        self.notes[0].tag = tag
        self.notes[1].tag = None
        self.notes[1].rank = F("rank") + 5
        self.notes[0].rank = 3
        Note.objects.bulk_update(self.notes[:2], ["tag", "rank"])
        self.assertEqual(Note.objects.get(pk=self.notes[0].pk).tag, tag)
        self.assertEqual(Note.objects.get(pk=self.notes[0].pk).rank, 3)
        self.assertEqual(Note.objects.get(pk=self.notes[1].pk).rank, 5)
        self.assertIsNone(Note.objects.get(pk=self.notes[1].pk).tag)

    def test_rows_matched_and_empty(self):
        self.assertEqual(Note.objects.bulk_update([], ["note"]), 0)
        deleted = self.notes[0]
        Note.objects.filter(pk=deleted.pk).delete()
        self.assertEqual(Note.objects.bulk_update(self.notes, ["note"]), 9)

    def test_errors(self):
        with self.assertRaisesMessage(ValueError, "Field names must be given to bulk_update()."):
            Note.objects.bulk_update(self.notes, [])
        with self.assertRaisesMessage(
            ValueError, "All bulk_update() objects must have a primary key set."
        ):
            Note.objects.bulk_update([Note(note="x")], ["note"])
        with self.assertRaisesMessage(
            ValueError, "bulk_update() cannot be used with primary key fields."
        ):
            Note.objects.bulk_update(self.notes, ["id"])
        with self.assertRaisesMessage(ValueError, "Batch size must be a positive integer."):
            Note.objects.bulk_update(self.notes, ["note"], batch_size=-1)
        with self.assertRaises(FieldDoesNotExist):
            Note.objects.bulk_update(self.notes, ["nope"])
        with self.assertRaisesMessage(
            ValueError, "bulk_update() can only be used with concrete fields."
        ):
            Tag.objects.bulk_update([Tag.objects.create(name="x")], ["note"])


class IteratorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Note.objects.bulk_create([Note(note=f"{i:03}", rank=i) for i in range(25)])

    def test_iterator(self):
        qs = Note.objects.all()
        with self.assertNumQueries(1):
            got = [n.rank for n in qs.iterator(chunk_size=7)]
        self.assertEqual(got, list(range(25)))
        self.assertIsNone(qs._result_cache)
        self.assertEqual(
            list(Note.objects.values_list("rank", flat=True).iterator())[:3], [0, 1, 2]
        )
        self.assertEqual(list(Note.objects.none().iterator()), [])

    def test_chunk_size_errors(self):
        with self.assertRaisesMessage(ValueError, "Chunk size must be strictly positive."):
            Note.objects.iterator(chunk_size=0)


class EarliestLatestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a1 = Dated.objects.create(
            headline="a1", pub_date=D(2005, 7, 26), expire_date=D(2005, 9, 1)
        )
        cls.a2 = Dated.objects.create(
            headline="a2", pub_date=D(2005, 7, 27), expire_date=D(2005, 7, 28)
        )
        cls.a3 = Dated.objects.create(
            headline="a3", pub_date=D(2005, 7, 28), expire_date=D(2005, 8, 27)
        )

    def test_earliest_latest(self):
        self.assertEqual(Dated.objects.earliest(), self.a1)
        self.assertEqual(Dated.objects.latest(), self.a3)
        self.assertEqual(Dated.objects.earliest("expire_date"), self.a2)
        self.assertEqual(Dated.objects.latest("expire_date"), self.a1)
        self.assertEqual(Dated.objects.latest("-expire_date"), self.a2)
        self.assertEqual(
            Dated.objects.filter(pub_date__gt=D(2005, 7, 26)).earliest("pub_date"), self.a2
        )
        self.assertEqual(Dated.objects.earliest("pub_date", "expire_date"), self.a1)

    def test_errors(self):
        with self.assertRaisesMessage(
            ValueError,
            "earliest() and latest() require either fields as positional arguments or "
            "'get_latest_by' "
            "in the model's Meta.",
        ):
            Undated.objects.latest()
        with self.assertRaisesMessage(Dated.DoesNotExist, "Dated matching query does not exist."):
            Dated.objects.filter(headline="none").earliest()
        with self.assertRaisesMessage(
            TypeError, "Cannot change a query once a slice has been taken."
        ):
            Dated.objects.all()[:1].latest()


class AsyncBulkTests(TransactionTestCase):
    def test_abulk_create_and_abulk_update(self):
        async def scenario():
            objs = await Country.objects.abulk_create(countries())
            count = await Country.objects.acount()
            objs = [c async for c in Country.objects.all()]
            for obj in objs:
                obj.population = 7
            updated = await Country.objects.abulk_update(objs, ["population"])
            return count, updated, await Country.objects.filter(population=7).acount()

        self.assertEqual(asyncio.run(scenario()), (4, 4, 4))

    def test_aiterator_and_latest(self):
        async def scenario():
            await Note.objects.abulk_create([Note(note=f"{i:03}", rank=i) for i in range(6)])
            ranks = [n.rank async for n in Note.objects.filter(rank__lt=5).aiterator(chunk_size=2)]
            await Dated.objects.acreate(
                headline="a", pub_date=D(2005, 7, 26), expire_date=D(2005, 9, 1)
            )
            await Dated.objects.acreate(
                headline="b", pub_date=D(2005, 7, 27), expire_date=D(2005, 7, 28)
            )
            latest = await Dated.objects.alatest()
            earliest = await Dated.objects.aearliest("expire_date")
            return ranks, latest.headline, earliest.headline

        self.assertEqual(asyncio.run(scenario()), ([0, 1, 2, 3, 4], "b", "b"))
