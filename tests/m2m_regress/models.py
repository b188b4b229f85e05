"""Tags on entries (two relations), M2M on an abstract base and on an inherited model."""

from tether import models


class Tag(models.Model):
    name = models.CharField(max_length=10)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class Entry(models.Model):
    name = models.CharField(max_length=10)
    topics = models.ManyToManyField(Tag)
    related = models.ManyToManyField(Tag, related_name="similar")

    def __str__(self):
        return self.name


class SelfRefer(models.Model):
    name = models.CharField(max_length=10)
    references = models.ManyToManyField("self")
    related = models.ManyToManyField("self")

    def __str__(self):
        return self.name


class Tagged(models.Model):
    """An abstract base: each concrete child gets its own relation and table."""

    label = models.CharField(max_length=10)
    tags = models.ManyToManyField(Tag, related_name="%(class)s_items")

    class Meta:
        abstract = True

    def __str__(self):
        return self.label


class Photo(Tagged):
    pass


class Video(Tagged):
    seconds = models.IntegerField(default=0)


class Line(models.Model):
    name = models.CharField(max_length=10)

    def __str__(self):
        return self.name


class Worksheet(models.Model):
    lines = models.ManyToManyField(Line, blank=True)


class SpecialWorksheet(Worksheet):
    """Multi-table inheritance: the parent's relation works on the child."""

    title = models.CharField(max_length=10)
