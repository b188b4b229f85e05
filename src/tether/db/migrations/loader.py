"""MigrationLoader: finds the migration files of every app and builds the graph, as Django's.

An app is the package that holds its models module (`shop.models` -> `shop`); its migrations
are the modules of `<package>.migrations` (or `migration_modules[app_label]` in the settings).
Apps without such a package are unmigrated (`migrate --run-syncdb` creates their tables).
Dependencies on apps declared external (see external.py) are satisfied without migrations.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Any

from tether.db.migrations.exceptions import (
    AmbiguityError,
    BadMigrationError,
    ExternalAppDependency,
    InconsistentMigrationHistory,
    NodeNotFoundError,
)
from tether.db.migrations.external import external_apps, missing_app_message
from tether.db.migrations.graph import MigrationGraph
from tether.db.migrations.recorder import MigrationRecorder

MIGRATIONS_MODULE_NAME = "migrations"


def app_packages() -> dict[str, str]:
    """{app_label: package} of every app with registered models, in registry order."""
    import tether.apps

    found: dict[str, str] = {}
    for model in tether.apps.apps.get_models():
        label = model._meta.app_label
        if label in found or model.__module__ == "__fake__":
            continue
        parts = model.__module__.split(".")
        if "models" in parts[1:]:
            found[label] = ".".join(parts[: parts.index("models", 1)])
        elif len(parts) > 1:
            found[label] = ".".join(parts[:-1])
        else:
            found[label] = parts[0]
    return found


def migrations_module(app_label: str, package: str | None = None) -> str | None:
    """The module that holds `app_label`'s migrations (it may not exist yet)."""
    from tether.conf import settings

    configured = (settings.migration_modules or {}).get(app_label)
    if configured:
        return str(configured)
    package = package or app_packages().get(app_label)
    if package is None:
        return None
    module = sys.modules.get(package)
    if module is not None and not hasattr(module, "__path__"):
        return None  # a single-module app: only migration_modules can place its migrations
    return f"{package}.{MIGRATIONS_MODULE_NAME}"


