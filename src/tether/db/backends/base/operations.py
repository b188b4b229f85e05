"""DatabaseOperations: the SQL snippets and value conversions that differ by vendor.

The query layer asks these methods instead of testing the vendor: quoting, LIMIT/OFFSET, the
transaction statements, LIKE escaping, how Python values are adapted for the driver and how
column values are converted back.
"""

from __future__ import annotations

import datetime
import decimal
import importlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from tether.conf import settings
from tether.db.backends.utils import truncate_name
from tether.db.errors import Error, NotSupportedError

Converter = Callable[[Any], Any]


class BaseDatabaseOperations:
    # Identifier quote character.
    quote_char = '"'
    # The placeholder the driver expects (the compiler writes %s; see to_driver_sql).
    placeholder = "%s"
    # The longest identifier the backend accepts (None: no limit).
    max_identifier_length: int | None = None
    # LIMIT value meaning "no limit" when only OFFSET is wanted.
    no_limit_value: int | None = None
    # SQL for ORDER BY '?'.
    random_function_sql = "RANDOM()"
    # QuerySet.explain(): the statement prefix (None: the backend cannot explain a query).
    explain_prefix: str | None = None
    # union(), intersection(), difference(): the set operators of a compound statement.
    set_operators = {"union": "UNION", "intersection": "INTERSECT", "difference": "EXCEPT"}
    # The operators of the lookups, with %s for the right-hand side.
    operators: dict[str, str] = {
        "exact": "= %s",
        "iexact": "= UPPER(%s)",
        "contains": "LIKE %s",
        "icontains": "LIKE UPPER(%s)",
        "gt": "> %s",
        "gte": ">= %s",
        "lt": "< %s",
        "lte": "<= %s",
        "startswith": "LIKE %s",
        "endswith": "LIKE %s",
        "istartswith": "LIKE UPPER(%s)",
        "iendswith": "LIKE UPPER(%s)",
    }
    # How a case-insensitive lookup wraps its column (UPPER(%s) on most servers).
    case_insensitive_lhs = "UPPER(%s)"
    # Characters of a LIKE pattern that need escaping, and the escape clause.
    like_escape_clause = ""
    # Where compiler() finds the compiler classes: a backend may point it at a module of its
    # own whose classes subclass tether.models.sql.compiler's.
    compiler_module = "tether.models.sql.compiler"
    # Cast(): the types a field is cast to where they differ from its column type, and the
    # type of a CharField without max_length.
    cast_data_types: dict[str, str] = {}
    cast_char_field_without_max_length: str | None = None

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self._quoted: dict[str, str] = {}
        self._compilers: dict[str, Any] = {}

    def compiler(self, compiler_name: str) -> Any:
        """The compiler class called `compiler_name` (Query.compiler_name) in compiler_module:
        the one way the query layer gets a compiler (Query.get_compiler). Imported by name so
        that the backends never import the query layer."""
        compiler = self._compilers.get(compiler_name)
        if compiler is None:
            module = importlib.import_module(self.compiler_module)
            compiler = self._compilers[compiler_name] = getattr(module, compiler_name)
        return compiler

    # ---- identifiers and statements ------------------------------------------------------

    def join_column_sql(self, rhs_sql: str, lhs_field: Any, rhs_field: Any) -> str:
        """The joined table's side of a join's column pair (PostgreSQL casts it when the two
        columns' types differ: a generic relation's text object id against an integer key)."""
        return rhs_sql

    def quote_name(self, name: str) -> str:
        try:
            return self._quoted[name]
        except KeyError:
            pass
        q = self.quote_char
        if name.startswith(q) and name.endswith(q) and len(name) > 1:
            quoted = name
        else:
            # A quote inside the name is doubled, and a % written as %% as every literal % in
            # the compiler's SQL is (to_driver_sql and the %-format drivers turn it back), so
            # that no name can end its quoting or be read as a placeholder.
            quoted = q + name.replace(q, q + q).replace("%", "%%") + q
        self._quoted[name] = quoted
        return quoted

    def max_name_length(self) -> int | None:
        return self.max_identifier_length

    def truncate_name(self, name: str) -> str:
        return truncate_name(name, self.max_name_length())

    def begin_sql(self) -> str:
        return "BEGIN"

    def begin_write_sql(self) -> str:
        """BEGIN for a transaction that will write (SQLite takes the write lock up front)."""
        return self.begin_sql()

    def is_transient_error(self, error: Exception) -> bool:
        """Whether `error` (a tether.db error) lost a lock race (a deadlock victim, a busy
        database) so that running the whole transaction again may succeed."""
        return False

    def commit_sql(self) -> str:
        return "COMMIT"

    def rollback_sql(self) -> str:
        return "ROLLBACK"

    def savepoint_create_sql(self, sid: str) -> str:
        return f"SAVEPOINT {self.quote_name(sid)}"

    def savepoint_commit_sql(self, sid: str) -> str:
        return f"RELEASE SAVEPOINT {self.quote_name(sid)}"

    def savepoint_rollback_sql(self, sid: str) -> str:
        return f"ROLLBACK TO SAVEPOINT {self.quote_name(sid)}"

    def limit_offset_sql(self, low: int, high: int | None) -> tuple[str, list[int]]:
        """LIMIT/OFFSET with bound values, so that the SQL text is the same for every page."""
        parts: list[str] = []
        params: list[int] = []
        if high is not None:
            parts.append("LIMIT %s")
            params.append(high - low)
        elif low and self.no_limit_value is not None:
            parts.append("LIMIT %s")
            params.append(self.no_limit_value)
        if low:
            parts.append("OFFSET %s")
            params.append(low)
        return " ".join(parts), params

    def explain_query_prefix(self, format: str | None = None, **options: Any) -> str:
        """The EXPLAIN prefix for QuerySet.explain(); a format must be one the backend
        lists and every option one it knows (Django's ValueErrors), so that nothing the
        caller wrote reaches the SQL."""
        from tether.db.errors import NotSupportedError

        features = self.connection.features
        if not features.supports_explaining_query_execution:
            raise NotSupportedError("This backend does not support explaining query execution.")
        if format:
            supported = features.supported_explain_formats
            normalized = format.upper()
            if normalized not in supported:
                message = f"{normalized} is not a recognized format."
                if supported:
                    message += f" Allowed formats: {', '.join(sorted(supported))}"
                else:
                    message += f" {self.connection.display_name} does not support any formats."
                raise ValueError(message)
        if options:
            raise ValueError(f"Unknown options: {', '.join(sorted(options))}")
        return self.explain_prefix  # type: ignore[return-value]

    def for_update_sql(
        self, nowait: bool = False, skip_locked: bool = False, of: Any = (), no_key: bool = False
    ) -> str:
        """The row-locking clause of select_for_update(), as Django writes it."""
        return "FOR{} UPDATE{}{}{}".format(
            " NO KEY" if no_key else "",
            f" OF {', '.join(of)}" if of else "",
            " NOWAIT" if nowait else "",
            " SKIP LOCKED" if skip_locked else "",
        )

    def to_driver_sql(self, sql: str) -> str:
        """Turn the compiler's %s placeholders (and %% literals) into the driver's style."""
        return sql

    def last_executed_query(self, sql: str, params: Sequence[Any]) -> str:
        """The statement with its parameters spelled in, for logs and str(query) only."""
        if not params:
            return sql
        quoted = tuple(self.quote_literal(p) for p in params)
        marker = self.placeholder
        if marker == "%s":
            try:
                return sql % quoted
            except (TypeError, ValueError):
                return f"{sql} -- params {list(params)!r}"
        pieces = sql.split(marker)
        if len(pieces) != len(quoted) + 1:
            return f"{sql} -- params {list(params)!r}"
        out = [pieces[0]]
        for value, piece in zip(quoted, pieces[1:], strict=True):
            out.append(value)
            out.append(piece)
        return "".join(out)

    def quote_literal(self, value: Any) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, int | float | decimal.Decimal):
            return str(value)
        if isinstance(value, bytes):
            return "X'" + value.hex() + "'"
        return "'" + str(value).replace("'", "''") + "'"

    def wrap_error(self, error: Error) -> Error:
        """Adjust a wrapped driver error (a backend may refine the class by error code)."""
        return error

    # ---- lookups -------------------------------------------------------------------------

    def lookup_cast(self, lookup_name: str, internal_type: str | None = None) -> str:
        """How a lookup wraps its column: "%s" as is, UPPER(%s) for i-lookups on most servers."""
        if lookup_name in ("iexact", "icontains", "istartswith", "iendswith"):
            return self.case_insensitive_lhs
        return "%s"

    # ---- LIKE ----------------------------------------------------------------------------

    def regex_lookup(self, lookup_name: str) -> str | None:
        """`regex`/`iregex` as a template over (lhs, rhs) SQL, or None: `lhs <operator>`."""
        return None

    def prep_for_like_query(self, value: Any) -> str:
        return str(value).replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")

    # How SQL escapes the LIKE wildcards of an expression's value ({} is the expression).
    pattern_escape = r"REPLACE(REPLACE(REPLACE({}, '\', '\\'), '%%', '\%%'), '_', '\_')"

    def concat_sql(self, *parts: str) -> str:
        """SQL joining text pieces (|| in standard SQL)."""
        return " || ".join(parts)

    def pattern_sql(self, lookup_name: str, rhs_sql: str) -> str:
        """The LIKE operator of a pattern lookup whose value is the expression `rhs_sql`.

        The expression's wildcards are escaped in SQL and the pattern's own wildcards joined on
        by concatenation, so `x__startswith=F("y")` means "x begins with y's text".
        """
        pattern = self.pattern_escape.format(rhs_sql)
        base = lookup_name.removeprefix("i")
        parts = [pattern]
        if base in ("contains", "endswith"):
            parts.insert(0, "'%%'")
        if base in ("contains", "startswith"):
            parts.append("'%%'")
        # The lookup's own operator takes the whole pattern (UPPER() of it for i-lookups).
        return self.operators[lookup_name] % self.concat_sql(*parts)

    # ---- expressions ---------------------------------------------------------------------

    def combine_expression(self, connector: str, sub_expressions: list[str]) -> str:
        """`lhs <connector> rhs` of a CombinedExpression; `^` is a power everywhere."""
        if connector == "^":
            return f"POWER({', '.join(sub_expressions)})"
        if connector == "#" and not self.connection.features.supports_bitwise_xor_operator:
            return f"BITXOR({', '.join(sub_expressions)})"
        return f" {connector} ".join(sub_expressions)

    def conditional_expression_supported_in_where_clause(self, expression: Any) -> bool:
        """Whether a boolean expression can stand alone as a WHERE condition."""
        return True

    @staticmethod
    def window_frame_value(value: Any) -> str | None:
        """A frame bound: 0 the current row, -n PRECEDING, n FOLLOWING; None: unbounded."""
        if not isinstance(value, int):
            return None
        if value == 0:
            return "CURRENT ROW"
        return f"{abs(value)} {'PRECEDING' if value < 0 else 'FOLLOWING'}"

    def window_frame_rows_start_end(self, start: Any = None, end: Any = None) -> tuple[str, str]:
        """The bounds of a ROWS frame, with Django's errors."""
        if isinstance(start, int) and isinstance(end, int) and start > end:
            raise ValueError("start cannot be greater than end.")
        if start is not None and not isinstance(start, int):
            raise ValueError(
                f"start argument must be an integer, zero, or None, but got '{start}'."
            )
        if end is not None and not isinstance(end, int):
            raise ValueError(f"end argument must be an integer, zero, or None, but got '{end}'.")
        return (
            self.window_frame_value(start) or "UNBOUNDED PRECEDING",
            self.window_frame_value(end) or "UNBOUNDED FOLLOWING",
        )

    def window_frame_range_start_end(self, start: Any = None, end: Any = None) -> tuple[str, str]:
        """The bounds of a RANGE frame: the start at or before, the end at or after the row."""
        from tether.db.errors import NotSupportedError

        if (start is not None and not isinstance(start, int)) or (
            isinstance(start, int) and start > 0
        ):
            raise ValueError(
                f"start argument must be a negative integer, zero, or None, but got '{start}'."
            )
        if (end is not None and not isinstance(end, int)) or (isinstance(end, int) and end < 0):
            raise ValueError(
                f"end argument must be a positive integer, zero, or None, but got '{end}'."
            )
        features = self.connection.features
        if features.only_supports_unbounded_with_preceding_and_following and (
            (start and start < 0) or (end and end > 0)
        ):
            raise NotSupportedError(
                f"{self.connection.display_name} only supports UNBOUNDED together with "
                "PRECEDING and FOLLOWING."
            )
        return (
            self.window_frame_value(start) or "UNBOUNDED PRECEDING",
            self.window_frame_value(end) or "UNBOUNDED FOLLOWING",
        )

    def distinct_sql(self, columns: Sequence[str]) -> str:
        """The DISTINCT keyword of a SELECT; `columns` are distinct(*fields)' (DISTINCT ON)."""
        if columns:
            raise NotSupportedError("DISTINCT ON fields is not supported by this database backend")
        return "DISTINCT "

    def force_no_ordering(self) -> list[Any]:
        """The ORDER BY a grouped query needs so that the database does not sort it on its own
        (Django's hook; MySQL 5 sorted GROUP BY results): none, on every backend tether
        supports."""
        return []

    def in_subquery_sql(self, sql: str, sliced: bool) -> str:
        """The subquery of `x IN (...)`."""
        return sql

    def unification_cast_sql(self, output_field: Any) -> str:
        """A template giving a CASE (or COALESCE) the output type the branches share."""
        return "%s"

    # ---- date arithmetic -----------------------------------------------------------------

    def combine_duration_sql(self, connector: str, lhs: str, rhs: str, duration_side: str) -> str:
        """A date or time-stamp plus/minus a duration (`duration_side` is "lhs" or "rhs").

        Native on servers with an interval type; others override.
        """
        return f"({lhs} {connector} {rhs})"

    # ---- values to the database ----------------------------------------------------------

    def adapt_datetimefield_value(self, value: Any) -> Any:
        return value

    def adapt_datefield_value(self, value: Any) -> Any:
        return value

    def adapt_timefield_value(self, value: Any) -> Any:
        return value

    def adapt_decimalfield_value(
        self, value: Any, max_digits: int | None = None, decimal_places: int | None = None
    ) -> Any:
        return value

    def adapt_boolean_value(self, value: Any) -> Any:
        return value

    def adapt_json_value(self, value: Any, encoder: Any = None) -> Any:
        """A JSONField value for the driver: JSON text encoded with `encoder` (a JSONEncoder)."""
        return json.dumps(value, cls=encoder)

    # The SQL of a bound JSON value compared with an extracted key (text parsed back to JSON).
    json_value_placeholder = "JSON_EXTRACT(%s, '$')"

    def adapt_native_uuid_value(self, value: Any) -> Any:
        """A uuid.UUID for a native uuid column: its text form unless the driver takes UUIDs."""
        return str(value)

    # ---- values from the database --------------------------------------------------------

    def get_db_converters(self, internal_type: str, field: Any) -> list[Converter]:
        """Functions applied to a column's raw values, in order (None is never passed)."""
        return []

    @staticmethod
    def aware_from_naive_utc(value: datetime.datetime) -> datetime.datetime:
        if value.tzinfo is None and settings.use_tz:
            return value.replace(tzinfo=datetime.UTC)
        return value

    # ---- inserts -------------------------------------------------------------------------

    def return_insert_columns_sql(self, table: str, columns: Sequence[str]) -> str:
        """RETURNING with each column qualified by its table, as Django writes it."""
        if not columns:
            return ""
        qn = self.quote_name
        return "RETURNING " + ", ".join(f"{qn(table)}.{qn(c)}" for c in columns)

    def ignore_conflicts_suffix_sql(
        self, conflict_columns: Sequence[str] = (), pk_column: str | None = None
    ) -> str:
        target = ""
        if conflict_columns:
            target = " (" + ", ".join(self.quote_name(c) for c in conflict_columns) + ")"
        return f"ON CONFLICT{target} DO NOTHING"

    def insert_statement(self, on_conflict: str | None = None) -> str:
        return "INSERT INTO"

    def on_conflict_update_sql(
        self, conflict_columns: Sequence[str], update_columns: Sequence[str]
    ) -> str:
        target = ", ".join(self.quote_name(c) for c in conflict_columns)
        assignments = ", ".join(
            f"{self.quote_name(c)} = EXCLUDED.{self.quote_name(c)}" for c in update_columns
        )
        return f"ON CONFLICT({target}) DO UPDATE SET {assignments}"

    def empty_insert_sql(self, model: Any, num_rows: int) -> str:
        """VALUES for rows made of defaults only (a model with just an auto primary key)."""
        if num_rows == 1:
            return "DEFAULT VALUES"
        pk = self.quote_name(model._meta.pk.column)
        return f"({pk}) VALUES " + ", ".join(["(NULL)"] * num_rows)

    def bulk_insert_unnest_types(self, fields: Sequence[Any]) -> list[str] | None:
        """The array element type of each of `fields` for a columnar multi-row INSERT, or None
        when the rows must go as a VALUES list (see features.supports_unnest_bulk_insert)."""
        return None

    def unnest_insert_sql(self, types: Sequence[str]) -> str:
        """The row source of a columnar INSERT: one array parameter per column."""
        return "SELECT * FROM UNNEST(" + ", ".join(f"%s::{t}[]" for t in types) + ")"

    def pk_default_value(self) -> str:
        return "DEFAULT"

    def bulk_batch_size(self, fields_per_row: Any, rows: Any) -> int:
        """Rows per statement under the parameter limit. Counts, or (as Django's signature)
        the list of fields and the list of objects."""
        if not isinstance(fields_per_row, int):
            fields_per_row = len(fields_per_row)
        if not isinstance(rows, int):
            rows = len(rows)
        limit = self.connection.features.max_query_params
        if limit is None or fields_per_row == 0:
            return rows
        return max(limit // fields_per_row, 1)

    # ---- schema --------------------------------------------------------------------------

    def sql_flush(
        self, tables: Sequence[str], reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        return [f"DELETE FROM {self.quote_name(t)}" for t in tables]

    def sequence_reset_sql(self, tables: Sequence[tuple[str, str]]) -> list[str]:
        return []
