"""Models for the prefetch tests: writers, papers and stories (FK, many-to-many both ways),
a many-to-many with a related_name, and a one-to-one between venues and cafes."""

from functools import cached_property

from tether import models


class Writer(models.Model):
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ("name",)


class Paper(models.Model):
    title = models.CharField(max_length=40)

    class Meta:
        ordering = ("title",)


class Story(models.Model):
    headline = models.CharField(max_length=60)
    writer = models.ForeignKey(Writer, models.CASCADE, null=True)
    papers = models.ManyToManyField(Paper)

    class Meta:
        ordering = ("headline",)

    @cached_property
    def cached_papers(self):
        return list(self.papers.all())


class Musician(models.Model):
    name = models.CharField(max_length=40)


class Album(models.Model):
    title = models.CharField(max_length=40)
    players = models.ManyToManyField(Musician, related_name="albums")


class Venue(models.Model):
    name = models.CharField(max_length=40)


class Cafe(models.Model):
    venue = models.OneToOneField(Venue, models.CASCADE)
    serves_tea = models.BooleanField(default=True)


class Fan(models.Model):
    """Many-to-many to itself through a model whose keys point at `name`, not the pk."""

    name = models.CharField(max_length=40, unique=True)
    idols = models.ManyToManyField(
        "self", through="Admiration", symmetrical=False, related_name="admirers"
    )

    class Meta:
        ordering = ("id",)


class Admiration(models.Model):
    fan = models.ForeignKey(Fan, models.CASCADE, to_field="name", related_name="admiring")
    idol = models.ForeignKey(Fan, models.CASCADE, to_field="name", related_name="admired")
    warm = models.BooleanField(default=True)
