"""The signal dispatcher: connect/disconnect, weak references, sender filtering, sending
(sync, robust, async), the receiver decorator and lazy string senders. No database needed."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import types
from typing import Any

import pytest

from tether.models import signals
from tether.models.signals import ModelSignal, Signal, receiver


class Sender:
    pass


def receiver_a(sender: Any, **kwargs: Any) -> str:
    return "a"


def receiver_b(sender: Any, val: Any = None, **kwargs: Any) -> Any:
    return val


class Listener:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def method(self, sender: Any, **kwargs: Any) -> str:
        self.calls.append(kwargs)
        return "method"

    def __call__(self, sender: Any, **kwargs: Any) -> str:
        return "called"


def test_send_calls_receivers_in_connection_order_with_signal_and_sender() -> None:
    sig = Signal()
    seen: list[tuple[str, Any, Any]] = []

    def first(sender: Any, signal: Any, **kwargs: Any) -> int:
        seen.append(("first", sender, signal))
        return 1

    def second(sender: Any, **kwargs: Any) -> dict[str, Any]:
        seen.append(("second", sender, kwargs["signal"]))
        return kwargs

    sig.connect(first)
    sig.connect(second)
    result = sig.send(sender=Sender, x=3)
    assert [r for r, _ in result] == [first, second]
    assert result[0][1] == 1
    assert result[1][1] == {"signal": sig, "x": 3}
    assert seen == [("first", Sender, sig), ("second", Sender, sig)]


def test_send_without_receivers_returns_empty_list() -> None:
    sig = Signal()
    assert sig.send(sender=Sender) == []
    assert sig.send_robust(sender=Sender) == []
    assert sig.has_listeners() is False
    assert sig.has_listeners(Sender) is False


def test_duplicate_connection_is_ignored() -> None:
    sig = Signal()
    sig.connect(receiver_a)
    sig.connect(receiver_a)
    assert len(sig.receivers) == 1
    assert len(sig.send(sender=None)) == 1
    # A different sender is a different connection.
    sig.connect(receiver_a, sender=Sender)
    assert len(sig.receivers) == 2


def test_disconnect() -> None:
    sig = Signal()
    sig.connect(receiver_a)
    sig.connect(receiver_b)
    assert sig.disconnect(receiver_a) is True
    assert sig.disconnect(receiver_a) is False
    assert [r for r, _ in sig.send(sender=None, val=5)] == [receiver_b]
    assert sig.disconnect(receiver_b) is True
    assert sig.receivers == []


def test_disconnect_needs_matching_sender() -> None:
    sig = Signal()
    sig.connect(receiver_a, sender=Sender)
    assert sig.disconnect(receiver_a) is False
    assert sig.disconnect(receiver_a, sender=Sender) is True


def test_dispatch_uid() -> None:
    sig = Signal()
    sig.connect(receiver_a, dispatch_uid="uid")
    sig.connect(receiver_b, dispatch_uid="uid")  # same key: ignored
    assert [r for r, _ in sig.send(sender=None)] == [receiver_a]
    assert sig.disconnect(dispatch_uid="uid") is True
    assert not sig.has_listeners()


def test_sender_filtering() -> None:
    sig = Signal(use_caching=True)

    class Other:
        pass

    sig.connect(receiver_a, sender=Sender)
    sig.connect(receiver_b)  # every sender
    assert [r for r, _ in sig.send(sender=Sender)] == [receiver_a, receiver_b]
    assert [r for r, _ in sig.send(sender=Other)] == [receiver_b]
    assert sig.has_listeners(Sender)
    assert sig.has_listeners(Other)
    sig.disconnect(receiver_b)
    assert sig.has_listeners(Sender)
    assert not sig.has_listeners(Other)
    assert sig.send(sender=Other) == []


@pytest.mark.parametrize("use_caching", [False, True])
def test_cache_is_invalidated_on_connect_and_disconnect(use_caching: bool) -> None:
    sig = Signal(use_caching=use_caching)
    sig.connect(receiver_a, sender=Sender)
    assert len(sig.send(sender=Sender)) == 1
    sig.connect(receiver_b, sender=Sender)
    assert len(sig.send(sender=Sender)) == 2
    sig.disconnect(receiver_a, sender=Sender)
    assert [r for r, _ in sig.send(sender=Sender)] == [receiver_b]
    # A sender that can't be weakly referenced (a str) still works, just uncached.
    sig.connect(receiver_a, sender="label")
    assert [r for r, _ in sig.send(sender="label")] == [receiver_a]


def test_weak_function_receiver_is_garbage_collected() -> None:
    sig = Signal()

    def make() -> Any:
        def temp(sender: Any, **kwargs: Any) -> None:
            return None

        return temp

    temp = make()
    sig.connect(temp)
    assert sig.has_listeners()
    del temp
    gc.collect()
    assert sig.send(sender=None) == []
    assert not sig.has_listeners()
    assert sig.receivers == []


def test_weak_bound_method_receiver_is_garbage_collected() -> None:
    sig = Signal(use_caching=True)
    listener = Listener()
    sig.connect(listener.method, sender=Sender)
    assert sig.send(sender=Sender, x=1) == [(listener.method, "method")]
    assert listener.calls == [{"signal": sig, "x": 1}]
    del listener
    gc.collect()
    assert sig.send(sender=Sender) == []
    assert sig.receivers == []


def test_bound_method_identity_for_disconnect() -> None:
    sig = Signal()
    listener = Listener()
    sig.connect(listener.method)
    sig.connect(listener.method)  # a new bound-method object, same key
    assert len(sig.receivers) == 1
    assert sig.disconnect(listener.method) is True


def test_strong_receiver_survives() -> None:
    sig = Signal()

    def make() -> Any:
        def temp(sender: Any, **kwargs: Any) -> str:
            return "alive"

        return temp

    sig.connect(make(), weak=False)
    gc.collect()
    assert [resp for _, resp in sig.send(sender=None)] == ["alive"]


def test_dead_sender_is_dropped() -> None:
    sig = Signal()
    temp = type("Temp", (), {})
    sig.connect(receiver_a, sender=temp)
    assert sig.has_listeners(temp)
    del temp
    gc.collect()
    # The id of a dead sender may be reused: its connection must not outlive it.
    assert sig.send(sender=types.SimpleNamespace()) == []
    assert not sig.has_listeners()
    assert sig.receivers == []


def test_callable_object_receiver() -> None:
    sig = Signal()
    listener = Listener()
    sig.connect(listener)
    assert sig.send(sender=None) == [(listener, "called")]


def test_receiver_must_accept_kwargs() -> None:
    sig = Signal()

    def no_kwargs(sender: Any) -> None:
        return None

    with pytest.raises(ValueError, match=r"must accept keyword arguments \(\*\*kwargs\)"):
        sig.connect(no_kwargs)
    assert sig.receivers == []


def test_receiver_must_be_callable() -> None:
    with pytest.raises(TypeError):
        Signal().connect("not callable")  # type: ignore[arg-type]


def test_send_propagates_exceptions() -> None:
    sig = Signal()

    def boom(sender: Any, **kwargs: Any) -> None:
        raise ValueError("boom")

    sig.connect(boom)
    sig.connect(receiver_a)
    with pytest.raises(ValueError, match="boom"):
        sig.send(sender=None)


def test_send_robust_returns_and_logs_exceptions(caplog: pytest.LogCaptureFixture) -> None:
    sig = Signal()
    err = ValueError("boom")

    def boom(sender: Any, **kwargs: Any) -> None:
        raise err

    sig.connect(boom)
    sig.connect(receiver_a)
    with caplog.at_level(logging.ERROR, logger="tether.dispatch"):
        result = sig.send_robust(sender=None)
    assert result == [(boom, err), (receiver_a, "a")]
    [record] = caplog.records
    assert record.name == "tether.dispatch"
    assert "boom" in record.getMessage()
    assert "send_robust" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[1] is err


def test_send_robust_does_not_catch_base_exceptions() -> None:
    sig = Signal()

    def interrupt(sender: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    sig.connect(interrupt)
    with pytest.raises(KeyboardInterrupt):
        sig.send_robust(sender=None)


def test_receiver_decorator() -> None:
    sig1, sig2 = Signal(), Signal()

    @receiver(sig1)
    def on_one(sender: Any, **kwargs: Any) -> str:
        return "one"

    @receiver([sig1, sig2], sender=Sender)
    def on_both(sender: Any, **kwargs: Any) -> str:
        return "both"

    assert [resp for _, resp in sig1.send(sender=Sender)] == ["one", "both"]
    assert [resp for _, resp in sig1.send(sender=None)] == ["one"]
    assert [resp for _, resp in sig2.send(sender=Sender)] == ["both"]
    assert on_one(sender=None) == "one"  # the function is returned unchanged


def test_receiver_decorator_passes_dispatch_uid() -> None:
    sig = Signal()

    @receiver(sig, dispatch_uid="decorated")
    def handler(sender: Any, **kwargs: Any) -> None:
        return None

    assert sig.disconnect(dispatch_uid="decorated") is True


async def async_receiver(sender: Any, **kwargs: Any) -> str:
    await asyncio.sleep(0)
    return "async"


def test_asend_awaits_async_and_calls_sync_receivers_in_order() -> None:
    sig = Signal()
    sig.connect(receiver_a)
    sig.connect(async_receiver)
    result = asyncio.run(sig.asend(sender=None))
    assert result == [(receiver_a, "a"), (async_receiver, "async")]


def test_asend_without_receivers() -> None:
    assert asyncio.run(Signal().asend(sender=None)) == []
    assert asyncio.run(Signal().asend_robust(sender=None)) == []


def test_asend_robust() -> None:
    sig = Signal()
    err = RuntimeError("async boom")

    async def boom(sender: Any, **kwargs: Any) -> None:
        raise err

    sig.connect(boom)
    sig.connect(receiver_a)
    result = asyncio.run(sig.asend_robust(sender=None))
    # As Django 5: the sync receivers' responses come first, then the async ones'.
    assert result == [(receiver_a, "a"), (boom, err)]


def test_async_callable_object_is_detected() -> None:
    class AsyncListener:
        async def __call__(self, sender: Any, **kwargs: Any) -> str:
            return "async object"

    sig = Signal()
    listener = AsyncListener()
    sig.connect(listener)
    assert asyncio.run(sig.asend(sender=None)) == [(listener, "async object")]


def test_sync_send_runs_async_receiver_outside_a_loop() -> None:
    sig = Signal()
    sig.connect(async_receiver)
    assert sig.send(sender=None) == [(async_receiver, "async")]


def test_sync_send_of_async_receiver_inside_a_loop_raises() -> None:
    sig = Signal()
    sig.connect(async_receiver)

    async def main() -> None:
        with pytest.raises(RuntimeError, match="asend"):
            sig.send(sender=None)

    asyncio.run(main())


def test_concurrent_connects_are_all_kept() -> None:
    sig = Signal()
    funcs = []
    for _ in range(50):

        def f(sender: Any, **kwargs: Any) -> None:
            return None

        funcs.append(f)

    threads = [threading.Thread(target=sig.connect, args=(f,)) for f in funcs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(sig.receivers) == 50


def test_model_signal_instances() -> None:
    for name in (
        "pre_init",
        "post_init",
        "pre_save",
        "post_save",
        "pre_delete",
        "post_delete",
        "m2m_changed",
    ):
        sig = getattr(signals, name)
        assert isinstance(sig, ModelSignal)
        assert sig.use_caching
    for name in ("class_prepared", "pre_migrate", "post_migrate"):
        assert isinstance(getattr(signals, name), Signal)


class FakeApps:
    """Stands in for tether.apps.Apps: just its lazy_model_operation contract."""

    def __init__(self) -> None:
        self.models: dict[tuple[str, str], Any] = {}
        self.pending: dict[tuple[str, str], list[Any]] = {}

    def lazy_model_operation(self, callback: Any, key: tuple[str, str]) -> None:
        if key in self.models:
            callback(self.models[key])
        else:
            self.pending.setdefault(key, []).append(callback)

    def register(self, key: tuple[str, str], model: Any) -> None:
        self.models[key] = model
        for callback in self.pending.pop(key, []):
            callback(model)


def test_model_signal_lazy_string_sender() -> None:
    sig = ModelSignal(use_caching=True)
    fake_apps = FakeApps()
    sig.connect(receiver_a, sender="shop.Book", apps=fake_apps)
    assert not sig.has_listeners()
    assert list(fake_apps.pending) == [("shop", "book")]

    class Book:
        pass

    fake_apps.register(("shop", "book"), Book)
    assert [r for r, _ in sig.send(sender=Book)] == [receiver_a]
    # Once registered, the string resolves at once, for disconnect too.
    assert sig.disconnect(receiver_a, sender="shop.Book", apps=fake_apps) is True
    assert not sig.has_listeners(Book)


def test_model_signal_string_sender_checks_kwargs_and_format() -> None:
    sig = ModelSignal()

    def no_kwargs(sender: Any) -> None:
        return None

    with pytest.raises(ValueError, match="keyword arguments"):
        sig.connect(no_kwargs, sender="shop.Book", apps=FakeApps())
    with pytest.raises(ValueError, match="app_label.ModelName"):
        sig.connect(receiver_a, sender="Book", apps=FakeApps())


def test_model_signal_default_registry() -> None:
    from tether import apps as apps_module

    class Meta:
        model_name = "gadget"
        auto_created = False

    Gadget = type("Gadget", (), {"_meta": Meta})
    registry = apps_module.Apps()
    with apps_module.swapped_registry(registry):
        sig = ModelSignal()
        sig.connect(receiver_a, sender="kit.Gadget")
        assert not sig.has_listeners()
        registry.register_model("kit", Gadget)
        assert [r for r, _ in sig.send(sender=Gadget)] == [receiver_a]
