"""QuerySet behaviour through the public API: laziness, caching, chaining and every method."""

import pickle

from tether.exceptions import FieldDoesNotExist, FieldError
from tether.models import F
from tether.test import TestCase

from .models import Note, Ranked, Unordered


def texts(qs):
    return [str(o) for o in qs]


class LazinessTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for text, rank in [("b", 2), ("a", 1), ("c", 3)]:
            Note.objects.create(text=text, rank=rank)

    def test_building_does_not_query(self):
        with self.assertNumQueries(0):
            qs = Note.objects.filter(rank__gt=0).exclude(text="z").order_by("rank").all()
            qs = qs.filter(rank__lt=10).reverse().distinct()

    def test_result_cache(self):
        qs = Note.objects.all()
        with self.assertNumQueries(1):
            self.assertEqual(texts(qs), ["a", "b", "c"])
            self.assertEqual(len(qs), 3)
            self.assertTrue(qs)
            self.assertEqual(qs[0].text, "a")
            self.assertEqual([n.text for n in qs[1:]], ["b", "c"])
            self.assertEqual(qs.count(), 3)
            self.assertTrue(qs.exists())

    def test_chaining_clones(self):
        base = Note.objects.all()
        list(base)
        filtered = base.filter(rank=1)
        self.assertIsNot(base, filtered)
        self.assertEqual(texts(filtered), ["a"])
        self.assertEqual(len(base), 3)

    def test_new_queryset_sees_new_rows(self):
        qs = Note.objects.all()
        self.assertEqual(len(qs), 3)
        Note.objects.create(text="d")
        self.assertEqual(len(qs), 3)  # cached
        self.assertEqual(len(qs.all()), 4)

    def test_iteration_and_bool_on_empty(self):
        empty = Note.objects.filter(text="nope")
        self.assertFalse(empty)
        self.assertEqual(list(empty), [])
        self.assertEqual(len(empty), 0)


class OrderingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for text, rank in [("b", 2), ("a", 3), ("c", 1), ("d", 2)]:
            Note.objects.create(text=text, rank=rank)
        for value in (3, 1, 2):
            Unordered.objects.create(value=value)
        for name, rank in [("x", 5), ("y", 50), ("z", 500), ("w", 50)]:
            Ranked.objects.create(name=name, rank=rank)

    def test_meta_ordering_default(self):
        self.assertEqual(texts(Note.objects.all()), ["a", "b", "c", "d"])
        self.assertEqual(texts(Ranked.objects.all()), ["z", "w", "y", "x"])
        self.assertTrue(Note.objects.all().ordered)
        self.assertFalse(Unordered.objects.all().ordered)
        self.assertTrue(Unordered.objects.order_by("value").ordered)

    def test_order_by_and_descending(self):
        self.assertEqual(texts(Note.objects.order_by("rank", "text")), ["c", "b", "d", "a"])
        self.assertEqual(texts(Note.objects.order_by("-rank", "-text")), ["a", "d", "b", "c"])
        self.assertEqual(texts(Note.objects.order_by("-pk")), ["d", "c", "a", "b"])

    def test_order_by_replaces(self):
        qs = Note.objects.order_by("rank").order_by("-text")
        self.assertEqual(texts(qs), ["d", "c", "b", "a"])

    def test_order_by_nothing_clears_meta_ordering(self):
        sql = str(Note.objects.order_by().query)
        self.assertNotIn("ORDER BY", sql)
        self.assertFalse(Note.objects.order_by().ordered)

    def test_random(self):
        self.assertEqual(sorted(texts(Note.objects.order_by("?"))), ["a", "b", "c", "d"])

    def test_reverse(self):
        self.assertEqual(texts(Note.objects.reverse()), ["d", "c", "b", "a"])
        self.assertEqual(
            texts(Note.objects.order_by("rank", "text").reverse()), ["a", "d", "b", "c"]
        )
        self.assertEqual(texts(Note.objects.reverse().reverse()), ["a", "b", "c", "d"])

    def test_first_last(self):
        self.assertEqual(Note.objects.first().text, "a")
        self.assertEqual(Note.objects.last().text, "d")
        self.assertEqual(Note.objects.order_by("rank", "text").first().text, "c")
        self.assertEqual(Note.objects.order_by("rank", "text").last().text, "a")
        # Unordered: by pk.
        self.assertEqual(Unordered.objects.first().value, 3)
        self.assertEqual(Unordered.objects.last().value, 2)
        self.assertIsNone(Note.objects.filter(text="none").first())
        self.assertIsNone(Note.objects.filter(text="none").last())

    def test_order_by_unknown_field(self):
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'bogus' into field."):
            list(Note.objects.order_by("bogus"))


class MethodTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.notes = [Note.objects.create(text=t, rank=r) for t, r in [("a", 1), ("b", 2), ("c", 2)]]

    def test_none(self):
        with self.assertNumQueries(0):
            self.assertEqual(list(Note.objects.none()), [])
            self.assertEqual(Note.objects.none().count(), 0)
            self.assertFalse(Note.objects.none().exists())
            self.assertEqual(list(Note.objects.filter(rank=1).none().values("text")), [])

    def test_distinct(self):
        self.assertEqual(
            list(Note.objects.values_list("rank", flat=True).distinct().order_by("rank")), [1, 2]
        )
        self.assertEqual(Note.objects.values("rank").distinct().count(), 2)

    def test_values(self):
        self.assertEqual(
            list(Note.objects.values("text", "rank")),
            [{"text": "a", "rank": 1}, {"text": "b", "rank": 2}, {"text": "c", "rank": 2}],
        )
        row = Note.objects.values().get(text="a")
        self.assertEqual(row, {"id": self.notes[0].pk, "text": "a", "rank": 1, "misc": ""})
        self.assertEqual(list(Note.objects.filter(rank=1).values("pk")), [{"pk": self.notes[0].pk}])

    def test_values_list(self):
        self.assertEqual(
            list(Note.objects.values_list("text", "rank")), [("a", 1), ("b", 2), ("c", 2)]
        )
        self.assertEqual(list(Note.objects.values_list("text", flat=True)), ["a", "b", "c"])
        first = Note.objects.values_list("text", "rank", named=True).first()
        self.assertEqual((first.text, first.rank), ("a", 1))
        self.assertEqual(type(first).__name__, "Row")
        self.assertEqual(pickle.loads(pickle.dumps(first)), first)
        self.assertEqual(pickle.loads(pickle.dumps(first))._fields, ("text", "rank"))
        self.assertEqual(Note.objects.values_list().get(text="b"), (self.notes[1].pk, "b", 2, ""))

    def test_values_list_errors(self):
        with self.assertRaisesMessage(TypeError, "'flat' and 'named' can't be used together."):
            Note.objects.values_list("text", flat=True, named=True)
        with self.assertRaisesMessage(
            ValueError, "Type names and field names must be valid identifiers: '1'"
        ):
            Note.objects.annotate(**{"1": F("rank")}).values_list("1", named=True).first()
        with self.assertRaisesMessage(
            TypeError, "'flat' is not valid when values_list is called with more than one field."
        ):
            Note.objects.values_list("text", "rank", flat=True)

    def test_get_and_get_or_create(self):
        self.assertEqual(Note.objects.get(text="a"), self.notes[0])
        obj, created = Note.objects.get_or_create(text="a")
        self.assertEqual((obj, created), (self.notes[0], False))
        obj, created = Note.objects.get_or_create(text="new", defaults={"rank": 9})
        self.assertTrue(created)
        self.assertEqual(Note.objects.get(text="new").rank, 9)

    def test_update_or_create(self):
        obj, created = Note.objects.update_or_create(text="a", defaults={"rank": 50})
        self.assertFalse(created)
        self.assertEqual(Note.objects.get(text="a").rank, 50)
        obj, created = Note.objects.update_or_create(
            text="zz", defaults={"rank": 1}, create_defaults={"rank": 2}
        )
        self.assertTrue(created)
        self.assertEqual(obj.rank, 2)

    def test_update(self):
        self.assertEqual(Note.objects.filter(rank=2).update(misc="two"), 2)
        self.assertEqual(
            list(Note.objects.filter(misc="two").values_list("text", flat=True)), ["b", "c"]
        )
        self.assertEqual(Note.objects.filter(rank=99).update(misc="x"), 0)

    def test_update_clears_cache(self):
        qs = Note.objects.filter(rank=1)
        list(qs)
        qs.update(misc="m")
        self.assertEqual(qs[0].misc, "m")

    def test_update_unknown_field(self):
        # Django's update() lets get_field()'s FieldDoesNotExist through.
        with self.assertRaisesMessage(FieldDoesNotExist, "Note has no field named 'nope'"):
            Note.objects.update(nope=1)

    def test_delete(self):
        qs = Note.objects.filter(rank=2)
        list(qs)
        self.assertEqual(qs.delete(), (2, {"queries.Note": 2}))
        self.assertEqual(texts(Note.objects.all()), ["a"])
        self.assertEqual(Note.objects.filter(rank=99).delete(), (0, {}))

    def test_delete_after_values_or_slice(self):
        with self.assertRaisesMessage(
            TypeError, "Cannot call delete() after .values() or .values_list()"
        ):
            Note.objects.values("text").delete()
        with self.assertRaisesMessage(TypeError, "Cannot use 'limit' or 'offset' with delete()."):
            Note.objects.all()[:1].delete()

    def test_in_bulk(self):
        a, b, _ = self.notes
        self.assertEqual(Note.objects.in_bulk([a.pk, b.pk]), {a.pk: a, b.pk: b})
        self.assertEqual(Note.objects.in_bulk([]), {})
        self.assertEqual(len(Note.objects.in_bulk()), 3)
        self.assertEqual(Note.objects.in_bulk([a.pk])[a.pk].text, "a")

    def test_in_bulk_field_name(self):
        u = Unordered.objects.create(value=1, tag="one")
        self.assertEqual(Unordered.objects.in_bulk(["one"], field_name="tag"), {"one": u})
        with self.assertRaisesMessage(
            ValueError, "in_bulk()'s field_name must be a unique field but 'text' isn't."
        ):
            Note.objects.in_bulk(["a"], field_name="text")

    def test_bulk_create(self):
        objs = Unordered.objects.bulk_create([Unordered(value=v) for v in range(5)])
        self.assertEqual(len(objs), 5)
        self.assertEqual(sorted(Unordered.objects.values_list("value", flat=True)), [0, 1, 2, 3, 4])
        for obj in objs:
            self.assertFalse(obj._state.adding)
        if Unordered.objects.db and self._features().can_return_rows_from_bulk_insert:
            self.assertTrue(all(o.pk is not None for o in objs))
            self.assertEqual(Unordered.objects.get(pk=objs[2].pk).value, 2)

    def test_bulk_create_batches(self):
        Unordered.objects.bulk_create([Unordered(value=v) for v in range(10)], batch_size=3)
        self.assertEqual(Unordered.objects.count(), 10)
        self.assertEqual(Unordered.objects.bulk_create([]), [])
        with self.assertRaisesMessage(ValueError, "Batch size must be a positive integer."):
            Unordered.objects.bulk_create([Unordered(value=1)], batch_size=0)

    def _features(self):
        from tether.db import connection

        return connection.features

    def test_create_and_counts(self):
        Note.objects.create(text="d", rank=7)
        self.assertEqual(Note.objects.count(), 4)
        self.assertEqual(Note.objects.filter(rank=2).count(), 2)
        self.assertTrue(Note.objects.filter(rank=7).exists())
        self.assertFalse(Note.objects.filter(rank=8).exists())


class SlicingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Note.objects.bulk_create([Note(text=f"n{i:02}", rank=i) for i in range(30)])

    def test_slices_are_lazy_limits(self):
        with self.assertNumQueries(0):
            qs = Note.objects.all()[5:8]
        sql = str(qs.query)
        self.assertIn("LIMIT", sql)
        self.assertEqual(texts(qs), ["n05", "n06", "n07"])
        self.assertEqual(texts(Note.objects.all()[:2]), ["n00", "n01"])
        self.assertEqual(texts(Note.objects.all()[28:]), ["n28", "n29"])

    def test_index(self):
        self.assertEqual(Note.objects.all()[3].text, "n03")
        with self.assertRaises(IndexError):
            Note.objects.all()[100]

    def test_step(self):
        self.assertEqual(texts(Note.objects.all()[0:6:2]), ["n00", "n02", "n04"])

    def test_negative(self):
        with self.assertRaisesMessage(ValueError, "Negative indexing is not supported."):
            Note.objects.all()[-1]
        with self.assertRaisesMessage(ValueError, "Negative indexing is not supported."):
            Note.objects.all()[-3:]

    def test_bad_index_type(self):
        with self.assertRaisesMessage(
            TypeError, "QuerySet indices must be integers or slices, not str."
        ):
            Note.objects.all()["a"]

    def test_filter_after_slice(self):
        with self.assertRaisesMessage(
            TypeError, "Cannot filter a query once a slice has been taken."
        ):
            Note.objects.all()[:3].filter(rank=1)

    def test_slice_of_slice(self):
        self.assertEqual(texts(Note.objects.all()[5:15][2:4]), ["n07", "n08"])

    def test_count_of_slice(self):
        self.assertEqual(Note.objects.all()[25:].count(), 5)
        self.assertTrue(Note.objects.all()[29:].exists())
        self.assertFalse(Note.objects.all()[30:].exists())


