"""DatabaseFeatures: one commented flag per line, named as Django names them.

Code branches on these flags instead of on the vendor, and tests skip on them
(`skipUnlessDBFeature`), so ported Django tests skip alike.
"""

from __future__ import annotations

from typing import Any


class BaseDatabaseFeatures:
    # Transactions and savepoints work.
    supports_transactions = True
    # A UNIQUE column may hold several NULLs (every backend tether supports).
    supports_nullable_unique_constraints = True
    # SAVEPOINT, RELEASE SAVEPOINT and ROLLBACK TO SAVEPOINT are available.
    uses_savepoints = True
    # RELEASE SAVEPOINT is supported.
    can_release_savepoints = True
    # DDL runs inside a transaction and rolls back with it.
    can_rollback_ddl = False
    # INSERT ... RETURNING gives the inserted row's columns.
    can_return_columns_from_insert = False
    # A multi-row INSERT can return the inserted rows (pks set by bulk_create).
    can_return_rows_from_bulk_insert = False
    # A unique column may hold NULL in several rows (NULLs are distinct).
    supports_nullable_unique_constraints = True
    # INSERT skipping rows that violate a unique constraint (bulk_create(ignore_conflicts)).
    supports_ignore_conflicts = True
    # ... naming the conflict target (ON CONFLICT (a, b) DO NOTHING): other unique keys still raise.
    supports_ignore_conflicts_with_target = True
    # ... with RETURNING giving exactly the rows inserted (none for the rows skipped).
    can_return_rows_from_ignore_conflicts = False
    # DELETE ... RETURNING gives the deleted rows' columns.
    can_return_rows_from_delete = False
    # INSERT ... ON CONFLICT DO UPDATE / ON DUPLICATE KEY UPDATE.
    supports_update_conflicts = False
    # The conflict target columns can be named in the upsert.
    supports_update_conflicts_with_target = False
    # bulk_update's CASE ... END needs a CAST to the column type (untyped parameters).
    requires_casted_case_in_updates = False
    # Multi-row INSERT ... VALUES (...), (...).
    has_bulk_insert = True
    # A multi-row INSERT may take one array parameter per column instead of a VALUES list
    # (INSERT ... SELECT * FROM UNNEST(%s::type[], ...)); see ops.bulk_insert_unnest_types.
    supports_unnest_bulk_insert = False
    # The largest number of bound parameters one statement may carry (None: no limit).
    max_query_params: int | None = None
    # LIKE ignores case (SQLite for ASCII, MySQL with a case-insensitive collation).
    has_case_insensitive_like = False
    # Foreign key constraints are enforced.
    supports_foreign_keys = True
    # Foreign key checks can be deferred to the end of the transaction.
    can_defer_constraint_checks = False
    # Unique indexes with a WHERE clause.
    supports_partial_indexes = True
    # INCLUDE (...) columns in an index (Index.include); elsewhere left out, as Django does.
    supports_covering_indexes = False
    # GeneratedField: STORED (db_persist=True) and VIRTUAL columns; PostgreSQL has no VIRTUAL.
    supports_stored_generated_columns = True
    supports_virtual_generated_columns = True
    # Indexes on expressions (UniqueConstraint(Lower("name"), ...)).
    supports_expression_indexes = True
    # CHECK constraints on tables and on columns.
    supports_table_check_constraints = True
    supports_column_check_constraints = True
    # Timestamps store a time zone (otherwise aware datetimes are stored as UTC).
    supports_timezones = True
    # Fractional seconds survive a round trip.
    supports_microsecond_precision = True
    # A native UUID column type.
    has_native_uuid_field = False
    # SELECT ... FOR UPDATE (without it select_for_update() is a no-op, as on SQLite).
    has_select_for_update = False
    # ... NOWAIT: fail at once on a locked row.
    has_select_for_update_nowait = False
    # ... SKIP LOCKED: leave locked rows out.
    has_select_for_update_skip_locked = False
    # ... OF <tables>: lock only the named tables' rows.
    has_select_for_update_of = False
    # FOR NO KEY UPDATE: a weaker lock that lets foreign keys to the row be inserted.
    has_select_for_no_key_update = False
    # FOR UPDATE OF names columns (Oracle), not table aliases.
    select_for_update_of_column = False
    # FOR UPDATE may follow LIMIT/OFFSET.
    supports_select_for_update_with_limit = True
    # SELECT DISTINCT ON (fields).
    can_distinct_on_fields = False
    # Sequences can be reset (TransactionTestCase.reset_sequences).
    supports_sequence_reset = True
    # The test database can have several connections open at once.
    test_db_allows_multiple_connections = True
    # An empty string is stored as NULL (Oracle).
    interprets_empty_strings_as_nulls = False
    # NULL sorts after every value in ascending order.
    nulls_order_largest = False
    # ORDER BY ... NULLS FIRST / LAST.
    supports_order_by_nulls_modifier = True
    # A primary key of 0 can be stored in an auto-increment column.
    allows_auto_pk_0 = True
    # JSONField is supported.
    supports_json_field = True
    # `a # b` is XOR (PostgreSQL); SQLite has a BITXOR function registered by the driver.
    supports_bitwise_xor_operator = True
    # `key=None` on a JSONField matches a JSON null by its type (JSON_TYPE(...) = 'null'),
    # binding no value.
    json_null_key_by_type = False
    # Unquoted JSON text compares case-sensitively: i-lookups on keys lower both sides.
    json_key_text_is_case_sensitive = False
    # ROUND(x, n) rounds half to even (Django's flag; none of tether's backends does).
    rounds_to_even = False
    # Window functions (OVER clauses) and their frames.
    supports_over_clause = False
    supports_frame_range_fixed_distance = False
    supports_frame_exclusion = False
    only_supports_unbounded_with_preceding_and_following = False
    # Lag/Lead with a default (their third argument).
    supports_default_in_lead_lag = True
    # QuerySet.explain(format=...): the formats the backend's EXPLAIN accepts.
    supported_explain_formats: frozenset[str] = frozenset()
    # union(), intersection() and difference(): UNION, INTERSECT and EXCEPT.
    supports_select_union = True
    supports_select_intersection = True
    supports_select_difference = True
    # The parts of a compound statement may have their own ORDER BY and LIMIT (each part is
    # then parenthesized).
    supports_slicing_ordering_in_compound = False
    # A compound part may be a parenthesized compound (else it is wrapped in SELECT * FROM).
    supports_parentheses_in_compound = True
    # A compound's ORDER BY needs the compound wrapped in a subquery (Oracle; none here).
    requires_compound_order_by_subquery = False
    # A sliced subquery can be the right-hand side of IN.
    allow_sliced_subqueries_with_in = True
    # DELETE can read its own table in a subquery of its WHERE (MySQL/MariaDB refuse it).
    delete_can_self_reference_subquery = True
    # UPDATE ... ORDER BY (MySQL/MariaDB): update() after order_by() updates rows in order.
    supports_update_order_by = False
    # Boolean expressions can appear in the SELECT list.
    supports_boolean_expr_in_select_clause = True
    # Regular expressions (regex lookups) are available.
    supports_regex = True
    # Tables can be truncated (TransactionTestCase's flush).
    supports_truncate = True
    # INSERT ... DEFAULT VALUES for a row made only of defaults.
    supports_default_values_insert = True
    # How cursor.callproc() calls a stored routine ({name}: the quoted name, {args}: one %s per
    # argument); None: the database has none (SQLite), and callproc() raises NotSupportedError.
    callproc_sql: str | None = None
    # Introspection: CHECK constraints and foreign keys are read back.
    can_introspect_check_constraints = True
    can_introspect_foreign_keys = True
    # The field get_field_type() reports for a column each field type made (inspectdb).
    introspected_field_types = {
        name: name
        for name in (
            "AutoField",
            "BigAutoField",
            "BigIntegerField",
            "BinaryField",
            "BooleanField",
            "CharField",
            "DurationField",
            "GenericIPAddressField",
            "IntegerField",
            "PositiveBigIntegerField",
            "PositiveIntegerField",
            "PositiveSmallIntegerField",
            "SmallAutoField",
            "SmallIntegerField",
            "TimeField",
        )
    }
    # Schema changes --------------------------------------------------------------------
    # Several column changes in one ALTER TABLE (ALTER COLUMN ..., ALTER COLUMN ...).
    supports_combined_alters = False
    # Table and column comments (db_table_comment, db_comment) ...
    supports_comments = False
    # ... written inside the column definition (COMMENT '...') rather than by COMMENT ON.
    supports_comments_inline = False
    # Tablespaces (db_tablespace); elsewhere alter_db_tablespace is a no-op.
    supports_tablespaces = False
    # ALTER INDEX ... RENAME (elsewhere rename_index drops and creates the index).
    can_rename_index = False
    # Table names compare without case (MySQL with lower_case_table_names).
    ignores_table_name_case = False
    # ALTER TABLE ... RENAME COLUMN and ... DROP COLUMN.
    can_alter_table_rename_column = True
    can_alter_table_drop_column = True
    # Date functions can convert to any named time zone (MariaDB: its time zone tables).
    has_zoneinfo_database = True
    # An interval column type (Extract from a DurationField needs one).
    has_native_duration_field = False

    # Database functions (tether.models.functions) --------------------------------------
    # Fractional digits of seconds a Cast() to a time keeps.
    time_cast_precision = 6
    # Cast() to a type with a length or precision (varchar(n), numeric(p, s)) keeps it.
    supports_cast_with_precision = True
    # JSONObject(): a JSON_OBJECT function (or its equivalent).
    has_json_object_function = True
    # Collations Django's tests use (case-insensitive, case-sensitive, ...), by purpose.
    test_collations: dict[str, str | None] = {
        "ci": None,
        "cs": None,
        "non_default": None,
        "swedish_ci": None,
        "virtual": None,
    }

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @property
    def supports_explaining_query_execution(self) -> bool:
        """QuerySet.explain() works: the backend has an EXPLAIN prefix."""
        return self.connection.ops.explain_prefix is not None
