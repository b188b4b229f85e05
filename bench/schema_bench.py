"""Schema changes on a 1,000,000-row table (issue 13): what a migration costs on real data.

    python bench/schema_bench.py sqlite [--rows 1000000]
    python bench/schema_bench.py postgresql://postgres@127.0.0.1/bench_schema [--rows 1000000]

- SQLite: AlterField that ALTER TABLE cannot do (CharField(max_length=50) -> nullable TextField
  with db_index): the table is rebuilt (CREATE new__t, INSERT ... SELECT, DROP, RENAME, index),
  inside the schema editor's transaction, foreign keys checked before the commit. Timed: the
  `with connection.schema_editor(): alter_field(...)` block. File database in a temp dir.
- PostgreSQL: AddField IntegerField(default=0) (NOT NULL): ADD COLUMN ... DEFAULT 0 NOT NULL, then
  DROP DEFAULT; PostgreSQL 11+ stores the default in the catalog, so no row is rewritten. The
  table's relfilenode is read before and after: unchanged means no rewrite. The database given
  must exist; the bench table (bench_person) is dropped at the end.

Rows are made by the database itself (recursive CTE / generate_series); every row's values are
checked after the change. One run per invocation; report the times printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import tether  # noqa: E402
from tether import models  # noqa: E402
from tether.db import connection  # noqa: E402
from tether.test.utils import isolate_apps  # noqa: E402


def make_model() -> Any:
    meta = type("Meta", (), {"app_label": "bench", "db_table": "bench_person"})
    return type(
        "Person",
        (models.Model,),
        {
            "__module__": "bench.models",
            "name": models.CharField(max_length=50),
            "age": models.IntegerField(null=True),
            "Meta": meta,
        },
    )


def scalar(sql: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def seed(rows: int, generator: str) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(generator % {"rows": rows})
    return time.perf_counter() - started


def check_rows(rows: int, column: str) -> None:
    count = scalar(
        f"SELECT COUNT(*) FROM bench_person WHERE name = 'n' || CAST(id AS TEXT) "
        f"AND age = id % 100 AND {column}"
    )
    assert count == rows, f"{count} rows intact of {rows}"


def bench_sqlite(rows: int) -> None:
    directory = tempfile.mkdtemp(prefix="tether-schema-bench-")
    tether.configure(databases={"default": f"sqlite:///{directory}/bench.sqlite3"})
    with isolate_apps("bench"):
        Person = make_model()
        with connection.schema_editor() as editor:
            editor.create_model(Person)
        took = seed(
            rows,
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %(rows)s) "
            "INSERT INTO bench_person (name, age) SELECT 'n' || x, x %% 100 FROM c",
        )
        print(f"seeded {rows:,} rows in {took:.2f} s")
        old = Person._meta.get_field("name")
        new = models.TextField(null=True, db_index=True)
        new.set_attributes_from_name("name")
        started = time.perf_counter()
        with connection.schema_editor() as editor:
            editor.alter_field(Person, old, new, strict=True)
        took = time.perf_counter() - started
        check_rows(rows, "name IS NOT NULL")
        columns = connection.introspection.get_table_description(None, "bench_person")
        name = next(c for c in columns if c.name == "name")
        assert name.type_code == "text" and name.null_ok, name
        print(f"SQLite AlterField (table rebuild) of {rows:,} rows: {took:.2f} s")


def bench_postgresql(url: str, rows: int) -> None:
    tether.configure(databases={"default": url})
    with isolate_apps("bench"):
        Person = make_model()
        if "bench_person" in connection.introspection.table_names():
            with connection.schema_editor() as editor:
                editor.delete_model(Person)
        with connection.schema_editor() as editor:
            editor.create_model(Person)
        try:
            took = seed(
                rows,
                "INSERT INTO bench_person (name, age) "
                "SELECT 'n' || x, x %% 100 FROM generate_series(1, %(rows)s) AS x",
            )
            print(f"seeded {rows:,} rows in {took:.2f} s")
            before = scalar("SELECT relfilenode FROM pg_class WHERE relname = 'bench_person'")
            field = models.IntegerField(default=0)
            field.set_attributes_from_name("score")
            started = time.perf_counter()
            with connection.schema_editor() as editor:
                editor.add_field(Person, field)
            took = time.perf_counter() - started
            after = scalar("SELECT relfilenode FROM pg_class WHERE relname = 'bench_person'")
            check_rows(rows, "score = 0")
            print(
                f"PostgreSQL AddField IntegerField(default=0) on {rows:,} rows: "
                f"{took * 1000:.1f} ms "
                f"({'no table rewrite' if before == after else 'TABLE REWRITTEN'}: "
                f"relfilenode {before} -> {after})"
            )
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Person)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database", help="sqlite, or a postgresql:// URL")
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.database == "sqlite":
        bench_sqlite(args.rows)
    else:
        bench_postgresql(args.database, args.rows)


if __name__ == "__main__":
    main()