class ReprTests(TestCase):
    def test_repr_short(self):
        Note.objects.create(text="one")
        self.assertEqual(repr(Note.objects.all()), "<QuerySet [<Note: one>]>")
        self.assertEqual(repr(Note.objects.none()), "<QuerySet []>")
        self.assertEqual(repr(Note.objects.values_list("text", flat=True)), "<QuerySet ['one']>")

    def test_repr_truncated_after_twenty(self):
        Note.objects.bulk_create([Note(text=f"n{i:02}") for i in range(25)])
        shown = repr(Note.objects.all())
        items = ", ".join(f"<Note: n{i:02}>" for i in range(20))
        self.assertEqual(shown, f"<QuerySet [{items}, '...(remaining elements truncated)...']>")

    def test_repr_exactly_twenty_not_truncated(self):
        Note.objects.bulk_create([Note(text=f"n{i:02}") for i in range(20)])
        self.assertNotIn("truncated", repr(Note.objects.all()))

    def test_str_query_shows_sql(self):
        sql = str(Note.objects.filter(text="hello", rank__gt=3).query)
        self.assertTrue(sql.startswith("SELECT "), sql)
        self.assertIn("queries_note", sql)
        self.assertIn("hello", sql)
        self.assertIn("ORDER BY", sql)


class ManagerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for name, rank in [("low", 1), ("mid", 10), ("top", 100)]:
            Ranked.objects.create(name=name, rank=rank)

    def test_custom_get_queryset(self):
        self.assertEqual(texts(Ranked.high.all()), ["top", "mid"])
        self.assertEqual(Ranked.high.count(), 2)
        self.assertEqual(texts(Ranked.high.filter(name="mid")), ["mid"])

    def test_queryset_as_manager(self):
        self.assertEqual(texts(Ranked.custom.top()), ["top"])
        self.assertEqual(texts(Ranked.custom.filter(rank__lt=50).top()), [])

    def test_default_manager_is_first(self):
        self.assertIs(Ranked._default_manager, Ranked.objects)

    def test_manager_not_available_on_instances(self):
        with self.assertRaisesMessage(
            AttributeError, "Manager isn't accessible via Ranked instances"
        ):
            Ranked().objects  # noqa: B018
