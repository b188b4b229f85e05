"""Models for the time zone tests."""

from tether import models


class Event(models.Model):
    dt = models.DateTimeField(null=True)
    name = models.CharField(max_length=20, default="")


class Session(models.Model):
    day = models.DateField(null=True)
