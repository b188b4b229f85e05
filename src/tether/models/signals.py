"""Signals: the dispatcher (as `django.dispatch`) and the model signals (as
`django.db.models.signals`).

A `Signal` keeps its receivers in a plain list of `_Entry` records, in connection order.
Receivers are held by weak reference unless `weak=False`; a receiver (or a sender) that is
garbage-collected flags the signal, which drops the dead entries on its next lookup.

Sending to a signal that nobody listens to must cost next to nothing, because the ORM sends
`pre_init`/`post_init` for every row it loads: `send()` starts with `if not self.receivers`,
and signals built with `use_caching=True` remember the receivers of each sender (weakly keyed)
until the next connect or disconnect.

`ModelSignal` also accepts a lazy 'app_label.ModelName' string sender, connected once the model
is registered (through `tether.apps.apps.lazy_model_operation`).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from tether.db.core.workers import run_async_from_sync, run_in_worker

__all__ = [
    "Signal",
    "ModelSignal",
    "receiver",
    "pre_init",
    "post_init",
    "pre_save",
    "post_save",
    "pre_delete",
    "post_delete",
    "m2m_changed",
    "class_prepared",
    "pre_migrate",
    "post_migrate",
]

logger = logging.getLogger("tether.dispatch")

Receiver = Callable[..., Any]
LookupKey = tuple[Any, int]


def _make_id(target: Any) -> Any:
    """An identity for `target`; a bound method is identified by (object, function)."""
    if hasattr(target, "__func__") and hasattr(target, "__self__"):
        return (id(target.__self__), id(target.__func__))
    return id(target)


_NONE_ID = _make_id(None)


def _accepts_kwargs(func: Callable[..., Any]) -> bool:
    """Whether `func` takes `**kwargs`; a callable whose signature can't be read passes."""
    try:
        parameters = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


def _is_async(func: Any) -> bool:
    """Whether calling `func` returns a coroutine (async functions and async `__call__`)."""
    if inspect.iscoroutinefunction(func):
        return True
    if not inspect.isfunction(func) and not inspect.ismethod(func):
        return inspect.iscoroutinefunction(getattr(func, "__call__", None))  # noqa: B004
    return False


@dataclass(slots=True)
class _Entry:
    """One connection: its lookup key, the receiver (or a weak reference to it), and more."""

    key: LookupKey
    target: Any  # the receiver itself, or a weakref.ref / weakref.WeakMethod to it
    weak: bool
    sender_ref: weakref.ref[Any] | None  # set when the sender could be weakly referenced
    is_async: bool

    def resolve(self) -> Receiver | None:
        return self.target() if self.weak else self.target

    def is_dead(self) -> bool:
        if self.weak and self.target() is None:
            return True
        return self.sender_ref is not None and self.sender_ref() is None


