"""What PostgreSQL can do, as Django's flag names say it (server 13 or newer)."""

from __future__ import annotations

from tether.db.backends.base.features import BaseDatabaseFeatures


class DatabaseFeatures(BaseDatabaseFeatures):
    # DDL is transactional: a failed schema change rolls back with its transaction.
    can_rollback_ddl = True
    # callproc(): a function is called through SELECT (psycopg 3 has no callproc), as Django.
    callproc_sql = "SELECT * FROM {name}({args})"
    # INSERT ... RETURNING, for one row and for many.
    can_return_columns_from_insert = True
    can_return_rows_from_bulk_insert = True
    # ON CONFLICT DO NOTHING RETURNING returns exactly the rows inserted (none for skipped ones).
    can_return_rows_from_ignore_conflicts = True
    can_return_rows_from_delete = True
    # bulk_create sends one array per column: INSERT ... SELECT * FROM UNNEST(%s::t[], ...).
    supports_unnest_bulk_insert = True
    # INSERT ... ON CONFLICT (target) DO UPDATE.
    supports_update_conflicts = True
    supports_update_conflicts_with_target = True
    # CASE WHEN ... THEN %s END has no type of its own: CAST it to the column's type.
    requires_casted_case_in_updates = True
    # psycopg sends at most 65535 parameters in one statement (the protocol's Int16 count).
    max_query_params = 65535
    # Foreign keys are DEFERRABLE INITIALLY DEFERRED.
    can_defer_constraint_checks = True
    # uuid and interval are native column types.
    has_native_uuid_field = True
    has_native_duration_field = True
    # SELECT ... FOR [NO KEY] UPDATE [OF ...] [NOWAIT | SKIP LOCKED].
    has_select_for_update = True
    has_select_for_update_nowait = True
    has_select_for_update_skip_locked = True
    has_select_for_update_of = True
    has_select_for_no_key_update = True
    # SELECT DISTINCT ON (expressions).
    can_distinct_on_fields = True
    # NULL sorts after every value in ascending order.
    nulls_order_largest = True
    # "~" and "~*" regular expressions.
    supports_regex = True
    # RANGE frames only UNBOUNDED or CURRENT ROW, as Django declares for PostgreSQL (its
    # offsets would need the ORDER BY's type); ROWS frames take any offset.
    supports_over_clause = True
    supports_frame_exclusion = True
    # EXPLAIN (FORMAT ...).
    supported_explain_formats = frozenset(("JSON", "TEXT", "XML", "YAML"))
    # Compound parts may be ordered and sliced (each is parenthesized).
    supports_slicing_ordering_in_compound = True
    # TRUNCATE ... RESTART IDENTITY CASCADE.
    supports_truncate = True
    # timestamp with time zone keeps the instant.
    supports_timezones = True
    # Several connections may use the test database at once.
    test_db_allows_multiple_connections = True
    # ALTER TABLE combines column changes; COMMENT ON; tablespaces; ALTER INDEX ... RENAME.
    supports_combined_alters = True
    supports_comments = True
    supports_tablespaces = True
    supports_covering_indexes = True
    supports_virtual_generated_columns = False
    can_rename_index = True
    test_collations = {
        "deterministic": "C",
        "non_default": "sv-x-icu",
        "swedish_ci": "sv-x-icu",
        "virtual": "sv-x-icu",
    }

    @property
    def is_postgresql_16(self) -> bool:
        """JSON_OBJECT and JSON_ARRAY (SQL/JSON constructors) exist from PostgreSQL 16."""
        return (self.connection.server_version or 0) >= 160000

    # Unsigned types do not exist: Positive* fields read back as their signed types.
    introspected_field_types = {
        **BaseDatabaseFeatures.introspected_field_types,
        "PositiveBigIntegerField": "BigIntegerField",
        "PositiveIntegerField": "IntegerField",
        "PositiveSmallIntegerField": "SmallIntegerField",
    }
    # The longest identifier PostgreSQL keeps (NAMEDATALEN - 1).
    max_identifier_length = 63
