"""PostgreSQL's SQL snippets and value conversions.

psycopg returns datetimes (aware, in the session time zone that the driver sets to UTC when
use_tz), dates, times, Decimals, booleans, UUIDs and timedeltas natively, so few converters are
needed. Knows nothing about connections; see driver.py for the session setup.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from psycopg.types.json import Jsonb

from tether.conf import settings
from tether.db.backends.base.operations import BaseDatabaseOperations, Converter

# Lookups whose column is compared as text: filter(number__contains=4) works as on Django.
_TEXT_LOOKUPS = frozenset(
    (
        "iexact",
        "contains",
        "icontains",
        "startswith",
        "istartswith",
        "endswith",
        "iendswith",
        "regex",
        "iregex",
    )
)
_CASE_INSENSITIVE = frozenset(("iexact", "icontains", "istartswith", "iendswith"))
_TEXT_TYPES = frozenset(
    (
        "CharField",
        "TextField",
        "SlugField",
        "EmailField",
        "URLField",
        "FilePathField",
        "FileField",
        "ImageField",
    )
)


def _naive(value: Any) -> Any:
    """use_tz=False: the session runs in settings.time_zone; drop the tzinfo psycopg adds."""
    return value.replace(tzinfo=None) if getattr(value, "tzinfo", None) is not None else value


class DatabaseOperations(BaseDatabaseOperations):
    max_identifier_length = 63
    cast_char_field_without_max_length = "varchar"
    random_function_sql = "RANDOM()"
    explain_prefix = "EXPLAIN"
    # The EXPLAIN options PostgreSQL knows (its version decides which it accepts).
    explain_options = frozenset(
        (
            "ANALYZE BUFFERS COSTS GENERIC_PLAN MEMORY SETTINGS SERIALIZE SUMMARY TIMING "
            "VERBOSE WAL"
        ).split()
    )

    def explain_query_prefix(self, format: str | None = None, **options: Any) -> str:
        """EXPLAIN (OPTION true|false, ..., FORMAT f): only names from explain_options and
        the words true/false reach the SQL; an unknown name raises ValueError."""
        chosen: dict[str, str] = {}
        serialize = options.pop("serialize", None)
        if serialize and str(serialize).upper() in ("TEXT", "BINARY"):
            chosen["SERIALIZE"] = str(serialize).upper()
        normalized = {name.upper(): "true" if value else "false" for name, value in options.items()}
        for name in self.explain_options:
            value = normalized.pop(name, None)
            if value is not None:
                chosen[name] = value
        prefix = super().explain_query_prefix(format, **normalized)
        if format:
            chosen["FORMAT"] = format.upper()
        if chosen:
            prefix += " (" + ", ".join(f"{name} {value}" for name, value in chosen.items()) + ")"
        return prefix

    def distinct_sql(self, columns: Sequence[str]) -> str:
        return f"DISTINCT ON ({', '.join(columns)}) " if columns else "DISTINCT "

    def unification_cast_sql(self, output_field: Any) -> str:
        # Parameters of these types arrive as text: the CASE needs their type spelt out.
        internal_type = output_field.get_internal_type()
        if internal_type in ("GenericIPAddressField", "IPAddressField", "TimeField", "UUIDField"):
            return f"CAST(%s AS {output_field.db_type(self.connection).split('(')[0]})"
        return "%s"

    operators = {
        **BaseDatabaseOperations.operators,
        "regex": "~ %s",
        "iregex": "~* %s",
    }
    case_insensitive_lhs = "UPPER(%s)"

    def lookup_cast(self, lookup_name: str, internal_type: str | None = None) -> str:
        """Text lookups compare the column as text (HOST() for inet), UPPER() for i-lookups."""
        lhs = "%s"
        if lookup_name in _TEXT_LOOKUPS:
            if internal_type in ("GenericIPAddressField", "IPAddressField"):
                lhs = "HOST(%s)"
            elif internal_type is not None and internal_type not in _TEXT_TYPES:
                lhs = "%s::text"
        if lookup_name in _CASE_INSENSITIVE:
            lhs = self.case_insensitive_lhs % lhs
        return lhs

    def is_transient_error(self, error: Exception) -> bool:
        """A deadlock victim (SQLSTATE 40P01) or a serialization failure (40001)."""
        return getattr(error.__cause__, "sqlstate", None) in ("40P01", "40001")

    def quote_literal(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, bytes):
            return "'\\x" + value.hex() + "'::bytea"
        return super().quote_literal(value)

    # ---- values --------------------------------------------------------------------------

    # jsonb values compare with jsonb keys as they are.
    json_value_placeholder = "%s"

    def adapt_native_uuid_value(self, value: Any) -> Any:
        return value  # psycopg adapts uuid.UUID

    def adapt_json_value(self, value: Any, encoder: Any = None) -> Any:
        """A JSONField value as jsonb, encoded with `encoder` (a json.JSONEncoder class)."""
        return Jsonb(value, dumps=lambda obj: json.dumps(obj, cls=encoder))

    def get_db_converters(self, internal_type: str, field: Any) -> list[Converter]:
        if internal_type == "DateTimeField" and not settings.use_tz:
            return [_naive]
        return []

    # ---- inserts -------------------------------------------------------------------------

    def empty_insert_sql(self, model: Any, num_rows: int) -> str:
        """Rows of defaults only: DEFAULT VALUES, or DEFAULT for the key of every row (an
        identity column refuses NULL)."""
        if num_rows == 1:
            return "DEFAULT VALUES"
        pk = self.quote_name(model._meta.pk.column)
        return f"({pk}) VALUES " + ", ".join(["(DEFAULT)"] * num_rows)

    def join_column_sql(self, rhs_sql: str, lhs_field: Any, rhs_field: Any) -> str:
        db_type = lhs_field.cast_db_type(self.connection)
        if db_type and db_type != rhs_field.cast_db_type(self.connection):
            return f"({rhs_sql})::{db_type}"
        return rhs_sql

    def bulk_insert_unnest_types(self, fields: Sequence[Any]) -> list[str] | None:
        """Each field's column type, as the element type of the array its values are sent in.

        None (VALUES rows instead) when a field has no plain column type (array columns
        included: UNNEST would flatten them).
        """
        types = []
        for field in fields:
            db_type = field.cast_db_type(self.connection)
            if not db_type or db_type.endswith("]"):
                return None
            types.append(db_type)
        return types

    # ---- schema --------------------------------------------------------------------------

    def sql_flush(
        self, tables: Sequence[str], reset_sequences: bool = False, allow_cascade: bool = True
    ) -> list[str]:
        """One TRUNCATE of every table; RESTART IDENTITY resets their identity columns."""
        if not tables:
            return []
        names = ", ".join(self.quote_name(t) for t in tables)
        restart = " RESTART IDENTITY" if reset_sequences else ""
        cascade = " CASCADE" if allow_cascade else ""
        return [f"TRUNCATE {names}{restart}{cascade}"]

    def sequence_reset_sql(self, tables: Sequence[tuple[str, str]]) -> list[str]:
        """Move each (table, column) identity sequence past the largest value in use (the
        text of Django's sqlsequencereset)."""
        statements = []
        for table, column in tables:
            qtable, qcolumn = self.quote_name(table), self.quote_name(column)
            statements.append(
                f"SELECT setval(pg_get_serial_sequence({self.quote_literal(qtable)},"
                f"{self.quote_literal(column)}), coalesce(max({qcolumn}), 1), "
                f"max({qcolumn}) IS NOT null) FROM {qtable}"
            )
        return statements
