"""GenericRelation: filters across it, its reverse manager, cascade delete and prefetch."""

from __future__ import annotations

from tether.contrib.contenttypes.fields import GenericRelation
from tether.contrib.contenttypes.models import ContentType
from tether.db import connection
from tether.models import Count, Prefetch
from tether.test import TestCase

from .models import Animal, Bookmark, Note, TaggedItem, Topic


class FilterTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        # Same primary keys on both models: only the content type tells the rows apart.
        cls.site = Bookmark.objects.create(pk=1, url="a")
        cls.cat = Animal.objects.create(pk=1, name="cat")
        cls.dog = Animal.objects.create(pk=2, name="dog")
        TaggedItem.objects.create(tag="django", content_object=cls.site)
        TaggedItem.objects.create(tag="pet", content_object=cls.cat)
        TaggedItem.objects.create(tag="fluffy", content_object=cls.cat)

    def test_filter_across_is_restricted_to_the_content_type(self) -> None:
        self.assertEqual(list(Bookmark.objects.filter(tags__tag="django")), [self.site])
        self.assertEqual(list(Bookmark.objects.filter(tags__tag="pet")), [])
        self.assertEqual(list(Animal.objects.filter(tags__tag="django")), [])
        self.assertEqual(list(Animal.objects.filter(tags__tag="pet")), [self.cat])

    def test_content_type_is_a_parameter(self) -> None:
        query = Bookmark.objects.filter(tags__tag="x").query
        sql, params = query.get_compiler(connection=connection).as_sql()
        ct = ContentType.objects.get_for_model(Bookmark)
        self.assertIn("content_type_id", sql)
        self.assertEqual(list(params), [ct.pk, "x"])

    def test_related_query_name(self) -> None:
        self.assertEqual([t.tag for t in TaggedItem.objects.filter(bookmarks__url="a")], ["django"])
        self.assertEqual(list(TaggedItem.objects.filter(bookmarks__url="zzz")), [])

    def test_annotate_counts_only_own_rows(self) -> None:
        counts = dict(Animal.objects.annotate(n=Count("tags")).values_list("name", "n"))
        self.assertEqual(counts, {"cat": 2, "dog": 0})
        self.assertEqual(Bookmark.objects.annotate(n=Count("tags")).get().n, 1)

    def test_isnull_and_exclude(self) -> None:
        self.assertEqual(list(Animal.objects.filter(tags__isnull=True)), [self.dog])
        self.assertEqual(list(Animal.objects.exclude(tags__tag="pet")), [self.dog])

    def test_values_across(self) -> None:
        tags = Animal.objects.filter(pk=self.cat.pk).values_list("tags__tag", flat=True)
        self.assertEqual(sorted(tags), ["fluffy", "pet"])

    def test_text_object_id(self) -> None:
        topic = Topic.objects.create(name="t")
        Note.objects.create(text="n", about=topic)
        self.assertEqual(list(Topic.objects.filter(notes__text="n")), [topic])

    def test_meta(self) -> None:
        field = Bookmark._meta.get_field("tags")
        self.assertIsInstance(field, GenericRelation)
        self.assertTrue(field.one_to_many)
        self.assertFalse(field.concrete)
        self.assertNotIn(field, Bookmark._meta.fields)
        self.assertIn(field, Bookmark._meta.get_fields())
        rel = TaggedItem._meta.get_field("bookmarks")
        self.assertIs(rel.field, field)
        self.assertEqual(field.check(), [])


class ManagerTests(TestCase):
    def setUp(self) -> None:
        self.cat = Animal.objects.create(name="cat")
        self.dog = Animal.objects.create(name="dog")

    def tags(self, obj: object) -> list[str]:
        return [t.tag for t in obj.tags.all()]  # type: ignore[attr-defined]

    def test_create_and_all(self) -> None:
        item = self.cat.tags.create(tag="pet")
        self.assertEqual(item.content_object, self.cat)
        self.assertEqual(self.tags(self.cat), ["pet"])
        self.assertEqual(self.tags(self.dog), [])
        self.assertEqual(self.cat.tags.count(), 1)

    def test_add_moves_rows(self) -> None:
        item = self.dog.tags.create(tag="pet")
        self.cat.tags.add(item)
        self.assertEqual(self.tags(self.cat), ["pet"])
        self.assertEqual(self.tags(self.dog), [])

    def test_add_unsaved_needs_bulk_false(self) -> None:
        item = TaggedItem(tag="new")
        with self.assertRaisesMessage(ValueError, "instance isn't saved. Use bulk=False"):
            self.cat.tags.add(item)
        self.cat.tags.add(item, bulk=False)
        self.assertEqual(self.tags(self.cat), ["new"])

    def test_add_wrong_type(self) -> None:
        with self.assertRaisesMessage(TypeError, "'TaggedItem' instance expected, got"):
            self.cat.tags.add(self.dog)

    def test_remove_and_clear_delete_rows(self) -> None:
        a = self.cat.tags.create(tag="a")
        self.cat.tags.create(tag="b")
        self.cat.tags.remove(a)
        self.assertEqual(self.tags(self.cat), ["b"])
        self.assertFalse(TaggedItem.objects.filter(pk=a.pk).exists())
        self.cat.tags.clear(bulk=False)
        self.assertEqual(TaggedItem.objects.count(), 0)

    def test_set(self) -> None:
        a = self.cat.tags.create(tag="a")
        b = self.dog.tags.create(tag="b")
        self.cat.tags.set([b])
        self.assertEqual(self.tags(self.cat), ["b"])
        self.assertFalse(TaggedItem.objects.filter(pk=a.pk).exists())
        c = TaggedItem.objects.create(tag="c", content_object=self.dog)
        self.cat.tags.set([c], clear=True)
        self.assertEqual(self.tags(self.cat), ["c"])

    def test_get_or_create_and_update_or_create(self) -> None:
        item, created = self.cat.tags.get_or_create(tag="x")
        self.assertTrue(created)
        self.assertEqual(self.cat.tags.get_or_create(tag="x"), (item, False))
        item, created = self.cat.tags.update_or_create(tag="x", defaults={"tag": "y"})
        self.assertFalse(created)
        self.assertEqual(self.tags(self.cat), ["y"])

    def test_direct_assignment_refused(self) -> None:
        # Django names the relation by its related_query_name here.
        msg = "Direct assignment to the reverse side of a related set is prohibited. Use bookmarks"
        with self.assertRaisesMessage(TypeError, msg):
            Bookmark.objects.create(url="a").tags = []  # type: ignore[assignment]


