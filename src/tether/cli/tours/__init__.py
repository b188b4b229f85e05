"""Tours: narrated, checked walkthroughs that `tether demo` replays.

A `Tour` is data: a title, a few lines of introduction, a function that returns its models (in
table-creation order) and a list of steps. A step is a Python statement and the text the
interactive interpreter would print for it (the value's repr, anything printed, or a
"Traceback (most recent call last):\\n...\\nError: message" block; None for no output),
optionally preceded by a line of narration. Later issues add tours (the seed walkthroughs) by
appending to `TOURS`; `replay.py` runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    """One statement, the output expected for it, and an optional line of narration."""

    statement: str
    expected: str | None = None
    say: str = ""


@dataclass(frozen=True)
class Tour:
    """A walkthrough: `models()` returns the model classes whose tables the steps need."""

    title: str
    models: Callable[[], Sequence[Any]]
    steps: Sequence[Step | tuple[str, str | None]]
    intro: str = ""
    outro: str = ""
    namespace: dict[str, Any] = field(default_factory=dict)

    def normalized_steps(self) -> list[Step]:
        """The steps as `Step` values; plain (statement, expected) tuples are accepted."""
        return [step if isinstance(step, Step) else Step(*step) for step in self.steps]


def all_tours() -> list[Tour]:
    """Every tour `tether demo` replays, in order."""
    from tether.cli.tours.core import CORE_TOUR
    from tether.cli.tours.migrations import MIGRATIONS_TOUR
    from tether.cli.tours.press import PRESS_TOUR
    from tether.cli.tours.students import REGISTRAR_TOUR, SCHOOL_TOUR

    return [CORE_TOUR, PRESS_TOUR, SCHOOL_TOUR, REGISTRAR_TOUR, MIGRATIONS_TOUR]


__all__ = ["Step", "Tour", "all_tours"]
