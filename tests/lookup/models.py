"""Models for the lookup tests: one model with text, numbers, dates and a nullable column."""

from tether import models


class Author(models.Model):
    name = models.CharField(max_length=50)
    age = models.IntegerField(null=True)
    nickname = models.CharField(max_length=50, null=True, blank=True)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class Entry(models.Model):
    title = models.CharField(max_length=100)
    body = models.TextField(blank=True)
    rating = models.IntegerField(default=0)
    published = models.DateField(null=True)

    class Meta:
        ordering = ("title",)

    def __str__(self):
        return self.title
