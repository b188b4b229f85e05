"""Every node kind follows the SQL-cache node protocol (models/sql/compiler.py's docstring).

Each entry of CATALOGUE builds, from a value `v`, a query using some node kinds with `v` in
its parameters. For each dialect, without a database, it checks:
- every node compiled: its placeholders match its params, and its params are those the cache
  binds for the leaves recorded while it compiled (`get_params` of each, in that order);
- the statement: placeholders match params; a query of the same shape with other values reuses
  the cached statement and binds exactly what a fresh render binds.
A new node kind must appear in some entry: test_every_node_kind_is_covered names the missing.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest

import tether.models
from tether.db import connection
from tether.db.errors import NotSupportedError
from tether.exceptions import EmptyResultSet
from tether.models import (
    Avg,
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    RawSQL,
    RowRange,
    StdDev,
    Subquery,
    Sum,
    Value,
    ValueRange,
    Variance,
    When,
    Window,
)
from tether.models.functions import (
    MD5,
    SHA1,
    SHA224,
    SHA256,
    SHA384,
    SHA512,
    Cast,
    Chr,
    Coalesce,
    Collate,
    Concat,
    ConcatPair,
    Extract,
    ExtractIsoYear,
    Greatest,
    JSONArray,
    JSONObject,
    Least,
    Left,
    Length,
    Lower,
    LPad,
    LTrim,
    Now,
    NullIf,
    Ord,
    Repeat,
    Replace,
    Reverse,
    Right,
    RPad,
    RTrim,
    StrIndex,
    Substr,
    Trim,
    Trunc,
    TruncDay,
    TruncHour,
    TruncMinute,
    TruncMonth,
    TruncQuarter,
    TruncSecond,
    TruncWeek,
    TruncYear,
    Upper,
)
from tether.models.functions import math as math_functions
from tether.models.functions.window import (
    CumeDist,
    DenseRank,
    FirstValue,
    Lag,
    LastValue,
    Lead,
    NthValue,
    Ntile,
    PercentRank,
    Rank,
    RowNumber,
)
from tether.models.sql.compiler import SQLCompiler

from .capture import DIALECTS, compiled_query, first_step, render_connection
from .models import Author, Book, Tag

Made = tuple[Any, str]  # (query, compiler kind)


def math_annotations(v: int) -> dict[str, Any]:
    """Every math function, with a float argument (PostgreSQL casts those for LOG, MOD and
    ROUND) and the value in the parameters."""
    made: dict[str, Any] = {}
    real = ExpressionWrapper(F("pages") * Value(1.5), output_field=FloatField())
    for name, function in vars(math_functions).items():
        if not (inspect.isclass(function) and function.__module__ == math_functions.__name__):
            continue
        if function.arity == 0:
            made[name.lower()] = function()
        elif function.arity == 2 or name == "Round":
            made[name.lower()] = function(real, Value(v))
        else:
            made[name.lower()] = function(F("pages") + Value(v))
    return made


def select(qs: Any) -> Made:
    return qs.query, "values" if qs._fields is not None else "select"


CATALOGUE: dict[str, Callable[[int], Made]] = {
    "filter across relations": lambda v: select(
        Book.objects.filter(author__name=f"n{v}", tags__label=f"t{v}").exclude(editor__age=v)
    ),
    "comparisons": lambda v: select(
        Book.objects.filter(
            Q(pages__gt=v, pages__gte=v, pages__lt=v + 9, pages__lte=v + 9)
            | Q(pages__range=(v, v + 5), pages__in=[v, v + 1], editor__isnull=True)
            | Q(title__gte=f"t{v}", title__lt=f"u{v}")
        )
    ),
    "patterns": lambda v: select(
        Book.objects.filter(
            title__iexact=f"a{v}",
            title__contains=f"%{v}",
            title__icontains=f"_{v}",
            title__startswith=f"s{v}",
            title__istartswith=f"S{v}",
            title__endswith=f"e{v}",
            title__iendswith=f"E{v}",
            title__regex=f"^r{v}",
            title__iregex=f"^R{v}",
        )
    ),
    "empty alternative": lambda v: select(Book.objects.filter(Q(pk__in=[]) | Q(pages=v))),
    "none": lambda v: select(Book.objects.filter(pages=v).none()),
    "raw sql": lambda v: select(
        Book.objects.filter(pages__gt=RawSQL("%s + 1", [v]))
        .filter(RawSQL("pages <> %s", [v], output_field=BooleanField()))
        .annotate(r=RawSQL("%s", [v], output_field=IntegerField()))
    ),
    "extra": lambda v: select(
        Book.objects.extra(
            select={"e": "pages + %s"},
            select_params=[v],
            where=["pages <> %s", "title <> %s"],
            params=[v, str(v)],
        ).filter(pages__lt=v)
    ),
    "expressions": lambda v: select(
        Book.objects.annotate(
            more=ExpressionWrapper(F("pages") + Value(v), output_field=IntegerField())
        )
        .filter(pages__gt=F("author__age") * Value(v))
        .order_by((F("pages") * Value(v)).desc(nulls_last=True), "title")
    ),
    "aggregates": lambda v: select(
        Author.objects.values("name").annotate(
            n=Count("books", filter=Q(books__pages__gt=v), distinct=True),
            s=Sum("books__pages", default=v),
            a=Avg("books__pages"),
            hi=Max("books__pages", filter=Q(books__title=f"t{v}")),
            lo=Min("books__pages", default=v + 1),
            sd=StdDev("books__pages"),
            var=Variance("books__pages"),
        )
    ),
    "aggregate()": lambda v: (
        compiled_query(lambda: Book.objects.filter(pages=v).aggregate(m=Max("pages", default=v))),
        "aggregate",
    ),
    "json": lambda v: select(
        Book.objects.filter(
            data__k=v,
            data__k__in=[v, v + 1],
            data__m__isnull=False,
            data__has_key=f"k{v}",
            data__has_keys=["a", f"b{v}"],
            data__has_any_keys=[f"c{v}"],
            data__k__icontains=f"x{v}",
        ).exclude(data={"a": v})
    ),
    "json containment": lambda v: select(
        Book.objects.filter(data__contains={"a": v}, data__contained_by={"a": v, "b": 2})
    ),
    "json values": lambda v: select(Book.objects.filter(pages=v).values("data__k", "title")),
    "dates": lambda v: select(
        Author.objects.filter(
            born__year=2000 + v,
            born__month=v,
            born__day=v,
            born__hour=v,
            born__minute=v,
            born__second=v,
            born__week=v,
            born__week_day=v,
            born__iso_week_day=v,
            born__quarter=v,
            born__iso_year=2000 + v,
            born__date__isnull=False,
            born__time__isnull=False,
        ).values("born__year", "name")
    ),
    "date functions": lambda v: select(
        Author.objects.annotate(
            y=Extract("born", "year", tzinfo=datetime.timezone(datetime.timedelta(hours=5))),
            t=Trunc("born", "month"),
            parts=Now(),
            iso=ExtractIsoYear("born"),
            q=TruncQuarter("born"),
            cut=Func(
                TruncYear("born"),
                TruncWeek("born"),
                TruncDay("born"),
                TruncHour("born"),
                TruncMinute("born"),
                TruncSecond("born"),
                TruncMonth("born", output_field=DateField()),
                function="COALESCE",
            ),
        ).filter(
            born__year__gt=2000 + v,
            born__year__gte=2000 + v,
            born__year__lt=2010 + v,
            born__year__lte=2010 + v,
            born__iso_year__gt=2000 + v,
            born__lt=Now(),
        )
    ),
    "subquery": lambda v: select(
        Book.objects.filter(author__in=Author.objects.filter(age=v), pages=v)
    ),
    "update": lambda v: (
        compiled_query(
            lambda: first_step(
                Book.objects.filter(pages=v)._update_plan(
                    connection, {"pages": F("pages") + v, "title": f"t{v}"}
                )
            )
        ),
        "update",
    ),
    "bulk_update": lambda v: (
        compiled_query(
            lambda: first_step(
                Book.objects.all()._bulk_update_plan(
                    connection,
                    [Book(id=1, pages=v, title="a"), Book(id=2, pages=F("pages") + v, title="b")],
                    [Book._meta.get_field("pages"), Book._meta.get_field("title")],
                    None,
                )
            )
        ),
        "update",
    ),
    "case when and functions": lambda v: select(
        Book.objects.annotate(
            size=Case(
                When(pages__gt=v, then=Value(f"big{v}")),
                When(Q(title=f"t{v}") | Q(pages=v), then=F("title")),
                default=Value("small"),
            ),
            absolute=Func(F("pages") - v, function="ABS", output_field=IntegerField()),
            head=F("title")[v : v + 2],
            n=Count("*"),
        )
        .filter(Q(pages__gt=v) & Exists(Author.objects.filter(pk=OuterRef("author"), age=v)))
        .exclude(~Exists(Tag.objects.filter(label=f"l{v}")))
        .order_by("size")
    ),
    "subquery values": lambda v: select(
        Author.objects.annotate(
            first=Subquery(
                Book.objects.filter(author=OuterRef("pk"), pages__gt=v).values("title")[:1]
            )
        ).filter(Exists(Book.objects.filter(author=OuterRef("pk"), title__startswith=f"a{v}")))
    ),
    "windows": lambda v: select(
        Book.objects.annotate(
            rank=Window(
                Rank(),
                partition_by=[F("author"), Value(v)],
                order_by=[F("pages").desc(), "title"],
                frame=RowRange(start=-2, end=0),
            ),
            number=Window(RowNumber(), order_by=F("pages").asc(), frame=ValueRange(end=1)),
        )
    ),
    "comparison functions": lambda v: select(
        Book.objects.annotate(
            cast=Cast(F("pages") + v, FloatField()),
            text=Cast(Value(f"{v}"), CharField(max_length=5)),
            first=Coalesce("editor__name", Value(f"n{v}"), "title"),
            most=Greatest("pages", Value(v)),
            least=Least(F("pages"), Value(v), F("author__age")),
            none=NullIf("pages", Value(v)),
        )
        .filter(first=Collate(Value(f"c{v}"), "nocase"), most__gt=v)
        .order_by(Collate("title", "C"))
    ),
    "text functions": lambda v: select(
        Book.objects.annotate(
            a=Concat("title", Value(f"-{v}"), "author__name", "pages", output_field=CharField()),
            b=Left("title", v),
            c=Right("title", F("pages") + v),
            d=Substr("title", v, Value(v + 1)),
            e=LPad("title", v, Value(f"{v}")),
            f=RPad(Lower("title"), v),
            g=Repeat(Upper(Value(f"r{v}")), v),
            h=Replace(Trim("title"), Value(f"{v}")),
            i=StrIndex(LTrim("title"), Value(f"s{v}")),
            j=Chr(Ord(RTrim(Value(f"o{v}")))),
            k=Length(Reverse(Value(f"l{v}"))),
            m=MD5(Value(f"m{v}")),
            sha=Concat(SHA1("title"), SHA224(Value(f"x{v}")), SHA256("title")),
            sha2=ConcatPair(SHA384("title"), SHA512(Value(f"y{v}"))),
        ).filter(title__startswith=f"t{v}")
    ),
    "json functions": lambda v: select(
        Book.objects.annotate(
            o=JSONObject(name="title", n=Value(v), nested=JSONArray(Value(f"a{v}"), "pages")),
            a=JSONArray(Value(v), JSONObject(), F("author__age") + v),
        ).order_by("o__name", "-a__0")
    ),
    "math functions": lambda v: select(Book.objects.annotate(**math_annotations(v))),
    "window functions": lambda v: select(
        Book.objects.annotate(
            cume=Window(CumeDist(), order_by="pages"),
            dense=Window(DenseRank(), partition_by=F("author"), order_by=F("title").desc()),
            percent=Window(PercentRank(), order_by="pages"),
            tile=Window(Ntile(v + 1), order_by="pages"),
            first=Window(FirstValue(F("pages") + Value(v)), order_by="pages"),
            last=Window(LastValue("title"), order_by="pages", frame=RowRange(end=1)),
            nth=Window(NthValue("pages", nth=v), order_by="pages"),
            lag=Window(Lag("pages", offset=v, default=Value(v)), order_by="pages"),
            lead=Window(Lead(F("pages") * Value(v)), order_by="pages"),
        )
    ),
    "count distinct slice": lambda v: (
        Book.objects.filter(pages=v).distinct()[v : v + 3].query,
        "count",
    ),
    "exists": lambda v: (Book.objects.filter(title=f"t{v}").query, "exists"),
    "delete across relations": lambda v: (Book.objects.filter(author__age=v).query, "delete"),
}

# Bases and helpers that are never compiled as such: ResolvedOuterRef raises until the outer
# query resolves it; Window renders its ExpressionList with a template of its own (the list's
# children go through compiler.compile); Ref is not built by the query layer yet.
NOT_NODES = {
    "_Ranking",
    "_ValueOf",
    "LagLeadFunction",
    "FuncTransform",
    "ResolvedOuterRef",
    "ExpressionList",
    "Ref",
    "BaseExpression",
    "Expression",
    "WindowFrame",
    "Aggregate",
    "_ArithmeticAggregate",
    "Lookup",
    "Transform",
    "TemporalTransform",
    "TruncBase",
    "YearLookup",
    "HasKeyLookup",
    "_Comparison",
    "_Pattern",
    "_DocumentLookup",
    "SQLCompiler",
    "_AtLeastTwo",
    "_SHA",
}


def node_kinds() -> set[str]:
    kinds = set()
    for info in pkgutil.walk_packages(tether.models.__path__, "tether.models."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and obj.__module__ == module.__name__:
                if hasattr(obj, "as_sql") and name not in NOT_NODES:
                    kinds.add(f"{obj.__module__}.{name}")
    return kinds


def placeholders(sql: str) -> int:
    """The %s placeholders of SQL before the driver's conversion (%% is a literal %)."""
    return len(re.findall(r"%s", sql.replace("%%", "")))


