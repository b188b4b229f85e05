"""Every entry of the injection registry, driven by hypothesis with hostile names and values.

One test per entry (so a failure names the entry point); each example runs in a savepoint that
is rolled back. Entries whose feature tether does not have yet are skipped with the reason.
"""

from __future__ import annotations

import unittest

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tether.db import connection, transaction
from tether.test import TestCase

from .oracle import MARK, check_outcome
from .registry import ENTRIES, NAME, Entry

# Fragments that have broken ORMs before: quotes of every dialect, comment openers, statement
# ends, placeholders of every paramstyle, SQL keywords, path separators, control characters.
FRAGMENTS = [
    "'",
    '"',
    "`",
    "[",
    "]",
    ";",
    "--",
    "/*",
    "*/",
    "#",
    "%",
    "%s",
    "%(x)s",
    "?",
    "$1",
    ":x",
    "\\",
    ".",
    "__",
    " OR 1=1",
    "'); DROP TABLE security_tag; --",
    "\t",
    "\n",
    "\r",
    "\x1f",
    "\x7f",
    "\x9f",
    "é",
    "名",
    "😀",
    " ",
]

HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6
        ),
    ),
    max_size=5,
).map(lambda parts: MARK + "".join(parts) + MARK)


def _make_test(entry: Entry):
    @settings(max_examples=entry.examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(HOSTILE)
    @example(MARK + '" OR 1=1 --' + MARK)
    @example(MARK + "` OR 1=1 #" + MARK)
    @example(MARK + "') OR ('1'='1" + MARK)
    @example(MARK + "%s%%s" + MARK)
    def test(self, hostile: str) -> None:
        if not entry.requires():
            raise unittest.SkipTest(f"{entry.slug}: not in tether yet")
        if entry.kind == NAME and connection.vendor == "mysql":
            # MariaDB refuses characters beyond the BMP in any identifier, quoted or not
            # (error 1300), as it does under Django: not a quoting question.
            hostile = "".join(c if ord(c) <= 0xFFFF else "?" for c in hostile)
        with transaction.atomic():
            check_outcome(self, lambda: entry.run(hostile), entry.sql_before_error)
            transaction.set_rollback(True)

    test.__name__ = f"test_{entry.slug}"
    test.__doc__ = f"{entry.slug} ({', '.join(entry.advisories) or 'no advisory'})"
    return test


class InjectionRegistryTests(TestCase):
    def test_registry_slugs_are_unique(self):
        slugs = [entry.slug for entry in ENTRIES]
        self.assertEqual(len(slugs), len(set(slugs)))


for _entry in ENTRIES:
    setattr(InjectionRegistryTests, f"test_{_entry.slug}", _make_test(_entry))
