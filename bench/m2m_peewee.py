"""The peewee contender (bench-only): ManyToManyField with an explicit through model (declared
through DeferredThroughModel, as peewee's documentation shows), database.atomic(), prefetch()
over the through model for eager loading."""

from __future__ import annotations

import m2m_common as mc
from common import Target
from peewee import (
    CharField,
    DatabaseProxy,
    DeferredThroughModel,
    ForeignKeyField,
    ManyToManyField,
    Model,
    MySQLDatabase,
    PostgresqlDatabase,
    SqliteDatabase,
    prefetch,
)
from peewee import JOIN, SQL, fn

proxy = DatabaseProxy()
ThroughDeferred = DeferredThroughModel()

class Base(Model):
    class Meta:
        database = proxy

class Publication(Base):
    title = CharField(max_length=100)

    class Meta:
        table_name = mc.T_PUB

class Article(Base):
    headline = CharField(max_length=100)
    publications = ManyToManyField(Publication, backref="articles", through_model=ThroughDeferred)

    class Meta:
        table_name = mc.T_ART

class ArticlePublication(Base):
    article = ForeignKeyField(Article, backref="links")
    publication = ForeignKeyField(Publication, backref="links")

    class Meta:
        table_name = mc.T_LINK
        indexes = ((("article", "publication"), True),)

ThroughDeferred.set_model(ArticlePublication)

def _database(target: Target, sqlite_path: str):  # noqa: ANN202
    if target.vendor == "sqlite":
        return SqliteDatabase(sqlite_path, pragmas={"journal_mode": "wal", "synchronous": "normal",
                                                    "foreign_keys": 1})
    t = target
    if target.vendor == "postgresql":
        return PostgresqlDatabase(t.name, user=t.user, password=t.password or None, host=t.host,
                                  port=t.port)
    return MySQLDatabase(t.name, user=t.user, password=t.password, host=t.host, port=t.port,
                         charset="utf8mb4")

class Contender:
    name = "peewee"
    orm = True
    note = ""

    def __init__(self, target: Target) -> None:
        self.target = target

    def setup(self, sqlite_path: str) -> None:
        self.db = _database(self.target, sqlite_path)
        proxy.initialize(self.db)
        self.db.connect()
        self.db.create_tables([Publication, Article, ArticlePublication])

    def prepare(self, workload: str) -> None:
        if workload in ("W3", "W7"):
            self.articles = list(Article.select().order_by(Article.id))
            self.pubs = {p.id: p for p in Publication.select()}
        elif workload == "W6":
            self.pubs6 = list(Publication.select().where(Publication.id.in_(mc.W6_PUBS))
                              .order_by(Publication.id))

    def teardown(self) -> None:
        self.db.close()

    # ---- workloads (the timed bodies) ----------------------------------------------------

    def w1(self, titles: list[str], headlines: list[str]) -> tuple:
        with self.db.atomic():
            pubs = [Publication.create(title=t) for t in titles]
            arts = [Article.create(headline=h) for h in headlines]
        return pubs, arts

    def w2(self, titles: list[str], headlines: list[str]) -> None:
        # bulk_create in batches under SQLite's 999 variables, inside a transaction (the docs)
        with self.db.atomic():
            Publication.bulk_create([Publication(title=t) for t in titles], batch_size=999)
            Article.bulk_create([Article(headline=h) for h in headlines], batch_size=999)

    def w3(self, links: list[list[int]]) -> None:
        pubs = self.pubs
        with self.db.atomic():
            for article, ids in zip(self.articles, links, strict=True):
                article.publications.add([pubs[i] for i in ids])

    def w4(self) -> list:
        articles = prefetch(Article.select(), ArticlePublication.select(), Publication.select())
        return [(a, [link.publication for link in a.links]) for a in articles]

    def w5(self, prefixes: list[str]) -> list[int]:
        return [Article.select().join(ArticlePublication).join(Publication)
                .where(Publication.title.startswith(p)).distinct().count() for p in prefixes]

    def w6(self) -> dict:
        return {p.id: list(p.articles) for p in self.pubs6}

    def w9(self) -> list:
        n = fn.COUNT(ArticlePublication.article).alias("n")
        rows = (Publication.select(Publication, n).join(ArticlePublication, JOIN.LEFT_OUTER)
                .group_by(Publication.id, Publication.title)
                .order_by(SQL("n").desc(), Publication.id))
        return [(p.id, p.title, p.n) for p in rows]

    def w10(self, early: int) -> list:
        A, AP = Article.alias(), ArticlePublication.alias()
        latest = (A.select(A.headline).join(AP, on=(AP.article == A.id))
                  .where(AP.publication == Publication.id).order_by(A.id.desc()).limit(1))
        B, BP = Article.alias(), ArticlePublication.alias()
        linked_early = (B.select(B.id).join(BP, on=(BP.article == B.id))
                        .where((B.id <= early) & (BP.publication == Publication.id)))
        rows = (Publication.select(Publication, latest.alias("latest"))
                .where(fn.EXISTS(linked_early)).order_by(Publication.id))
        return [(p.id, p.latest) for p in rows]

    def w7(self, links: list[list[int]]) -> None:
        pubs = self.pubs
        with self.db.atomic():
            for article, ids in zip(self.articles, links, strict=True):
                article.publications = [pubs[i] for i in ids]  # clear, then add

    def w8(self, ids: list[int]) -> None:
        with self.db.atomic():
            ArticlePublication.delete().where(ArticlePublication.publication.in_(ids)).execute()
            Publication.delete().where(Publication.id.in_(ids)).execute()

