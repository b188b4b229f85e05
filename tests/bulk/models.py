"""Models for the bulk tests: countries with a unique code, notes, dated articles."""

from tether import models


class Country(models.Model):
    name = models.CharField(max_length=255)
    iso_two_letter = models.CharField(max_length=2, unique=True)
    population = models.IntegerField(default=0)

    class Meta:
        ordering = ("name",)


class Tag(models.Model):
    name = models.CharField(max_length=20)


class Note(models.Model):
    note = models.CharField(max_length=100)
    misc = models.CharField(max_length=20, default="")
    tag = models.ForeignKey(Tag, models.SET_NULL, null=True)
    rank = models.IntegerField(default=0)

    class Meta:
        ordering = ("note",)


class Dated(models.Model):
    headline = models.CharField(max_length=100)
    pub_date = models.DateField()
    expire_date = models.DateField()

    class Meta:
        get_latest_by = "pub_date"


class Undated(models.Model):
    n = models.IntegerField()
