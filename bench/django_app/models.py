"""The bench model for Django: id, CharField(100), IntegerField, DateTimeField in bench_item."""

from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=100)
    number = models.IntegerField()
    created = models.DateTimeField()

    class Meta:
        app_label = "benchapp"
        db_table = "bench_item"
