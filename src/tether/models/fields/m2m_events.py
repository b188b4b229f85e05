"""Complete many-to-many change events for cascading deletes (`complete_events=True`).

Django sends nothing when deleting an object removes its links (the through rows go with a
fast DELETE). For a relation that opts in (the field option, or a receiver declared with
`signals.complete_events`), and only while m2m_changed has receivers for its
through model, the Collector reads the links of the objects it deletes (one SELECT per relation
and chunk) and sends, for each object that had links, `pre_clear` (pk_set None, as
`clear()` sends it) before the deletes and `post_clear` with the keys of the other side after
them, as if that object's manager had been cleared. This module imports nothing of the model
layer: it only walks `_meta` and runs QuerySets of the through models.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator, Iterator
from typing import Any

from tether.db.core.requests import Send
from tether.models.signals import m2m_changed

Plan = Generator[Any, Any, Any]


def wants_complete(field: Any) -> bool:
    """Whether the relation sends complete events: its field option, or one of its live
    m2m_changed receivers declared with `signals.complete_events`."""
    if getattr(field, "complete_events", False):
        return True
    receivers = m2m_changed._live_receivers(field.remote_field.through)
    return any(getattr(func, "complete_events", False) for func, _ in receivers)


def _relations(model: Any) -> Iterator[tuple[Any, bool]]:
    """(m2m field, reverse) for each many-to-many relation of `model`."""
    opts = model._meta
    for field in opts.many_to_many:
        yield field, False
    for rel in opts.related_objects:
        # A symmetrical relation's links are written both ways: its forward side saw them all.
        if rel.many_to_many and not rel.symmetrical:
            yield rel.field, True


class CascadeEvents:
    """The clear events of one Collector run."""

    def __init__(self) -> None:
        self.pending: list[tuple[Any, bool, list[Any]]] = []
        self.posts: list[Send] = []

    def collect(self, model: Any, instances: list[Any]) -> None:
        for field, reverse in _relations(model):
            through = field.remote_field.through
            if m2m_changed.has_listeners(through) and wants_complete(field):
                self.pending.append((field, reverse, instances))

    def pre_plan(self, conn: Any) -> Plan:
        """Read the links about to go and send pre_clear for each object that has some."""
        for field, reverse, instances in self.pending:
            through = field.remote_field.through
            names = (field.m2m_field_name(), field.m2m_reverse_field_name())
            link, other = (through._meta.get_field(n) for n in (names[::-1] if reverse else names))
            by_key = {getattr(obj, link.target_field.attname): obj for obj in instances}
            linked: dict[Any, set[Any]] = defaultdict(set)
            keys = list(by_key)
            step = conn.features.max_query_params or len(keys) or 1
            for start in range(0, len(keys), step):
                rows = (
                    through._base_manager.using(conn.alias)
                    .filter(**{f"{link.name}__in": keys[start : start + step]})
                    .values_list(link.attname, other.attname)
                )
                for key, value in (yield from rows._fetch_plan(conn)):
                    linked[key].add(value)
            model = field.model if reverse else field.remote_field.model
            for key, obj in by_key.items():
                if key in linked:
                    event = {"instance": obj, "reverse": reverse, "model": model}
                    yield Send(m2m_changed, through, _event(event, "pre_clear", None, conn))
                    self.posts.append(
                        Send(
                            m2m_changed,
                            through,
                            _event(event, "post_clear", linked[key], conn),
                        )
                    )

    def post_plan(self) -> Plan:
        for send in self.posts:  # noqa: UP028 - the runner sends results back into the plan
            yield send


def _event(base: dict[str, Any], action: str, pk_set: Any, conn: Any) -> dict[str, Any]:
    return {**base, "action": action, "pk_set": pk_set, "using": conn.alias}


__all__ = ["CascadeEvents", "wants_complete"]
