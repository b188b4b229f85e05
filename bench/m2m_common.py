"""The many-to-many bench's data set, seeding, read-back and verification (never timed).

Schema, the same for every contender (each creates it with its own tooling):
    bench_publication (id, title varchar(100))
    bench_article (id, headline varchar(100))
    bench_article_publications (article_id, publication_id[, id]), unique on the pair

Nothing here imports an ORM: a contender process loads only its own stack.
"""

from __future__ import annotations

import common
from common import Target

PUBS = 1_000
ARTICLES = 10_000
LINKS_PER_ARTICLE = 5
PREFIXES = [f"pub 0{j:02d}" for j in range(100)]  # W5: each matches up to 10 titles
W6_PUBS = list(range(5, PUBS + 1, 5))  # 200 publications listed from the reverse side
W8_PUBS = list(range(10, PUBS + 1, 10))  # 100 publications deleted with their links

T_PUB, T_ART, T_LINK = "bench_publication", "bench_article", "bench_article_publications"
TABLES = (T_LINK, T_ART, T_PUB, "bench_item")  # drop order (bench_item: Django's setup)

WORKLOADS = {
    "W1": "create 1,000 publications and 10,000 articles one by one in one transaction",
    "W2": "bulk-create 1,000 publications and 10,000 articles",
    "W3": "link each article to 5 publications: one add() per article, one transaction",
    "W4": "read every article with its publications eagerly",
    "W5": "100 x filter across the relation (title startswith) + distinct() + count()",
    "W6": "list the articles of 200 publications from the reverse side",
    "W7": "set() each article to a different 5 (2 kept, 3 replaced), one transaction",
    "W8": "delete 100 publications with their links",
    "W9": "annotate(Count) over the relation: articles per publication, ordered by the count",
    "W10": "Exists + Subquery: publications with an article among the first 100, each with "
           "the headline of its latest article",
}
# What each workload needs in the database before its body runs (seeded by the raw driver).
SEED = {"W1": 0, "W2": 0, "W3": 1, "W4": 2, "W5": 2, "W6": 2, "W7": 2, "W8": 2, "W9": 2,
        "W10": 2}
W10_EARLY = 100  # W10: publications linked to an article with id <= this


def title(i: int) -> str:
    return f"pub {i:04d}"


def headline(i: int) -> str:
    return f"article {i:05d}"


def titles() -> list[str]:
    return [title(i) for i in range(1, PUBS + 1)]


def headlines() -> list[str]:
    return [headline(i) for i in range(1, ARTICLES + 1)]


def links3(article: int) -> list[int]:
    """The 5 publications article `article` gets in W3 (and has when W4-W8 start)."""
    return [(article * 7 + 200 * k) % PUBS + 1 for k in range(LINKS_PER_ARTICLE)]


def links7(article: int) -> list[int]:
    """W7's new set: the first 2 of links3 kept, 3 replaced by publications not linked before."""
    old = links3(article)
    return old[:2] + [(article * 7 + 200 * k + 100) % PUBS + 1 for k in range(2, 5)]


def pairs(links=links3) -> list[tuple[int, int]]:  # noqa: ANN001
    return sorted((a, p) for a in range(1, ARTICLES + 1) for p in links(a))


