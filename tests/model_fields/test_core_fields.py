"""Core fields round-trip their Python types; field options behave as in Django."""

import datetime
import decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tether.db import IntegrityError, connection, transaction
from tether.db.core.plans import fetch_all
from tether.db.core.run import run_plan
from tether.test import TestCase

from .models import BigKey, Everything, NaturalKey, Options

UTC = datetime.UTC


def indexed_columns(table):
    """The column tuples of every index on `table` (unique ones included), per backend."""
    vendor = connection.vendor
    if vendor == "sqlite":
        names = [row[1] for row in _rows(f"PRAGMA index_list('{table}')")]
        return {tuple(r[2] for r in _rows(f"PRAGMA index_info('{name}')")) for name in names}
    if vendor == "postgresql":
        sql = (
            "SELECT i.relname, a.attname FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_attribute a ON a.attrelid = t.oid "
            "AND a.attnum = ANY(x.indkey) WHERE t.relname = %s"
        )
        params = [table]
    else:
        sql = (
            "SELECT index_name, column_name FROM information_schema.statistics "
            "WHERE table_schema = DATABASE() AND table_name = %s ORDER BY seq_in_index"
        )
        params = [table]
    grouped = {}
    for name, column in _rows(sql, params):
        grouped.setdefault(name, []).append(column)
    return {tuple(columns) for columns in grouped.values()}


def _rows(sql, params=()):
    return run_plan(fetch_all(connection.ops.to_driver_sql(sql), params), connection)


class RoundTripTests(TestCase):
    def roundtrip(self, **values):
        obj = Everything.objects.create(**values)
        return Everything.objects.get(pk=obj.pk)

    def test_all_types(self):
        moment = datetime.datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=UTC)
        got = self.roundtrip(
            char="chars",
            text="long " * 100,
            integer=-42,
            big=2**62,
            flag=True,
            ratio=0.25,
            amount=decimal.Decimal("123.45"),
            day=datetime.date(2024, 2, 29),
            moment=moment,
        )
        self.assertEqual(got.char, "chars")
        self.assertEqual(got.text, "long " * 100)
        self.assertEqual(got.integer, -42)
        self.assertEqual(got.big, 2**62)
        self.assertIs(got.flag, True)
        self.assertEqual(got.ratio, 0.25)
        self.assertIsInstance(got.ratio, float)
        self.assertEqual(got.amount, decimal.Decimal("123.45"))
        self.assertIsInstance(got.amount, decimal.Decimal)
        self.assertEqual(got.day, datetime.date(2024, 2, 29))
        self.assertIs(type(got.day), datetime.date)
        self.assertEqual(got.moment, moment)
        self.assertIsNotNone(got.moment.tzinfo)
        self.assertEqual(got.moment.utcoffset(), datetime.timedelta(0))

    def test_nulls(self):
        got = self.roundtrip()
        for name in ("integer", "big", "ratio", "amount", "day", "moment"):
            self.assertIsNone(getattr(got, name), name)
        self.assertIs(got.flag, False)
        self.assertEqual(got.char, "")

    def test_boolean_false(self):
        self.assertIs(self.roundtrip(flag=False).flag, False)
        self.assertEqual(Everything.objects.filter(flag=False).count(), 1)

    def test_decimal_is_quantized_to_decimal_places(self):
        self.assertEqual(
            self.roundtrip(amount=decimal.Decimal("1.5")).amount, decimal.Decimal("1.50")
        )
        self.assertEqual(str(self.roundtrip(amount=decimal.Decimal("7")).amount), "7.00")
        self.assertEqual(
            self.roundtrip(amount=decimal.Decimal("2.346")).amount, decimal.Decimal("2.35")
        )

    def test_datetime_in_other_zone_is_same_instant(self):
        zone = datetime.timezone(datetime.timedelta(hours=5))
        local = datetime.datetime(2024, 1, 1, 12, 0, tzinfo=zone)
        got = self.roundtrip(moment=local)
        self.assertEqual(got.moment, local)
        self.assertEqual(got.moment.utcoffset(), datetime.timedelta(0))
        self.assertEqual(got.moment.hour, 7)

    def test_values_convert_too(self):
        Everything.objects.create(
            flag=True, amount=decimal.Decimal("3.1"), day=datetime.date(2020, 1, 2)
        )
        row = Everything.objects.values("flag", "amount", "day").get()
        self.assertEqual(
            row, {"flag": True, "amount": decimal.Decimal("3.10"), "day": datetime.date(2020, 1, 2)}
        )
        self.assertIs(row["flag"], True)

    def test_filters_on_converted_types(self):
        moment = datetime.datetime(2024, 1, 1, 10, tzinfo=UTC)
        Everything.objects.create(moment=moment, amount=decimal.Decimal("9.99"))
        self.assertEqual(Everything.objects.filter(moment=moment).count(), 1)
        self.assertEqual(
            Everything.objects.filter(moment__gt=moment - datetime.timedelta(seconds=1)).count(), 1
        )
        self.assertEqual(Everything.objects.filter(amount=decimal.Decimal("9.99")).count(), 1)
        self.assertEqual(Everything.objects.filter(amount__gt=decimal.Decimal("9.98")).count(), 1)

    @settings(max_examples=40, deadline=None)
    @given(
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=200,
        )
    )
    def test_text_round_trip(self, value):
        obj = Everything.objects.create(char=value[:200], text=value)
        got = Everything.objects.get(pk=obj.pk)
        self.assertEqual(got.text, value)
        self.assertEqual(got.char, value[:200])
        self.assertEqual(Everything.objects.filter(text=value, pk=obj.pk).count(), 1)

    def test_quotes_and_emoji(self):
        for value in ["it's", 'say "hi"', "'; DROP TABLE x; --", "🎉 party 🐍", "%_\\"]:
            got = self.roundtrip(char=value, text=value)
            self.assertEqual((got.char, got.text), (value, value))

    @settings(max_examples=40, deadline=None)
    @given(
        st.integers(min_value=-(2**31), max_value=2**31 - 1),
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
    )
    def test_integer_round_trip(self, small, big):
        obj = Everything.objects.create(integer=small, big=big)
        got = Everything.objects.get(pk=obj.pk)
        self.assertEqual((got.integer, got.big), (small, big))


