"""The tether contender of the many-to-many bench: Publication <-> Article through tether's
public API (ManyToManyField, add/set, prefetch_related where tether has it)."""

from __future__ import annotations

import m2m_common as mc
from common import Target

import tether

_models = None


def _define_models():  # noqa: ANN202 - the classes exist only after configure()
    from tether import models

    class Publication(models.Model):
        title = models.CharField(max_length=100)

        class Meta:
            app_label = "benchm2m"
            db_table = mc.T_PUB

    class Article(models.Model):
        headline = models.CharField(max_length=100)
        publications = models.ManyToManyField(Publication, db_table=mc.T_LINK)

        class Meta:
            app_label = "benchm2m"
            db_table = mc.T_ART

    return Publication, Article


class Contender:
    name = "tether"
    orm = True

    def __init__(self, target: Target) -> None:
        self.target = target
        self.note = ""

    def setup(self, sqlite_path: str) -> None:
        global _models
        url = f"sqlite:///{sqlite_path}" if self.target.vendor == "sqlite" else self.target.url
        tether.configure(databases={"default": url}, use_tz=True, time_zone="UTC")
        if _models is None:
            _models = _define_models()
        self.Publication, self.Article = _models
        from tether.db import connection

        with connection.schema_editor() as editor:
            editor.create_model(self.Publication)
            editor.create_model(self.Article)

    def prepare(self, workload: str) -> None:
        """Instances the body works on, loaded before the timing (every contender does so)."""
        if workload in ("W3", "W7"):
            self.articles = list(self.Article.objects.order_by("id"))
            self.pubs = {p.id: p for p in self.Publication.objects.all()}
        elif workload == "W6":
            self.pubs6 = list(self.Publication.objects.filter(id__in=mc.W6_PUBS).order_by("id"))

    def teardown(self) -> None:
        from tether.db import connection

        connection.close()

    def sql_capture(self) -> list:
        """Every statement the bodies send to the driver, in order (for --check-sql)."""
        import tether.db.core.run as run

        seen: list = []
        original = run._perform

        def spy(conn, request):  # noqa: ANN001, ANN202
            sql = getattr(request, "sql", None)
            if sql:
                seen.append(sql)
            return original(conn, request)

        run._perform = spy
        return seen

    # ---- workloads (the timed bodies) ----------------------------------------------------

    def w1(self, titles: list[str], headlines: list[str]) -> tuple:
        from tether.db import transaction

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
        from tether.db import transaction

        pubs = self.pubs
        with transaction.atomic():
            for article, ids in zip(self.articles, links, strict=True):
                article.publications.add(*[pubs[i] for i in ids])

    def w4(self) -> list:
        qs = self.Article.objects.all()
        if hasattr(qs, "prefetch_related"):
            return [(a, list(a.publications.all())) for a in qs.prefetch_related("publications")]
        # tether has no prefetch_related yet: the same three reads by hand, public API only.
        self.note = "no prefetch_related: 3 reads by hand"
        through = self.Article.publications.through
        pubs = self.Publication.objects.in_bulk()
        by_article: dict[int, list] = {}
        for article_id, pub_id in through.objects.values_list("article_id", "publication_id"):
            by_article.setdefault(article_id, []).append(pubs[pub_id])
        return [(a, by_article.get(a.id, [])) for a in qs]

    def w5(self, prefixes: list[str]) -> list[int]:
        objects = self.Article.objects
        return [objects.filter(publications__title__startswith=p).distinct().count()
                for p in prefixes]

    def w6(self) -> dict:
        return {p.id: list(p.article_set.all()) for p in self.pubs6}

    def w9(self) -> list:
        from tether.models import Count

        rows = self.Publication.objects.annotate(n=Count("article")).order_by("-n", "id")
        return [(p.id, p.title, p.n) for p in rows]

    def w10(self, early: int) -> list:
        from tether.models import Exists, OuterRef, Subquery

        articles = self.Article.objects
        latest = articles.filter(publications=OuterRef("pk")).order_by("-id").values("headline")
        linked_early = articles.filter(publications=OuterRef("pk"), id__lte=early)
        rows = (self.Publication.objects.filter(Exists(linked_early))
                .annotate(latest=Subquery(latest[:1])).order_by("id"))
        return [(p.id, p.latest) for p in rows]

    def w7(self, links: list[list[int]]) -> None:
        from tether.db import transaction

        pubs = self.pubs
        with transaction.atomic():
            for article, ids in zip(self.articles, links, strict=True):
                article.publications.set([pubs[i] for i in ids])

    def w8(self, ids: list[int]) -> None:
        self.Publication.objects.filter(pk__in=ids).delete()