def recorded_params(compiler: Any, start: int) -> list[Any]:
    """The params the SQL cache binds for the leaves recorded since `start`: what a later
    query of this shape would send for the node just compiled."""
    leaves = compiler.query.param_leaves()
    params: list[Any] = []
    for index in compiler._used[start:]:
        if index.__class__ is int:
            params.extend(leaves[index].get_params(compiler, compiler.connection))
        else:
            params.extend(index.params(compiler))
    return params


class Checker:
    """Wraps SQLCompiler.compile: checks each node the cache sees and notes every node's kind.

    Nodes compiled inside a leaf are the leaf's own business (its get_params covers them), so
    they are noted but not checked on their own; so are nodes compiled outside a render.
    """

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.original = SQLCompiler.compile
        self.inside_leaf = 0

    def compile(self, compiler: Any, node: Any) -> tuple[str, list[Any]]:
        kind = type(node)
        self.kinds.add(f"{kind.__module__}.{kind.__name__}")
        if self.inside_leaf or compiler._leaf_ids is None:
            # Inside a leaf, or a leaf's get_params collecting values for a cached statement.
            return self.original(compiler, node)
        leaf = bool(getattr(node, "is_leaf", False))
        start = len(compiler._used)
        self.inside_leaf += leaf
        try:
            sql, params = self.original(compiler, node)
        finally:
            self.inside_leaf -= leaf
        assert placeholders(sql) == len(params), (node, sql, params)
        self.inside_leaf += 1
        mark = len(compiler._used)
        try:
            expected = recorded_params(compiler, start)
        finally:
            # A leaf's get_params may compile its parts (a lookup's annotated left-hand side),
            # which records them: this check must not add to the statement's record.
            del compiler._used[mark:]
            self.inside_leaf -= 1
        assert repr(expected) == repr(list(params)), (node, sql, params, expected)
        return sql, params


