"""Query.STATE declares every attribute a Query holds and what the SQL-cache key reads for it.

A Query carrying an attribute STATE does not name would be keyed without it: two queries that
differ only there would share one cached statement. These tests catch such an attribute on the
queries the QuerySet API builds, including those made inside update() and aggregate().
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tether.db import connection
from tether.models import Count, F, Max, Q, Sum, Value
from tether.models.sql.query import Query

from .capture import compiled_query, first_step
from .models import Author, Book

QUERIES: dict[str, Callable[[], Any]] = {
    "all": lambda: list(Book.objects.all()),
    "filter across relations": lambda: list(
        Book.objects.filter(author__name="a", tags__label__in=["x", "y"]).exclude(pages=3)
    ),
    "q objects": lambda: list(Book.objects.filter(Q(pages__gt=1) | ~Q(title__contains="z"))),
    "values and annotate": lambda: list(
        Book.objects.values("author__name").annotate(n=Count("id"), total=Sum("pages"))
    ),
    "ordering expressions": lambda: list(
        Book.objects.order_by((F("pages") * Value(2)).desc(nulls_last=True), "-title")
    ),
    "select_related only defer": lambda: list(
        Book.objects.select_related("author").only("title", "author__name")
    ),
    "defer": lambda: list(Book.objects.defer("data")),
    "distinct slice": lambda: list(Book.objects.distinct()[2:5]),
    "for update": lambda: list(Book.objects.select_for_update(nowait=True)),
    "count": lambda: Book.objects.filter(pages=1).count(),
    "exists": lambda: Book.objects.filter(pages=1).exists(),
    "aggregate": lambda: Book.objects.filter(pages=1).aggregate(m=Max("pages")),
    "update": lambda: first_step(
        Book.objects.filter(pages=1)._update_plan(
            connection, {"pages": F("pages") + 1, "title": "t"}
        )
    ),
    "values_list flat": lambda: list(Author.objects.values_list("name", flat=True)),
    "reverse": lambda: list(Author.objects.reverse()),
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_every_attribute_of_a_query_is_declared(name: str) -> None:
    query = compiled_query(QUERIES[name])
    undeclared = set(vars(query)) - set(Query.STATE)
    assert not undeclared, f"declare {sorted(undeclared)} in Query.STATE (models/sql/query.py)"
    hash(query.shape_key("select"))


def test_a_new_query_holds_exactly_the_declared_state() -> None:
    assert set(vars(Query(Book))) == set(Query.STATE)


def test_values_do_not_change_the_key_and_structure_does() -> None:
    def key(qs: Any) -> Any:
        return qs.query.shape_key("select")

    assert key(Book.objects.filter(pages=1)) == key(Book.objects.filter(pages=2))
    assert key(Book.objects.all()[1:3]) == key(Book.objects.all()[4:9])
    assert key(Book.objects.filter(pages=1)) != key(Book.objects.filter(pages__gt=1))
    assert key(Book.objects.filter(pages=None)) != key(Book.objects.filter(pages=1))
    assert key(Book.objects.all()[:3]) != key(Book.objects.all()[1:3])
    assert key(Book.objects.filter(pk__in=[1, 2])) != key(Book.objects.filter(pk__in=[1]))


def test_update_values_are_params_and_the_fields_are_the_shape() -> None:
    def update_key(**values: Any) -> Any:
        plan = Book.objects.all()._update_plan(connection, values)
        return compiled_query(lambda: first_step(plan)).shape_key("update")

    assert update_key(pages=1) == update_key(pages=2)
    assert update_key(pages=1) != update_key(title="x")
    assert update_key(pages=F("pages") + 1) != update_key(pages=1)


def test_the_cache_is_per_purpose() -> None:
    caches = connection.caches
    assert {"statements", "insert_sql", "m2m_delete_sql"} <= set(caches.__slots__)
    Book.objects.filter(pages=1).query.get_compiler(connection=connection).compiled()
    assert caches.statements
    caches.clear()
    assert len(caches) == 0