class MigrationLoader:
    def __init__(
        self,
        connection: Any,
        load: bool = True,
        ignore_no_migrations: bool = False,
        replace_migrations: bool = True,
    ) -> None:
        self.connection = connection
        self.disk_migrations: dict[tuple[str, str], Any] = {}
        self.applied_migrations: dict[tuple[str, str], Any] = {}
        self.ignore_no_migrations = ignore_no_migrations
        self.replace_migrations = replace_migrations
        self.migrated_apps: set[str] = set()
        self.unmigrated_apps: set[str] = set()
        self.graph = MigrationGraph()
        self.replacements: dict[tuple[str, str], Any] = {}
        if load:
            self.build_graph()

    def load_disk(self) -> None:
        self.disk_migrations = {}
        self.unmigrated_apps = set()
        self.migrated_apps = set()
        packages = app_packages()
        from tether.conf import settings

        labels = [*packages, *(settings.migration_modules or {})]
        for app_label in dict.fromkeys(labels):
            module_name = migrations_module(app_label, packages.get(app_label))
            if module_name is None:
                self.unmigrated_apps.add(app_label)
                continue
            module = _import_fresh(module_name)
            if module is None or not hasattr(module, "__path__"):
                self.unmigrated_apps.add(app_label)
                continue
            self.migrated_apps.add(app_label)
            names = sorted(
                name
                for _, name, is_pkg in pkgutil.iter_modules(module.__path__)
                if not is_pkg and name[0] not in "_~"
            )
            for name in names:
                migration_module = _import_fresh(f"{module_name}.{name}", reload=True)
                if not hasattr(migration_module, "Migration"):
                    raise BadMigrationError(
                        f"Migration {name} in app {app_label} has no Migration class"
                    )
                self.disk_migrations[(app_label, name)] = migration_module.Migration(
                    name, app_label
                )

    def get_migration(self, app_label: str, name_prefix: str) -> Any:
        return self.graph.nodes[(app_label, name_prefix)]

    def get_migration_by_prefix(self, app_label: str, name_prefix: str) -> Any:
        """The one migration of `app_label` whose name starts with `name_prefix`."""
        results = [
            name
            for label, name in self.disk_migrations
            if label == app_label and name.startswith(name_prefix)
        ]
        if len(results) > 1:
            raise AmbiguityError(
                f"There is more than one migration for '{app_label}' with the prefix "
                f"'{name_prefix}'"
            )
        if not results:
            raise KeyError(
                f"There is no migration for '{app_label}' with the prefix '{name_prefix}'"
            )
        return self.disk_migrations[(app_label, results[0])]

    def check_key(self, key: tuple[str, str], current_app: str) -> tuple[str, str] | None:
        """A dependency with __first__/__latest__ resolved; None when there is nothing to
        depend on (the app's own first migration, an unmigrated or an external app)."""
        if key[0] in external_apps() and key[0] not in self.migrated_apps:
            return None
        if key[1] not in ("__first__", "__latest__") or key in self.graph:
            return key
        if key[0] == current_app:
            return None
        if key[0] in self.unmigrated_apps:
            return None
        if key[0] in self.migrated_apps:
            try:
                if key[1] == "__first__":
                    return self.graph.root_nodes(key[0])[0]
                return self.graph.leaf_nodes(key[0])[0]
            except IndexError:
                if self.ignore_no_migrations:
                    return None
                raise ValueError(f"Dependency on app with no migrations: {key[0]}") from None
        raise ExternalAppDependency(missing_app_message(key[0], (current_app, "?")), key)

    def add_internal_dependencies(self, key: tuple[str, str], migration: Any) -> None:
        for parent in migration.dependencies:
            if parent[0] == key[0] and parent[1] != "__first__":
                self.graph.add_dependency(migration, key, tuple(parent), skip_validation=True)

    def add_external_dependencies(self, key: tuple[str, str], migration: Any) -> None:
        for parent in migration.dependencies:
            if key[0] == parent[0]:
                continue
            if parent[0] not in self.migrated_apps and parent[0] not in self.unmigrated_apps:
                if parent[0] in external_apps():
                    continue
                raise ExternalAppDependency(missing_app_message(parent[0], key), tuple(parent))
            resolved = self.check_key(tuple(parent), key[0])
            if resolved is not None:
                self.graph.add_dependency(migration, key, resolved, skip_validation=True)
        for child in migration.run_before:
            resolved = self.check_key(tuple(child), key[0])
            if resolved is not None:
                self.graph.add_dependency(migration, resolved, key, skip_validation=True)

    def build_graph(self) -> None:
        self.load_disk()
        if self.connection is None:
            self.applied_migrations = {}
        else:
            self.applied_migrations = MigrationRecorder(self.connection).applied_migrations()
        self.graph = MigrationGraph()
        self.replacements = {}
        for key, migration in self.disk_migrations.items():
            self.graph.add_node(key, migration)
            if migration.replaces:
                self.replacements[key] = migration
        for key, migration in self.disk_migrations.items():
            self.add_internal_dependencies(key, migration)
        for key, migration in self.disk_migrations.items():
            self.add_external_dependencies(key, migration)
        if self.replace_migrations:
            self._apply_replacements()
        try:
            self.graph.validate_consistency()
        except NodeNotFoundError as exc:
            raise _explain_missing(exc, self) from exc
        self.graph.ensure_not_cyclic()

    def _apply_replacements(self) -> None:
        for key, migration in self.replacements.items():
            replaced = [tuple(r) for r in migration.replaces]
            applied_statuses = [r in self.applied_migrations for r in replaced]
            if all(applied_statuses):
                self.applied_migrations[key] = migration
            else:
                self.applied_migrations.pop(key, None)
            if all(applied_statuses) or not any(applied_statuses):
                self.graph.remove_replaced_nodes(key, replaced)
            else:
                self.graph.remove_replacement_node(key, replaced)

    def check_consistent_history(self, connection: Any) -> None:
        """Raise InconsistentMigrationHistory if an applied migration has an unapplied
        dependency."""
        applied = MigrationRecorder(connection).applied_migrations()
        for migration in applied:
            if migration not in self.graph.nodes:
                continue
            for parent in self.graph.node_map[migration].parents:
                if parent.key in applied:
                    continue
                parent_migration = self.graph.nodes[parent.key]
                if parent_migration.replaces and all(
                    tuple(m) in applied for m in parent_migration.replaces
                ):
                    continue
                raise InconsistentMigrationHistory(
                    f"Migration {migration[0]}.{migration[1]} is applied before its dependency "
                    f"{parent.key[0]}.{parent.key[1]} on database '{connection.alias}'."
                )

    def detect_conflicts(self) -> dict[str, list[str]]:
        """{app_label: leaf migration names} of the apps with more than one leaf."""
        seen: dict[str, set[str]] = {}
        for app_label, name in self.graph.leaf_nodes():
            seen.setdefault(app_label, set()).add(name)
        return {app: sorted(names) for app, names in seen.items() if len(names) > 1}

    def project_state(self, nodes: Any = None, at_end: bool = True) -> Any:
        """The state after the migrations up to `nodes`, unmigrated apps' models included."""
        state = self.graph.make_state(nodes=nodes, at_end=at_end)
        add_unmigrated_models(state, self.unmigrated_apps)
        return state

    def collect_sql(self, plan: list[tuple[Any, bool]]) -> list[str]:
        """The SQL of `plan` as sqlmigrate prints it, without running anything."""
        statements: list[str] = []
        state = None
        for migration, backwards in plan:
            with self.connection.schema_editor(collect_sql=True, atomic=migration.atomic) as se:
                if state is None:
                    state = self.project_state((migration.app_label, migration.name), at_end=False)
                if not backwards:
                    state = migration.apply(state, se, collect_sql=True)
                else:
                    state = migration.unapply(state, se, collect_sql=True)
            statements.extend(se.collected_sql)
        return statements


def add_unmigrated_models(state: Any, unmigrated: set[str]) -> None:
    """Put the models of apps without migrations into `state` (Django's real_apps)."""
    import tether.apps
    from tether.db.migrations.state import ModelState

    for model in tether.apps.apps.get_models():
        if model._meta.app_label in unmigrated:
            model_state = ModelState.from_model(model)
            state.models[(model_state.app_label, model_state.name_lower)] = model_state
    state.real_apps = set(unmigrated)
    state.reload()


def _import_fresh(name: str, reload: bool = False) -> Any:
    """Import `name`, or None if it does not exist; a migrations package already imported is
    read again, so files written since (makemigrations) are seen."""
    importlib.invalidate_caches()
    module = sys.modules.get(name)
    try:
        if module is not None:
            return importlib.reload(module) if reload or hasattr(module, "__path__") else module
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and name.startswith(exc.name):
            return None
        raise


def _explain_missing(exc: NodeNotFoundError, loader: MigrationLoader) -> Exception:
    app_label = exc.node[0]
    if app_label not in loader.migrated_apps and app_label not in external_apps():
        origin = exc.origin
        where = (origin.app_label, origin.name) if origin is not None else ("?", "?")
        return ExternalAppDependency(missing_app_message(app_label, where), exc.node, origin)
    return exc
