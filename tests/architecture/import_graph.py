"""The import graph of src/tether, read from the source with ast (every import statement,
function-level ones included): module -> {imported tether module: first line}. With
`runtime_only`, imports under `if TYPE_CHECKING:` (annotations only: none runs) are left out."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


@cache
def module_files() -> dict[str, Path]:
    modules = {}
    for path in (SRC / "tether").rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes that run only for a type checker (`if TYPE_CHECKING:` bodies)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                found.update(id(inner) for inner in ast.walk(statement))
    return found


def _imported(
    name: str, path: Path, modules: dict[str, Path], runtime_only: bool
) -> dict[str, int]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, int] = {}
    tree = ast.parse(path.read_text())
    skipped = _type_checking_only(tree) if runtime_only else set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from package import submodule` depends on the submodule, as `from
            # package.submodule import name` does; the package itself only when a name is not
            # a submodule (both forms run the package's __init__ first, which neither counts).
            submodules = [f"{module}.{a.name}" for a in node.names]
            targets = [name for name in submodules if name in modules]
            if len(targets) < len(submodules):
                targets.append(module)
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target.startswith("tether") and target != name:
                found.setdefault(target, node.lineno)
    return found


@cache
def import_graph(runtime_only: bool = False) -> dict[str, dict[str, int]]:
    modules = module_files()
    return {name: _imported(name, path, modules, runtime_only) for name, path in modules.items()}


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The cycles of `graph`: its strongly connected components of more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found