class Signal:
    """A signal: receivers connect to it and are called, in order, on every send."""

    def __init__(self, use_caching: bool = False) -> None:
        self.receivers: list[_Entry] = []
        self.lock = threading.Lock()
        self.use_caching = use_caching
        # sender -> the entries that listen to it; cleared on every connect/disconnect.
        self.sender_receivers_cache: weakref.WeakKeyDictionary[Any, list[_Entry]] = (
            weakref.WeakKeyDictionary()
        )
        self._none_sender_cache: list[_Entry] | None = None
        self._dead_receivers = False

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {len(self.receivers)} receiver(s)>"

    # -- connecting -----------------------------------------------------------------------

    def connect(
        self,
        receiver: Receiver,
        sender: Any = None,
        weak: bool = True,
        dispatch_uid: Any = None,
    ) -> None:
        """Connect `receiver` (a callable taking **kwargs) to this signal.

        `sender=None` listens to every sender; `dispatch_uid` identifies the connection in
        place of the receiver's identity. Connecting the same (receiver or uid, sender) twice
        is a no-op. With `weak=True` the signal doesn't keep the receiver alive.
        """
        if not callable(receiver):
            raise TypeError("Signal receivers must be callable.")
        if not _accepts_kwargs(receiver):
            raise ValueError("Signal receivers must accept keyword arguments (**kwargs).")

        sender_id = _make_id(sender)
        receiver_id = dispatch_uid if dispatch_uid is not None else _make_id(receiver)
        key: LookupKey = (receiver_id, sender_id)
        is_async = _is_async(receiver)

        target: Any = receiver
        if weak:
            if inspect.ismethod(receiver):
                target = weakref.WeakMethod(receiver, self._flag_dead)
            else:
                target = weakref.ref(receiver, self._flag_dead)

        sender_ref: weakref.ref[Any] | None = None
        if sender is not None:
            try:
                sender_ref = weakref.ref(sender, self._flag_dead)
            except TypeError:
                sender_ref = None  # e.g. a str or int sender: matched by identity for good

        with self.lock:
            self._clear_dead_receivers()
            if not any(entry.key == key for entry in self.receivers):
                self.receivers.append(_Entry(key, target, weak, sender_ref, is_async))
            self._clear_cache()

    def disconnect(
        self, receiver: Receiver | None = None, sender: Any = None, dispatch_uid: Any = None
    ) -> bool:
        """Disconnect a receiver (by itself or its `dispatch_uid`); whether one was connected."""
        key: LookupKey = (
            dispatch_uid if dispatch_uid is not None else _make_id(receiver),
            _make_id(sender),
        )
        with self.lock:
            self._clear_dead_receivers()
            for index, entry in enumerate(self.receivers):
                if entry.key == key:
                    del self.receivers[index]
                    self._clear_cache()
                    return True
            return False

    def has_listeners(self, sender: Any = None) -> bool:
        if not self.receivers:
            return False
        return bool(self._live_receivers(sender))

    # -- sending --------------------------------------------------------------------------

    def send(self, sender: Any, **named: Any) -> list[tuple[Receiver, Any]]:
        """Call every receiver of `sender`; an exception stops the send and propagates.

        As Django 5: the sync receivers are called first, in connection order, then the async
        ones run on an event loop (`workers.run_async_from_sync`), which is only possible
        outside a running loop: inside one, use `asend()`.
        """
        if not self.receivers:
            return []
        return self._send(sender, named, None)

    def send_robust(self, sender: Any, **named: Any) -> list[tuple[Receiver, Any]]:
        """`send()` that turns a receiver's Exception into its response (and logs it)."""
        if not self.receivers:
            return []
        return self._send(sender, named, "send_robust")

    async def asend(self, sender: Any, **named: Any) -> list[tuple[Receiver, Any]]:
        """Send from async code, as Django 5: the sync receivers run first, in a worker thread
        (`workers.run_in_worker`, so their queries use this task's connection), then the async
        ones are awaited in connection order."""
        if not self.receivers:
            return []
        return await self._asend(sender, named, None)

    async def asend_robust(self, sender: Any, **named: Any) -> list[tuple[Receiver, Any]]:
        """`asend()` that turns a receiver's Exception into its response (and logs it, as
        Django 5 does, as an error 'in Signal.send_robust()')."""
        if not self.receivers:
            return []
        return await self._asend(sender, named, "send_robust")

    # `robust` below names the method whose receivers' errors are caught and logged (None:
    # they propagate).

    def _send(
        self, sender: Any, named: dict[str, Any], robust: str | None
    ) -> list[tuple[Receiver, Any]]:
        sync_receivers, async_receivers = self._split_receivers(sender)
        responses = self._call_all(sync_receivers, sender, named, robust)
        if async_receivers:
            _check_no_running_loop(async_receivers[0])
            responses += run_async_from_sync(
                partial(self._await_all, async_receivers, sender, named, robust)
            )
        return responses

    async def _asend(
        self, sender: Any, named: dict[str, Any], robust: str | None
    ) -> list[tuple[Receiver, Any]]:
        sync_receivers, async_receivers = self._split_receivers(sender)
        responses: list[tuple[Receiver, Any]] = []
        if sync_receivers:
            responses += await run_in_worker(self._call_all, sync_receivers, sender, named, robust)
        responses += await self._await_all(async_receivers, sender, named, robust)
        return responses

    def _call_all(
        self, receivers: list[Receiver], sender: Any, named: dict[str, Any], robust: str | None
    ) -> list[tuple[Receiver, Any]]:
        """Call sync receivers in order."""
        responses: list[tuple[Receiver, Any]] = []
        for receiver in receivers:
            try:
                response = receiver(signal=self, sender=sender, **named)
            except Exception as err:
                response = self._failed(robust, receiver, err)
            responses.append((receiver, response))
        return responses

    async def _await_all(
        self, receivers: list[Receiver], sender: Any, named: dict[str, Any], robust: str | None
    ) -> list[tuple[Receiver, Any]]:
        """Await async receivers one after another (not gathered: they share the task's
        connection, and with it its transaction)."""
        responses: list[tuple[Receiver, Any]] = []
        for receiver in receivers:
            try:
                response = await receiver(signal=self, sender=sender, **named)
            except Exception as err:
                response = self._failed(robust, receiver, err)
            responses.append((receiver, response))
        return responses

    def _failed(self, robust: str | None, receiver: Receiver, err: Exception) -> Exception:
        """A receiver's error: raised again, or (robust) logged and made its response."""
        if robust is None:
            raise err
        name = getattr(receiver, "__qualname__", None) or repr(receiver)
        logger.error("Error calling %s in Signal.%s() (%s)", name, robust, err, exc_info=err)
        return err

    def _split_receivers(self, sender: Any) -> tuple[list[Receiver], list[Receiver]]:
        """The live receivers of `sender`: (sync ones, async ones), each in connection order."""
        sync_receivers: list[Receiver] = []
        async_receivers: list[Receiver] = []
        for receiver, is_async in self._live_receivers(sender):
            (async_receivers if is_async else sync_receivers).append(receiver)
        return sync_receivers, async_receivers

    # -- internals ------------------------------------------------------------------------

    def _flag_dead(self, _ref: Any = None) -> None:
        """Weakref callback: a receiver or sender died; drop it on the next lookup."""
        self._dead_receivers = True

    def _clear_cache(self) -> None:
        self.sender_receivers_cache.clear()
        self._none_sender_cache = None

    def _clear_dead_receivers(self) -> None:
        """Drop entries whose receiver or sender is gone (call with the lock held)."""
        if self._dead_receivers:
            self._dead_receivers = False
            self.receivers = [entry for entry in self.receivers if not entry.is_dead()]
            self._clear_cache()

    def _entries_for(self, sender: Any) -> list[_Entry]:
        """The entries listening to `sender`, from the cache when the signal caches."""
        if self._dead_receivers:
            with self.lock:
                self._clear_dead_receivers()
        cacheable = False
        if self.use_caching:
            if sender is None:
                if self._none_sender_cache is not None:
                    return self._none_sender_cache
            else:
                try:
                    cached = self.sender_receivers_cache.get(sender)
                    cacheable = True
                except TypeError:  # not weakly referenceable, or unhashable
                    cached = None
                if cached is not None:
                    return cached
        sender_id = _make_id(sender)
        with self.lock:
            entries = [entry for entry in self.receivers if entry.key[1] in (_NONE_ID, sender_id)]
            if self.use_caching and not self._dead_receivers:
                if sender is None:
                    self._none_sender_cache = entries
                elif cacheable:
                    self.sender_receivers_cache[sender] = entries
        return entries

    def _live_receivers(self, sender: Any) -> list[tuple[Receiver, bool]]:
        """(receiver, is_async) for every live receiver of `sender`, in connection order."""
        live: list[tuple[Receiver, bool]] = []
        for entry in self._entries_for(sender):
            receiver = entry.resolve()
            if receiver is not None:
                live.append((receiver, entry.is_async))
        return live


