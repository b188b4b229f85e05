"""`flag=True` / `flag=False` on a boolean expression: the bare condition (`NOT` it) where the
backend takes one, as Django writes it; compared with TRUE on MySQL/MariaDB (so its indexes
are used) except for EXISTS. Same rows either way, NULLs included."""

from tether.db import connection
from tether.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from tether.test import TestCase

from .models import Everything


class BooleanConditionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.on = Everything.objects.create(char="on", flag=True)
        cls.off = Everything.objects.create(char="off", flag=False)

    def chars(self, queryset):
        return sorted(queryset.values_list("char", flat=True))

    def test_rows(self):
        self.assertEqual(self.chars(Everything.objects.filter(flag=True)), ["on"])
        self.assertEqual(self.chars(Everything.objects.filter(flag=False)), ["off"])
        self.assertEqual(self.chars(Everything.objects.exclude(flag=True)), ["off"])
        wrapped = ExpressionWrapper(Q(char="on"), output_field=BooleanField())
        annotated = Everything.objects.annotate(w=wrapped)
        self.assertEqual(self.chars(annotated.filter(w=True)), ["on"])
        self.assertEqual(self.chars(annotated.filter(w=False)), ["off"])

    def test_sql(self):
        sql = str(Everything.objects.filter(flag=True).query)
        qn = connection.ops.quote_name
        column = f"{qn('model_fields_everything')}.{qn('flag')}"
        if connection.vendor == "mysql":
            self.assertIn(f"{column} = True", sql)
        else:
            self.assertTrue(sql.endswith(f"WHERE {column}"), sql)
        same = Everything.objects.filter(char="on", pk=OuterRef("pk"))
        exists = Everything.objects.annotate(e=Exists(same)).filter(e=True)
        self.assertNotIn("= True", str(exists.query))
        self.assertEqual(self.chars(exists), ["on"])
