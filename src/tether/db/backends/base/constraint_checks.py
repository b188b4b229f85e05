"""Foreign keys checked after the fact, as Django's loaddata needs: a fixture may name a row
before the row it points to exists, so the checks are off (or deferred) while it loads and the
whole set of tables is checked at the end, naming the first row that points nowhere."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from tether.db.errors import IntegrityError


class ConstraintChecksMixin:
    """`constraint_checks_disabled()` and `check_constraints()` of a DatabaseWrapper."""

    def disable_constraint_checking(self) -> bool:
        """Turn foreign-key checks off; True if they were (the backend's foreign keys are not
        deferred). Deferred keys (PostgreSQL, SQLite) need nothing inside a transaction."""
        return False

    def enable_constraint_checking(self) -> None:
        """Turn the checks back on (after disable_constraint_checking() returned True)."""

    @contextmanager
    def constraint_checks_disabled(self) -> Iterator[None]:
        disabled = self.disable_constraint_checking()
        try:
            yield
        finally:
            if disabled:
                self.enable_constraint_checking()

    def check_constraints(self, table_names: Iterable[str] | None = None) -> None:
        """Raise IntegrityError (Django's message) for the first row of `table_names` (default
        all tables) whose foreign key names no row."""
        conn: Any = self
        introspection, quote = conn.introspection, conn.ops.quote_name
        with conn.cursor() as cursor:
            names = list(table_names) if table_names is not None else introspection.table_names()
            for table in names:
                pk = introspection.get_primary_key_column(cursor, table)
                for column, (ref_column, ref_table) in introspection.get_relations(
                    cursor, table
                ).items():
                    cursor.execute(
                        f"SELECT referring.{quote(pk)}, referring.{quote(column)} "
                        f"FROM {quote(table)} referring LEFT JOIN {quote(ref_table)} referred "
                        f"ON referring.{quote(column)} = referred.{quote(ref_column)} "
                        f"WHERE referring.{quote(column)} IS NOT NULL "
                        f"AND referred.{quote(ref_column)} IS NULL"
                    )
                    bad = cursor.fetchone()
                    if bad is not None:
                        raise IntegrityError(
                            f"The row in table '{table}' with primary key '{bad[0]}' has an "
                            f"invalid foreign key: {table}.{column} contains a value "
                            f"'{bad[1]}' that does not have a corresponding value in "
                            f"{ref_table}.{ref_column}."
                        )
