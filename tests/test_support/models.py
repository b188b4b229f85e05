"""Plain models for the tether.test tests."""

from tether import models


class Item(models.Model):
    name = models.CharField(max_length=50)
    rank = models.IntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    label = models.CharField(max_length=20)
    # A plain column for now; becomes a ManyToManyField to Item once relations land.
    item_id = models.IntegerField(null=True)