def _check_no_running_loop(receiver: Receiver) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        f"Signal.send() can't run the async receiver {receiver!r} inside a running event "
        "loop; use asend() instead."
    )


class ModelSignal(Signal):
    """A signal whose sender may also be given lazily, as an 'app_label.ModelName' string."""

    def _resolve_lazy(
        self, method: Callable[..., Any], sender: Any, apps: Any, **kwargs: Any
    ) -> Any:
        if not isinstance(sender, str):
            return method(sender=sender, **kwargs)
        app_label, dot, model_name = sender.partition(".")
        if not dot or not app_label or not model_name:
            raise ValueError(
                f"Invalid model reference {sender!r}: a string sender must be "
                "'app_label.ModelName'."
            )
        if apps is None:
            from tether import apps as apps_module

            apps = apps_module.apps
        results: list[Any] = []
        apps.lazy_model_operation(
            partial(_call_with_sender, method, kwargs, results), (app_label, model_name.lower())
        )
        # The model may already be registered: then the operation ran at once.
        return results[0] if results else None

    def connect(
        self,
        receiver: Receiver,
        sender: Any = None,
        weak: bool = True,
        dispatch_uid: Any = None,
        apps: Any = None,
    ) -> None:
        """`Signal.connect()`; a string sender connects once that model is registered."""
        if isinstance(sender, str) and not _accepts_kwargs(receiver):
            raise ValueError("Signal receivers must accept keyword arguments (**kwargs).")
        self._resolve_lazy(
            super().connect, sender, apps, receiver=receiver, weak=weak, dispatch_uid=dispatch_uid
        )

    def disconnect(
        self,
        receiver: Receiver | None = None,
        sender: Any = None,
        dispatch_uid: Any = None,
        apps: Any = None,
    ) -> bool:
        """`Signal.disconnect()`; a string sender not yet registered disconnects lazily and
        returns False."""
        result = self._resolve_lazy(
            super().disconnect, sender, apps, receiver=receiver, dispatch_uid=dispatch_uid
        )
        return bool(result)


