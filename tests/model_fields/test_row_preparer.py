"""row_preparer gives exactly the parameters of get_db_prep_save(pre_save(obj, add)) per field."""

import datetime
import decimal
import warnings

from tether.db import connection
from tether.models.fields.prepare import row_preparer
from tether.test import SimpleTestCase

from .models import BigKey, Everything, Options

UTC = datetime.UTC


class MyStr(str):
    pass


def generic(fields, obj, add):
    return [f.get_db_prep_save(f.pre_save(obj, add), connection) for f in fields]


class RowPreparerTests(SimpleTestCase):
    def assert_same(self, model, values, add=True):
        fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
        obj = model(**values)
        with warnings.catch_warnings(record=True) as fast_warnings:
            warnings.simplefilter("always")
            fast = row_preparer(fields, connection, add)(obj)
        with warnings.catch_warnings(record=True) as slow_warnings:
            warnings.simplefilter("always")
            slow = generic(fields, obj, add)
        self.assertEqual(fast, slow)
        self.assertEqual([type(v) for v in fast], [type(v) for v in slow])
        self.assertEqual(len(fast_warnings), len(slow_warnings))

    def test_plain_values(self):
        self.assert_same(
            Everything,
            dict(
                char="a",
                text="b",
                integer=3,
                big=2**40,
                flag=True,
                ratio=1.5,
                amount=decimal.Decimal("1.25"),
                day=datetime.date(2024, 1, 2),
                moment=datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
            ),
        )

    def test_values_that_need_converting(self):
        self.assert_same(
            Everything,
            dict(
                char=MyStr("s"),
                text=7,
                integer="12",
                big=True,
                flag=1,
                ratio=2,
                amount="3.5",
                day="2024-01-02",
                moment="2024-01-02 03:04:05",
            ),
        )

    def test_nulls_and_other_zones(self):
        self.assert_same(Everything, dict(char="", integer=None, moment=None))
        zone = datetime.timezone(datetime.timedelta(hours=5))
        self.assert_same(Everything, dict(moment=datetime.datetime(2024, 1, 2, 3, tzinfo=zone)))

    def test_naive_datetime_warns_as_the_fields_do(self):
        self.assert_same(Everything, dict(moment=datetime.datetime(2024, 1, 2, 3)))

    def test_defaults_keys_and_update(self):
        self.assert_same(Options, {}, add=True)
        self.assert_same(Options, {"renamed": 5}, add=False)
        self.assert_same(BigKey, {"name": "x"})
        fields = BigKey._meta.local_concrete_fields
        obj = BigKey(id=5, name="y")
        self.assertEqual(row_preparer(fields, connection, True)(obj), generic(fields, obj, True))
