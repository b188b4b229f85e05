"""Foreign-key bench (issue 3): a filter across a foreign key, and select_related over 10,000 rows.

    python bench/fk_bench.py [--repeats 5] [--contenders tether,django,raw]

SQLite file databases only. Each contender runs in its own process (this file re-invoked with
`--worker NAME`); each repeat gets a fresh database seeded through the raw driver (100 authors,
10,000 books, each book pointing at an author). Only the workload body is timed. Every result
is verified against the seed: a contender whose result differs is reported as FAILED.

- W_fk_filter: for each of the 100 authors, `Book.objects.filter(author__name=name)` read in
  full (100 queries, each joining book to author, 100 rows each).
- W_select_related: `Book.objects.select_related("author")` over the 10,000 books, reading
  `book.author.name` of each (one query, no query per book).
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AUTHORS = 100
BOOKS = 10_000
WORKLOADS = ("W_fk_filter", "W_select_related")
AUTHOR_DDL = (
    'CREATE TABLE "bench_author" ("id" integer PRIMARY KEY AUTOINCREMENT, '
    '"name" varchar(100) NOT NULL)'
)
BOOK_DDL = (
    'CREATE TABLE "bench_book" ("id" integer PRIMARY KEY AUTOINCREMENT, '
    '"title" varchar(100) NOT NULL, '
    '"author_id" integer NOT NULL REFERENCES "bench_author" ("id"))'
)
FILTER_SQL = (
    'SELECT "bench_book"."id", "bench_book"."title", "bench_book"."author_id" FROM "bench_book" '
    'INNER JOIN "bench_author" ON ("bench_book"."author_id" = "bench_author"."id") '
    'WHERE "bench_author"."name" = ? ORDER BY "bench_book"."id" ASC'
)
SELECT_RELATED_SQL = (
    'SELECT "bench_book"."id", "bench_book"."title", "bench_book"."author_id", '
    '"bench_author"."id", "bench_author"."name" FROM "bench_book" INNER JOIN "bench_author" ON '
    '("bench_book"."author_id" = "bench_author"."id") ORDER BY "bench_book"."id" ASC'
)


def author_name(i: int) -> str:
    return f"author {i}"


def expected(workload: str) -> list:
    books = [(b, f"book {b}", (b - 1) % AUTHORS + 1) for b in range(1, BOOKS + 1)]
    if workload == "W_select_related":
        return [(b, t, author_name(a)) for b, t, a in books]
    return [(b, t, a) for a in range(1, AUTHORS + 1) for b, t, x in books if x == a]


def seed(path: str) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(AUTHOR_DDL)
    db.execute(BOOK_DDL)
    db.executemany('INSERT INTO "bench_author" ("id", "name") VALUES (?, ?)',
                   [(i, author_name(i)) for i in range(1, AUTHORS + 1)])
    db.executemany('INSERT INTO "bench_book" ("id", "title", "author_id") VALUES (?, ?, ?)',
                   [(b, f"book {b}", (b - 1) % AUTHORS + 1) for b in range(1, BOOKS + 1)])
    db.commit()
    db.close()


# ---- contenders: setup(path) returns {workload: body}; each body returns comparable tuples ---


def tether_bodies(path: str) -> dict:
    import tether
    from tether import models

    tether.configure(databases={"default": f"sqlite:///{path}"})

    class Author(models.Model):
        name = models.CharField(max_length=100)

        class Meta:
            app_label = "bench"

    class Book(models.Model):
        title = models.CharField(max_length=100)
        author = models.ForeignKey(Author, models.CASCADE)

        class Meta:
            app_label = "bench"

    return _orm_bodies(Book)


def django_bodies(path: str) -> dict:
    import django
    from django.conf import settings

    settings.configure(
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": path,
                               "OPTIONS": {"init_command": "PRAGMA synchronous=NORMAL"}}},
        INSTALLED_APPS=[], USE_TZ=True,
    )
    django.setup()
    from django.db import models

    class Author(models.Model):
        name = models.CharField(max_length=100)

        class Meta:
            app_label = "bench"

    class Book(models.Model):
        title = models.CharField(max_length=100)
        author = models.ForeignKey(Author, models.CASCADE)

        class Meta:
            app_label = "bench"

    return _orm_bodies(Book)


def _orm_bodies(Book: type) -> dict:  # noqa: N803 - a model class
    names = [author_name(i) for i in range(1, AUTHORS + 1)]

    def fk_filter() -> list:
        out = []
        for name in names:
            out.extend((b.id, b.title, b.author_id)
                       for b in Book.objects.filter(author__name=name).order_by("id"))
        return out

    def select_related() -> list:
        return [(b.id, b.title, b.author.name)
                for b in Book.objects.select_related("author").order_by("id")]

    return {"W_fk_filter": fk_filter, "W_select_related": select_related}


def raw_bodies(path: str) -> dict:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=NORMAL")
    names = [author_name(i) for i in range(1, AUTHORS + 1)]

    def fk_filter() -> list:
        out = []
        for name in names:
            out.extend(tuple(r) for r in db.execute(FILTER_SQL, (name,)).fetchall())
        return out

    def select_related() -> list:
        return [(r[0], r[1], r[4]) for r in db.execute(SELECT_RELATED_SQL).fetchall()]

    return {"W_fk_filter": fk_filter, "W_select_related": select_related}


CONTENDERS = {"tether": tether_bodies, "django": django_bodies, "raw": raw_bodies}


def worker(name: str, workload: str, repeats: int) -> dict:
    """Time `workload` for one contender; every repeat reseeds the same database path."""
    want = expected(workload)
    times = []
    tmp = tempfile.mkdtemp(prefix="fkbench-")
    path = str(Path(tmp) / "db.sqlite3")
    bodies = None
    try:
        for _ in range(repeats):
            _close(name)
            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)
            seed(path)
            if bodies is None or name == "raw":
                bodies = CONTENDERS[name](path)
            gc.collect()
            started = time.perf_counter()
            got = bodies[workload]()
            elapsed = time.perf_counter() - started
            if got != want:
                return {"error": "FAILED verification"}
            times.append(elapsed)
    finally:
        _close(name)
        shutil.rmtree(tmp, ignore_errors=True)
    return {"times": times}


def _close(name: str) -> None:
    if name == "tether" and "tether.db" in sys.modules:
        from tether.db import connections

        connections["default"].close()
    elif name == "django" and "django.db" in sys.modules:
        from django.db import connection

        connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--contenders", default="tether,django,raw")
    parser.add_argument("--worker", nargs=2, metavar=("CONTENDER", "WORKLOAD"))
    args = parser.parse_args(argv)
    if args.worker:
        json.dump(worker(args.worker[0], args.worker[1], args.repeats), sys.stdout)
        return 0
    names = args.contenders.split(",")
    print(f"| workload | {' | '.join(names)} | tether / raw | tether / django |")
    print("|---" * (len(names) + 3) + "|")
    for workload in WORKLOADS:
        medians = {}
        for name in args.contenders.split(","):
            proc = subprocess.run(
                [sys.executable, __file__, "--worker", name, workload,
                 "--repeats", str(args.repeats)],
                capture_output=True, text=True, check=False,
            )
            try:
                out = json.loads(proc.stdout)
            except json.JSONDecodeError:
                lines = proc.stderr.strip().splitlines()
                out = {"error": lines[-1] if lines else "no output"}
            medians[name] = statistics.median(out["times"]) if "times" in out else out["error"]
        cells = [f"{m * 1000:.1f} ms" if isinstance(m, float) else m for m in medians.values()]
        ratios = []
        for other in ("raw", "django"):
            t, o = medians.get("tether"), medians.get(other)
            ratios.append(f"{t / o:.2f}x" if isinstance(t, float) and isinstance(o, float) else "-")
        print(f"| {workload} | {' | '.join(cells)} | {' | '.join(ratios)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
