"""CI guard for the size ceilings of docs/architecture.md: modules under src/tether at most
1,200 lines, classes at most ~600 lines. Lists every offender and exits 1 if there is one.

Usage: python tools/check_sizes.py [package_dir]   (default: src/tether beside this folder)
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MODULE_LIMIT = 1200
CLASS_LIMIT = 600


def class_sizes(tree: ast.AST) -> list[tuple[str, int, int]]:
    """(qualified name, first line, line count) of every class, nested ones included."""
    found: list[tuple[str, int, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                name = f"{prefix}{child.name}"
                first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                last = child.end_lineno or child.lineno
                found.append((name, first, last - first + 1))
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def offenders(package: Path) -> list[str]:
    problems = []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MODULE_LIMIT:
            problems.append(f"{path}: module has {lines} lines (limit {MODULE_LIMIT})")
        try:
            tree = ast.parse(text, filename=str(path))
        except SyntaxError as exc:
            problems.append(f"{path}: cannot parse: {exc}")
            continue
        for name, first, size in class_sizes(tree):
            if size > CLASS_LIMIT:
                problems.append(
                    f"{path}:{first}: class {name} has {size} lines (limit {CLASS_LIMIT})"
                )
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    package = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "src" / "tether"
    if not package.is_dir():
        print(f"check_sizes: no such package directory: {package}", file=sys.stderr)
        return 2
    problems = offenders(package)
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"check_sizes: {len(problems)} size ceiling(s) exceeded "
            "(docs/architecture.md, Rules of thumb)"
        )
        return 1
    print(f"check_sizes: every module and class under {package} is within the ceilings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
