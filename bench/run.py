"""Run the bench: every contender on every workload, each in its own process.

    python bench/run.py [--repeats N] [--database URL] [--only W ...]
                        [--contenders tether,django,raw] [--markdown] [--record]
    python bench/run.py --check-sql [--database URL]
    python bench/run.py --profile DIR [--only W ...]       (tether under cProfile)

Each (contender, workload) pair runs in a fresh `python bench/worker.py` process that repeats
the workload N times on a fresh database (SQLite: a new WAL file in a temp directory; servers:
the table dropped and recreated) and verifies every result. The table gives the median, the
spread (min-max) and the ratios against raw and Django, with the issue's targets as PASS/FAIL.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import ROWS, Target  # noqa: E402
from sqlspec import statements  # noqa: E402
from worker import WORKLOADS  # noqa: E402

RESULTS = HERE / "RESULTS.md"
DEFAULT_DATABASE = "sqlite://"
CONTENDERS = ("tether", "django", "raw")
# The targets: tether / raw at most this ratio (None: no raw target); and always < Django.
RAW_TARGETS = {"W_create": None, "W_bulk": 3.0, "W_materialize": 3.0, "W_get": 10.0}
OPS = {"W_create": ROWS, "W_bulk": ROWS, "W_materialize": ROWS, "W_get": 5_000}


def snapshot(ref: str) -> str:
    """Export src/ at git `ref` into a temp directory, so that a run measures one commit even
    while the working tree changes under it. Returns the commit id."""
    commit = subprocess.run(["git", "rev-parse", ref], capture_output=True, text=True,
                            cwd=HERE.parent, check=True).stdout.strip()
    folder = tempfile.mkdtemp(prefix="tether-bench-src-")
    archive = subprocess.run(["git", "archive", commit, "src"], capture_output=True,
                             cwd=HERE.parent, check=True).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (os.path.join(folder, "src"), os.environ.get("PYTHONPATH")) if p)
    return commit


def run_worker(contender: str, workload: str, args: argparse.Namespace,
               extra: tuple[str, ...] = ()) -> dict:
    command = [sys.executable, str(HERE / "worker.py"), contender, workload,
               "--database", args.database, "--repeats", str(args.repeats), *extra]
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent)
    lines = done.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": f"worker exited {done.returncode}: {done.stderr.strip()[-500:]}"}


def summarize(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    quartiles = statistics.quantiles(ms, n=4) if len(ms) > 1 else [ms[0]] * 3
    return {"median": statistics.median(ms), "min": ms[0], "max": ms[-1],
            "q1": quartiles[0], "q3": quartiles[2], "n": len(ms)}


def ratio(a: dict | None, b: dict | None) -> float | None:
    if not a or not b or "median" not in a or "median" not in b:
        return None
    return a["median"] / b["median"]


def fmt_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}x"


def verdict(workload: str, results: dict) -> str:
    tether = results.get("tether")
    if not tether or "median" not in tether:
        return "FAIL (tether failed)" if tether else "–"
    notes, ok = [], True
    limit = RAW_TARGETS[workload]
    vs_raw = ratio(tether, results.get("raw"))
    if limit is not None and vs_raw is not None:
        passed = vs_raw <= limit
        ok &= passed
        notes.append(f"≤{limit:g}x raw {'PASS' if passed else 'FAIL'}")
    vs_django = ratio(tether, results.get("django"))
    if vs_django is not None:
        passed = vs_django < 1.0
        ok &= passed
        notes.append(f"< Django {'PASS' if passed else 'FAIL'}")
    if not notes:
        return "–"
    return ("PASS" if ok else "FAIL") + ": " + ", ".join(notes)


def table(all_results: dict, contenders: list[str]) -> str:
    lines = [
        "| workload | contender | median ms | spread ms (min–max) | IQR ms | per op µs "
        "| vs raw | vs django | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for workload, results in all_results.items():
        for index, name in enumerate(contenders):
            r = results.get(name)
            target = verdict(workload, results) if index == 0 else ""
            if r is None:
                continue
            if "error" in r:
                lines.append(f"| {workload} | {name} | FAILED | {r['error'][:120]} | | | | | "
                             f"{target} |")
                continue
            per_op = r["median"] * 1000 / OPS[workload]
            lines.append(
                f"| {workload} | {name} | {r['median']:.1f} | {r['min']:.1f}–{r['max']:.1f} "
                f"| {r['q1']:.1f}–{r['q3']:.1f} | {per_op:.1f} "
                f"| {fmt_ratio(ratio(r, results.get('raw')))} "
                f"| {fmt_ratio(ratio(r, results.get('django')))} | {target} |"
            )
    return "\n".join(lines)


def machine() -> str:
    return (f"nproc {os.cpu_count()}, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.machine()}")


def server_version(target: Target) -> str:
    if target.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} (file database, WAL, synchronous=NORMAL)"
    import common

    conn = common.admin_connect(target)
    try:
        return str(common.admin_execute(conn, "SELECT version()")[0][0])
    finally:
        conn.close()  # type: ignore[attr-defined]


def record(markdown: str, target: Target, command: str, versions: str, commit: str) -> None:
    """Replace this database's section of RESULTS.md (or append it), leaving the rest alone."""
    start, end = f"<!-- bench:{target.vendor} -->", f"<!-- /bench:{target.vendor} -->"
    today = datetime.date.today().isoformat()
    section = (f"{start}\n## {target.vendor}, {today}\n\n"
               f"- Machine: {machine()}\n- Database: {versions}\n- Versions: {versions_line()}\n"
               f"- tether commit: {commit}\n"
               f"- Command: `{command}`\n\n{markdown}\n{end}")
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Bench results\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        marker = "\n## Profile notes"
        head, sep, tail = text.partition(marker)
        text = head.rstrip("\n") + "\n\n" + section + "\n" + (sep + tail if sep else "")
    RESULTS.write_text(text, encoding="utf-8")


