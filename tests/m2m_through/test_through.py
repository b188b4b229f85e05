"""Through models: extra columns, through_defaults (values and callables), required columns."""

import datetime

from tether.db import IntegrityError, transaction
from tether.test import TestCase

from .models import (
    Event,
    Friend,
    Friendship,
    Group,
    Invitation,
    Membership,
    Person,
    RankedMembership,
)


class ThroughTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.bob = Person.objects.create(name="Bob")
        cls.jim = Person.objects.create(name="Jim")
        cls.jane = Person.objects.create(name="Jane")
        cls.rock = Group.objects.create(name="Rock")
        cls.roll = Group.objects.create(name="Roll")

    def test_add_uses_field_defaults_and_through_defaults(self) -> None:
        self.rock.members.add(self.bob)
        self.rock.members.add(self.jim, through_defaults={"invite_reason": "He is nice"})
        rows = list(Membership.objects.values_list("person__name", "date_joined", "invite_reason"))
        self.assertEqual(
            sorted(rows, key=str),
            sorted(
                [
                    ("Bob", datetime.date(2020, 1, 1), None),
                    ("Jim", datetime.date(2020, 1, 1), "He is nice"),
                ],
                key=str,
            ),
        )
        self.assertEqual(list(self.rock.members.all()), [self.bob, self.jim])
        self.assertEqual(list(self.bob.group_set.all()), [self.rock])

    def test_through_defaults_callables_are_called(self) -> None:
        self.rock.members.add(self.jane, through_defaults={"invite_reason": lambda: "called"})
        self.rock.members.set(
            [self.jane, self.bob],
            through_defaults={"date_joined": lambda: datetime.date(2021, 2, 3)},
        )
        self.assertEqual(
            Membership.objects.get(person=self.jane).invite_reason, "called"
        )  # kept by set()
        self.assertEqual(
            Membership.objects.get(person=self.bob).date_joined, datetime.date(2021, 2, 3)
        )
        made = self.roll.members.create(name="Ann", through_defaults={"invite_reason": "new"})
        self.assertEqual(Membership.objects.get(person=made).invite_reason, "new")

    def test_reverse_add_and_remove_through_model(self) -> None:
        self.bob.group_set.add(self.rock, self.roll, through_defaults={"invite_reason": "x"})
        self.assertEqual(Membership.objects.filter(person=self.bob).count(), 2)
        self.bob.group_set.remove(self.roll)
        self.assertEqual(list(self.bob.group_set.all()), [self.rock])
        self.rock.members.clear()
        self.assertFalse(Membership.objects.exists())

    def test_required_column_without_defaults_writes_nothing(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.rock.required.add(self.bob, self.jim)
        self.assertFalse(self.rock.required.exists())
        self.rock.required.add(self.bob, through_defaults={"level": 3})
        self.assertEqual(list(self.rock.required.all()), [self.bob])

    def test_query_through_the_extra_columns(self) -> None:
        Membership.objects.create(person=self.bob, group=self.rock, invite_reason="drums")
        Membership.objects.create(
            person=self.jim, group=self.rock, date_joined=datetime.date(2022, 5, 5)
        )
        self.assertEqual(
            list(Person.objects.filter(membership__date_joined__gt=datetime.date(2021, 1, 1))),
            [self.jim],
        )
        self.assertEqual(list(Group.objects.filter(membership__invite_reason="drums")), [self.rock])
        self.assertEqual(
            list(self.rock.members.filter(membership__invite_reason__isnull=True)), [self.jim]
        )

    def test_deleting_either_side_deletes_memberships(self) -> None:
        self.rock.members.add(self.bob, self.jim)
        self.roll.members.add(self.bob)
        self.bob.delete()
        self.assertEqual(Membership.objects.count(), 1)
        self.rock.delete()
        self.assertFalse(Membership.objects.exists())


class ThroughFieldsTests(TestCase):
    def test_several_foreign_keys_to_one_model(self) -> None:
        bob = Person.objects.create(name="Bob")
        jim = Person.objects.create(name="Jim")
        jane = Person.objects.create(name="Jane")
        party = Event.objects.create(title="Party")
        Invitation.objects.create(event=party, inviter=bob, invitee=jim)
        party.invitees.add(jane, through_defaults={"inviter": bob})
        self.assertEqual(list(party.invitees.all()), [jane, jim])
        self.assertEqual(list(jim.events.all()), [party])
        self.assertEqual(list(bob.events.all()), [])
        self.assertEqual(list(Event.objects.filter(invitees=jane)), [party])
        party.invitees.remove(jim)
        self.assertEqual(list(party.invitees.all()), [jane])
        self.assertEqual(Invitation.objects.get().inviter, bob)


class SymmetricalThroughTests(TestCase):
    def test_symmetrical_self_relation_through_a_model(self) -> None:
        tony = Friend.objects.create(name="Tony")
        chris = Friend.objects.create(name="Chris")
        dan = Friend.objects.create(name="Dan")
        tony.friends.add(chris, through_defaults={"since": datetime.date(2019, 1, 1)})
        self.assertEqual(list(tony.friends.all()), [chris])
        self.assertEqual(list(chris.friends.all()), [tony])
        self.assertEqual(Friendship.objects.filter(since=datetime.date(2019, 1, 1)).count(), 2)
        dan.friends.add(tony)
        self.assertEqual(list(tony.friends.all()), [chris, dan])
        tony.friends.remove(chris)
        self.assertEqual(list(chris.friends.all()), [])
        self.assertEqual(list(tony.friends.all()), [dan])
        dan.friends.clear()
        self.assertEqual(list(tony.friends.all()), [])
        self.assertFalse(Friendship.objects.exists())


class RequiredColumnUniquePairTests(TestCase):
    """Django reads the existing pairs of a through model first, so adding pairs that all
    exist needs no value for a required column: tether's INSERT that skips existing pairs
    would fail on NOT NULL before it sees the conflict, so it reads first there too."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.bob = Person.objects.create(name="Bob")
        cls.jim = Person.objects.create(name="Jim")
        cls.rock = Group.objects.create(name="Rock")
        cls.rock.ranked.add(cls.bob, cls.jim, through_defaults={"rank": 1})

    def test_add_existing_pairs_without_defaults_does_nothing(self) -> None:
        self.rock.ranked.add(self.bob, self.jim)
        self.bob.ranked_in.add(self.rock)
        self.assertEqual(RankedMembership.objects.count(), 2)

    def test_set_keeping_existing_pairs_without_defaults(self) -> None:
        self.rock.ranked.set([self.bob])
        self.assertEqual(list(self.rock.ranked.all()), [self.bob])

    def test_adding_a_new_pair_still_needs_the_column(self) -> None:
        jane = Person.objects.create(name="Jane")
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.rock.ranked.add(jane)
        self.assertEqual(RankedMembership.objects.count(), 2)

    def test_set_errors_say_add(self) -> None:
        msg = (
            'Cannot add "<Person: Nobody>": instance is on database "default", value is on '
            'database "None"'
        )
        with self.assertRaisesMessage(ValueError, msg):
            self.rock.ranked.set([Person(name="Nobody")], through_defaults={"rank": 2})
