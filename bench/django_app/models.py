"""The bench model for Django: id, CharField(100), IntegerField, DateTimeField in bench_item."""

from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=100)
    number = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        app_label = "benchapp"
        db_table = "bench_item"


class Publication(models.Model):
    """The many-to-many bench (bench/m2m_*.py): the same tables as tether's contender."""

    title = models.CharField(max_length=100)

    class Meta:
        app_label = "benchapp"
        db_table = "bench_publication"


class Article(models.Model):
    headline = models.CharField(max_length=100)
    publications = models.ManyToManyField(Publication, db_table="bench_article_publications")

    class Meta:
        app_label = "benchapp"
        db_table = "bench_article"
