"""Routers used by the tests (and named by dotted path in some)."""

from __future__ import annotations

from typing import Any


class PrimaryReplicaRouter:
    """Reads from `other` (the replica), writes to `default`; any relation is allowed, since
    both aliases hold the same rows."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return "other"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return True


class PeopleElsewhereRouter:
    """Person and Profile live on `other`, every other model on `default`; relations across
    the two are allowed."""

    def _is_person(self, model: Any) -> bool:
        return model._meta.model_name in ("person", "profile")

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return "other" if self._is_person(model) else "default"

    db_for_write = db_for_read

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        if self._is_person(type(obj1)) or self._is_person(type(obj2)):
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        model_name = hints.get("model_name")
        if model_name in ("person", "profile"):
            return db == "other"
        return None


class WriteOnlyRouter:
    """Only db_for_write: reads fall through to the default rules."""

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "other"


class NoAnswerRouter:
    """Answers nothing (None everywhere): the next router, or the fallbacks, decide."""

    def db_for_read(self, model: Any, **hints: Any) -> None:
        return None

    def db_for_write(self, model: Any, **hints: Any) -> None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> None:
        return None


class RecordingRouter:
    """Remembers the hints it was given, and sends nothing anywhere."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, dict[str, Any]]] = []

    def db_for_read(self, model: Any, **hints: Any) -> None:
        self.calls.append(("read", model, hints))

    def db_for_write(self, model: Any, **hints: Any) -> None:
        self.calls.append(("write", model, hints))
