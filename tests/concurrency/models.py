"""Models for the concurrency tests: a row per unique key, with a counter to increment."""

from tether import models


class Counter(models.Model):
    key = models.CharField(max_length=20, unique=True)
    hits = models.IntegerField(default=0)
    last_writer = models.IntegerField(default=-1)
