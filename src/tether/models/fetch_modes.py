"""Fetch modes: what reading a value that a query did not load does (Django 6.1's names).

`FETCH_ONE` (the default) fetches it for the one instance read; `FETCH_PEERS` fetches it for
every live instance of the same result (its *peers*) in one query; `RAISE` refuses with
`FieldFetchBlocked`. They cover foreign keys, one-to-one fields and their reverse accessors,
deferred fields and (tether's extension) the unfiltered set of a many-to-many or reverse
foreign-key manager. A relation asks `mode_of(instance).fetch(fetcher, instance)`; the fetcher
(the descriptor, deferred attribute or manager queryset) knows how to fetch one or many.

The mode of an instance is, first to last: the one `no_lazy_fetch()` forces (tests), the one
its QuerySet named (`fetch_mode()`, kept on the instance's state), the configured default
(`tether.configure(fetch_mode=...)`). This module imports nothing of the model layer, which
imports it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Self

from tether.conf import settings
from tether.exceptions import FieldFetchBlocked


class FetchMode:
    """A fetch mode; the three below are singletons, compared by identity."""

    __slots__ = ()

    track_peers = False
    name = ""

    def fetch(self, fetcher: Any, instance: Any) -> None:
        raise NotImplementedError("Subclasses must implement this method.")

    def __reduce__(self) -> str:
        return self.name  # pickled by name: unpickling gives the singleton back

    def __repr__(self) -> str:
        return self.name


class FetchOne(FetchMode):
    __slots__ = ()
    name = "FETCH_ONE"

    def fetch(self, fetcher: Any, instance: Any) -> None:
        fetcher.fetch_one(instance)


class FetchPeers(FetchMode):
    __slots__ = ()
    name = "FETCH_PEERS"
    track_peers = True

    def fetch(self, fetcher: Any, instance: Any) -> None:
        peers = live_peers(instance)
        if len(peers) > 1:
            fetcher.fetch_many(peers)
        else:
            fetcher.fetch_one(instance)


class Raise(FetchMode):
    __slots__ = ()
    name = "RAISE"

    def fetch(self, fetcher: Any, instance: Any) -> None:
        raise FieldFetchBlocked(fetcher.blocked_message(instance))


FETCH_ONE = FetchOne()
FETCH_PEERS = FetchPeers()
RAISE = Raise()

_BY_NAME = {mode.name: mode for mode in (FETCH_ONE, FETCH_PEERS, RAISE)}


def blocked_message(instance: Any, name: str) -> str:
    """Django's message for a blocked field fetch."""
    return f"Fetching of {type(instance).__qualname__}.{name} blocked."


def live_peers(instance: Any) -> list[Any]:
    """The instances of `instance`'s result that are still alive (itself included)."""
    return [peer for ref in instance._state.peers if (peer := ref()) is not None]


class FetchModeMixin:
    """QuerySet.fetch_mode() and the state it keeps, as class defaults (most QuerySets name
    no mode and are no related manager's set, and then carry nothing)."""

    # fetch_mode()'s mode; None: the configured default.
    _fetch_mode: Any = None
    # A related manager's unfiltered set: (instance, accessor). Evaluating it is a lazy fetch,
    # which the instance's mode may batch or refuse (prefetch.lazy_set_plan); clones drop it.
    _lazy_fetch: Any = None

    def fetch_mode(self, mode: FetchMode) -> Self:
        """What reading a value the query did not load does: models.FETCH_ONE (the default),
        FETCH_PEERS (fetch it for every instance of the result at once) or RAISE."""
        clone = self._clone()  # type: ignore[attr-defined]
        clone._fetch_mode = mode
        return clone


# ---- which mode applies ---------------------------------------------------------------------

_forced: ContextVar[FetchMode | None] = ContextVar("tether_forced_fetch_mode", default=None)
_default: list[FetchMode] = []  # the configured default, resolved once per configuration


def default_mode() -> FetchMode:
    """The mode of querysets that name none: `settings.fetch_mode`, by name or object."""
    if not _default:
        mode = settings.fetch_mode
        _default.append(_BY_NAME[mode] if isinstance(mode, str) else mode)
    return _default[0]


def forget_default() -> None:
    """Called when the settings change (configure(), override_config)."""
    _default.clear()


settings.on_configure.append(forget_default)


def mode_of(instance: Any) -> FetchMode:
    """The mode a lazy fetch on `instance` runs under."""
    return _forced.get() or instance._state.fetch_mode or default_mode()


@contextmanager
def no_lazy_fetch() -> Iterator[None]:
    """Make every lazy fetch inside the block raise FieldFetchBlocked, whatever the mode of
    the instance (`TestCase.assertNoLazyFetch()` and the pytest mark `no_lazy_fetch`)."""
    token = _forced.set(RAISE)
    try:
        yield
    finally:
        _forced.reset(token)


__all__ = [
    "FETCH_ONE",
    "FETCH_PEERS",
    "RAISE",
    "FetchMode",
    "FetchModeMixin",
    "default_mode",
    "mode_of",
    "no_lazy_fetch",
]
