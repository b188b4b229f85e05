"""Models for the iterator() tests: numbered items in boxes (a reverse FK to prefetch)."""

from tether import models


class Box(models.Model):
    name = models.CharField(max_length=20)

    class Meta:
        ordering = ("name",)


class Item(models.Model):
    n = models.IntegerField()
    box = models.ForeignKey(Box, models.CASCADE, null=True, related_name="items")

    class Meta:
        ordering = ("n",)
