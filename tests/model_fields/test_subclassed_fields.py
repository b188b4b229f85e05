"""Subclasses of built-in fields keep their parent's column type (issue 10, item 4).

Django's built-in fields name their own internal type in get_internal_type(), so a project's
`class CreatedField(models.DateTimeField)` is still a DateTimeField to the backend: it gets a
column at CREATE TABLE, its values are converted, and a foreign key to a subclassed auto field
gets the matching integer column.
"""

import datetime
import decimal

from tether import models
from tether.db import connection
from tether.test import TestCase

from .models import (
    CountField,
    CreatedField,
    FlagField,
    KeyField,
    LabelField,
    MoneyField,
    PayloadField,
    PointsAtSubclassed,
    Subclassed,
    UpperCharField,
)


class InternalTypeTests(TestCase):
    def test_subclasses_report_their_builtin_parent(self):
        expected = {
            CreatedField: "DateTimeField",
            UpperCharField: "CharField",
            CountField: "PositiveIntegerField",
            MoneyField: "DecimalField",
            FlagField: "BooleanField",
            PayloadField: "JSONField",
            KeyField: "BigAutoField",
        }
        for field_class, internal_type in expected.items():
            with self.subTest(field=field_class.__name__):
                self.assertEqual(field_class().get_internal_type(), internal_type)

    def test_every_builtin_keeps_its_type_in_a_subclass(self):
        for name in (
            "CharField",
            "TextField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "FloatField",
            "DateField",
            "TimeField",
            "DurationField",
            "UUIDField",
            "BinaryField",
            "SlugField",
            "GenericIPAddressField",
            "AutoField",
            "SmallAutoField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        ):
            with self.subTest(field=name):
                subclass = type("Mine", (getattr(models, name),), {"__module__": __name__})
                self.assertEqual(subclass.get_internal_type(subclass.__new__(subclass)), name)
        for name, internal_type in (("EmailField", "CharField"), ("URLField", "CharField")):
            subclass = type("Mine", (getattr(models, name),), {"__module__": __name__})
            self.assertEqual(subclass.get_internal_type(subclass.__new__(subclass)), internal_type)

    def test_direct_field_subclass_reports_its_own_name(self):
        # Django's Field.get_internal_type() is the class name: such a field names its column
        # type through db_type().
        self.assertEqual(LabelField().get_internal_type(), "LabelField")
        self.assertEqual(LabelField().db_type(connection), "varchar(40)")

    def test_subclasses_have_a_column_type(self):
        for field in Subclassed._meta.local_fields:
            with self.subTest(field=field.name):
                self.assertIsNotNone(field.db_type(connection))
        fk = PointsAtSubclassed._meta.get_field("target")
        self.assertEqual(fk.db_type(connection), models.BigIntegerField().db_type(connection))


class SubclassedRoundTripTests(TestCase):
    def test_values_round_trip(self):
        obj = Subclassed.objects.create(
            name="ada",
            count=3,
            price=decimal.Decimal("9.50"),
            flag=True,
            payload={"k": [1]},
            label="plain",
        )
        self.assertIsInstance(obj.created, datetime.datetime)
        fetched = Subclassed.objects.get(pk=obj.pk)
        self.assertEqual(fetched.name, "ADA")
        self.assertEqual(fetched.created, obj.created)
        self.assertEqual(fetched.count, 3)
        self.assertEqual(fetched.price, decimal.Decimal("9.50"))
        self.assertIs(fetched.flag, True)
        self.assertEqual(fetched.payload, {"k": [1]})
        self.assertEqual(fetched.label, "plain")
        self.assertIsInstance(fetched.pk, int)

    def test_lookups_and_relations(self):
        obj = Subclassed.objects.create(name="b", payload={"k": 2})
        PointsAtSubclassed.objects.create(target=obj)
        self.assertEqual(Subclassed.objects.filter(created__lte=obj.created).count(), 1)
        self.assertEqual(Subclassed.objects.filter(payload__k=2).count(), 1)
        self.assertEqual(PointsAtSubclassed.objects.filter(target__name="B").count(), 1)
        self.assertEqual(list(Subclassed.objects.values_list("flag", flat=True)), [False])
