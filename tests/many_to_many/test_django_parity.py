"""Differential: query semantics and counting across many-to-many and FK paths, as Django 5.2.

Each scenario runs on Django (in-process, in-memory SQLite) and on tether (the suite's backend)
over the same rows, and must give the same value or the same error. Orderings are always total
so that results are comparable across backends.
"""

from __future__ import annotations

from typing import Any

from tether.test import TestCase

from . import models  # noqa: F401  (registers the tables before the test database is filled)
from .django_twins import django_outcomes, outcome, populate, tether_namespace


def names(queryset: Any) -> list[str]:
    return [str(obj) for obj in queryset]


def query_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """Filters, excludes, `in`, reverse names, order_by and values across the relations."""
    Article, Publication, Reader, Q = m["Article"], m["Publication"], m["Reader"], m["Q"]
    science = Article.objects.filter(publications__title__startswith="Science")
    return {
        "join_duplicates": lambda: names(science),
        "join_count_counts_duplicates": lambda: science.count(),
        "distinct": lambda: (names(science.distinct()), science.distinct().count()),
        "one_filter_same_row": lambda: names(
            Article.objects.filter(
                publications__title__startswith="Science", publications__title__endswith="Weekly"
            )
        ),
        "one_filter_no_row_matches_both": lambda: names(
            Article.objects.filter(
                publications__title__startswith="The", publications__title__endswith="News"
            )
        ),
        "chained_filters_may_bind_different_rows": lambda: names(
            Article.objects.filter(publications__title__startswith="The").filter(
                publications__title__endswith="News"
            )
        ),
        "q_and_in_one_filter": lambda: names(
            Article.objects.filter(
                Q(publications__title__startswith="The") & Q(publications__title__endswith="News")
            )
        ),
        "exclude_instance": lambda: names(Article.objects.exclude(publications=r["p2"])),
        "exclude_two_conditions_ticket_14645": lambda: names(
            Article.objects.exclude(
                publications__title__startswith="Science", publications__title__endswith="Weekly"
            )
        ),
        "exclude_chained": lambda: names(
            Article.objects.exclude(publications__title__startswith="Science").exclude(
                publications__title__endswith="Journal"
            )
        ),
        "exclude_reverse": lambda: names(
            Publication.objects.exclude(article__headline__startswith="NASA")
        ),
        "exclude_isnull": lambda: names(Article.objects.exclude(publications__isnull=True)),
        "filter_isnull": lambda: (
            names(Article.objects.filter(publications__isnull=True)),
            names(Publication.objects.filter(article__isnull=True)),
        ),
        "in_instances": lambda: names(
            Article.objects.filter(publications__in=[r["p3"], r["p4"]]).distinct()
        ),
        "in_pks": lambda: names(
            Article.objects.filter(publications__in=[r["p1"].pk, r["p4"].pk]).distinct()
        ),
        "in_queryset": lambda: names(
            Article.objects.filter(
                publications__in=Publication.objects.filter(title__contains="Weekly")
            )
        ),
        "in_values_queryset": lambda: names(
            Publication.objects.filter(
                pk__in=Article.objects.filter(pages__gt=10).values("publications")
            )
        ),
        "reverse_by_instance": lambda: names(Publication.objects.filter(article=r["a1"])),
        "reverse_default_query_name": lambda: names(
            Publication.objects.filter(article__pages__gte=12).distinct()
        ),
        "related_query_name": lambda: (
            names(Article.objects.filter(reader__name="Bob")),
            names(Article.objects.filter(reader__isnull=True)),
        ),
        "related_name_accessor": lambda: (
            names(r["a2"].readers.all()),
            names(r["Ann"].articles.all()),
        ),
        "two_hops": lambda: names(
            Reader.objects.filter(articles__publications__title="Science Weekly").distinct()
        ),
        "order_by_across": lambda: names(
            Article.objects.filter(publications__isnull=False).order_by(
                "-publications__title", "headline"
            )
        ),
        "values_across": lambda: list(
            Publication.objects.filter(article__headline__startswith="NASA")
            .values("title", "article__headline")
            .order_by("title", "article__headline")
        ),
        "values_list_left_outer": lambda: list(
            Article.objects.values_list("headline", "publications__title").order_by(
                "headline", "publications__title"
            )
        ),
        "values_list_flat_reverse": lambda: list(
            Publication.objects.filter(article__isnull=False)  # NULLs sort per backend
            .values_list("article__pages", flat=True)
            .order_by("article__pages")
            .distinct()
        ),
        "manager_filters": lambda: (
            names(r["a2"].publications.filter(title__startswith="Science")),
            names(r["a2"].publications.exclude(title__startswith="Science")),
            r["p2"].article_set.count(),
            r["p5"].article_set.exists(),
            str(r["a2"].publications.get(title__endswith="Children")),
        ),
        "manager_get_missing": lambda: r["a1"].publications.get(title="Science News"),
        "manager_values": lambda: list(
            r["a2"].publications.values_list("title", flat=True).order_by("-title")
        ),
        "wrong_field": lambda: Article.objects.filter(publication__title="x"),
    }


