"""`makemigrations --merge`: one migration that depends on an app's two (or more) leaves.

Shows each branch's operations since their common ancestor, asks (or, with --noinput, merges),
and writes `<next number>_merge_<leaf names>`, as Django does.
"""

from __future__ import annotations

import argparse
import os
from typing import Any


def handle_merge(loader: Any, conflicts: dict[str, list[str]], args: argparse.Namespace) -> int:
    from tether.db.migrations.autodetector import MigrationAutodetector
    from tether.db.migrations.migration import Migration, get_migration_name_timestamp
    from tether.db.migrations.questioner import (
        InteractiveMigrationQuestioner,
        MigrationQuestioner,
    )
    from tether.db.migrations.writer import MigrationWriter

    if args.interactive:
        questioner: Any = InteractiveMigrationQuestioner()
    else:
        questioner = MigrationQuestioner(defaults={"ask_merge": True})
    graph = loader.graph
    for app_label, names in conflicts.items():
        merge_migrations = [loader.get_migration(app_label, name) for name in names]
        plans = [
            [key for key in graph.forwards_plan((app_label, m.name)) if key[0] == app_label]
            for m in merge_migrations
        ]
        common = None
        for level in zip(*plans, strict=False):
            if len(set(level)) != 1:
                break
            common = level[0]
        print(f"Merging {app_label}")
        for migration, plan in zip(merge_migrations, plans, strict=True):
            start = plan.index(common) + 1 if common in plan else 0
            print(f"  Branch {migration.name}")
            for key in plan[start:]:
                for operation in graph.nodes[key].operations:
                    print(f"    {operation.formatted_description()}")
        if not questioner.ask_merge(app_label):
            continue
        biggest = max(MigrationAutodetector.parse_number(m.name) or 0 for m in merge_migrations)
        parts = [f"{biggest + 1:04d}"]
        if args.name:
            parts.append(args.name)
        else:
            parts.append("merge")
            leaf_names = "_".join(sorted(m.name for m in merge_migrations))
            parts.append(get_migration_name_timestamp() if len(leaf_names) > 47 else leaf_names)
        new = type(
            "Migration",
            (Migration,),
            {"dependencies": [(app_label, m.name) for m in merge_migrations]},
        )("_".join(parts), app_label)
        writer = MigrationWriter(new, args.include_header)
        if not args.dry_run:
            with open(writer.path, "w", encoding="utf-8") as handle:
                handle.write(writer.as_string())
            print(f"\nCreated new merge migration {os.path.relpath(writer.path)}")
    return 0
