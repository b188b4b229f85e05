"""Draw the seed tours' models (`tether demo`'s) into docs/seed-models.svg, as `tether graph`
draws a project's; tests/cli/test_graph.py fails when the file is stale.

Usage: python tools/draw_seed_models.py
"""

from __future__ import annotations

from pathlib import Path

from tether.cli.model_graph import render
from tether.cli.seed_apps import press, registrar, registry, school  # noqa: F401

TARGET = Path(__file__).resolve().parent.parent / "docs" / "seed-models.svg"

if __name__ == "__main__":
    TARGET.write_text(render(registry.get_models(include_auto_created=True)), encoding="utf-8")
    print(f"wrote {TARGET}")
