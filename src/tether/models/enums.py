"""Enumerations for field choices: Choices, IntegerChoices and TextChoices, as Django's.

A member is declared as `NAME = value` or `NAME = value, "Label"`; the label defaults to the
name with underscores as spaces, title-cased. The class offers `.choices`, `.labels`,
`.values`, `.names`; a member is its value (str/int subclasses compare equal to it).
"""

from __future__ import annotations

import enum
from typing import Any, cast

__all__ = ["Choices", "IntegerChoices", "TextChoices"]


class ChoicesType(enum.EnumType):
    """Metaclass splitting `value, label` member definitions and recording the labels."""

    def __new__(metacls, classname: str, bases: Any, classdict: Any, **kwds: Any) -> Any:  # noqa: N804
        labels = []
        for key in classdict._member_names:
            value = classdict[key]
            if isinstance(value, list | tuple) and len(value) > 1 and isinstance(value[-1], str):
                *parts, label = value
                value = tuple(parts)
            else:
                label = key.replace("_", " ").title()
            labels.append(label)
            # Re-store the plain value without tripping enum's duplicate-key guard.
            dict.__setitem__(
                classdict, key, value[0] if isinstance(value, tuple) and len(value) == 1 else value
            )
        cls = cast("type[Choices]", super().__new__(metacls, classname, bases, classdict, **kwds))
        for member, label in zip(cls.__members__.values(), labels, strict=False):
            member._label_ = label
        return enum.unique(cls)

    @property
    def names(cls) -> list[str]:
        empty = ["__empty__"] if hasattr(cls, "__empty__") else []
        return empty + [member.name for member in _members(cls)]

    @property
    def choices(cls) -> list[tuple[Any, str]]:
        empty = [(None, cls.__empty__)] if hasattr(cls, "__empty__") else []
        return empty + [(member.value, member.label) for member in _members(cls)]

    @property
    def labels(cls) -> list[str]:
        return [label for _, label in cls.choices]

    @property
    def values(cls) -> list[Any]:
        return [value for value, _ in cls.choices]

    def __contains__(cls, member: Any) -> bool:
        if not isinstance(member, enum.Enum):
            return any(x.value == member for x in _members(cls))
        return super().__contains__(member)


def _members(cls: ChoicesType) -> type[Choices]:
    """The class as a Choices class, whose iteration mypy can type (ChoicesType's can't be)."""
    return cast("type[Choices]", cls)


class Choices(enum.Enum, metaclass=ChoicesType):
    """Base class for the choices enumerations."""

    _label_: str  # set on each member by ChoicesType

    @property
    def label(self) -> str:
        return self._label_

    @property
    def do_not_call_in_templates(self) -> bool:
        return True

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"{self.__class__.__qualname__}.{self._name_}"


class IntegerChoices(int, Choices):
    """Integer choices: `GOLD = 1, "Gold medal"`."""


class TextChoices(str, Choices):
    """Text choices; a member without a value uses its name."""

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[Any]) -> str:
        return name
