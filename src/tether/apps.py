"""The model registry: every model class by app_label and model name.

It resolves string references ('Model', 'app.Model', 'self') lazily: a relation field asks
`lazy_model_operation` to call it back once the target model is registered, whichever of the
two classes is defined first. `isolate_apps` swaps in a fresh registry for a test.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tether.exceptions import ImproperlyConfigured


def app_label_for_module(module: str) -> str:
    """The app_label of a model defined in `module`, as API.md orders it."""
    parts = module.split(".")
    if "models" in parts[1:]:
        return parts[parts.index("models", 1) - 1]
    if len(parts) > 1:
        return parts[-2]
    return "main" if parts[0] == "__main__" else parts[0]


class Apps:
    """A registry of models, keyed by lower-cased app_label and model name."""

    def __init__(self) -> None:
        self.all_models: dict[str, dict[str, Any]] = defaultdict(dict)
        self._pending: dict[tuple[str, str], list[Callable[[Any], None]]] = defaultdict(list)
        self._get_models_cache: list[Any] | None = None

    def register_model(self, app_label: str, model: Any) -> None:
        model_name = model._meta.model_name
        app_models = self.all_models[app_label]
        existing = app_models.get(model_name)
        if existing is not None and existing is not model:
            if (existing.__module__, existing.__qualname__) == (
                model.__module__,
                model.__qualname__,
            ):
                # The same module imported again (a reload): the newer class wins.
                pass
            else:
                raise RuntimeError(
                    f"Conflicting '{model_name}' models in application '{app_label}': "
                    f"{existing} and {model}."
                )
        app_models[model_name] = model
        self._get_models_cache = None
        for callback in self._pending.pop((app_label, model_name), []):
            callback(model)

    def get_models(self, include_auto_created: bool = False) -> list[Any]:
        """Every registered concrete model (abstract models are never registered)."""
        models = [
            model
            for app_models in self.all_models.values()
            for model in app_models.values()
            if include_auto_created or not model._meta.auto_created
        ]
        return models

    def get_model(self, app_label: str, model_name: str | None = None) -> Any:
        """`get_model('app.Model')` or `get_model('app', 'Model')`; LookupError if missing."""
        if model_name is None:
            if "." not in app_label:
                raise ValueError("get_model() expects 'app_label.ModelName' or two arguments.")
            app_label, model_name = app_label.split(".", 1)
        try:
            app_models = self.all_models[app_label]
        except KeyError:
            raise LookupError(f"No installed app with label '{app_label}'.") from None
        try:
            return app_models[model_name.lower()]
        except KeyError:
            raise LookupError(f"App '{app_label}' doesn't have a '{model_name}' model.") from None

    def lazy_model_operation(self, callback: Callable[[Any], None], key: tuple[str, str]) -> None:
        """Call `callback(model)` once the model `key` = (app_label, model_name) exists."""
        app_label, model_name = key
        model = self.all_models.get(app_label, {}).get(model_name)
        if model is not None:
            callback(model)
        else:
            self._pending[key].append(callback)

    def pending_references(self) -> list[tuple[str, str]]:
        return [key for key, callbacks in self._pending.items() if callbacks]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.get_models())


def resolve_reference(reference: Any, from_model: Any) -> tuple[str, str] | Any:
    """A model class as it is, or the (app_label, model_name) key a string names."""
    if not isinstance(reference, str):
        return reference
    if reference == "self":
        return from_model
    if "." in reference:
        app_label, _, name = reference.partition(".")
        return app_label, name.lower()
    if not reference.isidentifier():
        raise ImproperlyConfigured(f"Invalid model reference {reference!r}.")
    return from_model._meta.app_label, reference.lower()


apps = Apps()


@contextmanager
def swapped_registry(registry: Apps) -> Iterator[Apps]:
    """Make `registry` the one new models register in (isolate_apps is built on this)."""
    global apps
    previous, apps = apps, registry
    try:
        yield registry
    finally:
        apps = previous