def counting_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """annotate() and aggregate() over many-to-many and FK paths, both ways."""
    Article, Publication, Edition, Reader = (
        m["Article"],
        m["Publication"],
        m["Edition"],
        m["Reader"],
    )
    Q, Count, Sum, Avg, Min, Max = m["Q"], m["Count"], m["Sum"], m["Avg"], m["Min"], m["Max"]
    return {
        "count_forward": lambda: list(
            Article.objects.annotate(n=Count("publications"))
            .order_by("headline")
            .values_list("headline", "n")
        ),
        "count_reverse": lambda: list(
            Publication.objects.annotate(n=Count("article"))
            .order_by("title")
            .values_list("title", "n")
        ),
        "publications_with_no_article": lambda: names(
            Publication.objects.annotate(n=Count("article")).filter(n=0)
        ),
        "order_by_annotation": lambda: list(
            Publication.objects.annotate(n=Count("article"))
            .order_by("-n", "title")
            .values_list("title", "n")
        ),
        # A GROUP BY query drops Meta.ordering (Django 3.1+), so the order is the server's.
        "filter_on_annotation": lambda: sorted(
            names(Article.objects.annotate(n=Count("publications")).filter(n__gte=2))
        ),
        "two_multivalued_inflate": lambda: list(
            Article.objects.annotate(p=Count("publications"), r=Count("readers"))
            .order_by("headline")
            .values_list("headline", "p", "r")
        ),
        "two_multivalued_distinct": lambda: list(
            Article.objects.annotate(
                p=Count("publications", distinct=True), r=Count("readers", distinct=True)
            )
            .order_by("headline")
            .values_list("headline", "p", "r")
        ),
        "count_with_filter_q": lambda: list(
            Article.objects.annotate(
                science=Count("publications", filter=Q(publications__title__startswith="Science"))
            )
            .order_by("headline")
            .values_list("headline", "science")
        ),
        "annotate_after_filter_reuses_join": lambda: list(
            Publication.objects.filter(article__headline__startswith="NASA")
            .annotate(n=Count("article"))
            .order_by("title")
            .values_list("title", "n")
        ),
        "filter_after_annotate": lambda: list(
            Publication.objects.annotate(n=Count("article"))
            .filter(article__headline__startswith="NASA")
            .order_by("title")
            .values_list("title", "n")
        ),
        "values_then_annotate_groups": lambda: list(
            Article.objects.filter(publications__isnull=False)
            .values("publications__title")
            .annotate(n=Count("id"), pages=Sum("pages"))
            .order_by("publications__title")
        ),
        "sum_avg_min_max_across_m2m": lambda: list(
            Publication.objects.annotate(
                total=Sum("article__pages"),
                low=Min("article__pages"),
                high=Max("article__pages"),
            )
            .order_by("title")
            .values_list("title", "total", "low", "high")
        ),
        "avg_across_m2m": lambda: [
            # MariaDB computes AVG to 4 decimal places (div_precision_increment), Django too.
            (title, None if avg is None else round(avg, 3))
            for title, avg in Publication.objects.annotate(a=Avg("article__pages"))
            .order_by("title")
            .values_list("title", "a")
        ],
        "aggregate_plain": lambda: Article.objects.aggregate(
            total=Sum("pages"), low=Min("pages"), high=Max("pages"), n=Count("id")
        ),
        "aggregate_across_m2m": lambda: Article.objects.aggregate(
            links=Count("publications"), pubs=Count("publications", distinct=True)
        ),
        "aggregate_reverse_m2m": lambda: Publication.objects.aggregate(Sum("article__pages")),
        "aggregate_filtered_queryset": lambda: Article.objects.filter(
            publications__title__startswith="Science"
        ).aggregate(Count("id"), Sum("pages")),
        "aggregate_empty": lambda: Article.objects.filter(pages__gt=999).aggregate(
            n=Count("id"), s=Sum("pages"), d=Sum("pages", default=0)
        ),
        "count_fk_reverse": lambda: list(
            Publication.objects.annotate(e=Count("editions"), top=Max("editions__number"))
            .order_by("title")
            .values_list("title", "e", "top")
        ),
        "group_by_fk_forward": lambda: list(
            Edition.objects.values("publication__title")
            .annotate(n=Count("id"), last=Max("number"))
            .order_by("publication__title")
        ),
        "fk_and_m2m_inflate": lambda: list(
            Publication.objects.annotate(e=Count("editions"), a=Count("article"))
            .order_by("title")
            .values_list("title", "e", "a")
        ),
        "two_hop_count": lambda: list(
            Reader.objects.annotate(n=Count("articles__publications", distinct=True))
            .order_by("name")
            .values_list("name", "n")
        ),
        "students_per_course_style": lambda: list(
            Publication.objects.annotate(readers=Count("article__reader", distinct=True))
            .order_by("-readers", "title")
            .values_list("title", "readers")
        ),
        "annotation_in_values": lambda: list(
            Article.objects.annotate(n=Count("publications"))
            .order_by("-headline")
            .values("headline", "n")[:2]
        ),
        "aggregate_over_annotation": lambda: Article.objects.annotate(
            n=Count("publications")
        ).aggregate(Max("n")),
    }


