"""Models for the m2m_changed differential and count tests: every kind of relation Django's
m2m_changed covers (automatic through, explicit through with extra columns, symmetrical self
relations with and without a through model)."""

from tether import models


class Part(models.Model):
    name = models.CharField(max_length=20)

    def __str__(self) -> str:
        return self.name


class Car(models.Model):
    name = models.CharField(max_length=20)
    parts = models.ManyToManyField(Part, related_name="cars")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    name = models.CharField(max_length=20)
    friends = models.ManyToManyField("self")
    pals = models.ManyToManyField("self", through="Friendship", symmetrical=True)

    def __str__(self) -> str:
        return self.name


class Friendship(models.Model):
    first = models.ForeignKey(Person, models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, models.CASCADE, related_name="+")
    since = models.IntegerField(default=2000)

    class Meta:
        unique_together = [("first", "second")]


class Member(models.Model):
    name = models.CharField(max_length=20)

    def __str__(self) -> str:
        return self.name


class Club(models.Model):
    name = models.CharField(max_length=20)
    members = models.ManyToManyField(Member, through="Membership", related_name="clubs")
    guests = models.ManyToManyField(Member, through="Visit", related_name="visited")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A through model with a unique pair (UniqueConstraint) and an extra column."""

    member = models.ForeignKey(Member, models.CASCADE)
    club = models.ForeignKey(Club, models.CASCADE)
    role = models.CharField(max_length=10, default="member")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "club"], name="m2msig_one_membership")
        ]


class Visit(models.Model):
    """A through model without a unique pair: Django's read-then-insert."""

    member = models.ForeignKey(Member, models.CASCADE)
    club = models.ForeignKey(Club, models.CASCADE)
    day = models.IntegerField(default=1)
