"""Models for the security tests: text, numbers, dates, JSON and a relation, so every entry
point of the injection registry has a column to aim at."""

from tether import models


class Tag(models.Model):
    name = models.CharField(max_length=200)
    rank = models.IntegerField(default=0)
    stamp = models.DateTimeField(null=True)
    data = models.JSONField(null=True)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class Item(models.Model):
    title = models.CharField(max_length=200)
    tag = models.ForeignKey(Tag, models.CASCADE, related_name="items", null=True)
    tags = models.ManyToManyField(Tag, related_name="tagged")

    def __str__(self):
        return self.title
