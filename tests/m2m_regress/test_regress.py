"""Edge cases: abstract and inherited relations, unsaved objects, wrong types, pks in set()."""

from tether.db import transaction
from tether.test import TestCase

from .models import Entry, Line, Photo, SelfRefer, SpecialWorksheet, Tag, Video


class RegressionTests(TestCase):
    def test_two_relations_to_the_same_model(self) -> None:
        t1, t2 = Tag.objects.create(name="t1"), Tag.objects.create(name="t2")
        e1 = Entry.objects.create(name="e1")
        e1.topics.add(t1)
        e1.related.add(t2)
        self.assertEqual(list(e1.topics.all()), [t1])
        self.assertEqual(list(t2.similar.all()), [e1])
        self.assertEqual(list(t1.entry_set.all()), [e1])
        self.assertEqual(list(t1.similar.all()), [])

    def test_self_references_two_relations(self) -> None:
        s1, s2 = SelfRefer.objects.create(name="s1"), SelfRefer.objects.create(name="s2")
        s1.references.add(s2)
        self.assertEqual(list(s2.references.all()), [s1])
        self.assertEqual(list(s2.related.all()), [])

    def test_abstract_base_relation_per_child(self) -> None:
        tag = Tag.objects.create(name="sky")
        photo = Photo.objects.create(label="p")
        video = Video.objects.create(label="v")
        photo.tags.add(tag)
        video.tags.add(tag)
        self.assertEqual(list(tag.photo_items.all()), [photo])
        self.assertEqual(list(tag.video_items.all()), [video])
        self.assertEqual(Photo.tags.through._meta.db_table, "m2m_regress_photo_tags")
        self.assertEqual(list(Video.objects.filter(tags__name="sky")), [video])

    def test_inherited_relation(self) -> None:
        line = Line.objects.create(name="l1")
        sheet = SpecialWorksheet.objects.create(title="s")
        sheet.lines.add(line)
        self.assertEqual(list(sheet.lines.all()), [line])
        self.assertEqual(list(SpecialWorksheet.objects.filter(lines=line)), [sheet])
        self.assertEqual(list(line.worksheet_set.all()), [sheet.worksheet_ptr])

    def test_unsaved_and_wrong_types(self) -> None:
        entry = Entry.objects.create(name="e")
        tag = Tag.objects.create(name="t")
        with self.assertRaisesMessage(
            ValueError,
            '"<Entry: new>" needs to have a value for field "id" before this many-to-many '
            "relationship can be used.",
        ):
            Entry(name="new").topics.add(tag)
        # As in Django, the error escapes add()'s atomic(savepoint=False) block and marks the
        # enclosing transaction for rollback: each attempt gets its own savepoint here.
        with self.assertRaisesMessage(TypeError, "'Tag' instance expected, got <Entry: e>"):
            with transaction.atomic():
                entry.topics.add(entry)
        # set() prepares a non-Tag as a key, so Django's message is the field's (checked on 5.2).
        with self.assertRaisesMessage(
            TypeError, "Field 'id' expected a number but got <Entry: e>."
        ):
            with transaction.atomic():
                entry.topics.set([entry])
        with self.assertRaisesMessage(ValueError, 'Cannot query "e": Must be "Tag" instance.'):
            with transaction.atomic():
                entry.topics.remove(entry)
        with self.assertRaisesMessage(
            ValueError,
            'Cannot add "<Tag: ghost>": instance is on database "default", value is on database '
            '"None"',
        ):
            with transaction.atomic():
                entry.topics.add(Tag(name="ghost"))
        self.assertEqual(list(entry.topics.all()), [])

    def test_set_and_add_with_pks(self) -> None:
        t1, t2 = Tag.objects.create(name="t1"), Tag.objects.create(name="t2")
        entry = Entry.objects.create(name="e")
        entry.topics.set([t1.pk])
        self.assertEqual(list(entry.topics.all()), [t1])
        entry.topics.set([t2.pk, t1])
        self.assertEqual(list(entry.topics.all()), [t1, t2])
        entry.topics.add(str(t1.pk))  # a string key is converted as the field converts it
        self.assertEqual(entry.topics.count(), 2)
        t1.entry_set.set([])
        self.assertEqual(list(entry.topics.all()), [t2])

    def test_clear_from_both_sides(self) -> None:
        t1 = Tag.objects.create(name="t1")
        e1, e2 = Entry.objects.create(name="e1"), Entry.objects.create(name="e2")
        t1.entry_set.add(e1, e2)
        e1.topics.clear()
        self.assertEqual(list(t1.entry_set.all()), [e2])
        t1.entry_set.clear()
        self.assertEqual(list(e2.topics.all()), [])

    def test_manager_is_a_fresh_queryset_each_time(self) -> None:
        t1 = Tag.objects.create(name="t1")
        entry = Entry.objects.create(name="e")
        topics = entry.topics.all()
        self.assertEqual(list(topics), [])
        entry.topics.add(t1)
        self.assertEqual(list(entry.topics.all()), [t1])
