"""MigrationGraph: migrations as nodes, dependencies as edges, as Django's graph.py.

It answers which migrations come before a target (forwards_plan), which after it
(backwards_plan), the first and last migrations of an app (root_nodes, leaf_nodes), and the
project state at some nodes (make_state). Squashed migrations replace the nodes they replace.
"""

from __future__ import annotations

from functools import total_ordering
from typing import Any

from tether.db.migrations.exceptions import CircularDependencyError, NodeNotFoundError

Key = tuple[str, str]


@total_ordering
class Node:
    def __init__(self, key: Key) -> None:
        self.key = key
        self.children: set[Node] = set()
        self.parents: set[Node] = set()

    def __eq__(self, other: object) -> bool:
        return self.key == (other.key if isinstance(other, Node) else other)

    def __lt__(self, other: Any) -> bool:
        return self.key < (other.key if isinstance(other, Node) else other)

    def __hash__(self) -> int:
        return hash(self.key)

    def __getitem__(self, item: int) -> str:
        return self.key[item]

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: ({self.key[0]!r}, {self.key[1]!r})>"


class DummyNode(Node):
    """A dependency that does not exist (yet): an error if it survives the loading."""

    def __init__(self, key: Key, origin: Any, error_message: str) -> None:
        super().__init__(key)
        self.origin = origin
        self.error_message = error_message

    def raise_error(self) -> None:
        raise NodeNotFoundError(self.error_message, self.key, origin=self.origin)


