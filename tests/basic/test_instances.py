"""Model instances through the public API: construction, save, delete, refresh, identity."""

import datetime
import pickle

from tether.db import DatabaseError, IntegrityError
from tether.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from tether.test import TestCase

from .models import Article, CustomKey, Plain, WithCallableDefault

UTC = datetime.UTC
WHEN = datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


class ConstructionTests(TestCase):
    def test_keyword_construction(self):
        a = Article(headline="Hello", pub_date=WHEN)
        self.assertEqual(a.headline, "Hello")
        self.assertEqual(a.pub_date, WHEN)
        self.assertIsNone(a.id)
        self.assertIsNone(a.pk)

    def test_positional_construction_follows_field_order(self):
        a = Article(None, "Positional", WHEN)
        self.assertIsNone(a.id)
        self.assertEqual(a.headline, "Positional")
        self.assertEqual(a.pub_date, WHEN)

    def test_positional_and_keyword_mixed(self):
        a = Article(None, "Mixed", pub_date=WHEN)
        self.assertEqual((a.headline, a.pub_date), ("Mixed", WHEN))

    def test_same_field_twice(self):
        with self.assertRaisesMessage(
            TypeError, "Article() got both positional and keyword arguments for field 'headline'."
        ):
            Article(None, "x", headline="y")

    def test_too_many_positional(self):
        with self.assertRaisesMessage(IndexError, "Number of args exceeds number of fields"):
            Article(None, "x", WHEN, "extra")

    def test_unexpected_keyword(self):
        with self.assertRaisesMessage(
            TypeError, "Article() got unexpected keyword arguments: 'foo'"
        ):
            Article(foo="bar")

    def test_defaults(self):
        a = Article(pub_date=WHEN)
        self.assertEqual(a.headline, "Default headline")
        self.assertEqual(Plain(name="n").count, 0)

    def test_callable_default_called_per_instance(self):
        self.assertEqual(WithCallableDefault().day, datetime.date(2024, 1, 2))
        self.assertEqual(WithCallableDefault().note, "")


