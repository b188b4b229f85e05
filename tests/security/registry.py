"""The injection registry: every public entry point where a caller's string can reach SQL text.

Each entry names what the caller controls (`kind`: a name that may become an identifier, or a
value that must be bound), the Django advisories it answers for, and `run(hostile)`, which makes
the call with the hostile string in that place. `test_injection_registry.py` drives every entry
with hypothesis and checks the outcome with `oracle.check_outcome`: Django's error before any
statement carrying data, or statements in which the string appears only inside a correctly
quoted identifier (names) or not at all (values: bound).

To add an entry point (a new method, a Func template, JSONObject keys, extra(), RawSQL params),
append an `Entry` here; when it needs something tether does not have yet, give it `requires`
(a callable saying whether it exists) so that it is skipped, not lost, until it arrives.
How each Django security release is checked against this list: docs/security.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tether.models as models
from tether.db import connection
from tether.models import Count, F, Q, Sum

from .models import Item, Tag

NAME = "name"  # the string is used where an identifier (or a lookup path) goes
VALUE = "value"  # the string is a value: it must be bound, never in the SQL text


@dataclass(frozen=True)
class Entry:
    slug: str
    kind: str
    run: Callable[[str], Any]
    advisories: tuple[str, ...] = ()
    # Whether the feature exists in tether yet; the entry is skipped (with a reason) until then.
    requires: Callable[[], bool] = field(default=lambda: True)
    # Statements with data may run before the refusal (Django does the same: e.g. get_or_create
    # looks the row up before it checks the defaults' names).
    sql_before_error: bool = False
    # Hypothesis examples per run (entries that open a connection per call take fewer).
    examples: int = 25


def _has(module: Any, name: str) -> Callable[[], bool]:
    return lambda: hasattr(module, name)


def _functions(name: str) -> Callable[[], bool]:
    def check() -> bool:
        import tether.models.functions as functions

        return hasattr(functions, name)

    return check


def _qs_has(name: str) -> Callable[[], bool]:
    return lambda: hasattr(Tag.objects.all(), name)


def _vendor(*vendors: str) -> Callable[[], bool]:
    return lambda: connection.vendor in vendors


def _exhaust(result: Any) -> Any:
    """Evaluate a QuerySet (or anything iterable) so that its SQL is sent."""
    return list(result) if hasattr(result, "__iter__") and not isinstance(result, dict) else result


def _get_or_none(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except Tag.DoesNotExist:
        return None


def _annotated(expression: Any) -> Any:
    return list(Tag.objects.annotate(out=expression).values("out"))


def _extract(s: str) -> Any:
    from tether.models.functions import Extract

    return list(Tag.objects.annotate(part=Extract("stamp", s)).values("part"))


def _trunc(s: str) -> Any:
    from tether.models.functions import Trunc

    return list(Tag.objects.annotate(part=Trunc("stamp", s)).values("part"))


def _filtered_relation(s: str) -> Any:
    from tether.models import FilteredRelation

    relation = FilteredRelation("items", condition=Q(items__title="x"))
    queryset = Tag.objects.annotate(**{s: relation}).filter(**{f"{s}__isnull": False})
    return list(queryset.order_by(s))


def _extra_select(s: str) -> Any:
    return list(Tag.objects.extra(select={s: "1"}))  # type: ignore[attr-defined]


def _explain(s: str) -> Any:
    return Tag.objects.all().explain(**{s: True})  # type: ignore[attr-defined]


def _url_option_name(s: str) -> Any:
    return _through_alias(f"{s}=1")


def _url_isolation_level(s: str) -> Any:
    return _through_alias(f"isolation_level={s}")


def _through_alias(option: str) -> Any:
    """Connect with the test database's settings plus the URL option `option` and run one
    statement, on a connection of its own (the test's transaction stays untouched)."""
    from dataclasses import replace

    from tether.db import connections
    from tether.db.connections import load_backend
    from tether.db.core.plans import fetch_one
    from tether.db.core.run import run_plan

    key, _, value = option.partition("=")
    base = connections.settings_for("default")
    settings = replace(base, options={**base.options, key: value})
    wrapper = load_backend(settings.vendor)(settings, "hostile", is_async=False)
    try:
        return run_plan(fetch_one("SELECT 1", []), wrapper)
    finally:
        wrapper.close()


def _raw(s: str) -> Any:
    table = connection.ops.quote_name(Tag._meta.db_table)
    name = connection.ops.quote_name("name")
    return list(Tag.objects.raw(f"SELECT * FROM {table} WHERE {name} = %s", [s]))


def _cursor(s: str) -> Any:
    table = connection.ops.quote_name(Tag._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE {connection.ops.quote_name('name')} = %s", [s]
        )
        return cursor.fetchall()


ENTRIES: tuple[Entry, ...] = (
    # ---- keyword names of the filter entry points (CVE-2025-64459 and its kind) ------------
    Entry(
        "filter_kwarg_name", NAME, lambda s: list(Tag.objects.filter(**{s: 1})), ("CVE-2025-64459",)
    ),
    Entry(
        "exclude_kwarg_name",
        NAME,
        lambda s: list(Tag.objects.exclude(**{s: 1})),
        ("CVE-2025-64459",),
    ),
    Entry(
        "get_kwarg_name",
        NAME,
        lambda s: _get_or_none(lambda: Tag.objects.get(**{s: 1})),
        ("CVE-2025-64459",),
    ),
    Entry(
        "get_or_create_kwarg_name",
        NAME,
        lambda s: Tag.objects.get_or_create(**{s: 1}),
        ("CVE-2025-64459",),
    ),
    Entry(
        "update_or_create_kwarg_name",
        NAME,
        lambda s: Tag.objects.update_or_create(**{s: 1}),
        ("CVE-2025-64459",),
    ),
    Entry(
        "get_or_create_defaults_name",
        NAME,
        lambda s: Tag.objects.get_or_create(name="zz", defaults={s: 1}),
        sql_before_error=True,
    ),
    Entry(
        "q_kwarg_name",
        NAME,
        lambda s: list(Tag.objects.filter(Q(**{s: 1}) | Q(rank=2))),
        ("CVE-2025-64459",),
    ),
    Entry(
        "q_connector",
        VALUE,
        lambda s: list(Tag.objects.filter(Q(name="a", rank=1, _connector=s))),
        ("CVE-2025-64459",),
    ),
    Entry("related_manager_filter_name", NAME, lambda s: list(Tag(pk=1).items.filter(**{s: 1}))),
    # ---- aliases: annotate / alias / aggregate / values expressions ------------------------
    Entry(
        "annotate_alias",
        NAME,
        lambda s: list(Tag.objects.annotate(**{s: F("rank")}).values(s)),
        ("CVE-2022-28346", "CVE-2025-59681", "CVE-2026-1287"),
    ),
    Entry(
        "annotate_alias_order_by",
        NAME,
        lambda s: list(Tag.objects.annotate(**{s: Count("items")}).order_by(s)),
        ("CVE-2022-28346", "CVE-2026-1312"),
    ),
    Entry(
        "alias_alias",
        NAME,
        lambda s: list(Tag.objects.alias(**{s: F("rank")}).filter(**{s: 1})),
        ("CVE-2025-59681", "CVE-2026-1287"),
    ),
    Entry(
        "aggregate_alias",
        NAME,
        lambda s: Tag.objects.aggregate(**{s: Sum("rank")}),
        ("CVE-2022-28346", "CVE-2025-59681", "CVE-2026-1287"),
    ),
    Entry(
        "values_expression_alias",
        NAME,
        lambda s: list(Tag.objects.values(**{s: F("name")})),
        ("CVE-2026-1287",),
    ),
    Entry(
        "values_list_expression_alias",
        NAME,
        lambda s: list(Tag.objects.annotate(**{s: F("name")}).values_list(s)),
        ("CVE-2026-1287",),
    ),
    # ---- field names, lookups and transforms ----------------------------------------------
    Entry("values_name", NAME, lambda s: list(Tag.objects.values(s))),
    Entry("values_list_name", NAME, lambda s: list(Tag.objects.values_list(s))),
    Entry("order_by_name", NAME, lambda s: list(Tag.objects.order_by(s)), ("CVE-2021-35042",)),
    Entry(
        "order_by_descending_name",
        NAME,
        lambda s: list(Tag.objects.order_by("-" + s)),
        ("CVE-2021-35042",),
    ),
    Entry("lookup_name", NAME, lambda s: list(Tag.objects.filter(**{f"name__{s}": "x"}))),
    Entry(
        "transform_name",
        NAME,
        lambda s: list(Tag.objects.filter(**{f"stamp__{s}": 1})),
        ("CVE-2022-34265",),
    ),
    Entry("f_expression_name", NAME, lambda s: list(Tag.objects.filter(rank=F(s)))),
    Entry("aggregate_argument_name", NAME, lambda s: Tag.objects.aggregate(total=Count(s))),
    Entry("only_name", NAME, lambda s: list(Tag.objects.only(s))),
    Entry("defer_name", NAME, lambda s: list(Tag.objects.defer(s))),
    Entry("select_related_name", NAME, lambda s: list(Item.objects.select_related(s))),
    Entry("prefetch_related_name", NAME, lambda s: list(Tag.objects.prefetch_related(s))),
    Entry("in_bulk_field_name", NAME, lambda s: Tag.objects.in_bulk([1], field_name=s)),
    Entry("latest_field_name", NAME, lambda s: _get_or_none(lambda: Tag.objects.latest(s))),
    Entry("update_kwarg_name", NAME, lambda s: Tag.objects.update(**{s: 1})),
    Entry("create_kwarg_name", NAME, lambda s: Tag.objects.create(**{s: 1})),
    Entry(
        "select_for_update_of",
        NAME,
        lambda s: list(Tag.objects.select_for_update(of=(s,)).filter(pk=0)),
        requires=lambda: connection.features.has_select_for_update_of,
    ),
    Entry(
        "distinct_field_name",
        NAME,
        lambda s: list(Tag.objects.order_by().distinct(s)),
        requires=lambda: connection.features.can_distinct_on_fields,
    ),
    # ---- JSON key paths: keys are bound, as in Django 5.2 ---------------------------------
    Entry(
        "json_key_filter",
        NAME,
        lambda s: list(Tag.objects.filter(**{f"data__{s}": "v"})),
        ("CVE-2019-14234",),
    ),
    Entry(
        "json_key_text_lookup",
        NAME,
        lambda s: list(Tag.objects.filter(**{f"data__{s}__icontains": "v"})),
        ("CVE-2019-14234",),
    ),
    Entry(
        "json_key_values",
        NAME,
        lambda s: list(Tag.objects.values(f"data__{s}")),
        ("CVE-2024-42005",),
    ),
    Entry(
        "json_key_values_list",
        NAME,
        lambda s: list(Tag.objects.values_list(f"data__{s}")),
        ("CVE-2024-42005",),
    ),
    Entry("json_key_order_by", NAME, lambda s: list(Tag.objects.order_by(f"data__{s}"))),
    Entry(
        "json_has_key",
        VALUE,
        lambda s: list(Tag.objects.filter(data__has_key=s)),
        ("CVE-2024-53908",),
    ),
    Entry("json_has_keys", VALUE, lambda s: list(Tag.objects.filter(data__has_keys=[s, "k"]))),
    Entry("json_value", VALUE, lambda s: list(Tag.objects.filter(data__k=s))),
    # ---- plain values ----------------------------------------------------------------------
    Entry(
        "filter_value",
        VALUE,
        lambda s: list(Tag.objects.filter(Q(name=s) | Q(name__contains=s) | Q(name__in=[s]))),
    ),
    Entry(
        "pattern_value",
        VALUE,
        lambda s: list(Tag.objects.filter(name__istartswith=s).exclude(name__iendswith=s)),
    ),
    Entry(
        "create_and_update_value",
        VALUE,
        lambda s: Tag.objects.filter(pk=Tag.objects.create(name=s, data={s: s}).pk).update(name=s),
    ),
    Entry("raw_params", VALUE, _raw),
    Entry("cursor_params", VALUE, _cursor),
    # ---- values inside expressions (Func, Case/When, Subquery) -----------------------------
    Entry(
        "func_argument_value",
        VALUE,
        lambda s: _annotated(models.Func(models.Value(s), function="LOWER")),
        requires=_has(models, "Func"),
    ),
    Entry(
        "case_when_value",
        VALUE,
        lambda s: _annotated(
            models.Case(models.When(name=s, then=models.Value(s)), default=models.Value(s))
        ),
        requires=_has(models, "Case"),
    ),
    Entry(
        "subquery_filter_value",
        VALUE,
        lambda s: list(
            Tag.objects.filter(pk__in=models.Subquery(Tag.objects.filter(name=s).values("pk")))
        ),
        requires=_has(models, "Subquery"),
    ),
    Entry(
        "when_condition_name",
        NAME,
        lambda s: _annotated(
            models.Case(models.When(**{s: 1}, then=models.Value("x")), default=models.Value("y"))
        ),
        requires=_has(models, "Case"),
    ),
    # ---- Trunc / Extract kinds (CVE-2022-34265): run once the functions exist --------------
    Entry(
        "extract_lookup_name", VALUE, _extract, ("CVE-2022-34265",), requires=_functions("Extract")
    ),
    Entry("trunc_kind", VALUE, _trunc, ("CVE-2022-34265",), requires=_functions("Trunc")),
    # ---- FilteredRelation aliases: run once FilteredRelation exists ------------------------
    Entry(
        "filtered_relation_alias",
        NAME,
        _filtered_relation,
        ("CVE-2025-57833", "CVE-2025-13372", "CVE-2026-1287", "CVE-2026-1312"),
        requires=_has(models, "FilteredRelation"),
    ),
    # ---- extra() and explain(): run once they exist ----------------------------------------
    Entry(
        "extra_select_alias",
        NAME,
        _extra_select,
        ("CVE-2022-28346", "CVE-2025-59681"),
        requires=_qs_has("extra"),
    ),
    Entry("explain_option", NAME, _explain, ("CVE-2022-28347",), requires=_qs_has("explain")),
    # ---- database URL options --------------------------------------------------------------
    Entry(
        "url_option_name",
        NAME,
        _url_option_name,
        requires=_vendor("postgresql", "mysql"),
        examples=8,
    ),
    Entry(
        "url_isolation_level", VALUE, _url_isolation_level, requires=_vendor("mysql"), examples=8
    ),
)
