"""The SQLAlchemy 2 contender (ORM, bench-only): declarative models, a many-to-many
relationship(secondary=<association Table>) with back_populates, one Session, as SQLAlchemy's
"Many To Many" documentation shows; eager loading with selectinload()."""

from __future__ import annotations

import m2m_common as mc
from common import Target
from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    selectinload,
)


class Base(DeclarativeBase):
    pass


links = Table(
    mc.T_LINK, Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", ForeignKey(f"{mc.T_ART}.id"), nullable=False, index=True),
    Column("publication_id", ForeignKey(f"{mc.T_PUB}.id"), nullable=False, index=True),
    UniqueConstraint("article_id", "publication_id"),
)


class Publication(Base):
    __tablename__ = mc.T_PUB
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    articles: Mapped[list[Article]] = relationship(secondary=links,
                                                   back_populates="publications")


class Article(Base):
    __tablename__ = mc.T_ART
    id: Mapped[int] = mapped_column(primary_key=True)
    headline: Mapped[str] = mapped_column(String(100))
    publications: Mapped[list[Publication]] = relationship(secondary=links,
                                                           back_populates="articles")


def _url(target: Target, sqlite_path: str) -> str:
    if target.vendor == "sqlite":
        return f"sqlite:///{sqlite_path}"
    if target.vendor == "postgresql":
        return target.url.replace("postgresql://", "postgresql+psycopg://", 1)
    return target.url.split("://", 1)[1].join(("mysql+pymysql://", "?charset=utf8mb4"))


class Contender:
    name = "sqlalchemy"
    orm = True
    note = ""

    def __init__(self, target: Target) -> None:
        self.target = target

    def setup(self, sqlite_path: str) -> None:
        engine = create_engine(_url(self.target, sqlite_path))
        if self.target.vendor == "sqlite":
            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
                for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = NORMAL"):
                    dbapi_conn.execute(f"PRAGMA {pragma}")

        Base.metadata.create_all(engine)
        self.engine = engine
        self.session = Session(engine)

    def prepare(self, workload: str) -> None:
        s = self.session
        if workload in ("W3", "W7"):
            self.articles = list(s.scalars(select(Article).order_by(Article.id)))
            self.pubs = {p.id: p for p in s.scalars(select(Publication))}
        elif workload == "W6":
            self.pubs6 = list(s.scalars(select(Publication).where(Publication.id.in_(mc.W6_PUBS))
                                        .order_by(Publication.id)))

    def teardown(self) -> None:
        self.session.close()
        self.engine.dispose()

    # ---- workloads (the timed bodies) ----------------------------------------------------

    def w1(self, titles: list[str], headlines: list[str]) -> tuple:
        s = self.session  # each object written (and given its id) before the next: flush()
        pubs, arts = [], []
        for t in titles:
            p = Publication(title=t)
            s.add(p)
            s.flush()
            pubs.append(p)
        for h in headlines:
            a = Article(headline=h)
            s.add(a)
            s.flush()
            arts.append(a)
        s.commit()
        return pubs, arts

    def w2(self, titles: list[str], headlines: list[str]) -> None:
        s = self.session
        s.add_all([Publication(title=t) for t in titles])
        s.add_all([Article(headline=h) for h in headlines])
        s.commit()

    def w3(self, links: list[list[int]]) -> None:
        pubs = self.pubs
        for article, ids in zip(self.articles, links, strict=True):
            article.publications.extend([pubs[i] for i in ids])
        self.session.commit()

    def w4(self) -> list:
        query = select(Article).options(selectinload(Article.publications))
        return [(a, list(a.publications)) for a in self.session.scalars(query)]

    def w5(self, prefixes: list[str]) -> list[int]:
        s = self.session
        out = []
        for prefix in prefixes:
            matching = (select(Article.id).join(Article.publications)
                        .where(Publication.title.startswith(prefix)).distinct().subquery())
            out.append(s.scalar(select(func.count()).select_from(matching)))
        return out

    def w6(self) -> dict:
        return {p.id: list(p.articles) for p in self.pubs6}

    def w9(self) -> list:
        n = func.count(links.c.article_id).label("n")
        stmt = (select(Publication, n).outerjoin(links, Publication.id == links.c.publication_id)
                .group_by(Publication.id, Publication.title).order_by(n.desc(), Publication.id))
        return [(p.id, p.title, count) for p, count in self.session.execute(stmt)]

    def w10(self, early: int) -> list:
        latest = (select(Article.headline).join(links, Article.id == links.c.article_id)
                  .where(links.c.publication_id == Publication.id)
                  .order_by(Article.id.desc()).limit(1).scalar_subquery())
        linked_early = (select(Article.id).join(links, Article.id == links.c.article_id)
                        .where(Article.id <= early, links.c.publication_id == Publication.id)
                        .exists())
        stmt = select(Publication, latest).where(linked_early).order_by(Publication.id)
        return [(p.id, headline) for p, headline in self.session.execute(stmt)]

    def w7(self, links: list[list[int]]) -> None:
        pubs = self.pubs
        for article, ids in zip(self.articles, links, strict=True):
            article.publications = [pubs[i] for i in ids]
        self.session.commit()

    def w8(self, ids: list[int]) -> None:
        s = self.session
        for p in s.scalars(select(Publication).where(Publication.id.in_(ids))):
            s.delete(p)
        s.commit()
