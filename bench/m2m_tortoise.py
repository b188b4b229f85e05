"""The Tortoise ORM contender (async, bench-only): fields.ManyToManyField with through=,
in_transaction(), prefetch_related(), as Tortoise's documentation shows. Every body runs on one
asyncio event loop with run_until_complete; SQLite only here (servers are optional)."""

from __future__ import annotations

import asyncio
import contextvars

import m2m_common as mc
from common import Target
from tortoise import Tortoise, fields
from tortoise.expressions import Subquery
from tortoise.functions import Count, Max
from tortoise.models import Model
from tortoise.transactions import in_transaction


class Publication(Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=100)

    class Meta:
        table = mc.T_PUB


class Article(Model):
    id = fields.IntField(primary_key=True)
    headline = fields.CharField(max_length=100)
    publications: fields.ManyToManyRelation[Publication] = fields.ManyToManyField(
        "models.Publication", related_name="articles", through=mc.T_LINK,
        forward_key="publication_id", backward_key="article_id")

    class Meta:
        table = mc.T_ART


class Contender:
    name = "tortoise"
    orm = True
    note = ""

    def __init__(self, target: Target) -> None:
        if target.vendor != "sqlite":
            raise SystemExit("the tortoise contender runs on SQLite only")
        self.target = target
        self.loop = asyncio.new_event_loop()
        # Tortoise keeps its state in a context variable: every body runs in one Context.
        self.context = contextvars.copy_context()

    def run(self, coro):  # noqa: ANN001, ANN201
        return self.loop.run_until_complete(self.loop.create_task(coro, context=self.context))

    def setup(self, sqlite_path: str) -> None:
        async def init() -> None:
            await Tortoise.init(db_url=f"sqlite://{sqlite_path}?synchronous=NORMAL",
                                modules={"models": [__name__]})
            await Tortoise.generate_schemas()

        self.run(init())

    def prepare(self, workload: str) -> None:
        async def load() -> None:
            if workload in ("W3", "W7"):
                self.articles = await Article.all().order_by("id")
                self.pubs = {p.id: p for p in await Publication.all()}
            elif workload == "W6":
                self.pubs6 = await Publication.filter(id__in=mc.W6_PUBS).order_by("id")

        self.run(load())

    def teardown(self) -> None:
        self.run(Tortoise.close_connections())

    # ---- workloads (the timed bodies) ----------------------------------------------------

    def w1(self, titles: list[str], headlines: list[str]) -> tuple:
        async def body() -> tuple:
            async with in_transaction() as conn:
                pubs = [await Publication.create(title=t, using_db=conn) for t in titles]
                arts = [await Article.create(headline=h, using_db=conn) for h in headlines]
            return pubs, arts

        return self.run(body())

    def w2(self, titles: list[str], headlines: list[str]) -> None:
        async def body() -> None:
            await Publication.bulk_create([Publication(title=t) for t in titles])
            await Article.bulk_create([Article(headline=h) for h in headlines])

        self.run(body())

    def w3(self, links: list[list[int]]) -> None:
        pubs = self.pubs

        async def body() -> None:
            async with in_transaction() as conn:
                for article, ids in zip(self.articles, links, strict=True):
                    await article.publications.add(*[pubs[i] for i in ids], using_db=conn)

        self.run(body())

    def w4(self) -> list:
        async def body() -> list:
            articles = await Article.all().prefetch_related("publications")
            return [(a, list(a.publications)) for a in articles]

        return self.run(body())

    def w5(self, prefixes: list[str]) -> list[int]:
        async def body() -> list[int]:
            return [await Article.filter(publications__title__startswith=p).distinct().count()
                    for p in prefixes]

        return self.run(body())

    def w6(self) -> dict:
        async def body() -> dict:
            return {p.id: await p.articles.all() for p in self.pubs6}

        return self.run(body())

    def w9(self) -> list:
        async def body() -> list:
            rows = await Publication.annotate(n=Count("articles")).order_by("-n", "id")
            return [(p.id, p.title, p.n) for p in rows]

        return self.run(body())

    def w10(self, early: int) -> list:
        # No correlated subquery (OuterRef): an IN subquery and a GROUP BY, then headlines.
        async def body() -> list:
            linked = Subquery(Article.filter(id__lte=early).values("publications__id"))
            latest = await (Publication.filter(id__in=linked).annotate(m=Max("articles__id"))
                            .order_by("id").values_list("id", "m"))
            headlines = dict(await Article.filter(id__in=[m for _, m in latest])
                             .values_list("id", "headline"))
            return [(p, headlines[m]) for p, m in latest]

        return self.run(body())

    def w7(self, links: list[list[int]]) -> None:
        pubs = self.pubs

        async def body() -> None:  # Tortoise has no set(): clear() then add(), as its docs do
            async with in_transaction() as conn:
                for article, ids in zip(self.articles, links, strict=True):
                    await article.publications.clear(using_db=conn)
                    await article.publications.add(*[pubs[i] for i in ids], using_db=conn)

        self.run(body())

    def w8(self, ids: list[int]) -> None:
        async def body() -> None:  # the through table's foreign keys cascade (Tortoise's DDL)
            await Publication.filter(id__in=ids).delete()

        self.run(body())
