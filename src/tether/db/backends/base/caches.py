"""The caches one connection keeps, each named for what it holds.

Everything here is derived from fixed things (model classes, fields, backend features, the
connection's dialect) and never from parameter values, so any of it may be dropped at any time:
`clear()` drops all of it when settings that shape SQL or conversions change (use_tz, time_zone,
default_auto_field). Keys are tuples beginning with the classes or fields they describe.
"""

from __future__ import annotations

from typing import Any

# The statements cache is bounded: a program that builds unbounded query shapes (IN lists of
# every length) must not grow it for ever. The others are bounded by the models and fields.
STATEMENTS_LIMIT = 2048


class ConnectionCaches:
    __slots__ = (
        "statements",
        "insert_sql",
        "insert_returning",
        "update_row_sql",
        "unnest_types",
        "preparers",
        "m2m_delete_sql",
        "m2m_facts",
    )

    def __init__(self) -> None:
        #: SQLCompiler: Compiled statements by (Query.shape_key(kind), use_tz).
        self.statements: dict[Any, Any] = {}
        #: sql/dml.py: INSERT driver SQL by (model, fields, rows, returning, conflict options).
        self.insert_sql: dict[Any, str] = {}
        #: persistence.py: the columns save()'s INSERT reads back, by (model, key unknown).
        self.insert_returning: dict[Any, list[Any]] = {}
        #: persistence.py: save()'s UPDATE ... WHERE pk by (model, fields).
        self.update_row_sql: dict[Any, str] = {}
        #: sql/dml.py: array element types of a columnar (UNNEST) INSERT by its fields.
        self.unnest_types: dict[Any, Any] = {}
        #: fields/prepare.py: functions turning instances or values into driver parameters.
        self.preparers: dict[Any, Any] = {}
        #: m2m_writes.py: DELETE SQL of remove()/clear()/set() and which leaves fill it.
        self.m2m_delete_sql: dict[Any, Any] = {}
        #: m2m_writes.py: facts about through models (unique pairs, fast delete, key binding).
        self.m2m_facts: dict[Any, Any] = {}

    def clear(self) -> None:
        for name in self.__slots__:
            getattr(self, name).clear()

    def __len__(self) -> int:
        return sum(len(getattr(self, name)) for name in self.__slots__)
