"""What MariaDB and MySQL can do, as Django's flag names say it.

Some flags depend on the server (MariaDB or MySQL, and its version): they are properties that
read `connection.server_info`, which the driver records on connect. When nothing has connected
yet, the first use opens one short synchronous connection to ask (see wrapper.server_info).
"""

from __future__ import annotations

from tether.db.backends.base.features import BaseDatabaseFeatures


class DatabaseFeatures(BaseDatabaseFeatures):
    # JSON_UNQUOTE() gives case-sensitive text.
    json_key_text_is_case_sensitive = True
    # DDL commits implicitly: a failed schema change cannot be rolled back.
    can_rollback_ddl = False
    # callproc(): CALL the procedure with its IN arguments bound.
    callproc_sql = "CALL {name}({args})"
    # Upserts: ON DUPLICATE KEY UPDATE, which names no conflict target.
    supports_update_conflicts = True
    supports_update_conflicts_with_target = False
    # Skipping duplicates is ON DUPLICATE KEY UPDATE pk = pk (never INSERT IGNORE).
    supports_ignore_conflicts = True
    # ... but any unique key counts as a conflict: the target cannot be named.
    supports_ignore_conflicts_with_target = False
    # ... whose RETURNING/rowcount also report the rows that were skipped.
    can_return_rows_from_ignore_conflicts = False
    # No statement-level limit in practice; 65535 keeps batches to a sane size.
    max_query_params = 65535
    # contains/startswith use LIKE BINARY: case matters, as on PostgreSQL.
    has_case_insensitive_like = False
    # Foreign keys are checked row by row, never at commit.
    can_defer_constraint_checks = False
    # No WHERE on an index.
    supports_partial_indexes = False
    # DATETIME has no zone: aware values are stored as naive UTC.
    supports_timezones = False
    # interval has no native type: DurationField is a bigint of microseconds.
    has_native_duration_field = False
    # SELECT ... FOR UPDATE.
    has_select_for_update = True
    # No SELECT DISTINCT ON.
    can_distinct_on_fields = False
    # NULL sorts before every value in ascending order; no NULLS FIRST/LAST.
    nulls_order_largest = False
    supports_order_by_nulls_modifier = False
    # 0 in an AUTO_INCREMENT column means "next value" (without NO_AUTO_VALUE_ON_ZERO).
    allows_auto_pk_0 = False
    # REGEXP.
    supports_regex = True
    # Window functions: MariaDB 10.2+ and MySQL 8.0+ (both older than the supported versions).
    supports_over_clause = True
    supports_frame_range_fixed_distance = True
    # MySQL refuses LIMIT in an IN subquery; tether wraps it in a derived table
    # (operations.in_subquery_sql), so a sliced subquery works there too.
    allow_sliced_subqueries_with_in = True
    delete_can_self_reference_subquery = False
    supports_update_order_by = True
    # Compound parts may be ordered and sliced (each is parenthesized).
    supports_slicing_ordering_in_compound = True
    # TRUNCATE (with FOREIGN_KEY_CHECKS off).
    supports_truncate = True
    # No INSERT ... DEFAULT VALUES: the compiler writes VALUES () instead.
    supports_default_values_insert = False
    # The longest identifier the server accepts.
    max_identifier_length = 64
    # longblob reads back as text, bool as tinyint, durations bigint, IP addresses char.
    introspected_field_types = {
        **BaseDatabaseFeatures.introspected_field_types,
        "BinaryField": "TextField",
        "BooleanField": "IntegerField",
        "DurationField": "BigIntegerField",
        "GenericIPAddressField": "CharField",
    }
    # Comments written inside the column definition (COMMENT '...'); RENAME INDEX.
    supports_comments = True
    supports_comments_inline = True
    can_rename_index = True

    @property
    def has_zoneinfo_database(self) -> bool:  # type: ignore[override]
        """Whether CONVERT_TZ knows named zones: the server's time zone tables are filled.

        Asked through CONVERT_TZ rather than by reading mysql.time_zone, whose engine takes
        no savepoints (reading it inside a transaction breaks the next SAVEPOINT)."""
        known = self.__dict__.get("_has_zoneinfo_database")
        if known is None:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT CONVERT_TZ('2000-01-01 00:00:00', '+00:00', 'UTC')")
                known = cursor.fetchone()[0] is not None
            self.__dict__["_has_zoneinfo_database"] = known
        return bool(known)

    @property
    def is_mariadb(self) -> bool:
        return bool(self.connection.mysql_is_mariadb)

    @property
    def can_return_columns_from_insert(self) -> bool:  # type: ignore[override]
        """INSERT ... RETURNING: MariaDB 10.5 and newer."""
        return self.is_mariadb and self.connection.mysql_version >= (10, 5)

    @property
    def supports_default_in_lead_lag(self) -> bool:  # type: ignore[override]
        """LAG/LEAD's default argument: MySQL has it, MariaDB does not (MDEV-12981)."""
        return not self.is_mariadb

    @property
    def can_return_rows_from_bulk_insert(self) -> bool:  # type: ignore[override]
        return self.can_return_columns_from_insert

    @property
    def can_return_rows_from_delete(self) -> bool:  # type: ignore[override]
        """DELETE ... RETURNING: MariaDB (10.0.5 and newer), not MySQL."""
        return self.is_mariadb

    @property
    def has_native_uuid_field(self) -> bool:  # type: ignore[override]
        """The uuid column type: MariaDB 10.7 and newer."""
        return self.is_mariadb and self.connection.mysql_version >= (10, 7)

    @property
    def has_select_for_update_nowait(self) -> bool:  # type: ignore[override]
        """FOR UPDATE NOWAIT: MariaDB 10.3 and MySQL 8.0.1."""
        if self.is_mariadb:
            return self.connection.mysql_version >= (10, 3)
        return self.connection.mysql_version >= (8, 0, 1)

    @property
    def has_select_for_update_skip_locked(self) -> bool:  # type: ignore[override]
        """FOR UPDATE SKIP LOCKED: MariaDB 10.6 and MySQL 8.0.1."""
        if self.is_mariadb:
            return self.connection.mysql_version >= (10, 6)
        return self.connection.mysql_version >= (8, 0, 1)

    @property
    def has_select_for_update_of(self) -> bool:  # type: ignore[override]
        """FOR UPDATE OF <table aliases>: MySQL 8.0.1; MariaDB has none."""
        return not self.is_mariadb and self.connection.mysql_version >= (8, 0, 1)

    @property
    def supports_expression_indexes(self) -> bool:  # type: ignore[override]
        """Functional key parts: MySQL 8.0.13+, never MariaDB (as Django's feature)."""
        return not self.is_mariadb and self.connection.mysql_version >= (8, 0, 13)

    @property
    def supports_explain_analyze(self) -> bool:
        """ANALYZE (MariaDB) / EXPLAIN ANALYZE (MySQL 8.0.18)."""
        return self.is_mariadb or self.connection.mysql_version >= (8, 0, 18)

    @property
    def supported_explain_formats(self) -> frozenset[str]:  # type: ignore[override]
        """TEXT stands for TRADITIONAL, as Django's; TREE from MySQL 8.0.16."""
        formats = {"JSON", "TEXT", "TRADITIONAL"}
        if not self.is_mariadb and self.connection.mysql_version >= (8, 0, 16):
            formats.add("TREE")
        return frozenset(formats)

    @property
    def supports_select_intersection(self) -> bool:  # type: ignore[override]
        """INTERSECT and EXCEPT: every MariaDB tether supports, MySQL 8.0.31."""
        return self.is_mariadb or self.connection.mysql_version >= (8, 0, 31)

    @property
    def supports_select_difference(self) -> bool:  # type: ignore[override]
        return self.supports_select_intersection

    @property
    def supports_column_check_constraints(self) -> bool:  # type: ignore[override]
        """Enforced CHECK constraints: MariaDB 10.2 and MySQL 8.0.16."""
        if self.is_mariadb:
            return self.connection.mysql_version >= (10, 2)
        return self.connection.mysql_version >= (8, 0, 16)

    @property
    def test_collations(self) -> dict[str, str | None]:  # type: ignore[override]
        return {
            "ci": "utf8mb4_general_ci",
            "non_default": "utf8mb4_esperanto_ci",
            "swedish_ci": "utf8mb4_swedish_ci",
            "virtual": "utf8mb4_esperanto_ci",
        }

    @property
    def supports_table_check_constraints(self) -> bool:  # type: ignore[override]
        return self.supports_column_check_constraints
