"""MigrationOptimizer: fewer operations with the same effect, as Django's optimizer.

Each operation is offered every later one: when `reduce()` merges them (CreateModel + AddField
-> CreateModel, AddField + RemoveField -> nothing, ...), the operations in between must be able
to move to one side of the result; the pass repeats until nothing changes.
"""

from __future__ import annotations

from typing import Any


class MigrationOptimizer:
    def optimize(self, operations: list[Any], app_label: str) -> list[Any]:
        if app_label is None:
            raise TypeError("app_label must be a str.")
        self._iterations = 0
        while True:
            result = self.optimize_inner(operations, app_label)
            self._iterations += 1
            if result == operations:
                return result
            operations = result

    def optimize_inner(self, operations: list[Any], app_label: str) -> list[Any]:
        new_operations: list[Any] = []
        for i, operation in enumerate(operations):
            right = True  # may the in-between operations go to the right of the result?
            for j, other in enumerate(operations[i + 1 :]):
                result = operation.reduce(other, app_label)
                if isinstance(result, list):
                    in_between = operations[i + 1 : i + j + 1]
                    if right:
                        new_operations.extend(in_between)
                        new_operations.extend(result)
                    elif all(op.reduce(other, app_label) is True for op in in_between):
                        new_operations.extend(result)
                        new_operations.extend(in_between)
                    else:
                        new_operations.append(operation)
                        break
                    new_operations.extend(operations[i + j + 2 :])
                    return new_operations
                if not result:
                    right = False
            else:
                new_operations.append(operation)
        return new_operations
