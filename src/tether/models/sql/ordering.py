"""ORDER BY terms: what a query is ordered by, and the columns of one term, a relation's
Meta.ordering followed through (with Django's check for orderings that go round in a circle).
"""

from __future__ import annotations

from typing import Any

from tether.exceptions import FieldError
from tether.models.sql.constants import LOOKUP_SEP


def ordering_terms(query: Any) -> list[Any]:
    """What the query is ordered by: extra(order_by=), order_by(), else Meta.ordering."""
    if query.extra_order_by:
        return list(query.extra_order_by)
    if query.order_by:
        return list(query.order_by)
    if query.default_ordering and not query.subquery and query.group_by is None:
        # Django leaves Meta.ordering out of GROUP BY queries (annotate() with aggregates).
        opts = query.get_meta()
        return list(opts.ordering or ()) if opts is not None else []
    return []


def ordering_cols(
    compiler: Any, name: str, descending: bool, seen: set[Any]
) -> list[tuple[Any, bool]]:
    """(column, descending) pairs for `name`; a relation follows its model's Meta.ordering.

    A "-" in the related ordering flips the requested direction, as in Django.
    """
    query = compiler.query
    parts = name.split(LOOKUP_SEP)
    path, field, targets, remaining = query.names_to_path(parts, query.model._meta)
    # "author_id" names the column itself: only "author" follows the related ordering.
    # (An annotation, such as JSONObject(...) ordered by one of its keys, is no relation.)
    is_relation = getattr(field, "is_relation", False)
    if is_relation and not remaining and parts[-1] != getattr(field, "attname", None):
        related = field.related_model._meta
        single = field.many_to_one is not False and not getattr(field, "many_to_many", False)
        if related.ordering and single:
            # The hop followed and the one that led to it: met again, the related
            # orderings go round in a circle (Django compares the same pair of joins).
            join_key = tuple((info.from_opts.label, info.join_field.name) for info in path[-2:])
            if join_key in seen:
                raise FieldError("Infinite loop caused by ordering.")
            seen = seen | {join_key}
            cols = []
            for item in related.ordering:
                if not isinstance(item, str):
                    raise FieldError("Ordering a relation by expressions is not supported.")
                flip = item.startswith("-")
                cols.extend(
                    ordering_cols(
                        compiler, f"{name}{LOOKUP_SEP}{item.lstrip('-')}", descending != flip, seen
                    )
                )
            return cols
    return [(compiler.resolve_name(name), descending)]
