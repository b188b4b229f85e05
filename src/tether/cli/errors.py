"""The one exception a command raises to stop with a message and an exit status, and the
lookup of a migration by name prefix that several commands report the same way."""

from __future__ import annotations

from typing import Any


class CommandError(Exception):
    """A user-facing failure: `main()` prints the message on stderr and returns `status`."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def migration_by_prefix(loader: Any, app_label: str, name: str) -> Any:
    """The migration of `app_label` named by a prefix, or Django's CommandError wording."""
    from tether.db.migrations.exceptions import AmbiguityError

    try:
        return loader.get_migration_by_prefix(app_label, name)
    except AmbiguityError:
        raise CommandError(
            f"More than one migration matches '{name}' in app '{app_label}'. Please be more "
            "specific."
        ) from None
    except KeyError:
        raise CommandError(
            f"Cannot find a migration matching '{name}' from app '{app_label}'."
        ) from None
