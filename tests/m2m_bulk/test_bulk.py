"""Bulk linking across many sources: `link()`, `unlink()` and `relink()` on the class-level
descriptor add, remove or replace the links of many objects in one statement per chunk and
return what changed, as (source key, target key) pairs."""

from tether.models.signals import m2m_changed
from tether.test import TestCase

from .models import Article, Course, Enrollment, Person, Publication, Student


def links(relation):
    through = relation.through
    source, target = (f.attname for f in through._meta.local_concrete_fields[1:3])
    return set(through.objects.values_list(source, target))


class BulkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a1, cls.a2, cls.a3 = (Article.objects.create(headline=h) for h in ("a1", "a2", "a3"))
        cls.p1, cls.p2, cls.p3 = (Publication.objects.create(title=t) for t in ("p1", "p2", "p3"))

    def test_link_instances_and_keys(self):
        a1, a2, p1, p2 = self.a1, self.a2, self.p1, self.p2
        self.a1.publications.add(p1)
        with self.assertNumQueries(1 if self.returning() else 2):
            added = Article.publications.link([(a1, p1), (a1, p2), (a2.pk, p2.pk)])
        self.assertEqual(added, {(a1.pk, p2.pk), (a2.pk, p2.pk)})
        self.assertEqual(
            links(Article.publications), {(a1.pk, p1.pk), (a1.pk, p2.pk), (a2.pk, p2.pk)}
        )
        self.assertEqual(Article.publications.link([(a1, p1)]), set())

    def returning(self):
        from tether.db import connection

        return connection.features.can_return_rows_from_ignore_conflicts

    def test_reverse_side(self):
        added = Publication.articles.link([(self.p1, self.a1), (self.p1, self.a2)])
        self.assertEqual(added, {(self.p1.pk, self.a1.pk), (self.p1.pk, self.a2.pk)})
        self.assertEqual(list(self.a2.publications.all()), [self.p1])

    def test_unlink(self):
        Article.publications.link([(self.a1, self.p1), (self.a1, self.p2), (self.a2, self.p1)])
        removed = Article.publications.unlink(
            [(self.a1, self.p2), (self.a2, self.p1), (self.a3, self.p3)]
        )
        self.assertEqual(removed, {(self.a1.pk, self.p2.pk), (self.a2.pk, self.p1.pk)})
        self.assertEqual(links(Article.publications), {(self.a1.pk, self.p1.pk)})

    def test_relink(self):
        Article.publications.link([(self.a1, self.p1), (self.a1, self.p2), (self.a2, self.p1)])
        added, removed = Article.publications.relink(
            {self.a1: [self.p2, self.p3], self.a2.pk: [], self.a3: [self.p1]}
        )
        a1, a2, a3, p1, p2, p3 = (
            x.pk for x in (self.a1, self.a2, self.a3, self.p1, self.p2, self.p3)
        )
        self.assertEqual(added, {(a1, p3), (a3, p1)})
        self.assertEqual(removed, {(a1, p1), (a2, p1)})
        self.assertEqual(links(Article.publications), {(a1, p2), (a1, p3), (a3, p1)})

    def test_empty(self):
        with self.assertNumQueries(0):
            self.assertEqual(Article.publications.link([]), set())
            self.assertEqual(Article.publications.unlink([]), set())

    def test_wrong_objects(self):
        with self.assertRaisesMessage(TypeError, "'Publication' instance expected, got"):
            Article.publications.link([(self.a1, self.a2)])

    def test_many_pairs_are_chunked(self):
        pubs = Publication.objects.bulk_create(Publication(title=str(i)) for i in range(700))
        pairs = [(a, p) for a in (self.a1, self.a2) for p in pubs]
        self.assertEqual(len(Article.publications.link(pairs)), 1400)
        self.assertEqual(self.a2.publications.count(), 700)
        self.assertEqual(len(Article.publications.unlink(pairs[:1000])), 1000)
        self.assertEqual(self.a2.publications.count(), 400)

    def test_through_defaults(self):
        course = Course.objects.create(name="c")
        ann, bob = Student.objects.create(name="ann"), Student.objects.create(name="bob")
        Course.students.link([(course, ann), (course, bob)], through_defaults={"grade": 5})
        self.assertEqual(sorted(Enrollment.objects.values_list("grade", flat=True)), [5, 5])
        self.assertEqual(Course.students.link([(course, ann)]), set())

    def test_symmetrical(self):
        ann, bob, cat = (Person.objects.create(name=n) for n in ("ann", "bob", "cat"))
        added = Person.friends.link([(ann, bob), (ann, cat)])
        self.assertEqual(len(added), 4)  # each link and its mirror
        self.assertEqual([p.name for p in bob.friends.all()], ["ann"])
        Person.friends.unlink([(cat, ann)])
        self.assertEqual([p.name for p in ann.friends.all()], ["bob"])
        Person.friends.relink({bob: [cat]})
        self.assertEqual([p.name for p in cat.friends.all()], ["bob"])
        self.assertEqual(list(ann.friends.all()), [])

    def test_relink_with_many_targets(self):
        pubs = Publication.objects.bulk_create(Publication(title=str(i)) for i in range(1200))
        Article.publications.link([(self.a1, self.p1)])
        added, removed = Article.publications.relink({self.a1: pubs})
        self.assertEqual((len(added), removed), (1200, {(self.a1.pk, self.p1.pk)}))
        self.assertEqual(self.a1.publications.count(), 1200)

    async def test_async(self):
        added = await Article.publications.alink([(self.a1, self.p1)])
        self.assertEqual(added, {(self.a1.pk, self.p1.pk)})
        self.assertEqual(await Article.publications.aunlink([(self.a1, self.p1)]), added)


class EventTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a1, cls.a2 = (Article.objects.create(headline=h) for h in ("a1", "a2"))
        cls.p1, cls.p2 = (Publication.objects.create(title=t) for t in ("p1", "p2"))

    def setUp(self):
        self.events = []

        def record(sender, instance, action, pk_set, **kwargs):
            self.events.append((action, instance.headline, sorted(pk_set)))

        m2m_changed.connect(record, weak=False, dispatch_uid="bulk")
        self.addCleanup(m2m_changed.disconnect, dispatch_uid="bulk")

    def test_link_and_unlink_send_complete_events(self):
        self.a1.tracked.add(self.p1)
        self.events.clear()
        Article.tracked.link([(self.a1, self.p1), (self.a1, self.p2), (self.a2.pk, self.p2.pk)])
        p1, p2 = self.p1.pk, self.p2.pk
        self.assertEqual(
            sorted(self.events),
            [
                ("post_add", "a1", [p2]),
                ("post_add", "a2", [p2]),
                ("pre_add", "a1", [p2]),
                ("pre_add", "a2", [p2]),
            ],
        )
        self.events.clear()
        Article.tracked.unlink([(self.a1, self.p1), (self.a1, self.p2)])
        self.assertEqual(
            self.events, [("pre_remove", "a1", [p1, p2]), ("post_remove", "a1", [p1, p2])]
        )

    def test_relink_sends_removes_then_adds(self):
        Article.tracked.link([(self.a1, self.p1)])
        self.events.clear()
        Article.tracked.relink({self.a1: [self.p2]})
        p1, p2 = self.p1.pk, self.p2.pk
        self.assertEqual(
            self.events,
            [
                ("pre_remove", "a1", [p1]),
                ("post_remove", "a1", [p1]),
                ("pre_add", "a1", [p2]),
                ("post_add", "a1", [p2]),
            ],
        )

    def test_relations_without_complete_events_send_none(self):
        Article.publications.link([(self.a1, self.p1)])
        Article.publications.unlink([(self.a1, self.p1)])
        self.assertEqual(self.events, [])
