"""The type variables of tether's generic classes: `QuerySet[Post]`, `Manager[Post]`,
`ForeignKey[Author]`, `CharField`'s `str`.

Only type checkers read the parameters: at run time `QuerySet[Post]` is `QuerySet` itself, as
in Django, so an annotation evaluated at run time (a model body without
`from __future__ import annotations`) works and changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from tether.models.base import Model

# A model class's instances: the rows of a QuerySet, the target of a relation.
M = TypeVar("M", bound="Model")
# The same, for managers: `Manager[Post]` is a `Manager[Model]`, so a model may replace
# `objects` with a manager of its own (Model declares `objects: ClassVar[Manager[Self]]`).
M_co = TypeVar("M_co", bound="Model", covariant=True)
# The Python value of a field (`str` for CharField), what reading it from an instance gives.
V = TypeVar("V")