class AsyncManagerTests(TestCase):
    async def test_async_writes(self) -> None:
        # Reads build their filter with the content type id: have it cached first.
        await ContentType.objects.aget_for_model(Animal)
        cat = await Animal.objects.acreate(name="cat")
        await cat.tags.acreate(tag="a")
        other = await TaggedItem.objects.acreate(tag="b", content_object=cat)
        await cat.tags.aremove(other)
        self.assertEqual([t.tag async for t in cat.tags.all()], ["a"])
        await cat.tags.aclear()
        self.assertEqual(await cat.tags.acount(), 0)


class DeleteTests(TestCase):
    def test_owner_delete_cascades_to_its_rows_only(self) -> None:
        site = Bookmark.objects.create(pk=5, url="a")
        cat = Animal.objects.create(pk=5, name="cat")
        TaggedItem.objects.create(tag="django", content_object=site)
        TaggedItem.objects.create(tag="pet", content_object=cat)
        deleted, counts = cat.delete()
        self.assertEqual(deleted, 2)
        self.assertEqual(counts, {"generic_relations.Animal": 1, "generic_relations.TaggedItem": 1})
        self.assertEqual([t.tag for t in TaggedItem.objects.all()], ["django"])

    def test_queryset_delete_cascades(self) -> None:
        for name in ("cat", "dog"):
            Animal.objects.create(name=name).tags.create(tag=name)
        Animal.objects.all().delete()
        self.assertEqual(TaggedItem.objects.count(), 0)

    def test_content_type_delete_cascades(self) -> None:
        cat = Animal.objects.create(name="cat")
        cat.tags.create(tag="pet")
        ContentType.objects.get_for_model(Animal).delete()
        ContentType.objects.clear_cache()
        self.assertEqual(TaggedItem.objects.count(), 0)


class PrefetchTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cat = Animal.objects.create(pk=7, name="cat")
        cls.dog = Animal.objects.create(pk=8, name="dog")
        cls.site = Bookmark.objects.create(pk=7, url="a")
        cls.cat.tags.create(tag="a")
        cls.cat.tags.create(tag="b")
        cls.site.tags.create(tag="c")

    def setUp(self) -> None:
        ContentType.objects.get_for_models(Animal, Bookmark)

    def test_prefetch(self) -> None:
        with self.assertNumQueries(2):
            animals = list(Animal.objects.prefetch_related("tags"))
        with self.assertNumQueries(0):
            self.assertEqual([[t.tag for t in a.tags.all()] for a in animals], [["a", "b"], []])

    def test_prefetch_queryset_and_to_attr(self) -> None:
        lookup = Prefetch("tags", TaggedItem.objects.filter(tag="b"), to_attr="bs")
        animals = list(Animal.objects.prefetch_related(lookup))
        self.assertEqual([[t.tag for t in a.bs] for a in animals], [["b"], []])

    def test_prefetched_queryset_chains(self) -> None:
        animal = Animal.objects.prefetch_related("tags").get(pk=self.cat.pk)
        self.assertEqual([t.tag for t in animal.tags.filter(tag="b")], ["b"])

    def test_text_object_id(self) -> None:
        topic = Topic.objects.create(name="t")
        Note.objects.create(text="n", about=topic)
        topics = list(Topic.objects.prefetch_related("notes"))
        with self.assertNumQueries(0):
            self.assertEqual([n.text for n in topics[0].notes.all()], ["n"])

    def test_related_query_name_accessor(self) -> None:
        item = TaggedItem.objects.get(tag="c")
        self.assertEqual(list(item.bookmarks.all()), [self.site])
        with self.assertNumQueries(2):
            items = list(TaggedItem.objects.prefetch_related("bookmarks"))
        with self.assertNumQueries(0):
            self.assertEqual([list(i.bookmarks.all()) for i in items], [[], [], [self.site]])

    def test_write_forgets_prefetched_rows(self) -> None:
        animal = Animal.objects.prefetch_related("tags").get(pk=self.dog.pk)
        animal.tags.create(tag="new")
        self.assertEqual([t.tag for t in animal.tags.all()], ["new"])


class CheckTests(TestCase):
    def test_target_without_generic_foreign_key(self) -> None:
        field = GenericRelation(Animal)
        field.model = Bookmark
        field.name = "wrong"
        errors = field.check()
        self.assertEqual([e.id for e in errors], ["contenttypes.E004"])
        self.assertIn("model 'generic_relations.Animal'", errors[0].msg)