def w7_diff() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(pairs removed, pairs added) by W7."""
    removed, added = [], []
    for a in range(1, ARTICLES + 1):
        old, new = set(links3(a)), set(links7(a))
        removed.extend((a, p) for p in sorted(old - new))
        added.extend((a, p) for p in sorted(new - old))
    return removed, added


# ---- expected results -------------------------------------------------------------------


def expected_w4() -> dict[int, tuple[str, list[tuple[int, str]]]]:
    return {a: (headline(a), sorted((p, title(p)) for p in links3(a)))
            for a in range(1, ARTICLES + 1)}


def expected_w5() -> list[int]:
    counts = []
    for prefix in PREFIXES:
        wanted = {p for p in range(1, PUBS + 1) if title(p).startswith(prefix)}
        counts.append(sum(1 for a in range(1, ARTICLES + 1) if wanted & set(links3(a))))
    return counts


def expected_w6() -> dict[int, list[tuple[int, str]]]:
    by_pub: dict[int, list[tuple[int, str]]] = {p: [] for p in W6_PUBS}
    for a in range(1, ARTICLES + 1):
        for p in links3(a):
            if p in by_pub:
                by_pub[p].append((a, headline(a)))
    return {p: sorted(rows) for p, rows in by_pub.items()}


def expected_w9() -> list[tuple[int, str, int]]:
    """(publication id, title, number of articles), by number descending, then id."""
    counts = dict.fromkeys(range(1, PUBS + 1), 0)
    for a in range(1, ARTICLES + 1):
        for p in links3(a):
            counts[p] += 1
    return sorted(((p, title(p), n) for p, n in counts.items()), key=lambda r: (-r[2], r[0]))


def expected_w10() -> list[tuple[int, str]]:
    """(publication id, headline of its article with the highest id), for the publications
    linked to an article with id <= W10_EARLY, by id."""
    latest: dict[int, int] = {}
    early: set[int] = set()
    for a in range(1, ARTICLES + 1):
        for p in links3(a):
            latest[p] = max(latest.get(p, 0), a)
            if a <= W10_EARLY:
                early.add(p)
    return [(p, headline(latest[p])) for p in sorted(early)]


# ---- the admin connection: drop, seed, read back ----------------------------------------


def drop_tables(target: Target) -> None:
    conn = common.admin_connect(target)
    try:
        for table in TABLES:
            common.admin_execute(conn, f"DROP TABLE IF EXISTS {common.quote(target, table)}")
    finally:
        conn.close()  # type: ignore[attr-defined]


def seed(target: Target, path: str, level: int) -> None:
    """level 1: publications and articles; level 2: also W3's links. Ids are explicit."""
    if not level:
        return
    conn = common.admin_connect(target, path)
    q = lambda name: common.quote(target, name)  # noqa: E731
    mark = "?" if target.vendor == "sqlite" else "%s"
    try:
        cursor = conn.cursor()  # type: ignore[attr-defined]
        cursor.execute("BEGIN")
        cursor.executemany(f"INSERT INTO {q(T_PUB)} ({q('id')}, {q('title')}) "
                           f"VALUES ({mark}, {mark})", list(enumerate(titles(), 1)))
        cursor.executemany(f"INSERT INTO {q(T_ART)} ({q('id')}, {q('headline')}) "
                           f"VALUES ({mark}, {mark})", list(enumerate(headlines(), 1)))
        if level > 1:
            cursor.executemany(f"INSERT INTO {q(T_LINK)} ({q('article_id')}, "
                               f"{q('publication_id')}) VALUES ({mark}, {mark})", pairs())
        cursor.execute("COMMIT")
        if target.vendor == "postgresql":  # explicit ids leave the identity sequences behind
            for table, last in ((T_PUB, PUBS), (T_ART, ARTICLES)):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {last})")
        cursor.close()
    finally:
        conn.close()  # type: ignore[attr-defined]


def read(target: Target, path: str, sql: str) -> list[tuple]:
    conn = common.admin_connect(target, path)
    try:
        return [tuple(row) for row in common.admin_execute(conn, sql)]
    finally:
        conn.close()  # type: ignore[attr-defined]


def stored_pubs(target: Target, path: str) -> list[tuple]:
    q = lambda name: common.quote(target, name)  # noqa: E731
    return read(target, path, f"SELECT {q('id')}, {q('title')} FROM {q(T_PUB)} ORDER BY 1")


def stored_articles(target: Target, path: str) -> list[tuple]:
    q = lambda name: common.quote(target, name)  # noqa: E731
    return read(target, path, f"SELECT {q('id')}, {q('headline')} FROM {q(T_ART)} ORDER BY 1")


