"""A model for the async API tests."""

from tether import models


class Event(models.Model):
    name = models.CharField(max_length=30)
    seats = models.IntegerField(default=0)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name
