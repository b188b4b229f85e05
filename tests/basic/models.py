"""Models for the instance-level tests: construction, save, delete, identity, pickling."""

import datetime

from tether import models


class Article(models.Model):
    headline = models.CharField(max_length=100, default="Default headline")
    pub_date = models.DateTimeField()

    class Meta:
        ordering = ("pub_date", "headline")

    def __str__(self):
        return self.headline


class Plain(models.Model):
    name = models.CharField(max_length=30)
    count = models.IntegerField(default=0)


class CustomKey(models.Model):
    code = models.CharField(max_length=10, primary_key=True)
    label = models.CharField(max_length=30, blank=True)


def _today():
    return datetime.date(2024, 1, 2)


class WithCallableDefault(models.Model):
    day = models.DateField(default=_today)
    note = models.TextField(default="")


class Labelled(models.Model):
    """A model with a settable property and a read-only one (get_or_create's defaults)."""

    name = models.CharField(max_length=30)

    @property
    def title(self):
        return self.name.title()

    @title.setter
    def title(self, value):
        self.name = value.lower()

    @property
    def shout(self):
        return self.name.upper()


class StampedField(models.DateTimeField):
    """A column whose value the database computes at insert (default Now()), read back."""

    db_returning = True

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("default", models.functions.Now)
        super().__init__(*args, **kwargs)


class Stamped(models.Model):
    created = StampedField(editable=False)


class StampKeyed(models.Model):
    created = StampedField(editable=False, primary_key=True)


class DbStamped(models.Model):
    created = models.DateTimeField(db_default=models.functions.Now())
    label = models.CharField(max_length=10, default="")