def compile_statement(make: Callable[[int], Made], v: int, conn: Any) -> Any:
    query, kind = make(v)
    return query.get_compiler(connection=conn, kind=kind).compiled()


SEEN: dict[str, set[str]] = {vendor: set() for vendor in DIALECTS}


@pytest.mark.parametrize("vendor", list(DIALECTS))
@pytest.mark.parametrize("name", list(CATALOGUE))
def test_node_protocol(name: str, vendor: str) -> None:
    make = CATALOGUE[name]
    conn = render_connection(vendor)
    checker = Checker()

    def compile(compiler: Any, node: Any) -> tuple[str, list[Any]]:
        return checker.compile(compiler, node)

    with mock.patch.object(SQLCompiler, "compile", compile):
        try:
            entry, params = compile_statement(make, 1, conn)
        except NotSupportedError:
            pytest.skip(f"{name} is not supported on {vendor}")
        except EmptyResultSet:
            SEEN[vendor] |= checker.kinds
            return
        SEEN[vendor] |= checker.kinds
        if conn.ops.placeholder == "%s":
            assert placeholders(entry.sql) == len(params), (entry.sql, params)
        cached, cached_params = compile_statement(make, 2, conn)
        assert cached is entry
        conn.caches.clear()
        fresh, fresh_params = compile_statement(make, 2, conn)
    assert fresh.sql == entry.sql
    assert repr(cached_params) == repr(fresh_params)
    assert repr(cached_params) != repr(params) or not params, "the values did not change"


def test_every_node_kind_is_covered() -> None:
    for name in CATALOGUE:
        for vendor in DIALECTS:
            if not SEEN[vendor]:
                try:
                    test_node_protocol(name, vendor)
                except pytest.skip.Exception:
                    pass
    seen = set().union(*SEEN.values())
    missing = node_kinds() - seen
    assert not missing, f"add a CATALOGUE entry in {__name__} that compiles {sorted(missing)}"
