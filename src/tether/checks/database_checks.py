"""Checks that ask the databases themselves (tag `database`): they run only for the aliases
given (`tether check --database ALIAS`), as Django's database checks.

tether.W001: with use_tz on, date functions and date lookups in a time zone other than UTC
(`__date`, `__hour`, Extract, Trunc, `dates()`, `datetimes()`) convert with CONVERT_TZ on
MariaDB/MySQL, which knows named zones only from the server's time zone tables: when those
are empty the conversions give NULL and the queries find nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tether.checks.messages import CheckMessage, Warning
from tether.checks.registry import Tags, register


@register(Tags.database)
def check_time_zone_definitions(
    app_configs: Any = None, databases: Iterable[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    from tether.conf import settings
    from tether.db import connections

    if not databases or not settings.use_tz:
        return []
    messages: list[CheckMessage] = []
    for alias in databases:
        connection = connections[alias]
        if not connection.features.has_zoneinfo_database:
            messages.append(
                Warning(
                    f"The time zone tables of database '{alias}' are empty: date functions "
                    "and lookups in a time zone other than UTC return NULL there.",
                    hint=(
                        "Load them (mariadb-tzinfo-to-sql /usr/share/zoneinfo | mariadb -u "
                        "root mysql), as Django requires with USE_TZ."
                    ),
                    id="tether.W001",
                )
            )
    return messages