def stored_pairs(target: Target, path: str) -> list[tuple]:
    """Every link row (duplicates kept), sorted."""
    q = lambda name: common.quote(target, name)  # noqa: E731
    return read(target, path, f"SELECT {q('article_id')}, {q('publication_id')} FROM {q(T_LINK)} "
                "ORDER BY 1, 2")


# ---- verification -----------------------------------------------------------------------


class VerificationError(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise VerificationError(message)


def diff_lists(got: list, want: list, what: str) -> None:
    if got == want:
        return
    if len(got) != len(want):
        raise VerificationError(f"{what}: {len(got)} rows, expected {len(want)}")
    for index, (g, w) in enumerate(zip(got, want, strict=True)):
        if g != w:
            raise VerificationError(f"{what}: row {index}: got {g!r}, expected {w!r}")


def diff_maps(got: dict, want: dict, what: str) -> None:
    if got == want:
        return
    check(set(got) == set(want), f"{what}: keys differ ({len(got)} vs {len(want)} entries)")
    for key in want:
        check(got[key] == want[key], f"{what}[{key}]: got {got[key]!r}, expected {want[key]!r}")


def verify(workload: str, result: object, target: Target, path: str) -> None:
    """`result` is the contender's `plain()` of what its body returned."""
    want_pubs = list(enumerate(titles(), 1))
    want_articles = list(enumerate(headlines(), 1))
    if workload in ("W1", "W2"):
        diff_lists(stored_pubs(target, path), want_pubs, f"{workload} stored publications")
        diff_lists(stored_articles(target, path), want_articles, f"{workload} stored articles")
        if workload == "W1":  # every object knew its id as it was created
            check(result == (list(range(1, PUBS + 1)), list(range(1, ARTICLES + 1))),
                  "W1: the returned ids are not 1..N in creation order")
    elif workload == "W3":
        diff_lists(stored_pairs(target, path), pairs(), "W3 link rows")
    elif workload == "W4":
        diff_maps(result, expected_w4(), "W4 {article: (headline, publications)}")  # type: ignore[arg-type]
    elif workload == "W5":
        diff_lists(result, expected_w5(), "W5 counts")  # type: ignore[arg-type]
    elif workload == "W6":
        diff_maps(result, expected_w6(), "W6 {publication: articles}")  # type: ignore[arg-type]
    elif workload == "W9":
        diff_lists(result, expected_w9(), "W9 (publication, title, articles)")  # type: ignore[arg-type]
    elif workload == "W10":
        diff_lists(result, expected_w10(), "W10 (publication, latest headline)")  # type: ignore[arg-type]
    elif workload == "W7":
        diff_lists(stored_pairs(target, path), pairs(links7), "W7 link rows")
    elif workload == "W8":
        gone = set(W8_PUBS)
        diff_lists(stored_pubs(target, path), [r for r in want_pubs if r[0] not in gone],
                   "W8 remaining publications")
        diff_lists(stored_pairs(target, path), [r for r in pairs() if r[1] not in gone],
                   "W8 remaining link rows")
        diff_lists(stored_articles(target, path), want_articles, "W8 articles (untouched)")


def plain(workload: str, result: object) -> object:
    """What an ORM contender's body returned, as plain data for verify() (outside the timing).

    W1: (publications, articles) objects or ids; W4: [(article, [publication, ...]), ...];
    W5: [count, ...]; W6: {publication id: [article, ...]}; W9/W10: a list of tuples; the write
    workloads: anything."""
    if workload == "W1":
        pubs, arts = result  # type: ignore[misc]
        ids = lambda objs: [o if isinstance(o, int) else o.id for o in objs]  # noqa: E731
        return ids(pubs), ids(arts)
    if workload == "W4":
        return {a.id: (a.headline, sorted((p.id, p.title) for p in ps))
                for a, ps in result}  # type: ignore[attr-defined]
    if workload in ("W5", "W9", "W10"):
        return list(result)  # type: ignore[call-overload]
    if workload == "W6":
        return {p: sorted((a.id, a.headline) for a in arts)
                for p, arts in result.items()}  # type: ignore[attr-defined]
    return None
