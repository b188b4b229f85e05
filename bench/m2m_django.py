"""The Django 5.2 contender of the many-to-many bench (a bench-only dependency), used as its
documentation shows: ManyToManyField, add()/set(), prefetch_related, QuerySet.delete()."""

from __future__ import annotations

from common import Target
from contender_django import Contender as _Core


class Contender(_Core):
    name = "django"
    orm = True
    note = ""

    def __init__(self, target: Target) -> None:
        super().__init__(target)

    def setup(self, sqlite_path: str) -> None:
        super().setup(sqlite_path)  # configures Django and creates bench_item (unused here)
        from django.db import connection
        from django_app.models import Article, Publication

        self.Publication, self.Article = Publication, Article
        with connection.schema_editor() as editor:
            editor.create_model(Publication)
            editor.create_model(Article)

    def prepare(self, workload: str) -> None:
        if workload in ("W3", "W7"):
            self.articles = list(self.Article.objects.order_by("id"))
            self.pubs = {p.id: p for p in self.Publication.objects.all()}
        elif workload == "W6":
            self.pubs6 = list(self.Publication.objects.filter(id__in=_w6()).order_by("id"))

    def sql_capture(self) -> list:
        from django.db import connection

        class Log(list):
            def clear(self) -> None:
                connection.queries_log.clear()

            def __iter__(self):  # noqa: ANN204
                return iter([q["sql"] for q in connection.queries_log])

        connection.force_debug_cursor = True
        return Log()

    # ---- workloads (the timed bodies) ----------------------------------------------------

    def w1(self, titles: list[str], headlines: list[str]) -> tuple:
        from django.db import transaction

        create_pub, create_art = self.Publication.objects.create, self.Article.objects.create
        with transaction.atomic():
            pubs = [create_pub(title=t) for t in titles]
            arts = [create_art(headline=h) for h in headlines]
        return pubs, arts

    def w2(self, titles: list[str], headlines: list[str]) -> None:
        Publication, Article = self.Publication, self.Article
        Publication.objects.bulk_create([Publication(title=t) for t in titles])
        Article.objects.bulk_create([Article(headline=h) for h in headlines])

    def w3(self, links: list[list[int]]) -> None:
        from django.db import transaction

        pubs = self.pubs
        with transaction.atomic():
            for article, ids in zip(self.articles, links, strict=True):
                article.publications.add(*[pubs[i] for i in ids])

    def w4(self) -> list:
        qs = self.Article.objects.prefetch_related("publications")
        return [(a, list(a.publications.all())) for a in qs]

    def w5(self, prefixes: list[str]) -> list[int]:
        objects = self.Article.objects
        return [objects.filter(publications__title__startswith=p).distinct().count()
                for p in prefixes]

    def w6(self) -> dict:
        return {p.id: list(p.article_set.all()) for p in self.pubs6}

    def w9(self) -> list:
        from django.db.models import Count

        rows = self.Publication.objects.annotate(n=Count("article")).order_by("-n", "id")
        return [(p.id, p.title, p.n) for p in rows]

    def w10(self, early: int) -> list:
        from django.db.models import Exists, OuterRef, Subquery

        articles = self.Article.objects
        latest = articles.filter(publications=OuterRef("pk")).order_by("-id").values("headline")
        linked_early = articles.filter(publications=OuterRef("pk"), id__lte=early)
        rows = (self.Publication.objects.filter(Exists(linked_early))
                .annotate(latest=Subquery(latest[:1])).order_by("id"))
        return [(p.id, p.latest) for p in rows]

    def w7(self, links: list[list[int]]) -> None:
        from django.db import transaction

        pubs = self.pubs
        with transaction.atomic():
            for article, ids in zip(self.articles, links, strict=True):
                article.publications.set([pubs[i] for i in ids])

    def w8(self, ids: list[int]) -> None:
        self.Publication.objects.filter(pk__in=ids).delete()


def _w6() -> list[int]:
    import m2m_common

    return m2m_common.W6_PUBS
