"""Exceptions that are not database errors, named as in `django.core.exceptions`.

Database errors (IntegrityError and friends) live in `tether.db.errors`.
"""

from __future__ import annotations

from typing import Any


class ObjectDoesNotExist(Exception):
    """The requested object does not exist."""

    silent_variable_failure = True


class MultipleObjectsReturned(Exception):
    """The query returned multiple objects when only one was expected."""


class FieldDoesNotExist(Exception):
    """The requested model field does not exist."""


class FieldError(Exception):
    """Some kind of problem with a model field or a lookup."""


class FieldFetchBlocked(FieldError):
    """A lazy fetch refused by the RAISE fetch mode (Django 6.1's name)."""


class ImproperlyConfigured(Exception):
    """tether is somehow improperly configured."""


class SynchronousOnlyOperation(Exception):
    """A synchronous ORM call was made from inside a running event loop."""


class EmptyResultSet(Exception):
    """A where clause can match nothing; the query need not run."""


class FullResultSet(Exception):
    """A where clause matches everything; it can be left out."""


NON_FIELD_ERRORS = "__all__"


class ValidationError(Exception):
    """An error while validating data, shaped as Django's (message, error_list, error_dict)."""

    # Set only on a single error (neither a list nor a dict of them): hasattr() tells which.
    message: Any
    code: str | None
    params: Any

    def __init__(self, message: Any, code: str | None = None, params: Any = None) -> None:
        super().__init__(message, code, params)
        if isinstance(message, ValidationError):
            if hasattr(message, "error_dict"):
                message = message.error_dict
            elif not hasattr(message, "message"):
                message = message.error_list
            else:
                message, code, params = message.message, message.code, message.params
        if isinstance(message, dict):
            self.error_dict: dict[str, list[ValidationError]] = {}
            for field, messages in message.items():
                if not isinstance(messages, ValidationError):
                    messages = ValidationError(messages)
                self.error_dict[field] = messages.error_list
        elif isinstance(message, list):
            self.error_list: list[ValidationError] = []
            for item in message:
                if not isinstance(item, ValidationError):
                    item = ValidationError(item)
                if hasattr(item, "error_dict"):
                    self.error_list.extend(sum(item.error_dict.values(), []))
                else:
                    self.error_list.extend(item.error_list)
        else:
            self.message = message
            self.code = code
            self.params = params
            self.error_list = [self]

    @property
    def message_dict(self) -> dict[str, list[str]]:
        return dict(self)  # type: ignore[arg-type]

    @property
    def messages(self) -> list[str]:
        if hasattr(self, "error_dict"):
            return sum(dict(self).values(), [])  # type: ignore[arg-type]
        return list(self)

    def update_error_dict(self, error_dict: dict[str, list[Any]]) -> dict[str, list[Any]]:
        if hasattr(self, "error_dict"):
            for field, error_list in self.error_dict.items():
                error_dict.setdefault(field, []).extend(error_list)
        else:
            error_dict.setdefault(NON_FIELD_ERRORS, []).extend(self.error_list)
        return error_dict

    def __iter__(self):  # type: ignore[no-untyped-def]
        if hasattr(self, "error_dict"):
            for field, errors in self.error_dict.items():
                yield field, list(ValidationError(errors))
        else:
            for error in self.error_list:
                message = error.message
                if error.params:
                    message %= error.params
                yield str(message)

    def __str__(self) -> str:
        if hasattr(self, "error_dict"):
            return repr(dict(self))  # type: ignore[arg-type]
        return repr(list(self))

    def __repr__(self) -> str:
        return f"ValidationError({self})"
