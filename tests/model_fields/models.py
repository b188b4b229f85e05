"""Models for the core field tests: one column per field type, and option variants."""

import datetime
import decimal

from tether import models


class Everything(models.Model):
    char = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    integer = models.IntegerField(null=True)
    big = models.BigIntegerField(null=True)
    flag = models.BooleanField(default=False)
    ratio = models.FloatField(null=True)
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    day = models.DateField(null=True)
    moment = models.DateTimeField(null=True)


def next_number():
    next_number.calls += 1
    return next_number.calls


next_number.calls = 0


class Options(models.Model):
    SIZES = [("S", "Small"), ("M", "Medium"), ("L", "Large")]

    label = models.CharField(max_length=20, default="unnamed")
    number = models.IntegerField(default=next_number)
    code = models.CharField(max_length=10, unique=True, null=True)
    indexed = models.IntegerField(db_index=True, default=0)
    renamed = models.IntegerField(db_column="other_name", default=0)
    size = models.CharField(max_length=1, choices=SIZES, default="M")
    hidden = models.IntegerField(editable=False, default=7)
    optional = models.CharField(max_length=10, null=True, blank=True)
    created = models.DateField(default=datetime.date.today)
    price = models.DecimalField(max_digits=5, decimal_places=1, default=decimal.Decimal("1.5"))


class BigKey(models.Model):
    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=10)


class NaturalKey(models.Model):
    number = models.IntegerField(primary_key=True)
    name = models.CharField(max_length=10)
