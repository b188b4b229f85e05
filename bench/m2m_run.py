"""Run the many-to-many bench (issues 7 and 12): every contender on W1-W10, each in its own process.

    python bench/m2m_run.py [--repeats N] [--database URL] [--only W1 ...]
                            [--contenders tether,raw-same,...] [--record] [--tether-ref REF]
    python bench/m2m_run.py --check-sql [--database URL]   # raw-same runs tether's statements?
    python bench/m2m_run.py --profile DIR [--only W3 W7]   # tether under cProfile

Each (contender, workload) pair runs `python bench/m2m_worker.py` in a fresh process that repeats
the workload N times on a fresh database and verifies every result (m2m_common.verify). The table
gives the median (with --best: the fastest repeat), the spread (min-max) and tether's ratios
against raw-same (its overhead), raw-min (the physical limit) and the fastest peer, with the
issues' targets as PASS/FAIL.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import m2m_common as mc  # noqa: E402
from common import Target  # noqa: E402
from run import machine, server_version, snapshot, summarize  # noqa: E402

RESULTS = HERE / "RESULTS.md"
PEERS = ("django", "sqlalchemy", "peewee", "pony", "tortoise")
SQLITE_ONLY = ("pony", "tortoise")  # servers: tether, raw and Django (peers are optional)
ALL = ("tether", "raw-same", "raw-min", *PEERS)
DB_BOUND = {"W5": 1.05, "W8": 1.05}  # tether may be this much slower than the fastest peer
RAW_MIN_TARGET = {"W3": 2.5, "W4": 2.5, "W7": 2.5}
# Issue 12's query workloads: faster than Django and within this of raw-same (the same SQL);
# the peers, some of which send cheaper SQL of their own, are shown but not a target.
RAW_SAME_TARGET = {"W9": 1.5, "W10": 1.5}


def run_worker(contender: str, workload: str, args: argparse.Namespace,
               extra: tuple[str, ...] = ()) -> dict:
    command = [sys.executable, str(HERE / "m2m_worker.py"), contender, workload,
               "--database", args.database, "--repeats", str(args.repeats), *extra]
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent,
                              timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {args.timeout} s"}
    lines = done.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": f"worker exited {done.returncode}: {done.stderr.strip()[-300:]}"}


# What the ratios and targets compare: the median of the repeats, or with --best the fastest
# (on a shared machine other processes only ever add time, so the minimum is the stabler).
STATISTIC = ["median"]


def median(r: dict | None) -> float | None:
    """The compared time of a result (the median, or the min under --best)."""
    return r[STATISTIC[0]] if r and STATISTIC[0] in r else None


def verdict(workload: str, results: dict) -> tuple[str, dict]:
    t = median(results.get("tether"))
    ratios: dict = {}
    if t is None:
        return "FAIL (tether failed)", ratios
    peers = {n: median(results.get(n)) for n in PEERS if median(results.get(n)) is not None}
    notes, ok = [], True
    if workload in RAW_SAME_TARGET:
        return _query_verdict(workload, t, results, peers, ratios)
    if peers:
        best = min(peers, key=peers.__getitem__)
        ratios["peer"] = (t / peers[best], best)
        limit = DB_BOUND.get(workload, 1.0)
        passed = t / peers[best] <= limit if workload in DB_BOUND else t < peers[best]
        ok &= passed
        rule = f"≤{limit:.2f}x best peer" if workload in DB_BOUND else "< every peer"
        notes.append(f"{rule} {'PASS' if passed else 'FAIL'}")
    raw_min = median(results.get("raw-min"))
    if raw_min:
        ratios["raw-min"] = t / raw_min
        if workload in RAW_MIN_TARGET:
            passed = t / raw_min <= RAW_MIN_TARGET[workload]
            ok &= passed
            notes.append(f"≤{RAW_MIN_TARGET[workload]:g}x raw-min {'PASS' if passed else 'FAIL'}")
    raw_same = median(results.get("raw-same"))
    if raw_same:
        ratios["raw-same"] = t / raw_same
    return ("PASS" if ok else "FAIL") + ": " + ", ".join(notes), ratios


def _query_verdict(workload: str, t: float, results: dict, peers: dict,
                   ratios: dict) -> tuple[str, dict]:
    notes, ok = [], True
    if peers:
        best = min(peers, key=peers.__getitem__)
        ratios["peer"] = (t / peers[best], best)
    django = median(results.get("django"))
    if django:
        passed = t < django
        ok &= passed
        notes.append(f"< django {'PASS' if passed else 'FAIL'}")
    raw_min = median(results.get("raw-min"))
    if raw_min:
        ratios["raw-min"] = t / raw_min
    raw_same = median(results.get("raw-same"))
    if raw_same:
        ratios["raw-same"] = t / raw_same
        passed = t / raw_same <= RAW_SAME_TARGET[workload]
        ok &= passed
        notes.append(f"≤{RAW_SAME_TARGET[workload]:g}x raw-same {'PASS' if passed else 'FAIL'}")
    return ("PASS" if ok else "FAIL") + ": " + ", ".join(notes), ratios


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}x"


def table(all_results: dict, contenders: list[str]) -> str:
    lines = [f"| workload | contender | {STATISTIC[0]} ms | spread ms (min–max) | IQR ms | vs raw-same "
             "| vs raw-min | vs fastest peer | target |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for workload, results in all_results.items():
        target, _ = verdict(workload, results)
        peers = {n: median(results.get(n)) for n in PEERS if median(results.get(n)) is not None}
        best = min(peers.values()) if peers else None
        for index, name in enumerate(contenders):
            r = results.get(name)
            if r is None:
                continue
            cell = target if index == 0 else ""
            if "error" in r:
                lines.append(f"| {workload} | {name} | FAILED | {r['error'][:140]} | | | | | "
                             f"{cell} |")
                continue
            m = r[STATISTIC[0]]
            vs = lambda other, m=m: fmt(m / other) if other else "–"  # noqa: E731
            label = name + (f" ({r['note']})" if r.get("note") else "")
            lines.append(
                f"| {workload} | {label} | {m:.1f} | {r['min']:.1f}–{r['max']:.1f} "
                f"| {r['q1']:.1f}–{r['q3']:.1f} | {vs(median(results.get('raw-same')))} "
                f"| {vs(median(results.get('raw-min')))} | {vs(best)} | {cell} |")
    return "\n".join(lines)


def summary(all_results: dict) -> str:
    rows = []
    for workload, results in all_results.items():
        target, ratios = verdict(workload, results)
        peer = ratios.get("peer")
        peer_text = f"{peer[0]:.2f}x {peer[1]}" if peer else "–"
        rows.append(f"| {workload} | {mc.WORKLOADS[workload]} | {fmt(ratios.get('raw-same'))} "
                    f"| {fmt(ratios.get('raw-min'))} | {peer_text} | {target} |")
    head = ("| workload | body | tether vs raw-same | tether vs raw-min | tether vs fastest peer "
            "| target |\n|---|---|---:|---:|---|---|\n")
    return head + "\n".join(rows)


def versions_line() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for package in ("tether-orm", "Django", "SQLAlchemy", "peewee", "pony", "tortoise-orm",
                    "aiosqlite", "psycopg", "PyMySQL", "mysqlclient"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            pass
    return ", ".join(parts)


def record(markdown: str, target: Target, command: str, commit: str,
           only: list[str]) -> None:
    # A run of some workloads has a section of its own: it never replaces the full table.
    key = "bench-m2m" if only == list(mc.WORKLOADS) else "bench-m2m-" + "-".join(only)
    start, end = f"<!-- {key}:{target.vendor} -->", f"<!-- /{key}:{target.vendor} -->"
    today = datetime.date.today().isoformat()
    what = "many-to-many" if key == "bench-m2m" else "many-to-many " + ", ".join(only)
    section = (f"{start}\n## {what}, {target.vendor}, {today}\n\n"
               f"- Machine: {machine()}\n- Database: {server_version(target)}\n"
               f"- Load when measured: {load()}\n"
               f"- Versions: {versions_line()}\n- tether commit: {commit}\n"
               f"- Command: `{command}`\n\n{markdown}\n{end}")
    text = RESULTS.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        marker = "\n## Profile notes (m2m)"
        head, sep, tail = text.partition(marker)
        text = head.rstrip("\n") + "\n\n" + section + "\n" + (sep + tail if sep else "")
    RESULTS.write_text(text, encoding="utf-8")


def load() -> str:
    """The load averages when the run ends: the machine is shared."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f} (1, 5, 15 min; {os.cpu_count()} CPUs)"


