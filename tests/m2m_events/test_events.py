"""Complete m2m_changed events, opt-in per relation (`complete_events=True`): a concrete pk_set
for post_clear, and clear events for the links a cascading delete of either side removes.
Relations that do not opt in send Django's events (post_clear's pk_set None, nothing on
cascade)."""

from tether.db import connection
from tether.models.signals import complete_events, m2m_changed
from tether.test import CaptureQueriesContext, TestCase

from .models import Club, Membership, Person, Post, Tag


class Events(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.red, cls.blue, cls.green = (Tag.objects.create(label=x) for x in ("r", "b", "g"))
        cls.p1 = Post.objects.create(title="p1")
        cls.p2 = Post.objects.create(title="p2")
        cls.p1.tags.set([cls.red, cls.blue])
        cls.p2.tags.set([cls.blue])
        cls.p1.plain_tags.set([cls.red, cls.blue])

    def setUp(self):
        self.events = []

        def record(sender, instance, action, reverse, model, pk_set, **kwargs):
            pks = None if pk_set is None else sorted(pk_set)
            self.events.append((sender, action, instance, reverse, model, pks))

        m2m_changed.connect(record, weak=False, dispatch_uid="m2m_events")
        self.addCleanup(m2m_changed.disconnect, dispatch_uid="m2m_events")


class ClearTests(Events):
    def test_post_clear_has_the_removed_keys(self):
        self.p1.tags.clear()
        through = Post.tags.through
        red, blue = self.red.pk, self.blue.pk
        self.assertEqual(
            self.events,
            [
                (through, "pre_clear", self.p1, False, Tag, None),
                (through, "post_clear", self.p1, False, Tag, sorted([red, blue])),
            ],
        )
        self.assertEqual(list(self.p2.tags.all()), [self.blue])

    def test_reverse_side(self):
        self.blue.posts.clear()
        self.assertEqual(
            self.events[-1][1:],
            ("post_clear", self.blue, True, Post, sorted([self.p1.pk, self.p2.pk])),
        )

    def test_empty_clear(self):
        Post.objects.create(title="p3").tags.clear()
        self.assertEqual(self.events[-1][5], [])

    def test_relations_without_the_option_keep_django_events(self):
        self.p1.plain_tags.clear()
        self.assertEqual(
            [e[1:2] + e[5:] for e in self.events], [("pre_clear", None), ("post_clear", None)]
        )

    def test_receiver_declaration(self):
        seen = []

        @complete_events
        def on_change(sender, action, pk_set, **kwargs):
            seen.append((action, None if pk_set is None else sorted(pk_set)))

        through = Post.plain_tags.through
        m2m_changed.connect(on_change, sender=through, weak=False)
        self.addCleanup(m2m_changed.disconnect, on_change, sender=through)
        self.p1.plain_tags.clear()
        self.assertEqual(seen, [("pre_clear", None), ("post_clear", [self.red.pk, self.blue.pk])])

    def test_symmetrical(self):
        ann, bob, cat = (Person.objects.create(name=x) for x in "abc")
        ann.friends.set([bob, cat])
        self.events.clear()
        bob.friends.clear()
        self.assertEqual(self.events[-1][1:], ("post_clear", bob, False, Person, [ann.pk]))
        self.assertEqual(sorted(p.name for p in ann.friends.all()), ["c"])

    def test_explicit_through(self):
        ann, bob = (Person.objects.create(name=x) for x in "ab")
        club = Club.objects.create(name="c")
        club.members.add(ann, bob)
        self.events.clear()
        club.members.clear()
        self.assertEqual(
            self.events[-1][1:], ("post_clear", club, False, Person, sorted([ann.pk, bob.pk]))
        )

    def test_set_with_clear(self):
        self.p1.tags.set([self.green], clear=True)
        actions = [(e[1], e[5]) for e in self.events]
        self.assertEqual(
            actions,
            [
                ("pre_clear", None),
                ("post_clear", sorted([self.red.pk, self.blue.pk])),
                ("pre_add", [self.green.pk]),
                ("post_add", [self.green.pk]),
            ],
        )


class CascadeTests(Events):
    def test_deleting_the_source(self):
        through = Post.tags.through
        self.p1.delete()
        tag_events = [e for e in self.events if e[0] is through]
        self.assertEqual(
            [(e[1], e[3], e[4], e[5]) for e in tag_events],
            [
                ("pre_clear", False, Tag, None),
                ("post_clear", False, Tag, sorted([self.red.pk, self.blue.pk])),
            ],
        )
        self.assertEqual(tag_events[0][2].title, "p1")
        # The relation without the option sends nothing, as Django.
        self.assertFalse([e for e in self.events if e[0] is Post.plain_tags.through])

    def test_deleting_the_target(self):
        blue = self.blue.pk
        Tag.objects.filter(pk=blue).delete()
        events = [
            (e[1], e[2].label, e[3], e[4], e[5]) for e in self.events if e[0] is Post.tags.through
        ]
        self.assertEqual(
            events,
            [
                ("pre_clear", "b", True, Post, None),
                ("post_clear", "b", True, Post, sorted([self.p1.pk, self.p2.pk])),
            ],
        )

    def test_queryset_delete_of_many_sources(self):
        Post.objects.all().delete()
        events = sorted((e[2].title, e[1], e[5]) for e in self.events if e[0] is Post.tags.through)
        red, blue = self.red.pk, self.blue.pk
        self.assertEqual(
            events,
            [
                ("p1", "post_clear", sorted([red, blue])),
                ("p1", "pre_clear", None),
                ("p2", "post_clear", [blue]),
                ("p2", "pre_clear", None),
            ],
        )

    def test_instance_without_links_gets_no_event(self):
        Post.objects.create(title="lonely").delete()
        self.assertEqual(self.events, [])

    def test_explicit_through_rows(self):
        ann = Person.objects.create(name="a")
        club = Club.objects.create(name="c")
        Membership.objects.create(club=club, person=ann)
        self.events.clear()
        ann.delete()
        events = [(e[1], e[2], e[3], e[5]) for e in self.events if e[0] is Membership]
        self.assertEqual(
            events, [("pre_clear", ann, True, None), ("post_clear", ann, True, [club.pk])]
        )

    def test_no_receivers_no_reads(self):
        m2m_changed.disconnect(dispatch_uid="m2m_events")
        table = Post.tags.through._meta.db_table
        with CaptureQueriesContext(connection) as queries:
            self.p1.delete()
        reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and table in q["sql"]]
        self.assertEqual(reads, [])
