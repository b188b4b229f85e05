"""Models for the plan tests; no table is ever queried for them."""

from tether import models


class Widget(models.Model):
    name = models.CharField(max_length=20)
    size = models.IntegerField(default=0)
