"""Test utilities that do not need a test case: query capture, isolated apps, settings.

`CaptureQueriesContext` turns the connection's query log on for the duration of a `with`
block and keeps the statements logged inside it. `isolate_apps` gives models defined in a test
a registry of their own; `override_config` changes tether's settings for a while. None of them
knows about test databases.
"""

from __future__ import annotations

import functools
import inspect
import unittest
from typing import Any

__all__ = ["CaptureQueriesContext", "isolate_apps", "override_config"]


class CaptureQueriesContext:
    """Record every statement `connection` sends inside the `with` block.

    After the block, `captured_queries` is the list of `{"sql": ..., "time": ...}` entries;
    `len(context)` counts them and `context[i]` gives one.
    """

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.initial_queries = 0
        self.final_queries: int | None = None
        self._saved_force_debug = False

    def __iter__(self) -> Any:
        return iter(self.captured_queries)

    def __getitem__(self, index: Any) -> Any:
        return self.captured_queries[index]

    def __len__(self) -> int:
        return len(self.captured_queries)

    @property
    def captured_queries(self) -> list[dict[str, str]]:
        log = list(self.connection.queries_log)
        end = self.final_queries if self.final_queries is not None else len(log)
        return log[self.initial_queries : end]

    def __enter__(self) -> CaptureQueriesContext:
        conn = self.connection
        self._saved_force_debug = conn.force_debug_cursor
        conn.force_debug_cursor = True
        # Open the connection first so that nothing it sends on connect is counted.
        conn.ensure_connection()
        self.initial_queries = len(conn.queries_log)
        self.final_queries = None
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        conn = self.connection
        conn.force_debug_cursor = self._saved_force_debug
        self.final_queries = len(conn.queries_log)


# ---- decorators that are also context managers ------------------------------------------


class _ContextDecorator:
    """A context manager usable as a decorator on functions (sync or async) and classes.

    On a unittest.TestCase class it is entered in setUp() and left by a cleanup, so every test
    gets a fresh context; on another class every `test*` method is wrapped.
    """

    attr_name: str | None = None
    kwarg_name: str | None = None

    def enable(self) -> Any:
        raise NotImplementedError

    def disable(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Any:
        return self.enable()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.disable()

    def __call__(self, target: Any) -> Any:
        if isinstance(target, type):
            return self._decorate_class(target)
        if callable(target):
            return self._decorate_callable(target)
        raise TypeError(f"Cannot decorate object of type {type(target).__name__}")

    def _decorate_class(self, cls: type) -> type:
        if issubclass(cls, unittest.TestCase):
            decorated_setup = cls.setUp
            decorator = self

            def setUp(inner_self: Any) -> None:  # noqa: N802 - unittest's name
                context = decorator.enable()
                inner_self.addCleanup(decorator.disable)
                if decorator.attr_name is not None:
                    setattr(inner_self, decorator.attr_name, context)
                decorated_setup(inner_self)

            # Deliberately replaces the class's setUp with a wrapper that enables the decorator.
            cls.setUp = setUp  # type: ignore[method-assign,assignment]
            return cls
        for name, value in list(vars(cls).items()):
            if name.startswith("test") and callable(value):
                setattr(cls, name, self._decorate_callable(value))
        return cls

    def _decorate_callable(self, func: Any) -> Any:
        decorator = self
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_inner(*args: Any, **kwargs: Any) -> Any:
                context = decorator.enable()
                try:
                    if decorator.kwarg_name is not None:
                        kwargs[decorator.kwarg_name] = context
                    return await func(*args, **kwargs)
                finally:
                    decorator.disable()

            return async_inner

        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            context = decorator.enable()
            try:
                if decorator.kwarg_name is not None:
                    kwargs[decorator.kwarg_name] = context
                return func(*args, **kwargs)
            finally:
                decorator.disable()

        if decorator.kwarg_name is not None:
            # pytest must not take the injected argument for a fixture.
            signature = inspect.signature(func)
            params = [p for n, p in signature.parameters.items() if n != decorator.kwarg_name]
            inner.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        return inner


class isolate_apps(_ContextDecorator):  # noqa: N801 - Django's name
    """Models defined inside register in a fresh registry, not the global one.

    `isolate_apps("app_label", ...)` works as a context manager (`as apps` gives the registry),
    as a function decorator (`kwarg_name` passes the registry as that keyword argument) and as
    a class decorator (`attr_name` sets it on the test case). Such models never reach the
    global registry, so the test database never gets their tables. The app labels are kept for
    reading only: tether's registry takes models of any label.
    """

    def __init__(
        self, *installed_apps: str, attr_name: str | None = None, kwarg_name: str | None = None
    ) -> None:
        self.installed_apps = installed_apps
        self.attr_name = attr_name
        self.kwarg_name = kwarg_name
        self._stack: list[Any] = []

    def enable(self) -> Any:
        import tether.apps

        registry = tether.apps.Apps()
        registry.installed_apps = self.installed_apps  # type: ignore[attr-defined]
        swap = tether.apps.swapped_registry(registry)
        swap.__enter__()
        self._stack.append(swap)
        return registry

    def disable(self) -> None:
        self._stack.pop().__exit__(None, None, None)


class override_config(_ContextDecorator):  # noqa: N801 - Django's override_settings style
    """Change tether's settings for a block, a function or a test case class, then restore.

    `override_config(use_tz=False, time_zone="Europe/Paris")`. Changing `databases` closes
    and forgets the connections (on entry and on exit); changing `use_tz` or `time_zone`
    drops the cached statements (their converters depend on them) and sets the session time
    zone of open server connections again.
    """

    def __init__(self, **options: Any) -> None:
        from tether.conf import _KNOWN

        unknown = set(options) - _KNOWN
        if unknown:
            names = ", ".join(sorted(unknown))
            raise TypeError(f"override_config() got unknown setting(s): {names}")
        self.options = options
        self._saved: list[dict[str, Any]] = []

    def enable(self) -> None:
        from tether.conf import settings

        current = settings._settings or settings._load()
        self._saved.append({name: getattr(current, name) for name in self.options})
        for name, value in self.options.items():
            setattr(current, name, value)
        _settings_changed(set(self.options))

    def disable(self) -> None:
        from tether.conf import settings

        saved = self._saved.pop()
        current = settings._settings or settings._load()
        for name, value in saved.items():
            setattr(current, name, value)
        _settings_changed(set(saved))


def _settings_changed(names: set[str]) -> None:
    """React to changed settings as Django's setting_changed receivers do."""
    from tether.db import connections

    if "databases" in names:
        connections.reset()
    if "fetch_mode" in names:
        from tether.models.fetch_modes import forget_default

        forget_default()
    if names & {"use_tz", "time_zone", "default_auto_field"}:
        for wrapper in connections.every_wrapper():
            wrapper.caches.clear()
    if names & {"use_tz", "time_zone"}:
        # The session time zone of the caller's connections only, as Django's receiver does:
        # another thread's connection may be running a statement at this very moment.
        for wrapper in connections.all(initialized_only=True):
            wrapper.refresh_time_zone()
