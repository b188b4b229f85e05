"""The Pony ORM contender (bench-only): Set <-> Set relationship (Pony creates the intermediate
table), everything inside db_session, commit() at the end of a write, query.prefetch() for
eager loading, as Pony's documentation shows. SQLite only here (servers are optional)."""

from __future__ import annotations

import m2m_common as mc
from common import Target
from pony import orm


def _define(db: orm.Database):  # noqa: ANN202 - entities belong to one Database
    class Publication(db.Entity):
        _table_ = mc.T_PUB
        title = orm.Required(str, 100)
        articles = orm.Set("Article", table=mc.T_LINK, column="article_id")

    class Article(db.Entity):
        _table_ = mc.T_ART
        headline = orm.Required(str, 100)
        publications = orm.Set(Publication, column="publication_id")

    return Publication, Article


class Contender:
    name = "pony"
    orm = True
    note = ""

    def __init__(self, target: Target) -> None:
        if target.vendor != "sqlite":
            raise SystemExit("the pony contender runs on SQLite only")
        self.target = target

    def setup(self, sqlite_path: str) -> None:
        db = orm.Database()

        @db.on_connect(provider="sqlite")
        def _pragmas(_db, connection) -> None:  # noqa: ANN001
            cursor = connection.cursor()
            for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = NORMAL"):
                cursor.execute(f"PRAGMA {pragma}")

        self.Publication, self.Article = _define(db)
        db.bind(provider="sqlite", filename=sqlite_path, create_db=True)
        db.generate_mapping(create_tables=True)
        self.db = db
        self.session = orm.db_session()
        self.session.__enter__()  # one session for prepare + body (committed inside the body)

    def prepare(self, workload: str) -> None:
        if workload in ("W3", "W7"):
            self.articles = list(self.Article.select().order_by(self.Article.id))
            self.pubs = {p.id: p for p in self.Publication.select()}
        elif workload == "W6":
            wanted = mc.W6_PUBS
            self.pubs6 = list(self.Publication.select(lambda p: p.id in wanted)
                              .order_by(self.Publication.id))

    def teardown(self) -> None:
        self.session.__exit__(None, None, None)
        self.db.disconnect()
        self.db.provider.disconnect()

    # ---- workloads (the timed bodies) ----------------------------------------------------

    def w1(self, titles: list[str], headlines: list[str]) -> tuple:
        Publication, Article = self.Publication, self.Article  # flush(): written one by one
        pubs, arts = [], []
        for t in titles:
            p = Publication(title=t)
            p.flush()
            pubs.append(p)
        for h in headlines:
            a = Article(headline=h)
            a.flush()
            arts.append(a)
        orm.commit()
        return pubs, arts

    def w2(self, titles: list[str], headlines: list[str]) -> None:
        Publication, Article = self.Publication, self.Article
        for t in titles:
            Publication(title=t)
        for h in headlines:
            Article(headline=h)
        orm.commit()

    def w3(self, links: list[list[int]]) -> None:
        pubs = self.pubs
        for article, ids in zip(self.articles, links, strict=True):
            article.publications.add([pubs[i] for i in ids])
        orm.commit()

    def w4(self) -> list:
        query = self.Article.select().prefetch(self.Article.publications)
        return [(a, list(a.publications)) for a in query]

    def w5(self, prefixes: list[str]) -> list[int]:
        Article = self.Article
        return [orm.select(a for a in Article for p in a.publications
                           if p.title.startswith(prefix)).count() for prefix in prefixes]

    def w6(self) -> dict:
        return {p.id: list(p.articles) for p in self.pubs6}

    def w9(self) -> list:
        Publication = self.Publication
        rows = orm.select((p, orm.count(p.articles)) for p in Publication).order_by(-2, 1)
        return [(p.id, p.title, n) for p, n in rows]

    def w10(self, early: int) -> list:
        # No scalar subquery that returns a column: the latest article ids, then headlines.
        Publication, Article = self.Publication, self.Article
        latest = orm.select((p.id, orm.max(a.id for a in p.articles)) for p in Publication
                            if orm.exists(a for a in p.articles if a.id <= early)).order_by(1)[:]
        ids = [a for _, a in latest]
        headlines = dict(orm.select((a.id, a.headline) for a in Article if a.id in ids))
        return [(p, headlines[a]) for p, a in latest]

    def w7(self, links: list[list[int]]) -> None:
        pubs = self.pubs
        for article, ids in zip(self.articles, links, strict=True):
            article.publications = [pubs[i] for i in ids]
        orm.commit()

    def w8(self, ids: list[int]) -> None:
        for p in self.Publication.select(lambda p: p.id in ids):
            p.delete()
        orm.commit()
