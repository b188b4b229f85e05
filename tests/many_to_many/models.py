"""Publications, articles, their readers and editions (app `many_to_many`).

`Article.publications` is the documentation's relation; `Reader.articles` renames both the
accessor (`readers`) and the query name (`reader`); `Edition` adds a foreign key path for the
counting tests. `django_twins.py` declares the same models for Django.
"""

from tether import models


class Publication(models.Model):
    title = models.CharField(max_length=30)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Article(models.Model):
    headline = models.CharField(max_length=100)
    pages = models.IntegerField(default=0)
    publications = models.ManyToManyField(Publication)

    class Meta:
        ordering = ["headline"]

    def __str__(self):
        return self.headline


class Reader(models.Model):
    name = models.CharField(max_length=30)
    articles = models.ManyToManyField(Article, related_name="readers", related_query_name="reader")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Edition(models.Model):
    publication = models.ForeignKey(Publication, models.CASCADE, related_name="editions")
    number = models.IntegerField()

    class Meta:
        ordering = ["publication__title", "number"]

    def __str__(self):
        return f"{self.publication} #{self.number}"


class Ranked(models.Model):
    """A unique number updated in place (update() honours order_by() on MySQL/MariaDB)."""

    number = models.IntegerField(unique=True)
    tags = models.ManyToManyField(Publication, related_name="ranked")