class OptionTests(TestCase):
    def test_default_value_and_callable(self):
        a, b = Options(), Options()
        self.assertEqual(a.label, "unnamed")
        self.assertEqual(b.number, a.number + 1)
        self.assertEqual(a.created, datetime.date.today())
        self.assertEqual(a.price, decimal.Decimal("1.5"))
        a.save()
        self.assertEqual(Options.objects.get(pk=a.pk).number, a.number)

    def test_null_and_blank(self):
        obj = Options.objects.create()
        self.assertIsNone(Options.objects.get(pk=obj.pk).optional)
        field = Options._meta.get_field("optional")
        self.assertTrue(field.null)
        self.assertTrue(field.blank)
        self.assertFalse(Options._meta.get_field("label").null)

    def test_unique(self):
        Options.objects.create(code="A")
        Options.objects.create(code=None)
        Options.objects.create(code=None)  # several NULLs do not clash
        with self.assertRaises(IntegrityError):
            with transaction.atomic():
                Options.objects.create(code="A")
        self.assertEqual(Options.objects.filter(code="A").count(), 1)

    def test_db_index_and_unique_create_indexes(self):
        indexes = indexed_columns(Options._meta.db_table)
        self.assertIn(("indexed",), indexes)
        self.assertIn(("code",), indexes)
        self.assertNotIn(("label",), indexes)

    def test_db_column(self):
        field = Options._meta.get_field("renamed")
        self.assertEqual(field.column, "other_name")
        obj = Options.objects.create(renamed=5)
        self.assertEqual(Options.objects.get(renamed=5), obj)
        self.assertEqual(
            Options.objects.filter(renamed__gt=4).values_list("renamed", flat=True)[0], 5
        )
        self.assertIn("other_name", str(Options.objects.filter(renamed=5).query))

    def test_choices_display(self):
        obj = Options(size="L")
        self.assertEqual(obj.get_size_display(), "Large")
        obj.size = "X"
        self.assertEqual(obj.get_size_display(), "X")
        self.assertEqual(Options._meta.get_field("size").choices, Options.SIZES)

    def test_editable(self):
        self.assertFalse(Options._meta.get_field("hidden").editable)
        self.assertTrue(Options._meta.get_field("label").editable)
        obj = Options.objects.create(hidden=3)
        self.assertEqual(Options.objects.get(pk=obj.pk).hidden, 3)

    def test_big_auto_field(self):
        obj = BigKey.objects.create(name="b")
        self.assertIsInstance(obj.pk, int)
        self.assertEqual(BigKey._meta.pk.get_internal_type(), "BigAutoField")
        BigKey.objects.create(id=2**40, name="huge")
        self.assertEqual(BigKey.objects.get(pk=2**40).name, "huge")

    def test_custom_primary_key(self):
        obj = NaturalKey.objects.create(number=10, name="ten")
        self.assertEqual(obj.pk, 10)
        self.assertEqual(NaturalKey._meta.pk.name, "number")
        self.assertFalse(any(f.name == "id" for f in NaturalKey._meta.fields))
        with self.assertRaises(IntegrityError):
            with transaction.atomic():
                NaturalKey.objects.create(number=10, name="again")

    def test_default_auto_field(self):
        pk = Everything._meta.pk
        self.assertEqual((pk.name, pk.get_internal_type()), ("id", "AutoField"))
        self.assertTrue(pk.auto_created)


