"""A person with friends (symmetrical) and idols (non-symmetrical, reverse: stalkers)."""

from tether import models


class Person(models.Model):
    name = models.CharField(max_length=20)
    friends = models.ManyToManyField("self")
    idols = models.ManyToManyField("self", symmetrical=False, related_name="stalkers")

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name
