"""The MariaDB/MySQL DatabaseWrapper: column types, the server's identity and version, and
the helper classes, wired by attribute."""

from __future__ import annotations

import re
import threading
from typing import Any

from tether.db.backends.base.wrapper import BaseDatabaseWrapper
from tether.db.backends.mysql.client import DatabaseClient
from tether.db.backends.mysql.creation import DatabaseCreation
from tether.db.backends.mysql.features import DatabaseFeatures
from tether.db.backends.mysql.introspection import DatabaseIntrospection
from tether.db.backends.mysql.operations import DatabaseOperations
from tether.db.backends.mysql.schema import DatabaseSchemaEditor

# The server's version string by (host, port, unix socket): asked once per process.
_known_servers: dict[tuple[Any, ...], str] = {}
_lock = threading.Lock()


def _server_key(settings: Any) -> tuple[Any, ...]:
    return (settings.host, settings.port, settings.options.get("unix_socket"))


class DatabaseWrapper(BaseDatabaseWrapper):
    vendor = "mysql"
    display_name = "MySQL"
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
    schema_editor_class = DatabaseSchemaEditor
    creation_class = DatabaseCreation
    introspection_class = DatabaseIntrospection
    client_class = DatabaseClient
    drivers = {
        "pymysql": (
            "tether.db.backends.mysql.driver:MySQLDriver",
            "tether.db.backends.mysql.driver:AsyncMySQLDriver",
        )
    }
    _data_types = {
        "AutoField": "integer AUTO_INCREMENT",
        "BigAutoField": "bigint AUTO_INCREMENT",
        "SmallAutoField": "smallint AUTO_INCREMENT",
        "BinaryField": "longblob",
        "BooleanField": "bool",
        "CharField": "varchar(%(max_length)s)",
        "DateField": "date",
        "DateTimeField": "datetime(6)",
        "DecimalField": "numeric(%(max_digits)s, %(decimal_places)s)",
        "DurationField": "bigint",
        "FileField": "varchar(%(max_length)s)",
        "FilePathField": "varchar(%(max_length)s)",
        "FloatField": "double precision",
        "IntegerField": "integer",
        "BigIntegerField": "bigint",
        "IPAddressField": "char(15)",
        "GenericIPAddressField": "char(39)",
        "JSONField": "json",
        "OneToOneField": "integer",
        "PositiveBigIntegerField": "bigint UNSIGNED",
        "PositiveIntegerField": "integer UNSIGNED",
        "PositiveSmallIntegerField": "smallint UNSIGNED",
        "SlugField": "varchar(%(max_length)s)",
        "SmallIntegerField": "smallint",
        "TextField": "longtext",
        "TimeField": "time(6)",
        "UUIDField": "char(32)",
    }
    # AUTO_INCREMENT is part of the type above, as the column needs it before PRIMARY KEY.
    data_types_suffix: dict[str, str] = {}
    _check_constraints = {
        "PositiveBigIntegerField": "`%(column)s` >= 0",
        "PositiveIntegerField": "`%(column)s` >= 0",
        "PositiveSmallIntegerField": "`%(column)s` >= 0",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._server_info: str | None = None
        super().__init__(*args, **kwargs)

    # ---- the server ----------------------------------------------------------------------

    @property
    def server_info(self) -> str:
        """The server's version string ("10.11.6-MariaDB-..."), read when a connection opens.

        Before any connection, one short synchronous connection asks (once per server and
        process), so that version-dependent features can be read from anywhere.
        """
        if self._server_info is None:
            key = _server_key(self.settings_dict)
            with _lock:
                known = _known_servers.get(key)
            if known is None:
                module = self.driver_class.module
                try:
                    self.driver_class(self.settings_dict, self).close()
                except module.Error as exc:
                    raise self.wrap_driver_error(exc, module) from exc
                known = self._server_info
            self.server_info = known  # type: ignore[assignment]
        return self._server_info  # type: ignore[return-value]

    @server_info.setter
    def server_info(self, value: str) -> None:
        """Set by the driver on connect with the version string the server announced."""
        # MariaDB announces itself as "5.5.5-10.11.6-MariaDB" for old replication clients.
        if value.startswith("5.5.5-") and "mariadb" in value.lower():
            value = value[len("5.5.5-") :]
        self._server_info = value
        with _lock:
            _known_servers[_server_key(self.settings_dict)] = value

    def disable_constraint_checking(self) -> bool:
        """InnoDB checks each foreign key at once (no DEFERRABLE): off while a fixture loads."""
        with self.cursor() as cursor:
            cursor.execute("SET foreign_key_checks=0")
        return True

    def enable_constraint_checking(self) -> None:
        # Rows written meanwhile are not checked again: check_constraints() does that.
        with self.cursor() as cursor:
            cursor.execute("SET foreign_key_checks=1")

    @property
    def mysql_is_mariadb(self) -> bool:
        return "mariadb" in self.server_info.lower()

    @property
    def mysql_version(self) -> tuple[int, ...]:
        match = re.match(r"(\d+)\.(\d+)\.(\d+)", self.server_info)
        return tuple(int(part) for part in match.groups()) if match else (0, 0, 0)

    # ---- column types that depend on the server ------------------------------------------

    @property
    def data_types(self) -> dict[str, str]:  # type: ignore[override]
        if self.features.has_native_uuid_field:
            return {**self._data_types, "UUIDField": "uuid"}
        return self._data_types

    @property
    def data_type_check_constraints(self) -> dict[str, str]:  # type: ignore[override]
        return self._check_constraints if self.features.supports_column_check_constraints else {}
