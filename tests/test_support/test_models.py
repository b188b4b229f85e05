"""tether.test with real models: rollback isolation, setUpTestData copies, flush, sequences."""

from __future__ import annotations

from tether import models
from tether.db import connections, transaction
from tether.test import TestCase, TransactionTestCase, runner

from .models import Item, Tag


class RollbackIsolationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.item = Item.objects.create(name="shared", rank=1)
        cls.tag = Tag.objects.create(label="t", item_id=cls.item.pk)
        cls.names = ["shared"]

    def test_a_changes(self):
        self.assertEqual(Item.objects.count(), 1)
        Item.objects.create(name="only in a")
        self.item.name = "changed in a"
        self.item.save()
        self.names.append("a")
        self.assertEqual(Item.objects.count(), 2)

    def test_b_sees_nothing_of_a(self):
        self.assertEqual(list(Item.objects.values_list("name", flat=True)), ["shared"])
        # The class attributes are copies per test, not the object test_a mutated.
        self.assertEqual(self.item.name, "shared")
        self.assertEqual(self.names, ["shared"])
        self.assertEqual(type(self).item.name, "shared")

    def test_c_delete_shared_rows(self):
        Tag.objects.all().delete()
        self.item.delete()
        self.assertEqual(Item.objects.count() + Tag.objects.count(), 0)

    def test_d_shared_rows_restored(self):
        self.assertEqual(Tag.objects.get().item_id, self.item.pk)
        self.assertIsNotNone(self.item.pk)

    def test_copy_is_made_once_per_test(self):
        self.assertIs(self.item, self.item)


class AssertQuerySetEqualTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Item.objects.create(name="b", rank=2)
        Item.objects.create(name="a", rank=1)

    def test_ordered_queryset(self):
        self.assertQuerySetEqual(Item.objects.order_by("name"), ["a", "b"], transform=str)
        self.assertQuerySetEqual(
            Item.objects.order_by("-rank").values_list("name", flat=True), ["b", "a"]
        )

    def test_unordered_queryset(self):
        qs = Item.objects.all()
        self.assertFalse(qs.ordered)
        msg = "Trying to compare non-ordered queryset against more than one ordered value."
        with self.assertRaisesMessage(ValueError, msg):
            self.assertQuerySetEqual(qs, ["a", "b"], transform=str)
        self.assertQuerySetEqual(qs, ["b", "a"], transform=str, ordered=False)
        self.assertQuerySetEqual(qs.filter(name="a"), ["a"], transform=str)

    def test_num_queries(self):
        with self.assertNumQueries(1):
            list(Item.objects.all())
        self.assertNumQueries(1, Item.objects.count)


class FlushTests(TransactionTestCase):
    def test_a_creates(self):
        item = Item.objects.create(name="x")
        Tag.objects.create(label="y", item_id=item.pk)
        self.assertFalse(connections["default"].in_atomic_block)

    def test_b_tables_empty(self):
        self.assertEqual(Item.objects.count(), 0)
        self.assertEqual(Tag.objects.count(), 0)

    def test_on_commit_runs_for_real(self):
        calls = []
        with transaction.atomic():
            transaction.on_commit(lambda: calls.append(1))
        self.assertEqual(calls, [1])


class ResetSequencesTests(TransactionTestCase):
    reset_sequences = True

    def test_a(self):
        first, second = Item.objects.create(name="1"), Item.objects.create(name="2")
        self.assertEqual((first.pk, second.pk), (1, 2))

    def test_b(self):
        self.assertEqual(Item.objects.create(name="again").pk, 1)


class LateModelTests(TransactionTestCase):
    def test_model_defined_after_setup_gets_a_table(self):
        class LateModel(models.Model):
            value = models.IntegerField()

            class Meta:
                app_label = "test_support"

        runner.create_missing_tables()
        LateModel.objects.create(value=3)
        self.assertEqual(LateModel.objects.get().value, 3)
