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


# Subclasses of built-in fields, as projects write them: each keeps its parent's column.
class CreatedField(models.DateTimeField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_now_add", True)
        super().__init__(*args, **kwargs)


class UpperCharField(models.CharField):
    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value.upper() if isinstance(value, str) else value


class CountField(models.PositiveIntegerField):
    pass


class MoneyField(models.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class FlagField(models.BooleanField):
    pass


class PayloadField(models.JSONField):
    pass


class KeyField(models.BigAutoField):
    pass


class LabelField(models.Field):
    """A field straight from Field, naming its own column type as Django's docs show."""

    def db_type(self, connection):
        return "varchar(40)"


class Subclassed(models.Model):
    id = KeyField(primary_key=True)
    created = CreatedField()
    name = UpperCharField(max_length=30)
    count = CountField(default=0)
    price = MoneyField(null=True)
    flag = FlagField(default=False)
    payload = PayloadField(null=True)
    label = LabelField(null=True)


class PointsAtSubclassed(models.Model):
    target = models.ForeignKey(Subclassed, models.CASCADE)
