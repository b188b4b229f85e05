"""GeneratedField (issue 12, item 5): a column the database computes, on every backend."""

from __future__ import annotations

import unittest
from decimal import Decimal

from tether import models
from tether.db import connection
from tether.models import F
from tether.test import SimpleTestCase, TestCase
from tether.test.utils import isolate_apps

from .models import Line, Virtual


class GeneratedFieldTests(TestCase):
    def test_computed_on_insert_and_read_back(self):
        line = Line.objects.create(name="Bolt", quantity=3, price=Decimal("1.50"))
        self.assertEqual(line.total, Decimal("4.50"))
        self.assertEqual(line.lower_name, "bolt")
        self.assertIs(line.big, False)
        fresh = Line.objects.get(pk=line.pk)
        self.assertEqual(
            (fresh.total, fresh.lower_name, fresh.big), (Decimal("4.50"), "bolt", False)
        )

    def test_update_leaves_the_old_value_until_refresh(self):
        # As Django: the database recomputes the column, the instance needs refresh_from_db().
        line = Line.objects.create(name="Nut", quantity=2, price=Decimal("1.00"))
        line.quantity = 20
        line.save()
        self.assertEqual(line.total, Decimal("2.00"))
        line.refresh_from_db()
        self.assertEqual(line.total, Decimal("20.00"))
        self.assertIs(line.big, True)

    def test_filter_order_and_aggregate(self):
        Line.objects.create(name="A", quantity=1, price=Decimal("5.00"))
        Line.objects.create(name="B", quantity=12, price=Decimal("1.00"))
        self.assertEqual(
            list(
                Line.objects.filter(total__gte=5).order_by("-total").values_list("name", flat=True)
            ),
            ["B", "A"],
        )
        self.assertEqual(Line.objects.filter(big=True).get().name, "B")
        self.assertEqual(Line.objects.filter(lower_name__startswith="b").count(), 1)
        self.assertEqual(
            Line.objects.aggregate(models.Sum("total"))["total__sum"], Decimal("17.00")
        )
        self.assertEqual(
            Line.objects.annotate(twice=F("total") * 2).get(name="A").twice, Decimal("10.00")
        )

    def test_writes_leave_it_to_the_database(self):
        Line.objects.bulk_create(
            [Line(name="X", quantity=2, price=Decimal("2.00"), total=Decimal("99"))]
        )
        self.assertEqual(Line.objects.get(name="X").total, Decimal("4.00"))
        self.assertEqual(Line.objects.update(total=Decimal("1")), 0)  # left out, as Django
        Line.objects.update(quantity=3)
        self.assertEqual(Line.objects.get(name="X").total, Decimal("6.00"))

    def test_unsaved_instance(self):
        with self.assertRaisesMessage(
            AttributeError, "Cannot read a generated field from an unsaved model."
        ):
            Line(name="Y", quantity=1, price=Decimal("1")).total  # noqa: B018

    @unittest.skipUnless(
        connection.features.supports_virtual_generated_columns, "no virtual generated columns"
    )
    def test_virtual_column(self):
        virtual = Virtual.objects.create(a=21)
        self.assertEqual(virtual.doubled, 42)
        self.assertEqual(Virtual.objects.filter(doubled=42).count(), 1)


class DatabaseCheckTests(SimpleTestCase):
    databases = {"default"}

    @isolate_apps("generated_fields")
    def test_a_virtual_column_where_only_stored_ones_exist(self):
        from tether.checks.model_checks import check_model

        class Doubling(models.Model):
            a = models.IntegerField()
            doubled = models.GeneratedField(
                expression=F("a") * 2, output_field=models.IntegerField(), db_persist=False
            )

            class Meta:
                app_label = "generated_fields"

        found = [m for m in check_model(Doubling, ["default"]) if m.id.startswith("fields.E22")]
        if connection.features.supports_virtual_generated_columns:
            self.assertEqual(found, [])
        else:
            self.assertEqual(
                [(m.id, m.msg, m.hint) for m in found],
                [
                    (
                        "fields.E221",
                        f"{connection.display_name} does not support non-persisted "
                        "GeneratedFields.",
                        "Set db_persist=True on the field.",
                    )
                ],
            )
        # Declaring the feature the model needs counts as support (Virtual, in models.py).
        self.assertEqual(
            [m for m in check_model(Virtual, ["default"]) if m.id.startswith("fields.E22")], []
        )
        self.assertEqual(check_model(Doubling, None), check_model(Doubling, []))


class DefinitionTests(SimpleTestCase):
    def test_django_s_argument_errors(self):
        expression, output = F("a"), models.IntegerField()
        for kwargs, message in (
            ({"editable": True}, "GeneratedField cannot be editable."),
            ({"blank": False}, "GeneratedField must be blank."),
            ({"default": 1}, "GeneratedField cannot have a default."),
            ({"db_default": 1}, "GeneratedField cannot have a database default."),
            ({}, "GeneratedField.db_persist must be True or False."),
        ):
            with self.subTest(message), self.assertRaisesMessage(ValueError, message):
                models.GeneratedField(expression=expression, output_field=output, **kwargs)

    def test_deconstruct(self):
        name, path, args, kwargs = Line._meta.get_field("total").deconstruct()
        self.assertEqual((name, path, args), ("total", "tether.models.GeneratedField", []))
        self.assertEqual(kwargs["db_persist"], True)
        self.assertEqual(kwargs["expression"], F("quantity") * F("price"))
        self.assertEqual(kwargs["output_field"].deconstruct()[1], "tether.models.DecimalField")
        self.assertNotIn("editable", kwargs)
        self.assertNotIn("blank", kwargs)