class CoercionTests(TestCase):
    """Values of other types are converted the way Django's to_python/get_prep_value do."""

    def roundtrip(self, **values):
        obj = Everything.objects.create(**values)
        return Everything.objects.get(pk=obj.pk)

    def test_naive_datetime_warns_and_is_read_as_utc(self):
        with self.assertWarnsMessage(
            RuntimeWarning,
            "DateTimeField Everything.moment received a naive datetime (2024-01-01 12:00:00) "
            "while time zone support is active.",
        ):
            got = self.roundtrip(moment=datetime.datetime(2024, 1, 1, 12))
        self.assertEqual(got.moment, datetime.datetime(2024, 1, 1, 12, tzinfo=UTC))

    def test_strings_and_numbers(self):
        self.assertEqual(self.roundtrip(char=5).char, "5")
        got = self.roundtrip(ratio=3)
        self.assertEqual(got.ratio, 3.0)
        self.assertIsInstance(got.ratio, float)
        self.assertEqual(self.roundtrip(amount=1.1).amount, decimal.Decimal("1.10"))
        self.assertEqual(self.roundtrip(amount="2.5").amount, decimal.Decimal("2.50"))
        self.assertEqual(self.roundtrip(day="2024-02-03").day, datetime.date(2024, 2, 3))
        # Django's parse_date also takes one-digit months and days (fixtures have them).
        self.assertEqual(self.roundtrip(day="2009-7-8").day, datetime.date(2009, 7, 8))
        self.assertEqual(
            self.roundtrip(day=datetime.datetime(2024, 2, 3, 4, 5)).day, datetime.date(2024, 2, 3)
        )
        self.assertIs(self.roundtrip(flag=1).flag, True)

    def test_lookup_values_are_prepared(self):
        Everything.objects.create(integer=5)
        self.assertEqual(Everything.objects.filter(integer="5").count(), 1)
        with self.assertRaisesMessage(
            ValueError, "Field 'integer' expected a number but got 'abc'."
        ):
            Everything.objects.filter(integer="abc")
        with self.assertRaisesMessage(ValueError, "Cannot use None as a query value"):
            Everything.objects.filter(integer__gt=None)
