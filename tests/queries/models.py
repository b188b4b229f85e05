"""Models for the QuerySet tests: one with Meta.ordering, one without, one with a manager."""

from tether import models


class Note(models.Model):
    text = models.CharField(max_length=50)
    rank = models.IntegerField(default=0)
    misc = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ("text",)

    def __str__(self):
        return self.text


class Unordered(models.Model):
    value = models.IntegerField()
    tag = models.CharField(max_length=10, unique=True, null=True)

    def __str__(self):
        return f"U{self.value}"


class HighRankManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(rank__gte=10)


class RankedQuerySet(models.QuerySet):
    def top(self):
        return self.filter(rank__gte=100)


class Ranked(models.Model):
    name = models.CharField(max_length=20)
    rank = models.IntegerField(default=0)

    objects = models.Manager()
    high = HighRankManager()
    custom = RankedQuerySet.as_manager()

    class Meta:
        ordering = ("-rank", "name")

    def __str__(self):
        return self.name


class Parity(models.Model):
    """Mirrored by a Django model in test_django_parity.py."""

    text = models.CharField(max_length=50)
    rank = models.IntegerField(null=True)
    flag = models.BooleanField(default=False)

    class Meta:
        ordering = ("text",)

    def __str__(self):
        return self.text


class Reading(models.Model):
    """Two nullable numbers compared with each other in exclude()."""

    low = models.IntegerField()
    high = models.IntegerField(null=True)
    spare = models.IntegerField(null=True)


class Hen(models.Model):
    """Hen and Egg order by each other: their default orderings go round in a circle."""

    egg = models.ForeignKey("Egg", models.CASCADE, null=True, related_name="+")

    class Meta:
        ordering = ["egg"]


class Egg(models.Model):
    hen = models.ForeignKey(Hen, models.CASCADE, null=True, related_name="+")

    class Meta:
        ordering = ["hen"]


class Ouroboros(models.Model):
    tail = models.ForeignKey("self", models.CASCADE, null=True, related_name="+")

    class Meta:
        ordering = ["tail"]


class Day(models.Model):
    """A model keyed by a date: a foreign key to it holds dates."""

    date = models.DateField(primary_key=True)


class Shift(models.Model):
    name = models.CharField(max_length=10)
    day = models.ForeignKey(Day, models.SET_NULL, null=True)
