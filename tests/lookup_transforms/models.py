"""Models for the lookup and transform tests."""

from tether import models


class Event(models.Model):
    name = models.CharField(max_length=50)
    when = models.DateTimeField(null=True)
    day = models.DateField(null=True)
    at = models.TimeField(null=True)
    data = models.JSONField(null=True)
