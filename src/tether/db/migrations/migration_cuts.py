"""The autodetector's operations cut into migrations: each app's operations in dependency
order (graphlib's topological order, as Django sorts them), in as few migrations as the other
apps' operations allow, each optimized and depending on the migrations it needs."""

from __future__ import annotations

import graphlib
from typing import Any

from tether.db.migrations.migration import Migration
from tether.db.migrations.optimizer import MigrationOptimizer


class Op:
    """An operation with what it provides and requires, for ordering."""

    def __init__(self, operation: Any, provides: set[Any], requires: set[Any]) -> None:
        self.operation = operation
        self.provides = provides
        self.requires = requires


def cut_into_migrations(
    generated: dict[str, list[Op]], app_labels: set[str]
) -> dict[str, list[Any]]:
    """Each app's operations in dependency order, cut into migrations: an app's
    operations go into one migration unless one of them needs an operation another app
    has still to place. When no app can place all its operations (two apps pointing at
    each other), the first app's operations up to the first such one make a migration of
    their own, and the rest wait for the other app (Django's way to break the cycle)."""
    pending = {app: stable_topological_sort(items) for app, items in generated.items()}
    made: dict[str, list[Any]] = {}
    chop = False
    remaining = sum(len(items) for items in pending.values())
    while remaining:
        for app_label in sorted(pending):
            taken: list[Op] = []
            dependencies: set[tuple[str, str]] = set()
            while pending[app_label]:
                item = pending[app_label][0]
                needed = _placed_dependencies(item, app_label, pending, made, app_labels)
                if needed is None:
                    break
                taken.append(pending[app_label].pop(0))
                dependencies |= needed
            if not taken:
                continue
            if pending[app_label] and not chop:
                pending[app_label] = taken + pending[app_label]  # all at once, or wait
                continue
            chop = False
            migrations = made.setdefault(app_label, [])
            migration = Migration(f"auto_{len(migrations) + 1}", app_label)
            migration.operations = MigrationOptimizer().optimize(
                [item.operation for item in taken], app_label
            )
            migration.dependencies = sorted(dependencies)
            if migrations:
                migration.dependencies.append((app_label, migrations[-1].name))
            migrations.append(migration)
        left = sum(len(items) for items in pending.values())
        if left == remaining:
            if chop:
                raise ValueError(f"Cannot resolve operation dependencies: {pending!r}")
            chop = True
        remaining = left
    return {app: migs for app, migs in made.items() if len(migs) > 1 or migs[0].operations}


def _placed_dependencies(
    item: Op,
    app_label: str,
    pending: dict[str, list[Op]],
    made: dict[str, list[Any]],
    app_labels: set[str],
) -> set[tuple[str, str]] | None:
    """The other apps' migrations `item` depends on, or None while one of them has still
    to place an operation `item` needs."""
    dependencies = set()
    for token in item.requires:
        if len(token) < 3 or token[0] not in ("model", "field") or token[1] == app_label:
            continue
        other = token[1]
        if any(token in waiting.provides for waiting in pending.get(other, ())):
            return None
        if other in made:
            dependencies.add((other, made[other][-1].name))
        elif other in app_labels:
            dependencies.add((other, "__first__"))
    return dependencies


def stable_topological_sort(items: list[Op]) -> list[Op]:
    """Items after the items providing what they require, in the order graphlib gives them
    when they are added in their written order (Django's autodetector sorts that way, so the
    same changes come out in the same order); a cycle keeps the written order."""
    sorter: graphlib.TopologicalSorter[Op] = graphlib.TopologicalSorter()
    for item in items:
        sorter.add(item, *(p for p in items if p is not item and p.provides & item.requires))
    try:
        return list(sorter.static_order())
    except graphlib.CycleError:
        return list(items)
