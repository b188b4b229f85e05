"""MigrationOptimizer: fewer operations with the same effect, as Django's optimizer.

Each operation is offered every later one: when `reduce()` merges them (CreateModel + AddField
-> CreateModel, AddField + RemoveField -> nothing, ...), the operations in between must be able
to move to one side of the result; passes repeat until one changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class MigrationOptimizer:
    def optimize(self, operations: list[Any], app_label: str) -> list[Any]:
        if app_label is None:
            raise TypeError("app_label must be a str.")
        self._iterations = 0
        while True:
            reduced = _one_pass(operations, app_label)
            self._iterations += 1
            if reduced == operations:
                return reduced
            operations = reduced


def _one_pass(operations: Sequence[Any], app_label: str) -> list[Any]:
    """The operations with the first mergeable pair merged (in list order of the earlier
    operation), or as they were."""
    for first in range(len(operations)):
        merged = _merge_from(operations, first, app_label)
        if merged is not None:
            return merged
    return list(operations)


def _merge_from(operations: Sequence[Any], first: int, app_label: str) -> list[Any] | None:
    """The operations with `operations[first]` merged into the earliest later one it reduces
    with, or None. The operations between the two stay before the result while every one of
    them could be passed over (reduce() answered True); otherwise they go after it, when each
    of them can be passed over by the later operation; otherwise nothing merges."""
    operation = operations[first]
    between_may_precede = True
    for later in range(first + 1, len(operations)):
        other = operations[later]
        result = operation.reduce(other, app_label)
        if isinstance(result, list):
            head, between = operations[:first], operations[first + 1 : later]
            tail = operations[later + 1 :]
            if between_may_precede:
                return [*head, *between, *result, *tail]
            if all(op.reduce(other, app_label) is True for op in between):
                return [*head, *result, *between, *tail]
            return None
        if not result:
            between_may_precede = False
    return None
