"""Models for the compile-only tests: their tables are never queried."""

from tether import models


class Author(models.Model):
    name = models.CharField(max_length=50)
    age = models.IntegerField(default=0)
    born = models.DateTimeField(null=True)

    class Meta:
        ordering = ["name"]


class Tag(models.Model):
    label = models.CharField(max_length=20)


class Book(models.Model):
    title = models.CharField(max_length=100)
    pages = models.IntegerField(default=0)
    author = models.ForeignKey(Author, models.CASCADE, related_name="books")
    editor = models.ForeignKey(Author, models.SET_NULL, null=True, related_name="edited")
    tags = models.ManyToManyField(Tag, related_name="books")
    data = models.JSONField(null=True)
