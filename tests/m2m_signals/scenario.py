"""One many-to-many scenario, run the same way on Django and on tether.

`run(world, receivers, in_atomic)` creates fresh objects, performs every step of `STEPS` and
returns, per step, the m2m_changed calls seen (as comparable tuples, keys replaced by names)
and the number of statements the step sent. `world` hides which ORM runs: its models by name,
its m2m_changed signal, its atomic() and its CaptureQueriesContext on the default connection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class World:
    models: dict[str, Any]
    m2m_changed: Any
    atomic: Callable[[], Any]
    capture: Callable[[], Any]


def _setup(m: dict[str, Any]) -> dict[str, Any]:
    objs: dict[str, Any] = {}
    for model, names in (
        ("Part", "p1 p2 p3 p4"),
        ("Car", "c1 c2"),
        ("Person", "ann bob cyd"),
        ("Member", "m1 m2 m3"),
        ("Club", "k1 k2"),
    ):
        for name in names.split():
            objs[name] = m[model].objects.create(name=name)
    return objs


ROLE = {"role": "x"}

# (label, step): a step gets the objects by name and may return an object it created.
STEPS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("add", lambda o: o["c1"].parts.add(o["p1"], o["p2"])),
    ("add existing+new", lambda o: o["c1"].parts.add(o["p2"], o["p3"])),
    ("add existing by key", lambda o: o["c1"].parts.add(o["p1"].pk)),
    ("add nothing", lambda o: o["c1"].parts.add()),
    ("remove present+missing", lambda o: o["c1"].parts.remove(o["p3"], o["p4"])),
    ("set", lambda o: o["c1"].parts.set([o["p2"], o["p4"]])),
    ("set unchanged", lambda o: o["c1"].parts.set([o["p2"], o["p4"]])),
    ("set empty", lambda o: o["c2"].parts.set([])),
    ("create", lambda o: o["c1"].parts.create(name="p5")),
    ("clear", lambda o: o["c1"].parts.clear()),
    ("set clear=True", lambda o: o["c2"].parts.set([o["p1"], o["p2"]], clear=True)),
    ("reverse add", lambda o: o["p1"].cars.add(o["c1"], o["c2"])),
    ("reverse remove", lambda o: o["p1"].cars.remove(o["c2"])),
    ("reverse set", lambda o: o["p1"].cars.set([o["c2"]])),
    ("reverse create", lambda o: o["p3"].cars.create(name="c3")),
    ("reverse clear", lambda o: o["p1"].cars.clear()),
    ("symmetrical add", lambda o: o["ann"].friends.add(o["bob"], o["cyd"])),
    ("symmetrical add mirror existing", lambda o: o["bob"].friends.add(o["ann"])),
    ("symmetrical add self", lambda o: o["ann"].friends.add(o["ann"])),
    ("symmetrical remove", lambda o: o["ann"].friends.remove(o["bob"])),
    ("symmetrical set", lambda o: o["ann"].friends.set([o["bob"], o["ann"]])),
    ("symmetrical clear", lambda o: o["cyd"].friends.clear()),
    (
        "symmetrical through add",
        lambda o: o["ann"].pals.add(o["bob"], o["cyd"], through_defaults={"since": 1999}),
    ),
    ("symmetrical through remove", lambda o: o["ann"].pals.remove(o["cyd"])),
    ("symmetrical through set", lambda o: o["bob"].pals.set([o["cyd"]])),
    ("through add", lambda o: o["k1"].members.add(o["m1"], o["m2"], through_defaults=ROLE)),
    ("through add existing+new", lambda o: o["k1"].members.add(o["m2"], o["m3"])),
    ("through reverse add", lambda o: o["m1"].clubs.add(o["k2"], through_defaults=ROLE)),
    ("through remove", lambda o: o["k1"].members.remove(o["m1"])),
    ("through set", lambda o: o["k1"].members.set([o["m3"]], through_defaults=ROLE)),
    ("through create", lambda o: o["k1"].members.create(name="m4", through_defaults=ROLE)),
    ("through clear", lambda o: o["k1"].members.clear()),
    ("no unique pair add", lambda o: o["k2"].guests.add(o["m1"], o["m2"])),
    ("no unique pair add existing", lambda o: o["k2"].guests.add(o["m2"], o["m3"])),
    ("no unique pair set", lambda o: o["k2"].guests.set([o["m3"]])),
]


def run(world: World, receivers: bool, in_atomic: bool) -> list[tuple[str, list[Any], int]]:
    """[(step label, m2m_changed calls, statements sent)] for one fresh run of STEPS."""
    m = world.models
    objs = _setup(m)
    names: dict[tuple[str, Any], str] = {
        (type(obj).__name__, obj.pk): name for name, obj in objs.items()
    }
    calls: list[Any] = []

    def receiver(sender: Any, **kw: Any) -> None:
        pk_set = kw["pk_set"]
        calls.append(
            (
                kw["action"],
                repr(kw["instance"]),
                kw["reverse"],
                kw["model"].__name__,
                sender.__name__,
                kw["using"],
                None if pk_set is None else sorted(pk_set),
            )
        )

    if receivers:
        world.m2m_changed.connect(receiver, weak=False, dispatch_uid="m2m-scenario")
    results = []
    try:
        for label, step in STEPS:
            calls.clear()
            if in_atomic:
                with world.atomic(), world.capture() as captured:
                    created = step(objs)
            else:
                with world.capture() as captured:
                    created = step(objs)
            if created is not None:
                names[(type(created).__name__, created.pk)] = str(created)
            seen = [
                (
                    *call[:6],
                    None if call[6] is None else sorted(names[(call[3], k)] for k in call[6]),
                )
                for call in calls
            ]
            results.append((label, seen, len(captured.captured_queries)))
    finally:
        world.m2m_changed.disconnect(dispatch_uid="m2m-scenario")
    return results


def django_world() -> World:
    from django.db import connection, transaction
    from django.db.models.signals import m2m_changed
    from django.test.utils import CaptureQueriesContext

    from .django_twins import django_models

    return World(
        django_models(), m2m_changed, transaction.atomic, lambda: CaptureQueriesContext(connection)
    )


def tether_world() -> World:
    from tether.db import connection, transaction
    from tether.models.signals import m2m_changed
    from tether.test.utils import CaptureQueriesContext

    from . import models

    found = {name: getattr(models, name) for name in ("Part", "Car", "Person", "Member", "Club")}
    return World(found, m2m_changed, transaction.atomic, lambda: CaptureQueriesContext(connection))
