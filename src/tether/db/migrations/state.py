"""The project state migrations build: ModelState per model, ProjectState per project.

A ModelState holds a model as data (unbound fields rebuilt from deconstruct(), options, bases,
managers); ProjectState holds them all and renders them, on demand, into historical model
classes registered in their own `tether.apps.Apps` (never the global registry), which is what
`apps` gives RunPython code and what the schema editor receives. Operations change a state
through the methods here; each change drops the rendered classes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from tether.apps import Apps
from tether.db.migrations.exceptions import InvalidBasesError
from tether.exceptions import FieldDoesNotExist

# Meta options a historical model keeps (the ones that shape its table or its queries).
KEPT_OPTIONS = (
    "verbose_name",
    "verbose_name_plural",
    "db_table",
    "db_table_comment",
    "ordering",
    "unique_together",
    "index_together",
    "permissions",
    "get_latest_by",
    "order_with_respect_to",
    "db_tablespace",
    "abstract",
    "managed",
    "proxy",
    "swappable",
    "default_permissions",
    "select_on_save",
    "default_related_name",
    "required_db_features",
    "required_db_vendor",
    "base_manager_name",
    "default_manager_name",
    "indexes",
    "constraints",
)


def rebuild_field(field: Any) -> Any:
    """A new unbound field equal to `field`, made from its deconstruct() (Django's clone())."""
    _, path, args, kwargs = field.deconstruct()
    return type(field)(*args, **kwargs)


def _field_with(field: Any, **changes: Any) -> Any:
    _, _, args, kwargs = field.deconstruct()
    kwargs.update(changes)
    return type(field)(*args, **kwargs)


class ModelState:
    """A model as data: app_label, name, fields {name: unbound field}, options, bases."""

    def __init__(
        self,
        app_label: str,
        name: str,
        fields: Iterable[tuple[str, Any]] | dict[str, Any],
        options: dict[str, Any] | None = None,
        bases: tuple[Any, ...] | None = None,
        managers: list[tuple[str, Any]] | None = None,
    ) -> None:
        self.app_label = app_label
        self.name = name
        self.fields: dict[str, Any] = dict(fields.items() if isinstance(fields, dict) else fields)
        self.options = dict(options or {})
        self.options.setdefault("indexes", [])
        self.options.setdefault("constraints", [])
        from tether.models import Model

        self.bases = tuple(bases) if bases else (Model,)
        self.managers = list(managers or [])
        for name_, field in self.fields.items():
            if getattr(field, "model", None) is not None:
                raise ValueError(f'ModelState.fields cannot be bound to a model - "{name_}" is.')
        for index in self.options["indexes"]:
            if not index.name:
                raise ValueError(
                    "Indexes passed to ModelState require a name attribute. "
                    f"{index!r} doesn't have one."
                )

    @property
    def name_lower(self) -> str:
        return self.name.lower()

    def get_field(self, field_name: str) -> Any:
        if field_name == "_order" and self.options.get("order_with_respect_to"):
            field_name = self.options["order_with_respect_to"]
        try:
            return self.fields[field_name]
        except KeyError:
            raise FieldDoesNotExist(f"{self.name} has no field named '{field_name}'") from None

    def get_index_by_name(self, name: str) -> Any:
        for index in self.options["indexes"]:
            if index.name == name:
                return index
        raise ValueError(f"No index named {name} on model {self.name}")

    def get_constraint_by_name(self, name: str) -> Any:
        for constraint in self.options["constraints"]:
            if constraint.name == name:
                return constraint
        raise ValueError(f"No constraint named {name} on model {self.name}")

    def clone(self) -> ModelState:
        return ModelState(
            self.app_label,
            self.name,
            {name: rebuild_field(field) for name, field in self.fields.items()},
            options={
                **copy.deepcopy({k: v for k, v in self.options.items() if k not in _SHARED}),
                "indexes": [index.clone() for index in self.options["indexes"]],
                "constraints": [c.clone() for c in self.options["constraints"]],
            },
            bases=self.bases,
            managers=list(self.managers),
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: '{self.app_label}.{self.name}'>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ModelState):
            return NotImplemented
        return (
            (self.app_label, self.name, self.options, self.bases)
            == (other.app_label, other.name, other.options, other.bases)
            and list(self.fields) == list(other.fields)
            and all(
                f.deconstruct()[1:] == other.fields[n].deconstruct()[1:]
                for n, f in self.fields.items()
            )
        )

    # ---- from a model class ---------------------------------------------------------------

    @classmethod
    def from_model(cls, model: Any, exclude_rels: bool = False) -> ModelState:
        """The state of a model class (a current or a historical one)."""
        opts = model._meta
        fields: list[tuple[str, Any]] = []
        for field in opts.local_fields:
            if getattr(field, "remote_field", None) is not None and exclude_rels:
                continue
            fields.append((field.name, rebuild_field(field)))
        if not exclude_rels:
            for field in opts.local_many_to_many:
                fields.append((field.name, rebuild_field(field)))
        options: dict[str, Any] = {}
        for name in KEPT_OPTIONS:
            if name not in opts.original_attrs:
                continue
            value = opts.original_attrs[name]
            if name == "unique_together":
                value = {tuple(item) for item in _normalize_together(value)}
                if not value:
                    continue
            elif name == "indexes":
                value = [index.clone() for index in opts.indexes]
                for index in value:
                    if not index.name:
                        index.name = default_index_name(opts, index)
            elif name == "constraints":
                value = [constraint.clone() for constraint in opts.constraints]
            options[name] = value
        if opts.original_attrs.get("unique_together") is None:
            options.pop("unique_together", None)
        if exclude_rels:
            for key in ("unique_together", "index_together", "order_with_respect_to"):
                options.pop(key, None)
        return cls(
            opts.app_label,
            opts.object_name,
            fields,
            options,
            bases=_bases_of(model),
            managers=_managers_of(model),
        )

    # ---- rendering ------------------------------------------------------------------------

    def render(self, apps: Apps) -> Any:
        """A historical model class for this state, registered in `apps`."""
        from tether.models import Model

        meta_attrs: dict[str, Any] = {"app_label": self.app_label, "apps": apps}
        for key, value in self.options.items():
            if key == "indexes":
                value = [index.clone() for index in value]
            elif key == "constraints":
                value = [constraint.clone() for constraint in value]
            elif key == "unique_together":
                value = tuple(sorted(tuple(item) for item in value))
            elif key == "index_together":
                continue  # gone from Django 5.1's models; the operation only changes the state
            meta_attrs[key] = value
        bases = []
        for base in self.bases:
            if isinstance(base, str):
                label = base.lower()
                try:
                    base = apps.get_model(label)
                except LookupError:
                    raise InvalidBasesError(
                        f"Cannot resolve bases for {self!r}\nThis can happen if you are "
                        "inheriting models from an app with migrations (e.g. contrib.auth)\n "
                        "in an app with no migrations; see "
                        "https://docs.djangoproject.com/en/5.2/topics/migrations/#dependencies "
                        "for more"
                    ) from None
            bases.append(base)
        if not any(isinstance(b, type) and issubclass(b, Model) for b in bases):
            bases.append(Model)
        attrs: dict[str, Any] = {name: rebuild_field(f) for name, f in self.fields.items()}
        attrs["Meta"] = type("Meta", (), meta_attrs)
        attrs["__module__"] = "__fake__"
        for name, manager in self.managers:
            attrs[name] = copy.copy(manager)
        return type(self.name, tuple(bases), attrs)


_SHARED = ("indexes", "constraints")


def _normalize_together(value: Any) -> tuple[tuple[str, ...], ...]:
    from tether.models.options import normalize_together

    return normalize_together(value)


def default_index_name(opts: Any, index: Any) -> str:
    """The name Django's Index.set_name_with_model() gives an unnamed index."""
    from tether.db.backends.utils import names_digest

    columns = [name.lstrip("-") for name in index.fields]
    column_names = [opts.get_field(name).column for name in columns]
    hash_data = [opts.db_table, *column_names, "idx"]
    return "{}_{}_{}".format(
        opts.db_table[:11], column_names[0][:7], f"{names_digest(*hash_data, length=6)}_idx"
    )


def _bases_of(model: Any) -> tuple[Any, ...]:
    from tether.models import Model

    bases: list[Any] = []
    for base in model.__bases__:
        meta = getattr(base, "_meta", None)
        if meta is not None and not meta.abstract:
            bases.append(meta.label_lower)
        elif meta is not None and meta.abstract:
            continue  # an abstract parent's fields are the model's own
        elif base is not Model and base is not object:
            bases.append(base)
    return tuple(bases) or (Model,)


def _managers_of(model: Any) -> list[tuple[str, Any]]:
    """The managers a migration keeps: those with use_in_migrations, as Django does."""
    managers = []
    for manager in model._meta.managers:
        if getattr(manager, "use_in_migrations", False):
            new = copy.copy(manager)
            new.model = None
            managers.append((manager.name, new))
    return managers


class ProjectState:
    """Every model's state, keyed by (app_label, model_name lower)."""

    def __init__(self, models: dict[tuple[str, str], ModelState] | None = None) -> None:
        self.models: dict[tuple[str, str], ModelState] = models or {}
        self._apps: StateApps | None = None
        # Apps without migrations whose models were put in as they are (Django's real_apps).
        self.real_apps: set[str] = set()

    @classmethod
    def from_apps(cls, apps: Any) -> ProjectState:
        models = {}
        for model in apps.get_models():
            state = ModelState.from_model(model)
            models[(state.app_label, state.name_lower)] = state
        return cls(models)

    def clone(self) -> ProjectState:
        new = ProjectState({key: state.clone() for key, state in self.models.items()})
        new.real_apps = set(self.real_apps)
        return new

    @property
    def apps(self) -> StateApps:
        if self._apps is None:
            self._apps = StateApps(self.models)
        return self._apps

    def reload(self) -> None:
        self._apps = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProjectState) and self.models == other.models

    # ---- changes made by operations -----------------------------------------------------

    def add_model(self, model_state: ModelState) -> None:
        self.models[(model_state.app_label, model_state.name_lower)] = model_state
        self.reload()

    def remove_model(self, app_label: str, model_name: str) -> None:
        del self.models[(app_label, model_name)]
        self.reload()

    def rename_model(self, app_label: str, old_name: str, new_name: str) -> None:
        state = self.models.pop((app_label, old_name.lower()))
        state.name = new_name
        self.models[(app_label, new_name.lower())] = state
        old_label, new_label = f"{app_label}.{old_name.lower()}", f"{app_label}.{new_name.lower()}"
        for other in self.models.values():
            for name, field in list(other.fields.items()):
                changes = {}
                kwargs = field.deconstruct()[3]
                if _refers(kwargs.get("to"), old_label, other.app_label):
                    changes["to"] = new_label
                if _refers(kwargs.get("through"), old_label, other.app_label):
                    changes["through"] = f"{app_label}.{new_name}"
                if changes:
                    other.fields[name] = _field_with(field, **changes)
            other.bases = tuple(
                new_label if isinstance(b, str) and b.lower() == old_label else b
                for b in other.bases
            )
        self.reload()

    def alter_model_options(
        self, app_label: str, model_name: str, options: dict[str, Any], keys: Iterable[str] = ()
    ) -> None:
        state = self.models[(app_label, model_name)]
        state.options = {**state.options, **options}
        for key in keys:
            if key not in options:
                state.options.pop(key, False)
        self.reload()

    def add_field(self, app_label: str, model_name: str, name: str, field: Any) -> None:
        self.models[(app_label, model_name)].fields[name] = rebuild_field(field)
        self.reload()

    def remove_field(self, app_label: str, model_name: str, name: str) -> None:
        del self.models[(app_label, model_name)].fields[name]
        self.reload()

    def alter_field(self, app_label: str, model_name: str, name: str, field: Any) -> None:
        self.models[(app_label, model_name)].fields[name] = rebuild_field(field)
        self.reload()

    def rename_field(self, app_label: str, model_name: str, old_name: str, new_name: str) -> None:
        state = self.models[(app_label, model_name)]
        if old_name not in state.fields:
            raise FieldDoesNotExist(f"{app_label}.{model_name} has no field named '{old_name}'")
        state.fields = {
            (new_name if name == old_name else name): field for name, field in state.fields.items()
        }
        for key in ("unique_together", "index_together"):
            if key in state.options:
                state.options[key] = {
                    tuple(new_name if n == old_name else n for n in together)
                    for together in state.options[key]
                }
        for index in state.options["indexes"]:
            index.fields = [new_name if n == old_name else n for n in index.fields]
        for constraint in state.options["constraints"]:
            if getattr(constraint, "fields", None):
                constraint.fields = tuple(
                    new_name if n == old_name else n for n in constraint.fields
                )
        if state.options.get("order_with_respect_to") == old_name:
            state.options["order_with_respect_to"] = new_name
        label = f"{app_label}.{model_name}"
        for other in self.models.values():
            for name, field in list(other.fields.items()):
                kwargs = field.deconstruct()[3]
                if kwargs.get("to_field") == old_name and _refers(
                    kwargs.get("to"), label, other.app_label
                ):
                    other.fields[name] = _field_with(field, to_field=new_name)
        self.reload()

    def add_option_item(self, app_label: str, model_name: str, key: str, item: Any) -> None:
        state = self.models[(app_label, model_name)]
        state.options[key] = [*state.options[key], item]
        self.reload()

    def remove_option_item(self, app_label: str, model_name: str, key: str, name: str) -> None:
        state = self.models[(app_label, model_name)]
        state.options[key] = [obj for obj in state.options[key] if obj.name != name]
        self.reload()


