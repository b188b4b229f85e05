"""Concurrent set() bench (issue 10, item 6): 8 threads x 10 set() calls on one relation.

    python bench/set_race.py --database postgresql://postgres@127.0.0.1/bench [--repeats 3]
    python bench/set_race.py --database mysql://root@127.0.0.1/bench [--contenders tether,django]

Servers only (on SQLite every writer waits for the write lock). Each contender runs in its own
process (this file re-invoked with `--worker NAME`). A repeat drops and recreates the tables
(bench_publication, bench_article and their link table, the many-to-many bench's), seeds 12
publications and one article through the ORM, then starts 8 threads together; each calls
`article.publications.set(<2 to 8 publications>)` 10 times with the same random choices for
every contender. Timed: from the start of the threads to the last join (wall time). Reported:
the median, min and max wall time and the errors that reached a caller (deadlock victims).
Each repeat is verified (no pair stored twice) and checked: are the links left those of one
of the set() calls? (Django's often are not: two calls' deletes and inserts interleave.)
Django runs on PostgreSQL with psycopg 3 and on MariaDB with PyMySQL installed as MySQLdb
(mysqlclient is not installed here), so both ORMs use the same drivers as tether.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

THREADS, SETS, PUBS = 8, 10, 12


def choices() -> list[list[list[int]]]:
    """Per thread, the publication ids (1-based seed order) of each set() call."""
    return [
        [random.Random(n * 100 + k).sample(range(1, PUBS + 1), random.Random(k).randrange(2, 9))
         for k in range(SETS)]
        for n in range(THREADS)
    ]


def race(set_call, close, reset) -> tuple[float, list[str]]:  # noqa: ANN001
    """Run the threads; returns the wall time and the errors ('Class: message')."""
    plan = choices()
    barrier = threading.Barrier(THREADS + 1)
    errors: list[str] = []

    def work(n: int) -> None:
        barrier.wait()
        try:
            for ids in plan[n]:
                try:
                    set_call(ids)
                except Exception as exc:  # counted: the caller saw it
                    errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        finally:
            close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    reset()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, errors


# ---- contenders ----------------------------------------------------------------------------


def tether_worker(url: str):  # noqa: ANN201
    sys.path.insert(0, str(Path(__file__).parent))
    import tether

    tether.configure(databases={"default": url})
    from m2m_tether import _define_models

    from tether.db import connection

    Publication, Article = _define_models()

    def setup():  # noqa: ANN202
        with connection.schema_editor() as editor:
            for model in (Article.publications.through, Article, Publication):
                editor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(model._meta.db_table)}")
            editor.create_model(Publication)
            editor.create_model(Article)
        pubs = [Publication.objects.create(title=f"p{i}") for i in range(PUBS)]
        article = Article.objects.create(headline="a")
        article.publications.set(pubs[:6])
        return Article, pubs, article

    return setup, connection


def django_worker(url: str):  # noqa: ANN201
    sys.path.insert(0, str(Path(__file__).parent))
    from common import Target

    target = Target.parse(url)
    if target.vendor == "mysql":
        import pymysql

        pymysql.version_info = (2, 2, 1, "final", 0)  # Django checks mysqlclient's version
        pymysql.install_as_MySQLdb()
    import django
    from contender_django import _database
    from django.conf import settings

    settings.configure(
        DEBUG=False, USE_TZ=True, TIME_ZONE="UTC", INSTALLED_APPS=["django_app.apps.BenchAppConfig"],
        DATABASES={"default": _database(target, "")}, DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    django.setup()
    from django.db import connection
    from django_app.models import Article, Publication

    def setup():  # noqa: ANN202
        with connection.schema_editor() as editor:
            for model in (Article.publications.through, Article, Publication):
                editor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(model._meta.db_table)}")
            editor.create_model(Publication)
            editor.create_model(Article)
        pubs = [Publication.objects.create(title=f"p{i}") for i in range(PUBS)]
        article = Article.objects.create(headline="a")
        article.publications.set(pubs[:6])
        return Article, pubs, article

    return setup, connection


def run_worker(name: str, url: str, repeats: int) -> None:
    setup, connection = (tether_worker if name == "tether" else django_worker)(url)
    times: list[float] = []
    errors: list[str] = []
    mixed = 0
    for _ in range(repeats):
        Article, pubs, article = setup()
        asked: set[frozenset[int]] = set()

        def set_call(ids: list[int], pubs=pubs, article=article, asked=asked) -> None:  # noqa: ANN001
            chosen = [pubs[i - 1] for i in ids]
            asked.add(frozenset(p.pk for p in chosen))
            Article.objects.get(pk=article.pk).publications.set(chosen)

        seconds, errs = race(set_call, lambda: connection.close(), lambda: connection.close())
        rows = list(Article.publications.through.objects.values_list("article_id", "publication_id"))
        assert len(rows) == len(set(rows)), "a pair was stored twice"
        if frozenset(p for _a, p in rows) not in asked:
            mixed += 1  # two calls' changes interleaved: no single set() call's result
        times.append(seconds)
        errors.extend(errs)
    print(json.dumps({"name": name, "times": times, "errors": errors, "mixed": mixed}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--contenders", default="tether,django")
    parser.add_argument("--worker")
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker, args.database, args.repeats)
        return
    print(f"{THREADS} threads x {SETS} set() on one relation, {args.repeats} repeats, "
          f"{args.database.split('://')[0]}")
    for name in args.contenders.split(","):
        out = subprocess.run(
            [sys.executable, __file__, "--worker", name, "--database", args.database,
             "--repeats", str(args.repeats)],
            check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
        result = json.loads(out)
        times = result["times"]
        kinds: dict[str, int] = {}
        for error in result["errors"]:
            kinds[error] = kinds.get(error, 0) + 1
        print(f"{name:8s} median {statistics.median(times):6.2f} s  min {min(times):6.2f}  "
              f"max {max(times):6.2f}  errors reaching callers: {len(result['errors'])} "
              f"({THREADS * SETS * len(times)} calls) {kinds or ''}; repeats whose final links "
              f"are no single call's set: {result['mixed']}")


if __name__ == "__main__":
    main()