def check_sql(args: argparse.Namespace) -> int:
    """Capture tether's and raw-same's statements per workload and compare them, in order."""
    failures = 0
    args.repeats = 1
    for workload in args.only:
        got = {}
        for name in ("tether", "raw-same"):
            out = run_worker(name, workload, args, ("--capture-sql",))
            got[name] = out.get("sql") if "error" not in out else out["error"]
        if not isinstance(got["tether"], list) or not isinstance(got["raw-same"], list):
            print(f"{workload}: failed: {got}")
            failures += 1
            continue
        same = got["tether"] == got["raw-same"]
        failures += not same
        counts = collections.Counter(got["tether"])
        print(f"{workload}: {'same SQL' if same else 'DIFFERENT SQL'} "
              f"({len(got['tether'])} statements, {len(counts)} distinct)")
        if not same:
            a, b = collections.Counter(got["tether"]), collections.Counter(got["raw-same"])
            for sql in sorted(set(a) | set(b)):
                if a[sql] != b[sql]:
                    print(f"  tether {a[sql]} x, raw-same {b[sql]} x: {sql[:200]}")
    return 1 if failures else 0


def profile(args: argparse.Namespace) -> int:
    import pstats

    folder = Path(args.profile)
    folder.mkdir(parents=True, exist_ok=True)
    for workload in args.only:
        stats_file = folder / f"tether-m2m-{workload}.prof"
        out = run_worker("tether", workload, args, ("--profile", str(stats_file)))
        if "error" in out:
            print(f"{workload}: {out['error']}")
            continue
        print(f"\n===== {workload} (tether under cProfile, {args.repeats} repeats) =====")
        stats = pstats.Stats(str(stats_file))
        stats.sort_stats("tottime").print_stats(15)
        stats.sort_stats("cumulative").print_stats(25)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "sqlite://"))
    parser.add_argument("--only", nargs="+", choices=list(mc.WORKLOADS),
                        default=list(mc.WORKLOADS))
    parser.add_argument("--contenders", default="", help="default: all on SQLite; tether, "
                        "raw-same, raw-min, django, sqlalchemy, peewee on a server")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per worker")
    parser.add_argument("--record", action="store_true", help="write the table into RESULTS.md")
    parser.add_argument("--best", action="store_true",
                        help="compare the fastest repeat of each contender, not the median")
    parser.add_argument("--check-sql", action="store_true")
    parser.add_argument("--profile", metavar="DIR")
    parser.add_argument("--tether-ref", default="HEAD", metavar="REF",
                        help="measure tether as committed at REF; 'worktree': as it is")
    args = parser.parse_args(argv)
    if args.best:
        STATISTIC[0] = "min"
    commit = "working tree" if args.tether_ref == "worktree" else snapshot(args.tether_ref)
    if args.check_sql:
        return check_sql(args)
    if args.profile:
        return profile(args)
    target = Target.parse(args.database)
    default = ALL if target.vendor == "sqlite" else tuple(c for c in ALL if c not in SQLITE_ONLY)
    contenders = [c.strip() for c in args.contenders.split(",") if c.strip()] or list(default)
    all_results: dict[str, dict] = {}
    for workload in args.only:
        all_results[workload] = {}
        for name in contenders:
            print(f"{workload} {name:10} ...", end=" ", flush=True)
            out = run_worker(name, workload, args)
            result = out if "error" in out else {**summarize(out["times"]),
                                                  "note": out.get("note", "")}
            all_results[workload][name] = result
            print(result.get("error") or f"median {result['median']:.1f} ms", flush=True)
    markdown = summary(all_results) + "\n\n" + table(all_results, contenders)
    command = "python bench/m2m_run.py " + " ".join(shlex.quote(a) for a in
                                                    (argv or sys.argv[1:]))
    print("\n" + markdown)
    if args.record:
        record(markdown, target, command.strip(), commit, args.only)
        print(f"\nrecorded in {RESULTS.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