def _refers(reference: Any, label: str, from_app: str) -> bool:
    if not isinstance(reference, str):
        return False
    reference = reference.lower()
    if "." not in reference:
        reference = f"{from_app}.{reference}"
    return reference == label


class StateApps(Apps):
    """A registry of historical models rendered from model states."""

    def __init__(self, models: dict[tuple[str, str], ModelState]) -> None:
        super().__init__()
        pending = list(models.values())
        # Bases first: a state whose string bases are not rendered yet waits for them.
        while pending:
            progress = False
            for state in list(pending):
                if all(
                    not isinstance(b, str) or self._has(b.lower().split(".", 1))
                    for b in state.bases
                ):
                    state.render(self)
                    pending.remove(state)
                    progress = True
            if not progress:
                pending[0].render(self)  # raises InvalidBasesError with Django's words
        from tether.db.migrations.external import add_stand_ins

        add_stand_ins(self)
        unresolved = self.pending_references()
        if unresolved:
            app_label, model_name = unresolved[0]
            raise ValueError(
                f"Related model '{app_label}.{model_name}' cannot be resolved: the migration "
                f"state has no model '{model_name}' in app '{app_label}'."
            )

    def _has(self, key: list[str]) -> bool:
        return len(key) == 2 and key[1] in self.all_models.get(key[0], {})

    def get_model(self, app_label: str, model_name: str | None = None) -> Any:
        if model_name is None and "." in app_label:
            app_label, model_name = app_label.split(".", 1)
        return super().get_model(app_label, model_name)


def resolve_relation(reference: Any, app_label: str) -> tuple[str, str]:
    """(app_label, model_name lower) of a relation's `to` as deconstruct() gives it."""
    if hasattr(reference, "_meta"):
        return reference._meta.app_label, reference._meta.model_name
    if "." in reference:
        app, _, name = reference.partition(".")
        return app, name.lower()
    return app_label, reference.lower()
