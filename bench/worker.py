"""One bench process: one contender, one workload, N repeats, each on a fresh database.

    python bench/worker.py CONTENDER WORKLOAD --database URL [--repeats N] [--profile FILE]
        [--capture-sql]

Prints one JSON object on stdout: {"times": [seconds, ...]} or {"error": "..."}. Only the
workload body is timed (time.perf_counter); setup, seeding and verification are not. A result
that does not verify ends the run with an error, so a wrong contender is never timed.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import sys
import time
import traceback
from pathlib import Path

import common
from common import ROWS, Target

WORKLOADS = ("W_create", "W_bulk", "W_materialize", "W_get")
SEEDED = {"W_materialize", "W_get"}


def load_contender(name: str, target: Target):  # noqa: ANN201
    if name == "tether":
        from contender_tether import Contender
    elif name == "django":
        from contender_django import Contender
    elif name == "raw":
        from contender_raw import Contender
    else:
        raise SystemExit(f"unknown contender {name!r}")
    return Contender(target)


def as_tuple(obj: object) -> tuple:
    if isinstance(obj, tuple):
        return obj
    return (obj.id, obj.name, obj.number, obj.created)  # type: ignore[attr-defined]


class VerificationError(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise VerificationError(message)


def first_difference(got: list, want: list) -> str:
    if len(got) != len(want):
        return f"{len(got)} rows, expected {len(want)}"
    for index, (g, w) in enumerate(zip(got, want, strict=True)):
        if g != w or type(g[3]) is not type(w[3]) or g[3].utcoffset() != w[3].utcoffset():
            return f"row {index}: got {g!r}, expected {w!r}"
    return ""


def verify(workload: str, result: list, target: Target, path: str, contender: str) -> None:
    expected = common.expected_rows()
    if workload in ("W_create", "W_bulk"):
        if contender != "raw":  # raw's bulk returns ids only where the INSERT returns them
            check(len(result) == ROWS, f"{workload} returned {len(result)} objects")
        diff = first_difference(common.read_back(target, path), expected)
        check(not diff, f"{workload} stored rows differ: {diff}")
        if workload == "W_create":
            ids = result if contender == "raw" else [obj.pk for obj in result]
            check(ids == list(range(1, ROWS + 1)), f"{workload}: returned ids are not 1..{ROWS}")
    elif workload == "W_materialize":
        if contender != "raw":
            check(all(type(obj).__name__ == "Item" for obj in result), "not Item instances")
        diff = first_difference([as_tuple(obj) for obj in result], expected)
        check(not diff, f"{workload}: {diff}")
    else:
        ids = common.get_ids()
        check(len(result) == len(ids), f"{workload} returned {len(result)} results")
        want = [expected[i - 1] for i in ids]
        diff = first_difference([as_tuple(obj) for obj in result], want)
        check(not diff, f"{workload}: {diff}")


def body(contender: object, workload: str, values: list, ids: list):  # noqa: ANN201
    if workload == "W_create":
        return lambda: contender.create(values)  # type: ignore[attr-defined]
    if workload == "W_bulk":
        return lambda: contender.bulk(values)  # type: ignore[attr-defined]
    if workload == "W_materialize":
        return contender.materialize  # type: ignore[attr-defined]
    return lambda: contender.get(ids)  # type: ignore[attr-defined]


def run(args: argparse.Namespace) -> dict:
    target = Target.parse(args.database)
    contender = load_contender(args.contender, target)
    captured = contender.sql_capture() if args.capture_sql else None
    values, ids = common.input_values(), common.get_ids()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    times, setup_sql = [], []
    for _ in range(args.repeats):
        path = ""
        if target.vendor == "sqlite":
            path = target.fresh_sqlite_path()
        else:
            common.drop_table(target)
        try:
            contender.setup(path)
            if args.workload in SEEDED:
                common.seed(target, path)
            timed = body(contender, args.workload, values, ids)
            if captured is not None:
                setup_sql = list(captured)
                captured.clear()  # only the timed body's statements
            gc.collect()
            if profiler is not None:
                profiler.enable()
            started = time.perf_counter()
            result = timed()
            elapsed = time.perf_counter() - started
            if profiler is not None:
                profiler.disable()
            contender.teardown()
            verify(args.workload, result, target, path, args.contender)
            times.append(elapsed)
        finally:
            if path:
                shutil.rmtree(Path(path).parent, ignore_errors=True)
    if profiler is not None:
        profiler.dump_stats(args.profile)
    out: dict = {"times": times}
    if captured is not None:
        out["sql"], out["setup_sql"] = captured, setup_sql
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contender", choices=("tether", "django", "raw"))
    parser.add_argument("workload", choices=WORKLOADS)
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sqlite-dir", default="")
    parser.add_argument("--profile", default="", help="write cProfile stats of the bodies here")
    parser.add_argument("--capture-sql", action="store_true", help="tether only: list its SQL")
    args = parser.parse_args(argv)
    try:
        out = run(args)
    except VerificationError as exc:
        out = {"error": f"FAILED verification: {exc}"}
    except Exception as exc:  # the runner reports it; the traceback goes to stderr
        traceback.print_exc()
        out = {"error": f"{type(exc).__name__}: {exc}"}
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
