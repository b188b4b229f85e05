"""What SQLite can do, as Django's flag names say it."""

from __future__ import annotations

import sqlite3

from tether.db.backends.base.features import BaseDatabaseFeatures

_VERSION = sqlite3.sqlite_version_info


class DatabaseFeatures(BaseDatabaseFeatures):
    json_null_key_by_type = True
    can_rollback_ddl = True
    can_return_columns_from_insert = _VERSION >= (3, 35)
    can_return_rows_from_bulk_insert = _VERSION >= (3, 35)
    # ON CONFLICT DO NOTHING RETURNING returns only the rows inserted.
    can_return_rows_from_ignore_conflicts = _VERSION >= (3, 35)
    can_return_rows_from_delete = _VERSION >= (3, 35)
    supports_update_conflicts = True
    supports_update_conflicts_with_target = True
    # SQLite's compile-time default before 3.32 was 999; Django keeps 999 to stay safe.
    max_query_params = 999
    has_case_insensitive_like = True
    can_defer_constraint_checks = True
    supports_timezones = False
    supports_order_by_nulls_modifier = _VERSION >= (3, 30)
    supports_over_clause = _VERSION >= (3, 25)
    supports_bitwise_xor_operator = False
    supports_frame_range_fixed_distance = _VERSION >= (3, 28)
    supports_frame_exclusion = _VERSION >= (3, 28)
    # A nested compound part is wrapped in SELECT * FROM (...), not parenthesized.
    supports_parentheses_in_compound = False
    supports_regex = True  # through the REGEXP function the driver registers
    supports_truncate = False
    time_cast_precision = 3  # strftime's %f
    supports_cast_with_precision = False  # CAST ignores type arguments
    test_collations = {"ci": "nocase", "cs": "binary", "non_default": "nocase", "virtual": "nocase"}
    test_db_allows_multiple_connections = True
    # ALTER TABLE ... DROP COLUMN (3.35.5 fixed its early bugs); other changes rebuild the table.
    can_alter_table_drop_column = _VERSION >= (3, 35, 5)
    # The rowid key reads back as AutoField; durations are bigint, IP addresses char.
    introspected_field_types = {
        **BaseDatabaseFeatures.introspected_field_types,
        "BigAutoField": "AutoField",
        "DurationField": "BigIntegerField",
        "GenericIPAddressField": "CharField",
        "SmallAutoField": "AutoField",
    }
