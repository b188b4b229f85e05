"""A model for the connection tests."""

from tether import models


class Gadget(models.Model):
    name = models.CharField(max_length=20)
