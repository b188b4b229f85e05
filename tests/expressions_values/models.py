"""Models for values()/values_list() with transforms and expressions."""

from tether import models


class Writer(models.Model):
    name = models.CharField(max_length=50)


class Entry(models.Model):
    headline = models.CharField(max_length=100)
    rating = models.IntegerField(default=0)
    pub_date = models.DateField()
    written = models.DateTimeField(null=True)
    data = models.JSONField(null=True)
    writer = models.ForeignKey(Writer, models.CASCADE, null=True)
