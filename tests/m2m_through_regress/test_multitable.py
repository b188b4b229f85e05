"""Through models that inherit one link field from a concrete parent: the joins pass from the
parent's table to the child's, in both directions and in prefetch_related()."""

from tether.test import TestCase

from .models import Club, CompetingTeam, Event, IndividualCompetitor, Person


class InheritedLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.chris = Person.objects.create(name="Chris")
        cls.dan = Person.objects.create(name="Dan")
        cls.alpha = Club.objects.create(name="Alpha")
        cls.event = Event.objects.create(name="Exposition Match")
        cls.other = Event.objects.create(name="Other")
        IndividualCompetitor.objects.create(event=cls.event, person=cls.chris)
        IndividualCompetitor.objects.create(event=cls.event, person=cls.dan)
        IndividualCompetitor.objects.create(event=cls.other, person=cls.dan)
        CompetingTeam.objects.create(event=cls.event, team=cls.alpha)

    def test_forward(self):
        self.assertCountEqual(self.event.people.all(), [self.chris, self.dan])
        self.assertCountEqual(self.event.teams.all(), [self.alpha])

    def test_reverse(self):
        self.assertCountEqual(self.dan.event_set.all(), [self.event, self.other])
        self.assertCountEqual(self.alpha.event_set.all(), [self.event])

    def test_filter_across(self):
        self.assertCountEqual(Event.objects.filter(people__name="Dan"), [self.event, self.other])
        self.assertCountEqual(Person.objects.filter(event__name="Other"), [self.dan])

    def test_prefetch(self):
        with self.assertNumQueries(2):
            events = list(Event.objects.order_by("name").prefetch_related("people"))
            self.assertEqual(
                [sorted(p.name for p in e.people.all()) for e in events],
                [["Chris", "Dan"], ["Dan"]],
            )
