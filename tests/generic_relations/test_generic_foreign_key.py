"""GenericForeignKey: assignment, access and its cache, unsaved objects, prefetch, checks."""

from __future__ import annotations

from tether.contrib.contenttypes.fields import GenericForeignKey
from tether.contrib.contenttypes.models import ContentType
from tether.contrib.contenttypes.prefetch import GenericPrefetch
from tether.models import Prefetch
from tether.test import TestCase

from .models import Animal, Bookmark, Note, ProxyAnimal, TaggedItem


class AccessTests(TestCase):
    def test_assignment_sets_both_columns(self) -> None:
        bookmark = Bookmark.objects.create(url="a")
        item = TaggedItem(tag="x", content_object=bookmark)
        self.assertEqual(item.content_type, ContentType.objects.get_for_model(Bookmark))
        self.assertEqual(item.object_id, bookmark.pk)
        item.content_object = None
        self.assertIsNone(item.content_type_id)
        self.assertIsNone(item.object_id)

    def test_read_once_then_cached(self) -> None:
        animal = Animal.objects.create(name="cat")
        TaggedItem.objects.create(tag="pet", content_object=animal)
        ContentType.objects.get_for_model(Animal)  # the content type is cached per process
        item = TaggedItem.objects.get()
        with self.assertNumQueries(1):
            self.assertEqual(item.content_object, animal)
        with self.assertNumQueries(0):
            self.assertEqual(item.content_object, animal)

    def test_changed_ids_are_read_again(self) -> None:
        first = Animal.objects.create(name="cat")
        second = Animal.objects.create(name="dog")
        item = TaggedItem.objects.create(tag="pet", content_object=first)
        item.object_id = second.pk
        self.assertEqual(item.content_object, second)

    def test_missing_object_is_none(self) -> None:
        animal = Animal.objects.create(name="cat")
        item = TaggedItem.objects.create(tag="pet", content_object=animal)
        TaggedItem.objects.filter(pk=item.pk).update(object_id=animal.pk + 100)
        item = TaggedItem.objects.get(pk=item.pk)
        self.assertIsNone(item.content_object)

    def test_text_object_id_and_custom_field_names(self) -> None:
        animal = Animal.objects.create(name="cat")
        note = Note.objects.create(text="n", about=animal)
        note = Note.objects.get(pk=note.pk)
        self.assertEqual(note.object_pk, str(animal.pk))
        self.assertEqual(note.about, animal)

    def test_for_concrete_model_false_keeps_the_proxy(self) -> None:
        proxy = ProxyAnimal.objects.create(name="cat")
        note = Note.objects.create(text="n", proxied=proxy)
        self.assertEqual(note.kind.model, "proxyanimal")
        note = Note.objects.get(pk=note.pk)
        self.assertIsInstance(note.proxied, ProxyAnimal)
        other = Note.objects.create(text="m", about=proxy)
        self.assertEqual(other.kind.model, "animal")

    def test_unsaved_object_refused(self) -> None:
        item = TaggedItem(tag="x", content_object=Animal(name="unsaved"))
        msg = (
            "save() prohibited to prevent data loss due to unsaved related object 'content_object'."
        )
        with self.assertRaisesMessage(ValueError, msg):
            item.save()

    def test_refresh_from_db_forgets_the_object(self) -> None:
        first = Animal.objects.create(name="cat")
        second = Animal.objects.create(name="dog")
        item = TaggedItem.objects.create(tag="pet", content_object=first)
        TaggedItem.objects.filter(pk=item.pk).update(object_id=second.pk)
        item.refresh_from_db()
        self.assertEqual(item.content_object, second)

    def test_filter_on_the_columns(self) -> None:
        animal = Animal.objects.create(name="cat")
        TaggedItem.objects.create(tag="pet", content_object=animal)
        TaggedItem.objects.create(tag="site", content_object=Bookmark.objects.create(url="a"))
        field = TaggedItem._meta.get_field("content_object")
        found = TaggedItem.objects.filter(**field.get_forward_related_filter(animal))
        self.assertEqual([t.tag for t in found], ["pet"])

    def test_meta(self) -> None:
        field = TaggedItem._meta.get_field("content_object")
        self.assertIsInstance(field, GenericForeignKey)
        self.assertTrue(field.is_relation and field.many_to_one)
        self.assertFalse(field.concrete)
        self.assertNotIn(field, TaggedItem._meta.concrete_fields)
        self.assertIn(field, TaggedItem._meta.get_fields())
        self.assertNotIn(field, TaggedItem._meta.fields)


class PrefetchTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cat = Animal.objects.create(name="cat")
        cls.dog = Animal.objects.create(name="dog")
        cls.site = Bookmark.objects.create(url="a")
        TaggedItem.objects.create(tag="a", content_object=cls.cat)
        TaggedItem.objects.create(tag="b", content_object=cls.dog)
        TaggedItem.objects.create(tag="c", content_object=cls.site)

    def setUp(self) -> None:
        ContentType.objects.get_for_models(Animal, Bookmark)

    def test_one_query_per_content_type(self) -> None:
        with self.assertNumQueries(3):
            items = list(TaggedItem.objects.prefetch_related("content_object"))
        with self.assertNumQueries(0):
            self.assertEqual([i.content_object for i in items], [self.cat, self.dog, self.site])

    def test_deleted_target_prefetches_as_none(self) -> None:
        TaggedItem.objects.filter(tag="b").update(object_id=self.dog.pk + 100)
        items = list(TaggedItem.objects.prefetch_related("content_object"))
        with self.assertNumQueries(0):
            self.assertEqual([i.content_object for i in items], [self.cat, None, self.site])

    def test_nested(self) -> None:
        with self.assertNumQueries(3):
            items = list(
                TaggedItem.objects.filter(tag="c").prefetch_related("content_object__tags")
            )
        with self.assertNumQueries(0):
            self.assertEqual([t.tag for t in items[0].content_object.tags.all()], ["c"])

    def test_generic_prefetch_querysets(self) -> None:
        prefetch = GenericPrefetch(
            "content_object",
            [Animal.objects.filter(name="cat"), Bookmark.objects.all()],
        )
        items = list(TaggedItem.objects.prefetch_related(prefetch))
        with self.assertNumQueries(0):
            self.assertEqual([i.content_object for i in items], [self.cat, None, self.site])

    def test_generic_prefetch_one_queryset_per_content_type(self) -> None:
        prefetch = GenericPrefetch("content_object", [Animal.objects.all(), Animal.objects.all()])
        with self.assertRaisesMessage(
            ValueError, "Only one queryset is allowed for each content type."
        ):
            list(TaggedItem.objects.prefetch_related(prefetch))

    def test_to_attr(self) -> None:
        items = list(TaggedItem.objects.prefetch_related(Prefetch("content_object", to_attr="obj")))
        self.assertEqual([i.obj for i in items], [self.cat, self.dog, self.site])


class CheckTests(TestCase):
    def test_valid(self) -> None:
        self.assertEqual(TaggedItem._meta.get_field("content_object").check(), [])

    def test_bad_field_names(self) -> None:
        from tether.contrib.contenttypes.fields import GenericForeignKey as GFK

        field = GFK("name", "nothing")
        field.model = Animal
        field.name = "broken"
        ids = [e.id for e in field.check()]
        self.assertEqual(ids, ["contenttypes.E001", "contenttypes.E003"])
        field.ct_field = "missing"
        self.assertIn("contenttypes.E002", [e.id for e in field.check()])
        other = GFK("tags", "name")
        other.model, other.name = TaggedItem, "x"
        other.ct_field = "content_type"
        self.assertEqual(other.check()[0].id, "contenttypes.E001")
