"""A tree of children joined by one connector, optionally negated (Q and WhereNode build on it)."""

from __future__ import annotations

from typing import Any


class Node:
    default = "DEFAULT"

    def __init__(
        self, children: list[Any] | None = None, connector: str | None = None, negated: bool = False
    ) -> None:
        self.children = children[:] if children else []
        self.connector = connector or self.default
        self.negated = negated

    def __str__(self) -> str:
        template = "(NOT (%s: %s))" if self.negated else "(%s: %s)"
        return template % (self.connector, ", ".join(str(c) for c in self.children))

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>"

    def __len__(self) -> int:
        return len(self.children)

    def __bool__(self) -> bool:
        return bool(self.children)

    def __contains__(self, other: Any) -> bool:
        return other in self.children

    def add(self, data: Any, conn_type: str) -> Any:
        """Add `data` under `conn_type`, squashing a same-connector, non-negated child."""
        if self.connector != conn_type:
            obj = self.copy()
            self.connector = conn_type
            self.children = [obj, data]
            return data
        if (
            isinstance(data, Node)
            and not data.negated
            and (data.connector == conn_type or len(data) == 1)
        ):
            self.children.extend(data.children)
            return self
        self.children.append(data)
        return data

    def negate(self) -> None:
        self.negated = not self.negated

    def copy(self) -> Any:
        obj = type(self).__new__(type(self))
        obj.__dict__.update(self.__dict__)
        obj.children = list(self.children)
        return obj
