"""The SQLite DatabaseWrapper: column types and the helper classes, wired by attribute."""

from __future__ import annotations

from tether.db.backends.base.wrapper import BaseDatabaseWrapper
from tether.db.backends.sqlite.client import DatabaseClient
from tether.db.backends.sqlite.creation import DatabaseCreation
from tether.db.backends.sqlite.features import DatabaseFeatures
from tether.db.backends.sqlite.introspection import DatabaseIntrospection
from tether.db.backends.sqlite.operations import DatabaseOperations
from tether.db.backends.sqlite.schema import DatabaseSchemaEditor


class DatabaseWrapper(BaseDatabaseWrapper):
    vendor = "sqlite"
    display_name = "SQLite"
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
    schema_editor_class = DatabaseSchemaEditor
    creation_class = DatabaseCreation
    introspection_class = DatabaseIntrospection
    client_class = DatabaseClient

    @property
    def can_close_when_obsolete(self) -> bool:
        return self.settings_dict.name != ":memory:"  # closing the last connection drops it

    drivers = {
        "sqlite3": (
            "tether.db.backends.sqlite.driver:SQLiteDriver",
            "tether.db.backends.sqlite.driver:AsyncSQLiteDriver",
        )
    }
    data_types = {
        "AutoField": "integer",
        "BigAutoField": "integer",
        "SmallAutoField": "integer",
        "BinaryField": "BLOB",
        "BooleanField": "bool",
        "CharField": "varchar(%(max_length)s)",
        "DateField": "date",
        "DateTimeField": "datetime",
        "DecimalField": "decimal",
        "DurationField": "bigint",
        "FloatField": "real",
        "IntegerField": "integer",
        "BigIntegerField": "bigint",
        "SmallIntegerField": "smallint",
        "PositiveBigIntegerField": "bigint unsigned",
        "PositiveIntegerField": "integer unsigned",
        "PositiveSmallIntegerField": "smallint unsigned",
        "TextField": "text",
        "TimeField": "time",
        "UUIDField": "char(32)",
        "JSONField": "text",
        "GenericIPAddressField": "char(39)",
        "IPAddressField": "char(15)",
        "OneToOneField": "integer",
        "SlugField": "varchar(%(max_length)s)",
    }
    data_types_suffix = {
        "AutoField": "AUTOINCREMENT",
        "BigAutoField": "AUTOINCREMENT",
        "SmallAutoField": "AUTOINCREMENT",
    }
    data_type_check_constraints = {
        "PositiveBigIntegerField": '"%(column)s" >= 0',
        "PositiveIntegerField": '"%(column)s" >= 0',
        "PositiveSmallIntegerField": '"%(column)s" >= 0',
        "JSONField": '(JSON_VALID("%(column)s") OR "%(column)s" IS NULL)',
    }
