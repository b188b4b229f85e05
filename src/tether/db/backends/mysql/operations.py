"""MariaDB/MySQL SQL snippets and value conversions.

Backtick quoting; LIKE BINARY for the case-sensitive lookups; aware datetimes stored as naive UTC
and made aware again on the way back (settings.use_tz); 0/1 booleans, char(32) UUIDs and bigint
durations converted back. Duplicates are skipped with ON DUPLICATE KEY UPDATE, never with
INSERT IGNORE, which would also swallow NOT NULL, truncation and foreign-key errors.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Sequence
from typing import Any

from tether.conf import settings
from tether.db.backends.base.operations import BaseDatabaseOperations, Converter
from tether.db.errors import Error, IntegrityError

# Server error codes that mean a constraint was violated although PyMySQL may not file them
# under IntegrityError: 1048 (NULL in a NOT NULL column), 1690 (out of range for an UNSIGNED
# column), 3819 (MySQL CHECK) and 4025 (MariaDB CONSTRAINT_FAILED), as Django maps them.
_INTEGRITY_CODES = frozenset((1048, 1690, 3819, 4025))


def _to_bool(value: Any) -> Any:
    return bool(value) if isinstance(value, int) else value


def _to_uuid(value: Any) -> Any:
    return uuid.UUID(value) if isinstance(value, str) else value


def _to_duration(value: Any) -> Any:
    # Microseconds; a Decimal when computed (a duration divided by a number).
    if isinstance(value, int | decimal.Decimal):
        return datetime.timedelta(microseconds=int(value))
    return value


def _to_time(value: Any) -> Any:
    if isinstance(value, datetime.timedelta):  # a TIME read without tether's conversions
        return (datetime.datetime.min + value).time()
    return value


_datetime = datetime.datetime
_combine = datetime.datetime.combine
_UTC = datetime.UTC


def _to_aware(value: Any) -> Any:
    # combine(dt, dt.time(), UTC) costs a tenth of dt.replace(tzinfo=UTC).
    if value.__class__ is _datetime:
        return _combine(value, value.time(), _UTC) if value.tzinfo is None else value
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value


class DatabaseOperations(BaseDatabaseOperations):
    quote_char = "`"
    max_identifier_length = 64
    cast_char_field_without_max_length = "char"
    # CAST accepts only these type names (no varchar, no int, no text).
    cast_data_types = {
        "AutoField": "signed integer",
        "BigAutoField": "signed integer",
        "SmallAutoField": "signed integer",
        "CharField": "char(%(max_length)s)",
        "DecimalField": "decimal(%(max_digits)s, %(decimal_places)s)",
        "TextField": "char",
        "IntegerField": "signed integer",
        "BigIntegerField": "signed integer",
        "SmallIntegerField": "signed integer",
        "PositiveBigIntegerField": "unsigned integer",
        "PositiveIntegerField": "unsigned integer",
        "PositiveSmallIntegerField": "unsigned integer",
        "DurationField": "signed integer",
    }
    # MySQL needs a LIMIT before OFFSET: the largest unsigned bigint means "all".
    no_limit_value = 18446744073709551615
    random_function_sql = "RAND()"
    explain_prefix = "EXPLAIN"
    operators = {
        "exact": "= %s",
        "iexact": "LIKE %s",
        "contains": "LIKE BINARY %s",
        "icontains": "LIKE %s",
        "regex": "REGEXP BINARY %s",
        "iregex": "REGEXP %s",
        "gt": "> %s",
        "gte": ">= %s",
        "lt": "< %s",
        "lte": "<= %s",
        "startswith": "LIKE BINARY %s",
        "endswith": "LIKE BINARY %s",
        "istartswith": "LIKE %s",
        "iendswith": "LIKE %s",
    }
    # The default collations ignore case: i-lookups need no UPPER().
    case_insensitive_lhs = "%s"
    # Backslashes are escapes inside MySQL string literals too: each one is doubled.
    pattern_escape = r"REPLACE(REPLACE(REPLACE({}, '\\', '\\\\'), '%%', '\%%'), '_', '\_')"

    def concat_sql(self, *parts: str) -> str:
        """|| is OR on MySQL: text is joined with CONCAT()."""
        return f"CONCAT({', '.join(parts)})"

    def conditional_expression_supported_in_where_clause(self, expression: Any) -> bool:
        # MySQL uses an index on a boolean expression only when it is compared with TRUE.
        from tether.models.expressions import ExpressionWrapper
        from tether.models.expressions.subqueries import Exists

        if isinstance(expression, Exists):
            return True
        if isinstance(expression, ExpressionWrapper) and expression.conditional:
            return self.conditional_expression_supported_in_where_clause(expression.expression)
        return not getattr(expression, "conditional", False)

    def explain_query_prefix(self, format: str | None = None, **options: Any) -> str:
        """EXPLAIN [FORMAT=...], ANALYZE on MariaDB (EXPLAIN ANALYZE on MySQL); TEXT is
        MySQL's TRADITIONAL, and TREE is the default where the server has it."""
        features = self.connection.features
        if format and format.upper() == "TEXT":
            format = "TRADITIONAL"
        elif not format and "TREE" in features.supported_explain_formats:
            format = "TREE"
        analyze = options.pop("analyze", False)
        prefix = super().explain_query_prefix(format, **options)
        mariadb = self.connection.mysql_is_mariadb
        if analyze and features.supports_explain_analyze:
            prefix = "ANALYZE" if mariadb else f"{prefix} ANALYZE"
        if format and not (analyze and not mariadb):
            # A format with ANALYZE is MariaDB's only; the name is one of the listed formats.
            prefix += f" FORMAT={format.upper()}"
        return prefix

    def in_subquery_sql(self, sql: str, sliced: bool) -> str:
        # LIMIT is refused in an IN subquery, not in a derived table inside it.
        return f"SELECT * FROM ({sql}) subquery" if sliced else sql

    def combine_expression(self, connector: str, sub_expressions: list[str]) -> str:
        # MySQL's bit operators return unsigned 64-bit integers; `^` is its XOR.
        if connector in ("&", "|", "<<", "#"):
            connector = "^" if connector == "#" else connector
            return f"CONVERT({f' {connector} '.join(sub_expressions)}, SIGNED)"
        if connector == ">>":
            lhs, rhs = sub_expressions
            return f"FLOOR({lhs} / POW(2, {rhs}))"
        return super().combine_expression(connector, sub_expressions)

    def combine_duration_sql(self, connector: str, lhs: str, rhs: str, duration_side: str) -> str:
        """Durations are stored as microseconds: added as an INTERVAL of that many."""
        if duration_side == "lhs":
            lhs = f"INTERVAL ({lhs}) MICROSECOND"
        else:
            rhs = f"INTERVAL ({rhs}) MICROSECOND"
        return f"({lhs} {connector} {rhs})"

    def quote_literal(self, value: Any) -> str:
        if isinstance(value, str):
            return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
        return super().quote_literal(value)

    def is_transient_error(self, error: Exception) -> bool:
        """A deadlock victim (ER_LOCK_DEADLOCK, 1213)."""
        cause = error.__cause__
        return bool(cause is not None and cause.args and cause.args[0] == 1213)

    def wrap_error(self, error: Error) -> Error:
        """Constraint violations reported as OperationalError/InternalError -> IntegrityError;
        a deadlock (1213) stays an OperationalError."""
        cause = error.__cause__
        code = cause.args[0] if cause is not None and cause.args else None
        if code in _INTEGRITY_CODES and not isinstance(error, IntegrityError):
            wrapped = IntegrityError(*error.args)
            wrapped.__cause__ = cause
            return wrapped
        return error

    # ---- values to the database ----------------------------------------------------------

    def adapt_datetimefield_value(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        if value.tzinfo is not None:
            if not settings.use_tz:
                raise ValueError(
                    "MySQL backend does not support timezone-aware datetimes when USE_TZ is False."
                )
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value

    def adapt_timefield_value(self, value: Any) -> Any:
        if value is not None and getattr(value, "tzinfo", None) is not None:
            raise ValueError("MySQL backend does not support timezone-aware times.")
        return value

    def adapt_json_value(self, value: Any, encoder: Any = None) -> Any:
        """A JSONField value as JSON text, encoded with `encoder` (a json.JSONEncoder class)."""
        return json.dumps(value, cls=encoder)

    # ---- values from the database --------------------------------------------------------

    def regex_lookup(self, lookup_name: str) -> str | None:
        """MySQL 8's ICU regular expressions refuse a BINARY operand beside a text one
        (error 3995): REGEXP_LIKE with its match flag instead. MariaDB keeps REGEXP [BINARY]."""
        if self.connection.mysql_is_mariadb:
            return None
        flag = "c" if lookup_name == "regex" else "i"
        return f"REGEXP_LIKE(%s, %s, '{flag}')"

    def get_db_converters(self, internal_type: str, field: Any) -> list[Converter]:
        if internal_type == "DateTimeField":
            return [_to_aware] if settings.use_tz else []
        if internal_type == "BooleanField":
            return [_to_bool]
        if internal_type == "UUIDField":
            return [_to_uuid]
        if internal_type == "DurationField":
            return [_to_duration]
        if internal_type == "TimeField":
            return [_to_time]
        return []

    # ---- inserts -------------------------------------------------------------------------

    def pk_default_value(self) -> str:
        return "NULL"

    def ignore_conflicts_suffix_sql(
        self, conflict_columns: Sequence[str] = (), pk_column: str | None = None
    ) -> str:
        """Skip rows that would duplicate a unique key: `ON DUPLICATE KEY UPDATE c = c`.

        MySQL has no ON CONFLICT DO NOTHING. INSERT IGNORE would also turn NOT NULL, data
        truncation and foreign-key errors into warnings, so tether never uses it; assigning a
        column to itself leaves the existing row untouched and raises every other error.
        `c` is `pk_column`, else the first conflict column. The conflict target cannot be
        named: any unique key of the table counts. With CLIENT_FOUND_ROWS, rowcount (and
        MariaDB's RETURNING) include the skipped rows (features.can_return_rows_from_ignore_
        conflicts is False).
        """
        column = pk_column or (conflict_columns[0] if conflict_columns else None)
        if column is None:
            raise ValueError(
                "Skipping duplicates on MySQL needs a column to assign to itself: pass "
                "pk_column= (the primary key) or the conflict columns."
            )
        name = self.quote_name(column)
        return f"ON DUPLICATE KEY UPDATE {name} = {name}"

    def on_conflict_update_sql(
        self, conflict_columns: Sequence[str], update_columns: Sequence[str]
    ) -> str:
        """The upsert clause: ON DUPLICATE KEY UPDATE col = VALUES(col), ... Any unique key
        conflicts: MySQL cannot name the target, so `conflict_columns` is not used."""
        assignments = ", ".join(
            f"{self.quote_name(c)} = VALUES({self.quote_name(c)})" for c in update_columns
        )
        return f"ON DUPLICATE KEY UPDATE {assignments}"

    def empty_insert_sql(self, model: Any, num_rows: int) -> str:
        """Rows of defaults only: MySQL has no DEFAULT VALUES, but takes `() VALUES (), ()`."""
        return "() VALUES " + ", ".join(["()"] * num_rows)

    # ---- schema --------------------------------------------------------------------------

    def sql_flush(
        self, tables: Sequence[str], reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        """Empty `tables` with foreign-key checks off; TRUNCATE also resets AUTO_INCREMENT."""
        if not tables:
            return []
        verb = "TRUNCATE" if reset_sequences else "DELETE FROM"
        return [
            "SET FOREIGN_KEY_CHECKS = 0",
            *(f"{verb} {self.quote_name(t)}" for t in tables),
            "SET FOREIGN_KEY_CHECKS = 1",
        ]