class SaveTests(TestCase):
    def test_insert_sets_pk_and_state(self):
        a = Article(headline="First", pub_date=WHEN)
        self.assertTrue(a._state.adding)
        a.save()
        self.assertIsNotNone(a.pk)
        self.assertEqual(a.pk, a.id)
        self.assertFalse(a._state.adding)
        self.assertEqual(a._state.db, "default")
        self.assertEqual(Article.objects.get(pk=a.pk).headline, "First")

    def test_second_save_updates(self):
        a = Article.objects.create(headline="Before", pub_date=WHEN)
        a.headline = "After"
        a.save()
        self.assertEqual(Article.objects.count(), 1)
        self.assertEqual(Article.objects.get().headline, "After")

    def test_save_with_explicit_pk_inserts_then_updates(self):
        a = Plain(id=42, name="x")
        a.save()
        self.assertEqual(Plain.objects.get(pk=42).name, "x")
        b = Plain(id=42, name="y")
        b.save()  # existing pk: UPDATE, not a second row
        self.assertEqual(Plain.objects.count(), 1)
        self.assertEqual(Plain.objects.get(pk=42).name, "y")

    def test_save_update_counts_queries(self):
        a = Plain.objects.create(name="q")
        a.name = "r"
        with self.assertNumQueries(1):
            a.save()

    def test_force_insert_existing_pk_is_integrity_error(self):
        a = Plain.objects.create(name="one")
        b = Plain(id=a.id, name="two")
        with self.assertRaises(IntegrityError):
            b.save(force_insert=True)

    def test_force_insert_and_update_together(self):
        a = Plain(name="x")
        with self.assertRaisesMessage(
            ValueError, "Cannot force both insert and updating in model saving."
        ):
            a.save(force_insert=True, force_update=True)
        with self.assertRaisesMessage(
            ValueError, "Cannot force both insert and updating in model saving."
        ):
            a.save(force_insert=True, update_fields=["name"])

    def test_force_update_without_pk(self):
        with self.assertRaisesMessage(
            ValueError, "Cannot force an update in save() with no primary key."
        ):
            Plain(name="x").save(force_update=True)

    def test_force_update_missing_row(self):
        with self.assertRaisesMessage(DatabaseError, "Forced update did not affect any rows."):
            Plain(id=999, name="x").save(force_update=True)

    def test_update_fields_missing_row(self):
        with self.assertRaisesMessage(
            DatabaseError, "Save with update_fields did not affect any rows."
        ):
            Plain(id=999, name="x").save(update_fields=["name"])

    def test_update_fields_only_writes_named_fields(self):
        a = Plain.objects.create(name="orig", count=1)
        a.name = "changed"
        a.count = 5
        a.save(update_fields=["count"])
        fresh = Plain.objects.get(pk=a.pk)
        self.assertEqual((fresh.name, fresh.count), ("orig", 5))

    def test_update_fields_empty_does_nothing(self):
        a = Plain.objects.create(name="orig")
        a.name = "changed"
        with self.assertNumQueries(0):
            a.save(update_fields=[])
        self.assertEqual(Plain.objects.get(pk=a.pk).name, "orig")

    def test_update_fields_unknown(self):
        a = Plain.objects.create(name="orig")
        with self.assertRaisesMessage(
            ValueError,
            "The following fields do not exist in this model, are m2m fields, primary keys, or "
            "are non-concrete fields: nope",
        ):
            a.save(update_fields=["nope"])

    def test_save_using(self):
        a = Plain(name="u")
        a.save(using="default")
        self.assertEqual(a._state.db, "default")
        self.assertEqual(Plain.objects.using("default").get().name, "u")

    def test_custom_primary_key(self):
        c = CustomKey(code="abc", label="first")
        c.save()
        self.assertEqual(c.pk, "abc")
        c.label = "second"
        c.save()
        self.assertEqual(CustomKey.objects.count(), 1)
        self.assertEqual(CustomKey.objects.get(pk="abc").label, "second")
        c.pk = "xyz"  # changing the pk and saving makes a new row, as Django does
        c.save()
        self.assertEqual(sorted(CustomKey.objects.values_list("code", flat=True)), ["abc", "xyz"])


class DeleteTests(TestCase):
    def test_delete_returns_counts(self):
        a = Plain.objects.create(name="gone")
        self.assertEqual(a.delete(), (1, {"basic.Plain": 1}))
        self.assertFalse(Plain.objects.exists())
        self.assertIsNone(a.pk)

    def test_delete_unsaved(self):
        with self.assertRaisesMessage(
            ValueError, "Plain object can't be deleted because its id attribute is set to None."
        ):
            Plain(name="x").delete()

    def test_saved_again_after_delete_inserts(self):
        a = Plain.objects.create(name="again")
        a.delete()
        a.save()
        self.assertEqual(Plain.objects.count(), 1)


class RefreshTests(TestCase):
    def test_refresh_from_db(self):
        a = Plain.objects.create(name="one", count=1)
        Plain.objects.filter(pk=a.pk).update(name="two", count=2)
        a.refresh_from_db()
        self.assertEqual((a.name, a.count), ("two", 2))

    def test_refresh_some_fields(self):
        a = Plain.objects.create(name="one", count=1)
        Plain.objects.filter(pk=a.pk).update(name="two", count=2)
        a.refresh_from_db(fields=["count"])
        self.assertEqual((a.name, a.count), ("one", 2))

    def test_refresh_deleted_row(self):
        a = Plain.objects.create(name="one")
        Plain.objects.all().delete()
        with self.assertRaisesMessage(Plain.DoesNotExist, "Plain matching query does not exist."):
            a.refresh_from_db()

    def test_refresh_rejects_lookups(self):
        a = Plain.objects.create(name="one")
        with self.assertRaisesMessage(ValueError, 'Found "__" in fields argument.'):
            a.refresh_from_db(fields=["name__lower"])


