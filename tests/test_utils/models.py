"""Models for the test support tests."""

from tether import models


class Car(models.Model):
    name = models.CharField(max_length=20)