def versions_line() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for package in ("tether-orm", "Django", "psycopg", "PyMySQL", "mysqlclient"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            pass
    return ", ".join(parts)


def check_sql(args: argparse.Namespace) -> int:
    """Capture the statements tether runs for each workload and compare with sqlspec.py."""
    target = Target.parse(args.database)
    spec = statements(target.vendor)
    batches = {spec.insert_many(min(spec.rows_per_batch, ROWS))}
    if ROWS % spec.rows_per_batch and ROWS > spec.rows_per_batch:
        batches.add(spec.insert_many(ROWS % spec.rows_per_batch))
    expected = {
        "W_create": {"BEGIN", spec.insert_one, "COMMIT"},
        "W_bulk": {"BEGIN", *batches, "COMMIT"},
        "W_materialize": {spec.select_all},
        "W_get": {spec.select_get},
    }
    failures = 0
    args.repeats = 1
    for workload in args.only:
        out = run_worker("tether", workload, args, ("--capture-sql",))
        if "error" in out:
            print(f"{workload}: tether failed: {out['error']}")
            failures += 1
            continue
        seen = set(out["sql"])
        missing, extra = expected[workload] - seen, seen - expected[workload]
        if spec.ddl not in out["setup_sql"]:
            missing.add(spec.ddl)
        status = "same SQL" if not missing and not extra else "DIFFERENT SQL"
        failures += bool(missing or extra)
        print(f"{workload}: {status}")
        for sql in sorted(missing):
            print(f"  raw runs, tether did not: {sql[:160]}")
        for sql in sorted(extra):
            print(f"  tether ran, raw does not: {sql[:160]}")
    return 1 if failures else 0


def profile(args: argparse.Namespace) -> int:
    import pstats

    folder = Path(args.profile)
    folder.mkdir(parents=True, exist_ok=True)
    for workload in args.only:
        stats_file = folder / f"tether-{workload}.prof"
        out = run_worker("tether", workload, args, ("--profile", str(stats_file)))
        if "error" in out:
            print(f"{workload}: {out['error']}")
            continue
        print(f"\n===== {workload} (tether under cProfile, {args.repeats} repeats) =====")
        stats = pstats.Stats(str(stats_file))
        stats.sort_stats("tottime").print_stats(18)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", DEFAULT_DATABASE),
                        help="sqlite:// (temp files), postgresql://..., mysql://...")
    parser.add_argument("--only", nargs="+", choices=WORKLOADS, default=list(WORKLOADS))
    parser.add_argument("--contenders", default=",".join(CONTENDERS))
    parser.add_argument("--markdown", action="store_true", help="print only the Markdown table")
    parser.add_argument("--record", action="store_true", help="write the table into RESULTS.md")
    parser.add_argument("--check-sql", action="store_true",
                        help="compare tether's statements with the raw contender's")
    parser.add_argument("--profile", metavar="DIR", help="profile tether on --only workloads")
    parser.add_argument("--tether-ref", default="HEAD", metavar="REF",
                        help="measure tether as committed at this git ref (default HEAD); "
                        "'worktree' uses the working tree as it is")
    args = parser.parse_args(argv)
    args.commit = "working tree" if args.tether_ref == "worktree" else snapshot(args.tether_ref)
    if args.check_sql:
        return check_sql(args)
    if args.profile:
        return profile(args)
    contenders = [c.strip() for c in args.contenders.split(",") if c.strip()]
    unknown = set(contenders) - set(CONTENDERS)
    if unknown:
        parser.error(f"unknown contender(s): {', '.join(sorted(unknown))}")
    target = Target.parse(args.database)
    all_results: dict[str, dict] = {}
    for workload in args.only:
        all_results[workload] = {}
        for name in contenders:
            if not args.markdown:
                print(f"{workload:14} {name:7} ...", end=" ", flush=True)
            out = run_worker(name, workload, args)
            result = out if "error" in out else summarize(out["times"])
            all_results[workload][name] = result
            if not args.markdown:
                print(result.get("error") or f"median {result['median']:.1f} ms", flush=True)
    markdown = table(all_results, contenders)
    command = "python bench/run.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    if not args.markdown:
        print()
    print(markdown)
    if args.record:
        record(markdown, target, command.strip(), server_version(target), args.commit)
        print(f"\nrecorded in {RESULTS.relative_to(HERE.parent)}")
    failed = any("error" in r for results in all_results.values() for r in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
