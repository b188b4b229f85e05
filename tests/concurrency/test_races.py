"""get_or_create and update_or_create raced by 8 threads, each on its own connection.

get_or_create on a unique field: one row, every caller gets that row, exactly one caller
created it, no error escapes. update_or_create on one row: each call computes the new count
from the value it reads inside the call (a callable default, evaluated after the row is locked
with SELECT ... FOR UPDATE where the backend has it; on SQLite the write transaction begins
IMMEDIATE), so a lost update would leave the final count short and repeat a written value.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tether.db import connection
from tether.test import TransactionTestCase

from .models import Counter

THREADS = 8


def race(work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(THREADS)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target(n: int) -> None:
        try:
            barrier.wait()
            result = work(n)
            with lock:
                results.append(result)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


class GetOrCreateRace(TransactionTestCase):
    def test_one_row_every_caller_gets_it(self) -> None:
        for round_ in range(10):
            key = f"k{round_}"
            results, errors = race(lambda n, key=key: Counter.objects.get_or_create(key=key))
            self.assertEqual(errors, [])
            rows = list(Counter.objects.filter(key=key))
            self.assertEqual(len(rows), 1)
            self.assertEqual({obj.pk for obj, _ in results}, {rows[0].pk})
            self.assertEqual(sum(created for _, created in results), 1)


class UpdateOrCreateRace(TransactionTestCase):
    CALLS = 25  # per thread

    def test_no_lost_update(self) -> None:
        written: list[int] = []
        lock = threading.Lock()

        def work(n: int) -> None:
            for _ in range(self.CALLS):

                def next_count() -> int:
                    # Read inside update_or_create's transaction, after the row is locked.
                    current = Counter.objects.filter(key="hot").values_list("hits", flat=True)
                    value = (current.first() or 0) + 1
                    with lock:
                        written.append(value)
                    return value

                Counter.objects.update_or_create(
                    key="hot", defaults={"hits": next_count, "last_writer": n}
                )

        _, errors = race(work)
        self.assertEqual(errors, [])
        total = THREADS * self.CALLS
        self.assertEqual(Counter.objects.get(key="hot").hits, total)
        self.assertEqual(Counter.objects.count(), 1)
        # A value may be computed twice only when a create lost the race and was redone.
        self.assertEqual(set(written), set(range(1, total + 1)))