class IdentityTests(TestCase):
    def test_pk_alias(self):
        a = Plain.objects.create(name="pk")
        self.assertEqual(a.pk, a.id)
        a.pk = 77
        self.assertEqual(a.id, 77)

    def test_equality_by_pk_and_model(self):
        a = Plain.objects.create(name="x")
        self.assertEqual(a, Plain.objects.get(pk=a.pk))
        self.assertNotEqual(a, Plain(id=a.pk + 1, name="x"))
        # Same pk, different model: not equal.
        other = WithCallableDefault(id=a.pk)
        self.assertNotEqual(a, other)
        self.assertNotEqual(a, a.pk)

    def test_unsaved_instances_equal_only_to_themselves(self):
        a, b = Plain(name="same"), Plain(name="same")
        self.assertEqual(a, a)
        self.assertNotEqual(a, b)

    def test_hash(self):
        a = Plain.objects.create(name="h")
        self.assertEqual(hash(a), hash(a.pk))
        self.assertEqual(len({a, Plain.objects.get(pk=a.pk)}), 1)
        with self.assertRaisesMessage(
            TypeError, "Model instances without primary key value are unhashable"
        ):
            hash(Plain(name="no pk"))

    def test_repr_and_default_str(self):
        p = Plain.objects.create(name="r")
        self.assertEqual(str(p), f"Plain object ({p.pk})")
        self.assertEqual(repr(p), f"<Plain: Plain object ({p.pk})>")
        self.assertEqual(str(Plain()), "Plain object (None)")
        a = Article(headline="Custom str", pub_date=WHEN)
        self.assertEqual(repr(a), "<Article: Custom str>")


class ExceptionTests(TestCase):
    def test_does_not_exist(self):
        with self.assertRaisesMessage(Plain.DoesNotExist, "Plain matching query does not exist."):
            Plain.objects.get(name="nobody")
        self.assertTrue(issubclass(Plain.DoesNotExist, ObjectDoesNotExist))
        self.assertIsNot(Plain.DoesNotExist, Article.DoesNotExist)
        self.assertEqual(Plain.DoesNotExist.__qualname__, "Plain.DoesNotExist")

    def test_multiple_objects_returned(self):
        Plain.objects.create(name="dup")
        Plain.objects.create(name="dup")
        with self.assertRaisesMessage(
            Plain.MultipleObjectsReturned, "get() returned more than one Plain -- it returned 2!"
        ):
            Plain.objects.get(name="dup")
        self.assertTrue(issubclass(Plain.MultipleObjectsReturned, MultipleObjectsReturned))

    def test_multiple_objects_returned_many(self):
        Plain.objects.bulk_create([Plain(name="many") for _ in range(25)])
        with self.assertRaisesMessage(
            Plain.MultipleObjectsReturned,
            "get() returned more than one Plain -- it returned more than 20!",
        ):
            Plain.objects.get(name="many")


class PickleTests(TestCase):
    def test_pickle_round_trip(self):
        a = Article.objects.create(headline="Pickled", pub_date=WHEN)
        b = pickle.loads(pickle.dumps(a))
        self.assertEqual(a, b)
        self.assertEqual((b.headline, b.pub_date), ("Pickled", WHEN))
        self.assertFalse(b._state.adding)
        self.assertEqual(b._state.db, "default")
        b.headline = "Changed after unpickle"
        b.save()
        self.assertEqual(Article.objects.get(pk=a.pk).headline, "Changed after unpickle")

    def test_pickle_unsaved(self):
        a = Plain(name="fresh")
        b = pickle.loads(pickle.dumps(a))
        self.assertIsNone(b.pk)
        self.assertTrue(b._state.adding)

    def test_pickle_queryset_evaluates_it(self):
        Plain.objects.create(name="in qs")
        qs = Plain.objects.all()
        restored = pickle.loads(pickle.dumps(qs))
        with self.assertNumQueries(0):
            self.assertEqual([p.name for p in restored], ["in qs"])
