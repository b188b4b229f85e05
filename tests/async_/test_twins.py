"""Every public sync method with an a-prefixed twin drives the same plan as its twin.

The pairs are found by enumeration (QuerySet, Manager, Model and both related managers), so a
new twin without cases here fails `test_every_twin_pair_is_covered`. Each pair is made by
`tether.db.core.twins` from one job (checked mechanically), and each case runs the sync method
and then the async one from the same database state (a savepoint, rolled back after each):
both must give the same result (or raise the same error), send the same statements and leave
the same rows.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tether.db import connections, transaction
from tether.db.connections import share_thread_connections
from tether.models import (
    Count,
    Model,
    Sum,
    aprefetch_related_objects,
    prefetch_related_objects,
)
from tether.models.base import Model as BaseModel
from tether.models.manager import Manager
from tether.models.query import QuerySet
from tether.models.relations.m2m_manager import ManyRelatedManager
from tether.models.relations.related_manager import RelatedManager
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .models import Event, Post, Reply, SluggedNote, Tag

TWIN_CLASSES = (QuerySet, Manager, BaseModel, RelatedManager, ManyRelatedManager)


@dataclass
class Case:
    target: Callable[[], Any]  # the object whose method is called (built fresh per run)
    args: Callable[[], tuple[tuple[Any, ...], dict[str, Any]]] = lambda: ((), {})


def call(*args: Any, **kwargs: Any) -> Callable[[], tuple[tuple[Any, ...], dict[str, Any]]]:
    return lambda: (args, kwargs)


def events() -> Any:
    return Event.objects.all()


def event(pk: int) -> Any:
    return Event.objects.get(pk=pk)


def post_tags() -> Any:
    return Post.objects.get(pk=1).tags


def post_replies() -> Any:
    return Post.objects.get(pk=1).replies


def fetched_events(*pks: int, seats: int) -> Callable[[], Any]:
    def make() -> Any:
        objs = [event(pk) for pk in pks]
        for obj in objs:
            obj.seats = seats
        return (objs, ["seats"]), {}

    return make


QUERYSET_CASES: dict[str, list[Case]] = {
    "aggregate": [Case(events, call(total=Sum("seats"), n=Count("id")))],
    "bulk_create": [
        Case(events, lambda: (([Event(id=50, name="b1"), Event(id=51, name="b2")],), {})),
        Case(events, call([])),
        Case(events, call([], batch_size=0)),
        Case(lambda: SluggedNote.objects.all(), lambda: (([SluggedNote(id=9, title="T T")],), {})),
    ],
    "bulk_update": [
        Case(events, fetched_events(1, 2, seats=9)),
        Case(events, call([], ["seats"])),
        Case(events, call([], [])),
    ],
    "contains": [
        Case(events, lambda: ((event(1),), {})),
        Case(lambda: Event.objects.filter(name="zz"), lambda: ((event(1),), {})),
    ],
    "count": [Case(events), Case(lambda: Event.objects.filter(seats__gt=1))],
    "create": [
        Case(events, call(id=60, name="new", seats=4)),
        Case(lambda: SluggedNote.objects.all(), call(id=61, title="Own Save")),
    ],
    "delete": [Case(lambda: Event.objects.filter(name="b")), Case(lambda: events()[:1])],
    "earliest": [Case(events, call("seats")), Case(events)],
    "exists": [Case(events), Case(lambda: Event.objects.filter(name="zz"))],
    "explain": [Case(events), Case(lambda: Event.objects.none())],
    "first": [Case(events), Case(lambda: Event.objects.none())],
    "get": [
        Case(events, call(name="a")),
        Case(events, call(name="zz")),
        Case(events, call(seats__gte=0)),
    ],
    "get_or_create": [
        Case(events, call(name="a")),
        Case(events, call(name="new", defaults={"id": 70, "seats": 7})),
        Case(lambda: SluggedNote.objects.all(), call(title="Got", defaults={"id": 71})),
    ],
    "in_bulk": [Case(events, call([1, 3])), Case(events, call(["a"], field_name="name"))],
    "iterator": [Case(events, call(chunk_size=1)), Case(events, call(chunk_size=0))],
    "last": [Case(events), Case(lambda: Event.objects.order_by("seats"))],
    "latest": [Case(events, call("seats"))],
    "update": [
        Case(events, call(seats=5)),
        Case(events),
        Case(lambda: events()[:1], call(seats=1)),
    ],
    "update_or_create": [
        Case(events, call(name="a", defaults={"seats": 8})),
        Case(events, call(name="new", defaults={"seats": 8}, create_defaults={"id": 80})),
        Case(lambda: SluggedNote.objects.all(), call(pk=5, defaults={"title": "Re Named"})),
    ],
}

MANAGER_CASES = {
    name: [Case(lambda: Event.objects, case.args) for case in cases if case.target is events]
    for name, cases in QUERYSET_CASES.items()
    if name != "delete"  # queryset_only, as in Django
}

MODEL_CASES = {
    "save": [
        Case(lambda: Event(id=90, name="saved", seats=1)),
        Case(lambda: event(1), call(update_fields=["seats"])),
        Case(lambda: SluggedNote(id=91, title="Mine Too")),
        Case(lambda: event(2), call(force_insert=True, force_update=True)),
    ],
    "delete": [Case(lambda: event(3))],
    "refresh_from_db": [Case(lambda: event(1)), Case(lambda: event(1), call(fields=["name"]))],
}

RELATED_CASES = {
    "add": [
        Case(post_replies, lambda: ((Reply.objects.get(pk=2),), {})),
        Case(post_replies, lambda: ((Reply.objects.get(pk=2),), {"bulk": False})),
    ],
    "remove": [Case(post_replies, lambda: ((Reply.objects.get(pk=1),), {}))],
    "clear": [Case(post_replies)],
    "set": [Case(post_replies, lambda: (([Reply.objects.get(pk=2)],), {}))],
    "create": [Case(post_replies, call(id=30, body="made"))],
    "get_or_create": [
        Case(post_replies, call(body="first")),
        Case(post_replies, call(body="other", defaults={"id": 31})),
    ],
    "update_or_create": [Case(post_replies, call(body="first", defaults={"body": "changed"}))],
}

M2M_CASES = {
    "add": [Case(post_tags, lambda: ((Tag.objects.get(pk=2), 3), {}))],
    "remove": [Case(post_tags, call(1))],
    "clear": [Case(post_tags)],
    "set": [Case(post_tags, call([2, 3]))],
    "create": [Case(post_tags, call(id=40, name="created"))],
    "get_or_create": [
        Case(post_tags, call(name="one")),
        Case(post_tags, call(name="fresh", defaults={"id": 41})),
    ],
    "update_or_create": [Case(post_tags, call(name="one", defaults={"name": "uno"}))],
    "count": [Case(post_tags)],
    "exists": [Case(post_tags), Case(lambda: Post.objects.get(pk=2).tags)],
}

CASES = {
    QuerySet: QUERYSET_CASES,
    Manager: MANAGER_CASES,
    BaseModel: MODEL_CASES,
    RelatedManager: RELATED_CASES,
    ManyRelatedManager: M2M_CASES,
}


def twin_pairs(cls: type) -> set[str]:
    """The public names `x` of `cls` that have an `ax` twin."""
    return {
        name[1:]
        for name in dir(cls)
        if name.startswith("a") and not name.startswith("_") and hasattr(cls, name[1:])
    }


def normalize(value: Any) -> Any:
    """A comparable picture of a result: model instances by their field values."""
    if isinstance(value, Model):
        fields = {f.attname: getattr(value, f.attname) for f in value._meta.concrete_fields}
        return (value._meta.label, fields, value._state.adding, value._state.db)
    if inspect.isgenerator(value):  # iterator(): read it, as aiterator() is read
        value = list(value)
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [normalize(item) for item in value]
    if isinstance(value, dict):
        return {key: normalize(item) for key, item in value.items()}
    return value


def instance_state(target: Any) -> Any:
    """What a Model method left on its instance (save() sets the pk, refresh the fields)."""
    return normalize(target) if isinstance(target, Model) else None


_SAVEPOINT = re.compile(r"s\d+_x\d+")


def statements(capture: CaptureQueriesContext) -> list[str]:
    return [_SAVEPOINT.sub("<sp>", query["sql"]) for query in capture.captured_queries]


def rows() -> list[Any]:
    models = (Event, Tag, Post, Reply, SluggedNote)
    # The links without their own ids (MariaDB does not give back ids a rollback freed).
    links = Post.tags.through._base_manager.values_list("post_id", "tag_id")
    return [sorted(model._base_manager.values_list()) for model in models] + [sorted(links)]


class TwinTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for pk, (name, seats) in enumerate([("a", 1), ("b", 2), ("c", 3)], start=1):
            Event.objects.create(id=pk, name=name, seats=seats)
        post = Post.objects.create(id=1, title="p")
        Post.objects.create(id=2, title="q")
        tags = [
            Tag.objects.create(id=pk, name=name)
            for pk, name in enumerate(["one", "two", "three"], 1)
        ]
        post.tags.add(tags[0])
        Reply.objects.create(id=1, post=post, body="first")
        Reply.objects.create(id=2, post=None, body="loose")
        SluggedNote.objects.create(id=5, title="Note")

    def test_every_twin_pair_is_covered(self):
        for cls, cases in CASES.items():
            with self.subTest(cls=cls.__name__):
                self.assertEqual(twin_pairs(cls), set(cases))

    def test_twins_are_made_from_one_job(self):
        for cls in (QuerySet, BaseModel, RelatedManager, ManyRelatedManager):
            for name in twin_pairs(cls):
                with self.subTest(method=f"{cls.__name__}.{name}"):
                    sync, asynchronous = getattr(cls, name), getattr(cls, "a" + name)
                    self.assertIsNotNone(getattr(sync, "twin_job", None))
                    self.assertIs(sync.twin_job, asynchronous.twin_job)
        self.assertIs(prefetch_related_objects.twin_job, aprefetch_related_objects.twin_job)
        for name in twin_pairs(Manager):
            with self.subTest(method=f"Manager.{name}"):
                # Manager methods are proxies of the QuerySet's (Django's _get_queryset_methods).
                self.assertIs(getattr(Manager, name).__wrapped__, getattr(QuerySet, name))
                self.assertIs(
                    getattr(Manager, "a" + name).__wrapped__, getattr(QuerySet, "a" + name)
                )

    def test_signatures_are_djangos(self):
        def params(method: Any) -> list[tuple[str, Any]]:
            return [(p.name, p.default) for p in inspect.signature(method).parameters.values()]

        self.assertEqual(
            params(Event.objects.bulk_create),
            [
                ("objs", inspect.Parameter.empty),
                ("batch_size", None),
                ("ignore_conflicts", False),
                ("update_conflicts", False),
                ("update_fields", None),
                ("unique_fields", None),
            ],
        )
        self.assertEqual(params(Event.objects.abulk_create), params(Event.objects.bulk_create))
        self.assertEqual(
            params(QuerySet.iterator), [("self", inspect.Parameter.empty), ("chunk_size", None)]
        )
        # Django's aiterator() defaults to chunks of 2000, so it works after prefetch_related().
        self.assertEqual(
            params(QuerySet.aiterator), [("self", inspect.Parameter.empty), ("chunk_size", 2000)]
        )

        async def read():
            return [e.name async for e in Event.objects.prefetch_related("nothing_yet").aiterator()]

        token = share_thread_connections.set(True)
        try:
            with self.assertRaisesMessage(AttributeError, "nothing_yet"):
                asyncio.run(read())
        finally:
            share_thread_connections.reset(token)

    def test_twins_give_the_same_results(self):
        conn = connections["default"]
        for cls, cases in CASES.items():
            for name, method_cases in cases.items():
                for index, case in enumerate(method_cases):
                    with self.subTest(method=f"{cls.__name__}.{name}", case=index):
                        sync_outcome = self._in_savepoint(self._run_sync, conn, case, name)
                        async_outcome = self._in_savepoint(self._run_async, conn, case, name)
                        self.assertEqual(sync_outcome, async_outcome)

    def _in_savepoint(self, run: Callable[..., Any], *args: Any) -> Any:
        sid = transaction.savepoint()
        try:
            return run(*args)
        finally:
            transaction.savepoint_rollback(sid)

    def _run_sync(self, conn: Any, case: Case, name: str) -> Any:
        target = case.target()
        args, kwargs = case.args()
        with CaptureQueriesContext(conn) as capture:
            try:
                result = normalize(getattr(target, name)(*args, **kwargs))
            except Exception as error:  # the same error is expected of both twins
                result = ("raised", type(error), str(error))
        return result, statements(capture), rows(), instance_state(target)

    def _run_async(self, conn: Any, case: Case, name: str) -> Any:
        target = case.target()
        args, kwargs = case.args()

        async def run() -> Any:
            outcome = getattr(target, "a" + name)(*args, **kwargs)
            if inspect.isasyncgen(outcome):
                return [item async for item in outcome]
            return await outcome

        token = share_thread_connections.set(True)  # the test's transaction, as TestCase's
        try:
            with CaptureQueriesContext(conn) as capture:
                try:
                    result = normalize(asyncio.run(run()))
                except Exception as error:
                    result = ("raised", type(error), str(error))
        finally:
            share_thread_connections.reset(token)
        return result, statements(capture), rows(), instance_state(target)
