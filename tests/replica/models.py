"""One model, written on the primary and read back from its streaming replica."""

from tether import models


class Note(models.Model):
    text = models.CharField(max_length=100)
