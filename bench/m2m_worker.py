"""One many-to-many bench process: one contender, one workload, N repeats on fresh databases.

    python bench/m2m_worker.py CONTENDER WORKLOAD --database URL [--repeats N]
        [--profile FILE] [--capture-sql]

Prints one JSON object on stdout: {"times": [seconds, ...], "note": ...} or {"error": ...}.
Only the body is timed; setup, seeding, loading the instances the body works on (prepare),
gc.collect() and verification are not. A result that does not verify ends the run with an error.
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

import m2m_common as mc
from common import Target

CONTENDERS = ("tether", "django", "raw-same", "raw-min", "sqlalchemy", "peewee", "pony",
              "tortoise")


def load_contender(name: str, target: Target):  # noqa: ANN201
    if name == "tether":
        from m2m_tether import Contender
    elif name == "django":
        from m2m_django import Contender
    elif name in ("raw-same", "raw-min"):
        from m2m_raw import Contender

        return Contender(target, minimal=name == "raw-min")
    elif name == "sqlalchemy":
        from m2m_sqlalchemy import Contender
    elif name == "peewee":
        from m2m_peewee import Contender
    elif name == "pony":
        from m2m_pony import Contender
    elif name == "tortoise":
        from m2m_tortoise import Contender
    else:
        raise SystemExit(f"unknown contender {name!r}")
    return Contender(target)


def body(contender: object, workload: str):  # noqa: ANN201
    c = contender
    if workload in ("W1", "W2"):
        titles, headlines = mc.titles(), mc.headlines()
        method = c.w1 if workload == "W1" else c.w2  # type: ignore[attr-defined]
        return lambda: method(titles, headlines)
    if workload == "W3":
        links = [mc.links3(a) for a in range(1, mc.ARTICLES + 1)]
        return lambda: c.w3(links)  # type: ignore[attr-defined]
    if workload == "W4":
        return c.w4  # type: ignore[attr-defined]
    if workload == "W5":
        return lambda: c.w5(mc.PREFIXES)  # type: ignore[attr-defined]
    if workload == "W6":
        return c.w6  # type: ignore[attr-defined]
    if workload == "W9":
        return c.w9  # type: ignore[attr-defined]
    if workload == "W10":
        return lambda: c.w10(mc.W10_EARLY)  # type: ignore[attr-defined]
    if workload == "W7":
        links = [mc.links7(a) for a in range(1, mc.ARTICLES + 1)]
        return lambda: c.w7(links)  # type: ignore[attr-defined]
    return lambda: c.w8(list(mc.W8_PUBS))  # type: ignore[attr-defined]


def run(args: argparse.Namespace) -> dict:
    target = Target.parse(args.database)
    contender = load_contender(args.contender, target)
    captured = contender.sql_capture() if args.capture_sql else None
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    times: list[float] = []
    for _ in range(args.repeats):
        path = ""
        if target.vendor == "sqlite":
            path = target.fresh_sqlite_path()
        else:
            mc.drop_tables(target)
        try:
            contender.setup(path)
            mc.seed(target, path, mc.SEED[args.workload])
            contender.prepare(args.workload)
            timed = body(contender, args.workload)
            if captured is not None:
                captured.clear()  # only the timed body's statements
            gc.collect()
            if profiler is not None:
                profiler.enable()
            started = time.perf_counter()
            result = timed()
            elapsed = time.perf_counter() - started
            if profiler is not None:
                profiler.disable()
            plain = contender.plain(args.workload, result) if hasattr(contender, "plain") \
                else mc.plain(args.workload, result)
            contender.teardown()
            mc.verify(args.workload, plain, target, path)
            times.append(elapsed)
        finally:
            if path:
                shutil.rmtree(Path(path).parent, ignore_errors=True)
    if profiler is not None:
        profiler.dump_stats(args.profile)
    out: dict = {"times": times, "note": getattr(contender, "note", "")}
    if captured is not None:
        out["sql"] = list(captured)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contender", choices=CONTENDERS)
    parser.add_argument("workload", choices=list(mc.WORKLOADS))
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", default="", help="write cProfile stats of the bodies here")
    parser.add_argument("--capture-sql", action="store_true", help="list the body's statements")
    args = parser.parse_args(argv)
    try:
        out = run(args)
    except mc.VerificationError as exc:
        out = {"error": f"FAILED verification: {exc}"}
    except Exception as exc:  # the runner reports it; the traceback goes to stderr
        traceback.print_exc()
        out = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