class MigrationGraph:
    def __init__(self) -> None:
        self.node_map: dict[Key, Node] = {}
        self.nodes: dict[Key, Any] = {}

    def add_node(self, key: Key, migration: Any) -> None:
        assert key not in self.node_map
        self.node_map[key] = Node(key)
        self.nodes[key] = migration

    def add_dummy_node(self, key: Key, origin: Any, error_message: str) -> None:
        self.node_map[key] = DummyNode(key, origin, error_message)
        self.nodes[key] = None

    def add_dependency(
        self, migration: Any, child: Key, parent: Key, skip_validation: bool = False
    ) -> None:
        """`child` depends on `parent`; missing nodes become dummies checked later."""
        if child not in self.nodes:
            error = f"Migration {migration} dependencies reference nonexistent child node {child!r}"
            self.add_dummy_node(child, migration, error)
        if parent not in self.nodes:
            error = (
                f"Migration {migration} dependencies reference nonexistent parent node {parent!r}"
            )
            self.add_dummy_node(parent, migration, error)
        self.node_map[child].parents.add(self.node_map[parent])
        self.node_map[parent].children.add(self.node_map[child])
        if not skip_validation:
            self.validate_consistency()

    def remove_replaced_nodes(self, replacement: Key, replaced: list[Key]) -> None:
        """Point every dependency on a replaced node at `replacement` instead."""
        replaced_set = set(replaced)
        try:
            replacement_node = self.node_map[replacement]
        except KeyError as exc:
            raise NodeNotFoundError(
                f"Unable to find replacement node {replacement!r}. It was either never added "
                "to the migration graph, or has been removed.",
                replacement,
            ) from exc
        for replaced_key in replaced:
            self.nodes.pop(replaced_key, None)
            node = self.node_map.pop(replaced_key, None)
            if node is None:
                continue
            for child in node.children:
                child.parents.remove(node)
                if child.key not in replaced_set:
                    replacement_node.children.add(child)
                    child.parents.add(replacement_node)
            for parent in node.parents:
                parent.children.remove(node)
                if parent.key not in replaced_set:
                    replacement_node.parents.add(parent)
                    parent.children.add(replacement_node)

    def remove_replacement_node(self, replacement: Key, replaced: list[Key]) -> None:
        """Drop a squashed migration whose replaced migrations are partly applied: the
        dependencies on it go to its last replaced migration."""
        self.nodes.pop(replacement)
        try:
            replacement_node = self.node_map.pop(replacement)
        except KeyError as exc:
            raise NodeNotFoundError(
                f"Unable to remove replacement node {replacement!r}. It was either never "
                "added to the migration graph, or has been removed already.",
                replacement,
            ) from exc
        replaced_nodes: set[Node] = set()
        replaced_nodes_parents: set[Node] = set()
        for key in replaced:
            node = self.node_map.get(key)
            if node:
                replaced_nodes.add(node)
                replaced_nodes_parents |= node.parents
        replaced_nodes -= replaced_nodes_parents
        for child in replacement_node.children:
            child.parents.remove(replacement_node)
            for replaced_node in replaced_nodes:
                replaced_node.children.add(child)
                child.parents.add(replaced_node)
        for parent in replacement_node.parents:
            parent.children.remove(replacement_node)

    def validate_consistency(self) -> None:
        for node in self.node_map.values():
            if isinstance(node, DummyNode):
                node.raise_error()

    def forwards_plan(self, target: Key) -> list[Key]:
        """Every migration `target` needs, in order, ending with `target`."""
        if target not in self.nodes:
            raise NodeNotFoundError(f"Node {target!r} not a valid node", target)
        return self.iterative_dfs(self.node_map[target])

    def backwards_plan(self, target: Key) -> list[Key]:
        """Every migration that needs `target`, last first, ending with `target`."""
        if target not in self.nodes:
            raise NodeNotFoundError(f"Node {target!r} not a valid node", target)
        return self.iterative_dfs(self.node_map[target], forwards=False)

    def iterative_dfs(self, start: Node, forwards: bool = True) -> list[Key]:
        visited: list[Key] = []
        visited_set: set[Node] = set()
        stack = [(start, False)]
        while stack:
            node, processed = stack.pop()
            if node in visited_set:
                continue
            if processed:
                visited_set.add(node)
                visited.append(node.key)
            else:
                stack.append((node, True))
                following = node.parents if forwards else node.children
                stack += [(n, False) for n in sorted(following, reverse=True)]
        return visited

    def root_nodes(self, app: str | None = None) -> list[Key]:
        return sorted(
            key
            for key in self.nodes
            if all(key[0] != parent.key[0] for parent in self.node_map[key].parents)
            and (not app or app == key[0])
        )

    def leaf_nodes(self, app: str | None = None) -> list[Key]:
        return sorted(
            key
            for key in self.nodes
            if all(key[0] != child.key[0] for child in self.node_map[key].children)
            and (not app or app == key[0])
        )

    def ensure_not_cyclic(self) -> None:
        todo = set(self.nodes)
        while todo:
            node = todo.pop()
            stack = [node]
            while stack:
                top = stack[-1]
                for child in self.node_map[top].children:
                    key = child.key
                    if key in stack:
                        cycle = stack[stack.index(key) :]
                        raise CircularDependencyError(", ".join("{}.{}".format(*n) for n in cycle))
                    if key in todo:
                        stack.append(key)
                        todo.remove(key)
                        break
                else:
                    stack.pop()

    def make_state(self, nodes: Any = None, at_end: bool = True) -> Any:
        """The project state after the migrations up to `nodes` (all leaves by default)."""
        from tether.db.migrations.state import ProjectState

        if nodes is None:
            nodes = list(self.leaf_nodes())
        if not nodes:
            return ProjectState()
        if not isinstance(nodes[0], tuple):
            nodes = [nodes]
        plan = self._generate_plan(nodes, at_end)
        state = ProjectState()
        for node in plan:
            state = self.nodes[node].mutate_state(state, preserve=False)
        return state

    def _generate_plan(self, nodes: list[Key], at_end: bool) -> list[Key]:
        plan: list[Key] = []
        for node in nodes:
            for migration in self.forwards_plan(node):
                if migration not in plan and (at_end or migration not in nodes):
                    plan.append(migration)
        return plan

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def __str__(self) -> str:
        edges = sum(len(node.parents) for node in self.node_map.values())
        return f"Graph: {len(self.nodes)} nodes, {edges} edges"
