"""CI gate over Django's own tests: no test that passed before may fail now.

Reads the JSON report of `../shared/conformance/run.py --target tether --json FILE` and the
list of test ids kept as passing for that backend (tests/conformance/passing-<backend>.txt).
Exits 1 and names every kept id that no longer passes; newly passing ids are counted and, with
`--update`, written to the list (so it only grows as tether does).

Usage: python tools/conformance_gate.py --backend sqlite --report /tmp/conf.json [--update]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

KEPT = Path(__file__).resolve().parent.parent / "tests" / "conformance"


def passing_ids(report: dict) -> set[str]:
    return {
        test_id
        for app in report["apps"].values()
        for test_id, (status, _message) in app["tests"].items()
        if status == "pass"
    }


def scored_count(report: dict) -> int:
    """Tests in the contract: passed, failed or errored (skips and exclusions aside)."""
    return sum(
        app["counts"]["passed"] + app["counts"]["failed"] + app["counts"]["errored"]
        for app in report["apps"].values()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", required=True, choices=["sqlite", "postgresql", "mariadb"])
    parser.add_argument("--report", required=True, type=Path)
    parser.add_argument("--update", action="store_true", help="add newly passing ids to the list")
    args = parser.parse_args(argv)

    report = json.loads(args.report.read_text())
    now = passing_ids(report)
    kept_file = KEPT / f"passing-{args.backend}.txt"
    kept = set(kept_file.read_text().split()) if kept_file.exists() else set()
    lost = sorted(kept - now)
    gained = now - kept
    print(
        f"conformance {args.backend}: {len(now)} of {scored_count(report)} in-contract tests "
        f"pass; {len(kept)} kept as passing, {len(lost)} of them lost, {len(gained)} newly passing"
    )
    statuses = {tid: st for app in report["apps"].values() for tid, st in app["tests"].items()}
    for test_id in lost:
        message = statuses[test_id][1] if test_id in statuses else "not collected"
        print(f"  REGRESSION {test_id}: {message[:300]}")
    if args.update and not lost:
        kept_file.parent.mkdir(parents=True, exist_ok=True)
        kept_file.write_text("".join(f"{test_id}\n" for test_id in sorted(kept | now)))
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
