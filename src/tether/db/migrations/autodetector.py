"""MigrationAutodetector: the operations that turn one project state into another.

As Django's: models renamed (asked), deleted, created (relation fields first as separate
AddField operations, folded back into CreateModel by the optimizer where nothing stands
between); fields renamed (asked), removed, added (a one-off default asked for a NOT NULL
column), altered; options, unique_together, order_with_respect_to, indexes and constraints.
Operations are cut into migrations by migration_cuts.py; each app's first new migration
depends on its latest one.

One case differs from Django on purpose: an automatic many-to-many field switched to
`through=` a model is migrated without copying the rows (see through_switch.py).
"""

from __future__ import annotations

from typing import Any

from tether.db.migrations import operations as ops
from tether.db.migrations.migration_cuts import Op, cut_into_migrations
from tether.db.migrations.questioner import MigrationQuestioner
from tether.db.migrations.state import ModelState, resolve_relation

Key = tuple[str, str]


def field_signature(field: Any) -> tuple[Any, ...]:
    """What decides whether a field changed: its path and arguments, deconstructed deeply."""
    _, path, args, kwargs = field.deconstruct()
    return (path, _deep(args), _deep(kwargs))


def _deep(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return type(value)(_deep(v) for v in value)
    if isinstance(value, dict):
        return {k: _deep(v) for k, v in value.items()}
    if isinstance(value, type):
        return value
    if hasattr(value, "deconstruct") and not isinstance(value, type):
        deconstructed = value.deconstruct()
        if len(deconstructed) == 3:
            path, args, kwargs = deconstructed
            return (path, _deep(args), _deep(kwargs))
        return deconstructed
    return value


class MigrationAutodetector:
    def __init__(self, from_state: Any, to_state: Any, questioner: Any = None) -> None:
        self.from_state = from_state
        self.to_state = to_state
        self.questioner = questioner or MigrationQuestioner()
        self.generated: dict[str, list[Op]] = {}
        self.renamed_models: dict[Key, str] = {}  # (app, new name) -> old name
        self.renamed_fields: dict[tuple[str, str, str], str] = {}

    # ---- entry points ---------------------------------------------------------------------

    def changes(
        self,
        graph: Any,
        trim_to_apps: Any = None,
        convert_apps: Any = None,
        migration_name: str | None = None,
    ) -> dict[str, list[Any]]:
        """{app_label: [Migration]} that the states' difference needs, named and numbered."""
        changes = self._detect_changes()
        changes = self.arrange_for_graph(changes, graph, migration_name)
        if trim_to_apps:
            changes = self._trim_to_apps(changes, set(trim_to_apps))
        return changes

    def _add(
        self,
        app_label: str,
        operation: Any,
        provides: Any = (),
        requires: Any = (),
        beginning: bool = False,
    ) -> None:
        item = Op(operation, set(provides), set(requires))
        items = self.generated.setdefault(app_label, [])
        items.insert(0, item) if beginning else items.append(item)

    def _detect_changes(self) -> dict[str, list[Any]]:
        real_apps: set[str] = getattr(self.from_state, "real_apps", set())
        self.old_keys = {key for key in self.from_state.models if key[0] not in real_apps}
        self.new_keys = set(self.to_state.models)
        self.generate_renamed_models()
        self.kept_keys = self.old_keys & self.new_keys
        self._prepare_field_lists()
        self.generate_deleted_models()
        self.generate_created_models()
        self.generate_altered_options()
        self.generate_renamed_fields()
        self.generate_removed_constraints_and_indexes()
        self.generate_removed_altered_unique_together()
        self.generate_removed_fields()
        self.generate_added_fields()
        self.generate_altered_fields()
        self.generate_altered_order_with_respect_to()
        self.generate_altered_unique_together()
        self.generate_added_constraints_and_indexes()
        self.generate_altered_db_table()
        return self._build_migrations()

    # ---- models ---------------------------------------------------------------------------

    def _old(self, app_label: str, model_name: str) -> ModelState:
        old_name = self.renamed_models.get((app_label, model_name), model_name)
        return self.from_state.models[(app_label, old_name)]  # type: ignore[no-any-return]

    def _new(self, app_label: str, model_name: str) -> ModelState:
        return self.to_state.models[(app_label, model_name)]  # type: ignore[no-any-return]

    def generate_renamed_models(self) -> None:
        added = sorted(self.new_keys - self.old_keys)
        for app_label, model_name in added:
            new = self._new(app_label, model_name)
            signature = [field_signature(f) for f in new.fields.values()]
            for rem_app, rem_name in sorted(self.old_keys - self.new_keys):
                if rem_app != app_label:
                    continue
                old = self.from_state.models[(rem_app, rem_name)]
                old_signature = [field_signature(f) for f in old.fields.values()]
                if old_signature != signature or not self.questioner.ask_rename_model(old, new):
                    continue
                self._add(
                    app_label,
                    ops.RenameModel(old.name, new.name),
                    provides={("model", app_label, model_name)},
                )
                self.renamed_models[(app_label, model_name)] = rem_name
                self.old_keys.remove((rem_app, rem_name))
                self.old_keys.add((app_label, model_name))
                break

    def _prepare_field_lists(self) -> None:
        self.old_fields: set[tuple[str, str, str]] = set()
        self.new_fields: set[tuple[str, str, str]] = set()
        for app_label, model_name in self.kept_keys:
            old, new = self._old(app_label, model_name), self._new(app_label, model_name)
            if not _concrete(old) or not _concrete(new):
                continue
            self.old_fields |= {(app_label, model_name, name) for name in old.fields}
            self.new_fields |= {(app_label, model_name, name) for name in new.fields}

    def generate_deleted_models(self) -> None:
        deleted = sorted(self.old_keys - self.new_keys)
        for app_label, model_name in deleted:
            state = self.from_state.models[(app_label, model_name)]
            requires = set()
            for other_key, other in self.from_state.models.items():
                for name, field in other.fields.items():
                    if _points_at(field, other.app_label, (app_label, model_name)):
                        if other_key != (app_label, model_name):
                            requires.add(("removed", other.app_label, other.name_lower, name))
                            requires.add(("deleted", *other_key))
            self._add(
                app_label,
                ops.DeleteModel(state.name),
                provides={("deleted", app_label, model_name)},
                requires=requires,
            )

    def generate_created_models(self) -> None:
        from tether.db.migrations.through_switch import through_takeovers

        self.takeovers = through_takeovers(self)
        for app_label, model_name in self._created_order():
            state = self._new(app_label, model_name)
            proxy = bool(state.options.get("proxy"))
            options = {
                k: v
                for k, v in state.options.items()
                if k not in ("indexes", "constraints", "unique_together", "order_with_respect_to")
            }
            if proxy:  # Django's proxy CreateModel keeps these two options, even when empty
                options["indexes"] = state.options.get("indexes", [])
                options["constraints"] = state.options.get("constraints", [])
            related = {
                name: field
                for name, field in state.fields.items()
                if getattr(field, "remote_field", None) is not None
            }
            pk_related = [n for n, f in related.items() if f.deconstruct()[3].get("primary_key")]
            for name in pk_related:
                related.pop(name)
            requires = set()
            for base in state.bases:
                if isinstance(base, str):
                    requires.add(("model", *resolve_relation(base, app_label)))
            for name in pk_related:
                requires |= _relation_requires(state.fields[name], app_label)
            self._add(
                app_label,
                ops.CreateModel(
                    state.name,
                    [(n, f) for n, f in state.fields.items() if n not in related],
                    options=options,
                    bases=state.bases,
                    managers=state.managers,
                ),
                provides={("model", app_label, model_name)},
                requires=requires,
                beginning=not proxy,
            )
            for name, field in sorted(related.items()):  # Django adds them by name
                self._add(
                    app_label,
                    ops.AddField(model_name, name, field),
                    provides={("field", app_label, model_name, name)},
                    requires={("model", app_label, model_name)}
                    | _relation_requires(field, app_label),
                )
            self._created_model_extras(app_label, model_name, state, set(related))

    def _created_order(self) -> list[Key]:
        """The new models in Django's order: each concrete model's CreateModel goes first in
        its app's list (managed models, then unmanaged, each taken by reverse name, so the
        list reads by name) with its relation fields and options after; proxies come last."""
        added = [key for key in self.new_keys - self.old_keys if key not in self.takeovers]

        def kind(key: Key) -> int:
            options = self._new(*key).options
            if options.get("proxy"):
                return 2
            return 1 if options.get("managed", True) is False else 0

        return [
            *sorted((k for k in added if kind(k) == 0), reverse=True),
            *sorted((k for k in added if kind(k) == 1), reverse=True),
            *sorted(k for k in added if kind(k) == 2),
        ]

    def _created_model_extras(
        self, app_label: str, model_name: str, state: ModelState, related: set[str]
    ) -> None:
        base = {("model", app_label, model_name)} | {
            ("field", app_label, model_name, name) for name in related
        }
        for index in state.options.get("indexes", []):
            self._add(app_label, ops.AddIndex(model_name, index), requires=base)
        for constraint in state.options.get("constraints", []):
            self._add(app_label, ops.AddConstraint(model_name, constraint), requires=base)
        if state.options.get("unique_together"):
            self._add(
                app_label,
                ops.AlterUniqueTogether(model_name, state.options["unique_together"]),
                requires=base,
            )
        if state.options.get("order_with_respect_to"):
            self._add(
                app_label,
                ops.AlterOrderWithRespectTo(model_name, state.options["order_with_respect_to"]),
                requires=base,
            )

    def generate_altered_options(self) -> None:
        for app_label, model_name in sorted(self.kept_keys):
            old, new = self._old(app_label, model_name), self._new(app_label, model_name)
            keys = ops.AlterModelOptions.ALTER_OPTION_KEYS
            old_options = {k: v for k, v in old.options.items() if k in keys}
            new_options = {k: v for k, v in new.options.items() if k in keys}
            if old_options != new_options:
                self._add(
                    app_label,
                    ops.AlterModelOptions(model_name, new_options),
                    requires={("model", app_label, model_name)},
                )
            if old.options.get("db_table_comment") != new.options.get("db_table_comment"):
                self._add(
                    app_label,
                    ops.AlterModelTableComment(model_name, new.options.get("db_table_comment")),
                )
            if old.managers != new.managers and (old.managers or new.managers):
                if [n for n, _ in old.managers] != [n for n, _ in new.managers]:
                    self._add(app_label, ops.AlterModelManagers(model_name, new.managers))

    def generate_altered_db_table(self) -> None:
        for app_label, model_name in sorted(self.kept_keys):
            old, new = self._old(app_label, model_name), self._new(app_label, model_name)
            if old.options.get("db_table") != new.options.get("db_table"):
                self._add(app_label, ops.AlterModelTable(model_name, new.options.get("db_table")))

    # ---- fields ---------------------------------------------------------------------------

    def _old_field_name(self, app_label: str, model_name: str, name: str) -> str:
        return self.renamed_fields.get((app_label, model_name, name), name)

    def generate_renamed_fields(self) -> None:
        for app_label, model_name, name in sorted(self.new_fields - self.old_fields):
            new = self._new(app_label, model_name)
            old = self._old(app_label, model_name)
            field = new.fields[name]
            signature = field_signature(field)
            for rem_app, rem_model, rem_name in sorted(self.old_fields - self.new_fields):
                if (rem_app, rem_model) != (app_label, model_name):
                    continue
                if rem_name in self.renamed_fields.values():
                    continue
                old_field = old.fields[rem_name]
                old_signature = field_signature(old_field)
                same_column = old_field.deconstruct()[3].get("db_column") == rem_name
                if old_signature != signature and not (
                    same_column and _without_db_column(old_field) == _without_db_column(field)
                ):
                    continue
                if not self.questioner.ask_rename(model_name, rem_name, name, field):
                    continue
                self._add(
                    app_label,
                    ops.RenameField(model_name, rem_name, name),
                    provides={("field", app_label, model_name, name)},
                )
                self.renamed_fields[(app_label, model_name, name)] = rem_name
                self.old_fields.remove((rem_app, rem_model, rem_name))
                self.old_fields.add((app_label, model_name, name))
                if old_signature != signature:
                    self._add(app_label, ops.AlterField(model_name, name, field))
                break

    def generate_removed_fields(self) -> None:
        for app_label, model_name, name in sorted(self.old_fields - self.new_fields):
            self._add(
                app_label,
                ops.RemoveField(model_name, name),
                provides={("removed", app_label, model_name, name)},
                requires={("removed_constraint", app_label, model_name)},
            )

    def generate_added_fields(self) -> None:
        for app_label, model_name, name in sorted(self.new_fields - self.old_fields):
            new = self._new(app_label, model_name)
            field = new.fields[name]
            operation = self._added_field(new, name, field)
            self._add(
                app_label,
                operation,
                provides={("field", app_label, model_name, name)},
                requires=_relation_requires(field, app_label)
                | {("removed", app_label, model_name, name)},
            )

    def _added_field(self, state: ModelState, name: str, field: Any) -> Any:
        kwargs = field.deconstruct()[3]
        preserve = (
            kwargs.get("null")
            or "default" in kwargs
            or "db_default" in kwargs
            or field.many_to_many
            or (kwargs.get("blank") and field.empty_strings_allowed)
            or kwargs.get("auto_now")
        )
        if preserve:
            return ops.AddField(state.name_lower, name, field)
        if kwargs.get("auto_now_add"):
            default = self.questioner.ask_auto_now_add_addition(name, state.name)
        else:
            default = self.questioner.ask_not_null_addition(name, state.name)
        if default is None:
            return ops.AddField(state.name_lower, name, field)
        return ops.AddField(
            state.name_lower, name, _with_kwargs(field, default=default), preserve_default=False
        )

    def generate_altered_fields(self) -> None:
        from tether.db.migrations.through_switch import switch_operations

        for app_label, model_name, name in sorted(self.old_fields & self.new_fields):
            old_name = self._old_field_name(app_label, model_name, name)
            old_field = self._old(app_label, model_name).fields[old_name]
            new = self._new(app_label, model_name)
            new_field = new.fields[name]
            old_sig = field_signature(old_field)
            new_sig = _renames_undone(
                field_signature(new_field), old_sig, app_label, self.renamed_models
            )
            if old_sig == new_sig:
                continue
            switch = switch_operations(self, app_label, model_name, name, old_field, new_field)
            if switch is not None:
                for operation, provides, requires in switch:
                    self._add(app_label, operation, provides, requires)
                continue
            both_m2m = old_field.many_to_many and new_field.many_to_many
            neither_m2m = not old_field.many_to_many and not new_field.many_to_many
            if both_m2m or neither_m2m:
                field = new_field
                preserve_default = True
                old_kwargs, new_kwargs = old_sig[2], new_field.deconstruct()[3]
                if (
                    old_kwargs.get("null")
                    and not new_kwargs.get("null")
                    and "default" not in new_kwargs
                    and "db_default" not in new_kwargs
                    and not new_field.many_to_many
                ):
                    default = self.questioner.ask_not_null_alteration(name, new.name)
                    if default is not None:
                        field = _with_kwargs(new_field, default=default)
                        preserve_default = False
                self._add(
                    app_label,
                    ops.AlterField(model_name, name, field, preserve_default=preserve_default),
                    requires=_relation_requires(new_field, app_label),
                )
            else:
                self._add(app_label, ops.RemoveField(model_name, name))
                self._add(
                    app_label,
                    ops.AddField(model_name, name, new_field),
                    requires=_relation_requires(new_field, app_label),
                )

    def generate_altered_order_with_respect_to(self) -> None:
        for app_label, model_name in sorted(self.kept_keys):
            old, new = self._old(app_label, model_name), self._new(app_label, model_name)
            value = new.options.get("order_with_respect_to")
            if old.options.get("order_with_respect_to") == value:
                continue
            requires: set[Any] = {("model", app_label, model_name)}
            if value:
                requires.add(("field", app_label, model_name, value))
            self._add(app_label, ops.AlterOrderWithRespectTo(model_name, value), requires=requires)

    # ---- options over fields ----------------------------------------------------------------

    def _option_names(self, state: ModelState, key: str) -> dict[str, Any]:
        return {item.name: item for item in state.options.get(key, [])}

    def generate_removed_constraints_and_indexes(self) -> None:
        for app_label, model_name in sorted(self.kept_keys):
            old, new = self._old(app_label, model_name), self._new(app_label, model_name)
            old_indexes = self._option_names(old, "indexes")
            new_indexes = self._option_names(new, "indexes")
            self.renamed_indexes: dict[Key, set[str]] = {}
            for name, index in sorted(old_indexes.items()):
                if name in new_indexes and _deep(new_indexes[name]) == _deep(index):
                    continue
                renamed = [
                    n
                    for n, other in new_indexes.items()
                    if n not in old_indexes
                    and other.fields == index.fields
                    and getattr(other, "condition", None) == getattr(index, "condition", None)
                ]
                if len(renamed) == 1 and name not in new_indexes:
                    self._add(
                        app_label, ops.RenameIndex(model_name, new_name=renamed[0], old_name=name)
                    )
                    self.renamed_indexes.setdefault((app_label, model_name), set()).add(renamed[0])
                    continue
                self._add(
                    app_label,
                    ops.RemoveIndex(model_name, name),
                    provides={("removed_constraint", app_label, model_name)},
                )
            old_constraints = self._option_names(old, "constraints")
            new_constraints = self._option_names(new, "constraints")
            for name, constraint in sorted(old_constraints.items()):
                if name in new_constraints and _deep(new_constraints[name]) == _deep(constraint):
                    continue
                self._add(
                    app_label,
                    ops.RemoveConstraint(model_name, name),
                    provides={("removed_constraint", app_label, model_name)},
                )

    def generate_added_constraints_and_indexes(self) -> None:
        for app_label, model_name in sorted(self.kept_keys):
            old, new = self._old(app_label, model_name), self._new(app_label, model_name)
            old_indexes = self._option_names(old, "indexes")
            renamed = getattr(self, "renamed_indexes", {}).get((app_label, model_name), set())
            fields = {("field", app_label, model_name, n) for n in new.fields}
            for name, index in self._option_names(new, "indexes").items():
                if name in renamed:
                    continue
                if name in old_indexes and _deep(old_indexes[name]) == _deep(index):
                    continue
                self._add(app_label, ops.AddIndex(model_name, index), requires=fields)
            old_constraints = self._option_names(old, "constraints")
            for name, constraint in self._option_names(new, "constraints").items():
                if name in old_constraints and _deep(old_constraints[name]) == _deep(constraint):
                    continue
                self._add(app_label, ops.AddConstraint(model_name, constraint), requires=fields)

    def _altered_unique_together(self) -> list[tuple[str, str, set[Any], set[Any]]]:
        """(app, model, old value, new value) of the models whose unique_together changed,
        the old value written with the renamed fields' new names."""
        altered = []
        for app_label, model_name in sorted(self.kept_keys):
            old, new = self._old(app_label, model_name), self._new(app_label, model_name)
            old_value = {
                tuple(self.renamed_fields_for(app_label, model_name).get(n, n) for n in fields)
                for fields in old.options.get("unique_together") or set()
            }
            new_value = set(new.options.get("unique_together") or set())
            if old_value != new_value:
                altered.append((app_label, model_name, old_value, new_value))
        return altered

    def generate_removed_altered_unique_together(self) -> None:
        """First the sets that stay, before fields are removed or added (Django's two steps)."""
        for app_label, model_name, old_value, new_value in self._altered_unique_together():
            if old_value:
                self._add(
                    app_label,
                    ops.AlterUniqueTogether(model_name, new_value & old_value),
                    provides={("removed_constraint", app_label, model_name)},
                )

    def generate_altered_unique_together(self) -> None:
        for app_label, model_name, old_value, new_value in self._altered_unique_together():
            if new_value != new_value & old_value:
                # As Django's: ordered after the models its relation fields point at; the
                # fields it names are added earlier in the written order.
                fields = self._new(app_label, model_name).fields
                requires = set()
                for name in {n for names in new_value for n in names}:
                    requires |= _relation_requires(fields[name], app_label)
                self._add(
                    app_label, ops.AlterUniqueTogether(model_name, new_value), requires=requires
                )

    def renamed_fields_for(self, app_label: str, model_name: str) -> dict[str, str]:
        """{old name: new name} of the fields renamed on one model."""
        return {
            old: new
            for (app, model, new), old in self.renamed_fields.items()
            if (app, model) == (app_label, model_name)
        }

    # ---- ordering, migrations, names ------------------------------------------------------

    def _build_migrations(self) -> dict[str, list[Any]]:
        return cut_into_migrations(self.generated, self.to_state_app_labels())

    def to_state_app_labels(self) -> set[str]:
        return {key[0] for key in self.to_state.models}

    def arrange_for_graph(
        self, changes: dict[str, list[Any]], graph: Any, migration_name: str | None = None
    ) -> dict[str, list[Any]]:
        """Number and name the new migrations after each app's latest; drop the apps that
        should not get an initial migration."""
        leaves = graph.leaf_nodes() if graph is not None else []
        name_map: dict[tuple[str, str], tuple[str, str]] = {}
        for app_label, migrations in list(changes.items()):
            app_leaf = next((leaf for leaf in leaves if leaf[0] == app_label), None)
            if app_leaf is None and not self.questioner.ask_initial(app_label):
                del changes[app_label]
                continue
            if app_leaf is None:
                number = 1
            else:
                number = (self.parse_number(app_leaf[1]) or 0) + 1
            for index, migration in enumerate(migrations):
                if index == 0 and app_leaf:
                    migration.dependencies.append(app_leaf)
                if app_leaf is None:
                    migration.initial = True
                suggested = migration_name or migration.suggest_name()
                new_name = f"{number:04d}_{suggested}"
                name_map[(app_label, migration.name)] = (app_label, new_name)
                migration.name = new_name
                number += 1
        for app_label, migrations in changes.items():
            for migration in migrations:
                fixed = []
                for dep in migration.dependencies:
                    if tuple(dep) in name_map:  # another migration of this run
                        fixed.append(name_map[tuple(dep)])
                        continue
                    if dep[1] == "__first__" and graph is not None:
                        other_leaves = [leaf for leaf in leaves if leaf[0] == dep[0]]
                        if other_leaves:
                            dep = other_leaves[0]
                    fixed.append(tuple(dep))
                migration.dependencies = sorted(set(fixed), key=_dependency_order(app_label))
        return changes

    def _trim_to_apps(
        self, changes: dict[str, list[Any]], app_labels: set[str]
    ) -> dict[str, list[Any]]:
        required = set(app_labels)
        pending = list(app_labels)
        while pending:
            label = pending.pop()
            for migration in changes.get(label, []):
                for dep in migration.dependencies:
                    if dep[0] not in required:
                        required.add(dep[0])
                        pending.append(dep[0])
        return {label: migs for label, migs in changes.items() if label in required}

    @classmethod
    def parse_number(cls, name: str) -> int | None:
        """The number a migration name starts with (0002_x -> 2; squashed: the last one)."""
        import re

        if squashed := re.search(r".*_squashed_(\d+)", name):
            return int(squashed[1])
        match = re.match(r"^\d+", name)
        return int(match[0]) if match else None


def _dependency_order(app_label: str) -> Any:
    def key(dep: tuple[str, str]) -> tuple[int, str, str]:
        return (0 if dep[0] == app_label else 1, dep[0], dep[1])

    return key


def _renames_undone(
    new_sig: tuple[Any, ...], old_sig: tuple[Any, ...], app_label: str, renamed: dict[Key, str]
) -> tuple[Any, ...]:
    """The new field's signature with a renamed model it points at written under its old
    name: RenameModel moves those references, so they are no change of the field."""
    path, args, kwargs = new_sig
    kwargs = dict(kwargs)
    for key in ("to", "through"):
        ref, old_ref = kwargs.get(key), old_sig[2].get(key)
        if not isinstance(ref, str) or not isinstance(old_ref, str):
            continue
        target = resolve_relation(ref, app_label)
        old_name = renamed.get(target)
        if old_name is not None and resolve_relation(old_ref, app_label) == (target[0], old_name):
            kwargs[key] = old_ref
    return (path, args, kwargs)


def _concrete(state: ModelState) -> bool:
    return not state.options.get("proxy") and state.options.get("managed", True) is not False


def _points_at(field: Any, app_label: str, key: Key) -> bool:
    if getattr(field, "remote_field", None) is None:
        return False
    kwargs = field.deconstruct()[3]
    return any(
        ref is not None and resolve_relation(ref, app_label) == key
        for ref in (kwargs.get("to"), kwargs.get("through"))
    )


def _relation_requires(field: Any, app_label: str) -> set[Any]:
    if getattr(field, "remote_field", None) is None:
        return set()
    kwargs = field.deconstruct()[3]
    requires: set[Any] = set()
    for ref in (kwargs.get("to"), kwargs.get("through")):
        if isinstance(ref, str):
            requires.add(("model", *resolve_relation(ref, app_label)))
    to_field = kwargs.get("to_field")
    if to_field and isinstance(kwargs.get("to"), str):
        requires.add(("field", *resolve_relation(kwargs["to"], app_label), to_field))
    return requires


def _with_kwargs(field: Any, **changes: Any) -> Any:
    _, _, args, kwargs = field.deconstruct()
    kwargs.update(changes)
    return type(field)(*args, **kwargs)


def _without_db_column(field: Any) -> Any:
    path, args, kwargs = field_signature(field)
    return (path, args, {k: v for k, v in kwargs.items() if k != "db_column"})
