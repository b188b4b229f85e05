"""Meta.db_table and db_column names reach SQL only quoted: CREATE TABLE, INSERT, SELECT,
UPDATE, DELETE and DROP TABLE run with a hostile table and column name on every backend.

A name written already quoted (`'"schema"."table"'`) is passed as written, as in Django (that
is how a PostgreSQL schema is named); every other name has its quote character doubled. The
names here avoid what the servers refuse in any identifier (NUL, trailing spaces on MariaDB,
characters beyond the BMP on MariaDB).
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tether import models
from tether.db import connection
from tether.test import TransactionTestCase
from tether.test.utils import isolate_apps

from .oracle import MARK, captured, without_identifiers

NAME_CHARS = st.characters(min_codepoint=0x20, max_codepoint=0xFFFF, blacklist_categories=("Cs",))
NAMES = st.text(NAME_CHARS, max_size=12).map(lambda text: MARK + text + MARK)


class HostileIdentifierTests(TransactionTestCase):
    def roundtrip(self, table: str, column: str) -> None:
        with isolate_apps("security_dynamic"):

            class Hostile(models.Model):
                value = models.CharField(max_length=20, db_column=column)

                class Meta:
                    app_label = "security_dynamic"
                    db_table = table

            with captured() as ctx:
                with connection.schema_editor() as editor:
                    editor.create_model(Hostile)
                try:
                    obj = Hostile.objects.create(value="v")
                    self.assertEqual(Hostile.objects.get(value="v").pk, obj.pk)
                    self.assertEqual(
                        list(Hostile.objects.filter(pk=obj.pk).values_list("value", flat=True)),
                        ["v"],
                    )
                    Hostile.objects.filter(pk=obj.pk).update(value="w")
                    self.assertEqual(Hostile.objects.order_by("value").first().value, "w")
                    Hostile.objects.all().delete()
                    self.assertEqual(Hostile.objects.count(), 0)
                finally:
                    with connection.schema_editor() as editor:
                        editor.delete_model(Hostile)
            for sql, _ in ctx.sent:
                self.assertNotIn(MARK, without_identifiers(sql), sql)

    def test_sampled_names(self):
        for name in (
            'x"; DROP TABLE y; --',
            "x`; DROP TABLE y; #",
            "x' OR '1'='1",
            "x%s%%",
            "x.y",
            "x]y[",
            "x/*y*/",
            "x\\y",
        ):
            with self.subTest(name=name):
                self.roundtrip(MARK + name + MARK, MARK + name[::-1] + MARK)

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
    @given(NAMES, NAMES)
    @example(MARK + '" ' + MARK, MARK + "`" + MARK)
    def test_any_names(self, table: str, column: str) -> None:
        self.roundtrip(table, column)  # at most 18 characters: under every server's limit