def _call_with_sender(
    method: Callable[..., Any], kwargs: dict[str, Any], results: list[Any], model: Any
) -> None:
    results.append(method(sender=model, **kwargs))


def receiver(signal: Signal | Iterable[Signal], **kwargs: Any) -> Callable[[Receiver], Receiver]:
    """Decorator connecting the function to a signal (or to each of a list of signals)::

    @receiver(post_save, sender=Book)
    def on_save(sender, **kwargs): ...
    """

    def decorator(func: Receiver) -> Receiver:
        signals = signal if isinstance(signal, (list, tuple)) else (signal,)
        for sig in signals:
            sig.connect(func, **kwargs)
        return func

    return decorator


pre_init = ModelSignal(use_caching=True)
post_init = ModelSignal(use_caching=True)
pre_save = ModelSignal(use_caching=True)
post_save = ModelSignal(use_caching=True)
pre_delete = ModelSignal(use_caching=True)
post_delete = ModelSignal(use_caching=True)


def complete_events(func: Receiver) -> Receiver:
    """Declare an m2m_changed receiver as wanting tether's complete events for the relations
    it listens to (a concrete post_clear pk_set, clear events for links a cascading delete
    removes), as the field option `ManyToManyField(..., complete_events=True)` does::

        @receiver(m2m_changed, sender=Post.tags.through)
        @complete_events
        def reindex(sender, instance, action, pk_set, **kwargs): ...
    """
    func.complete_events = True  # type: ignore[attr-defined]
    return func


m2m_changed = ModelSignal(use_caching=True)
class_prepared = Signal()
pre_migrate = Signal()
post_migrate = Signal()


def emit_post_migrate(using: str) -> None:
    """Tell receivers (contenttypes) that the schema exists or the tables were emptied, as
    Django's migrate and flush do: they put their own rows back."""
    import tether.apps

    post_migrate.send(
        sender=None,
        app_config=None,
        verbosity=0,
        interactive=False,
        using=using,
        apps=tether.apps.apps,
        plan=[],
    )
