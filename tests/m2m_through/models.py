"""People, groups and memberships with extra columns; invitations; friendships (self)."""

import datetime

from tether import models


class Person(models.Model):
    name = models.CharField(max_length=128)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class Group(models.Model):
    name = models.CharField(max_length=128)
    members = models.ManyToManyField(Person, through="Membership")
    required = models.ManyToManyField(Person, through="RequiredMembership", related_name="+")
    ranked = models.ManyToManyField(Person, through="RankedMembership", related_name="ranked_in")

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


def default_reason():
    return "called " + "for"


class Membership(models.Model):
    person = models.ForeignKey(Person, models.CASCADE)
    group = models.ForeignKey(Group, models.CASCADE)
    date_joined = models.DateField(default=datetime.date(2020, 1, 1))
    invite_reason = models.CharField(max_length=64, null=True)

    class Meta:
        ordering = ("date_joined", "invite_reason", "group")


class RequiredMembership(models.Model):
    person = models.ForeignKey(Person, models.CASCADE)
    group = models.ForeignKey(Group, models.CASCADE)
    level = models.IntegerField()  # no default, not null


class RankedMembership(models.Model):
    """A required column and a unique pair: adding an existing pair must not need the column."""

    person = models.ForeignKey(Person, models.CASCADE)
    group = models.ForeignKey(Group, models.CASCADE)
    rank = models.IntegerField()  # no default, not null

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "group"], name="ranked_pair")]


class Event(models.Model):
    title = models.CharField(max_length=50)
    invitees = models.ManyToManyField(
        Person, through="Invitation", through_fields=("event", "invitee"), related_name="events"
    )


class Invitation(models.Model):
    event = models.ForeignKey(Event, models.CASCADE, related_name="invitations")
    inviter = models.ForeignKey(Person, models.CASCADE, related_name="invitations_sent")
    invitee = models.ForeignKey(Person, models.CASCADE, related_name="invitations")


class Friend(models.Model):
    name = models.CharField(max_length=5)
    friends = models.ManyToManyField("self", through="Friendship", symmetrical=True)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class Friendship(models.Model):
    first = models.ForeignKey(Friend, models.CASCADE, related_name="+")
    second = models.ForeignKey(Friend, models.CASCADE, related_name="+")
    since = models.DateField(null=True)