def compiler_scenarios(m: dict[str, Any], r: dict[str, Any]) -> dict[str, Any]:
    """Found by running random operation sequences on both ORMs (issue 11, item 1)."""
    Article, Publication, Q, Count = m["Article"], m["Publication"], m["Q"], m["Count"]
    chained = Article.objects.filter(publications__isnull=False).filter(publications__in=[r["p2"]])
    return {
        "chained_filters_annotate_uses_last_join": lambda: sorted(
            chained.annotate(n=Count("publications", distinct=True)).values_list("headline", "n")
        ),
        "chained_filters_values_list_uses_last_join": lambda: sorted(
            Publication.objects.filter(article__pages__gt=5)
            .filter(article__headline__startswith="NASA")
            .values_list("title", "article__headline")
        ),
        "chained_filters_order_by_uses_last_join": lambda: list(
            Article.objects.filter(publications__title__startswith="Science")
            .filter(publications__title__endswith="News")
            .order_by("publications__title", "pk")
            .values_list("headline", flat=True)
        ),
        # Articles without a publication would sort their NULL title first or last by backend.
        "distinct_order_by_unselected_related": lambda: names(
            Article.objects.filter(pages__gt=1)
            .exclude(headline__startswith="Nobody")
            .distinct()
            .order_by("publications__title", "pk")
        ),
        "exclude_with_empty_in": lambda: names(
            Article.objects.exclude(headline="NASA uses Python", headline__in=[]).order_by("pk")
        ),
        "or_with_empty_in": lambda: names(
            Article.objects.filter(
                Q(headline="NASA uses Python", pages__in=[]) | Q(pages=3)
            ).order_by("pk")
        ),
        "sum_with_m2m_filter_and_negation": lambda: Article.objects.aggregate(
            total=m["Sum"](
                "pages",
                filter=Q(publications__title__startswith="Science") & ~Q(headline__startswith="Ox"),
            )
        ),
        "count_pk_empty_q_filter": lambda: Article.objects.aggregate(n=Count("pk", filter=Q())),
        "order_by_double_minus": lambda: names(Article.objects.order_by("--pages")),
        # Keys differ between runs on MariaDB (auto-increment survives rollback): compare names;
        # sorting by the key gives creation order, not the publications' title order.
        "order_by_fk_column_itself": lambda: names(
            m["Edition"].objects.order_by("publication_id", "-number")
        ),
        "concrete_fields_include_many_to_many": lambda: sorted(
            f.name for f in Article._meta.get_fields() if f.concrete
        ),
        "str_query_params_unquoted": lambda: (
            str(Article.objects.filter(headline="it's").only("headline").query)
            .split(" WHERE ")[1]
            .replace("`", '"')
        ),  # MariaDB's quotes; the reference runs on SQLite
        "sum_over_count_annotation": lambda: Publication.objects.annotate(
            n=Count("article")
        ).aggregate(total=m["Sum"]("n")),
        # Last: it writes (each Django scenario is rolled back, tether's run in one test).
        "update_exclude_with_empty_in": lambda: Article.objects.exclude(
            headline="x", headline__in=[]
        ).update(pages=2),
    }


class ParityTests(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls) -> None:
        cls.rows = populate(tether_namespace())

    def compare(self, scenarios: Any) -> None:
        expected = django_outcomes(scenarios)
        ours = scenarios(tether_namespace(), self.rows)
        for name, scenario in ours.items():
            with self.subTest(name):
                self.assertEqual(outcome(scenario), expected[name])

    def test_queries_across_relations(self) -> None:
        self.compare(query_scenarios)

    def test_counting_across_relations(self) -> None:
        self.compare(counting_scenarios)

    def test_compiler_regressions(self) -> None:
        self.compare(compiler_scenarios)
