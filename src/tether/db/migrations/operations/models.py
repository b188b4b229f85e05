"""Model operations: create, delete, rename a model; its table, comment, options, managers,
unique_together, index_together, order_with_respect_to, indexes and constraints.

Each is Django's operation of the same name and arguments; the database work is done by the
schema editor's methods of Django's names (create_model, alter_db_table, add_index, ...).
"""

from __future__ import annotations

from typing import Any

from tether.db.migrations.operations.base import Operation, OperationCategory
from tether.db.migrations.state import ModelState, rebuild_field, resolve_relation


def _check_for_duplicates(arg_name: str, objs: Any) -> None:
    used: set[Any] = set()
    for val in objs:
        if val in used:
            raise ValueError(f"Found duplicate value {val} in CreateModel {arg_name} argument.")
        used.add(val)


class ModelOperation(Operation):
    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def name_lower(self) -> str:
        return self.name.lower()

    def references_model(self, name: str, app_label: str) -> bool:
        return name.lower() == self.name_lower

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        return super().reduce(operation, app_label) or not operation.references_model(
            self.name, app_label
        )

    def _models(self, app_label: str, from_state: Any, to_state: Any) -> tuple[Any, Any]:
        return (
            from_state.apps.get_model(app_label, self.name_lower),
            to_state.apps.get_model(app_label, self.name_lower),
        )


class CreateModel(ModelOperation):
    """Create a model's table (and its automatic many-to-many tables)."""

    category = OperationCategory.ADDITION
    serialization_expand_args = ["fields", "options", "managers"]

    def __init__(
        self,
        name: str,
        fields: list[tuple[str, Any]],
        options: dict[str, Any] | None = None,
        bases: tuple[Any, ...] | None = None,
        managers: list[tuple[str, Any]] | None = None,
    ) -> None:
        self.fields = list(fields)
        self.options = options or {}
        from tether.models import Model

        self.bases = tuple(bases) if bases else (Model,)
        self.managers = list(managers or [])
        super().__init__(name)
        _check_for_duplicates("fields", (name for name, _ in self.fields))
        _check_for_duplicates(
            "bases",
            (
                base._meta.label_lower
                if hasattr(base, "_meta")
                else base.lower()
                if isinstance(base, str)
                else base
                for base in self.bases
            ),
        )
        _check_for_duplicates("managers", (name for name, _ in self.managers))

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        from tether.models import Model

        kwargs: dict[str, Any] = {"name": self.name, "fields": self.fields}
        if self.options:
            kwargs["options"] = self.options
        if self.bases and self.bases != (Model,):
            kwargs["bases"] = self.bases
        if self.managers and self.managers != [("objects", _default_manager())]:
            kwargs["managers"] = self.managers
        return type(self).__name__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.add_model(
            ModelState(
                app_label,
                self.name,
                [(name, rebuild_field(field)) for name, field in self.fields],
                dict(self.options),
                tuple(self.bases),
                list(self.managers),
            )
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.create_model(model)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = from_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.delete_model(model)

    def describe(self) -> str:
        proxy = "proxy " if self.options.get("proxy", False) else ""
        return f"Create {proxy}model {self.name}"

    @property
    def migration_name_fragment(self) -> str:
        return self.name_lower

    def references_model(self, name: str, app_label: str) -> bool:
        name_lower = name.lower()
        if name_lower == self.name_lower:
            return True
        key = (app_label, name_lower)
        for base in self.bases:
            if isinstance(base, str) and resolve_relation(base, app_label) == key:
                return True
        return any(_field_references(field, key, app_label) for _, field in self.fields)

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        from tether.db.migrations.operations.reductions import reduce_create_model

        reduced = reduce_create_model(self, operation, app_label)
        if reduced is not None:
            return reduced
        return super().reduce(operation, app_label)


def _default_manager() -> Any:
    from tether.models import Manager

    return Manager()


def _field_references(field: Any, key: tuple[str, str], app_label: str) -> bool:
    """Does `field` (unbound, from a state) point at model `key` by `to` or `through`?"""
    if getattr(field, "remote_field", None) is None:
        return False
    kwargs = field.deconstruct()[3]
    for reference in (kwargs.get("to"), kwargs.get("through")):
        if reference is not None and resolve_relation(reference, app_label) == key:
            return True
    return False


class DeleteModel(ModelOperation):
    """Drop a model's table (and its automatic many-to-many tables)."""

    category = OperationCategory.REMOVAL

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return type(self).__name__, (), {"name": self.name}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.remove_model(app_label, self.name_lower)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = from_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.delete_model(model)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.create_model(model)

    def references_model(self, name: str, app_label: str) -> bool:
        # The deleted model may be referenced by others: never optimize across it.
        return True

    def describe(self) -> str:
        return f"Delete model {self.name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"delete_{self.name_lower}"


class RenameModel(ModelOperation):
    """Rename a model: its table, the relations pointing at it, its automatic M2M tables."""

    category = OperationCategory.ALTERATION

    def __init__(self, old_name: str, new_name: str) -> None:
        self.old_name = old_name
        self.new_name = new_name
        super().__init__(old_name)

    @property
    def old_name_lower(self) -> str:
        return self.old_name.lower()

    @property
    def new_name_lower(self) -> str:
        return self.new_name.lower()

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return type(self).__name__, (), {"old_name": self.old_name, "new_name": self.new_name}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.rename_model(app_label, self.old_name, self.new_name)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        new_model = to_state.apps.get_model(app_label, self.new_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, new_model):
            return
        old_model = from_state.apps.get_model(app_label, self.old_name)
        schema_editor.alter_db_table(new_model, old_model._meta.db_table, new_model._meta.db_table)
        # Foreign keys pointing at the model: same column, new target table.
        for related in old_model._meta.related_objects:
            if related.field.many_to_many or related.related_model._meta.auto_created:
                continue
            if related.related_model == old_model:
                model = new_model
                related_key = (app_label, self.new_name_lower)
            else:
                model = related.related_model
                related_key = (model._meta.app_label, model._meta.model_name)
            to_field = to_state.apps.get_model(*related_key)._meta.get_field(related.field.name)
            schema_editor.alter_field(model, related.field, to_field)
        # Automatic many-to-many tables: their names and the column naming this model.
        fields = zip(
            old_model._meta.local_many_to_many, new_model._meta.local_many_to_many, strict=True
        )
        for old_field, new_field in fields:
            _rename_m2m_table(schema_editor, old_field, new_field)
            old_through = old_field.remote_field.through
            new_through = new_field.remote_field.through
            if not old_through._meta.auto_created:
                continue
            old_m2m = old_through._meta.get_field(old_model._meta.model_name)
            new_m2m = new_through._meta.get_field(new_model._meta.model_name)
            if old_m2m.column != new_m2m.column:
                schema_editor.alter_field(new_through, old_m2m, new_m2m)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._swap()
        try:
            self.database_forwards(app_label, schema_editor, from_state, to_state)
        finally:
            self._swap()

    def _swap(self) -> None:
        self.old_name, self.new_name = self.new_name, self.old_name

    def references_model(self, name: str, app_label: str) -> bool:
        return name.lower() in (self.old_name_lower, self.new_name_lower)

    def describe(self) -> str:
        return f"Rename model {self.old_name} to {self.new_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"rename_{self.old_name_lower}_{self.new_name_lower}"

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if isinstance(operation, RenameModel) and self.new_name_lower == operation.old_name_lower:
            return [RenameModel(self.old_name, operation.new_name)]
        # Skip ModelOperation.reduce: a rename may be optimized across operations that
        # reference neither the old nor the new name.
        return Operation.reduce(self, operation, app_label) or not (
            operation.references_model(self.old_name, app_label)
            or operation.references_model(self.new_name, app_label)
        )


def _rename_m2m_table(schema_editor: Any, old_field: Any, new_field: Any) -> None:
    old_through = old_field.remote_field.through
    new_through = new_field.remote_field.through
    if old_through._meta.auto_created and old_through._meta.db_table != new_through._meta.db_table:
        schema_editor.alter_db_table(
            new_through, old_through._meta.db_table, new_through._meta.db_table
        )


class ModelOptionOperation(ModelOperation):
    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if (
            isinstance(operation, (type(self), DeleteModel))
            and self.name_lower == operation.name_lower
        ):
            return [operation]
        return super().reduce(operation, app_label)


class AlterModelTable(ModelOptionOperation):
    """Rename a model's table (db_table), and its automatic many-to-many tables."""

    category = OperationCategory.ALTERATION

    def __init__(self, name: str, table: str | None) -> None:
        self.table = table
        super().__init__(name)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return type(self).__name__, (), {"name": self.name, "table": self.table}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.alter_model_options(app_label, self.name_lower, {"db_table": self.table})

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        old_model, new_model = self._models(app_label, from_state, to_state)
        if not self.allow_migrate_model(schema_editor.connection.alias, new_model):
            return
        schema_editor.alter_db_table(new_model, old_model._meta.db_table, new_model._meta.db_table)
        fields = zip(
            old_model._meta.local_many_to_many, new_model._meta.local_many_to_many, strict=True
        )
        for old_field, new_field in fields:
            _rename_m2m_table(schema_editor, old_field, new_field)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        table = self.table if self.table is not None else "(default)"
        return f"Rename table for {self.name} to {table}"

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.name_lower}_table"


class AlterModelTableComment(ModelOptionOperation):
    category = OperationCategory.ALTERATION

    def __init__(self, name: str, table_comment: str | None) -> None:
        self.table_comment = table_comment
        super().__init__(name)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return type(self).__name__, (), {"name": self.name, "table_comment": self.table_comment}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.alter_model_options(
            app_label, self.name_lower, {"db_table_comment": self.table_comment}
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        old_model, new_model = self._models(app_label, from_state, to_state)
        if self.allow_migrate_model(schema_editor.connection.alias, new_model):
            schema_editor.alter_db_table_comment(
                new_model, old_model._meta.db_table_comment, new_model._meta.db_table_comment
            )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Alter {self.name} table comment"

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.name_lower}_table_comment"


class AlterTogetherOptionOperation(ModelOptionOperation):
    option_name = ""

    def __init__(self, name: str, option_value: Any) -> None:
        from tether.models.options import normalize_together

        if option_value:
            option_value = {tuple(item) for item in normalize_together(option_value)}
        setattr(self, self.option_name, option_value)
        super().__init__(name)

    @property
    def option_value(self) -> Any:
        return getattr(self, self.option_name)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {"name": self.name, self.option_name: self.option_value}
        return type(self).__name__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.alter_model_options(app_label, self.name_lower, {self.option_name: self.option_value})

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        old_model, new_model = self._models(app_label, from_state, to_state)
        if not self.allow_migrate_model(schema_editor.connection.alias, new_model):
            return
        old_value = from_state.models[(app_label, self.name_lower)].options.get(
            self.option_name, set()
        )
        new_value = to_state.models[(app_label, self.name_lower)].options.get(
            self.option_name, set()
        )
        getattr(schema_editor, f"alter_{self.option_name}")(
            new_model, old_value or set(), new_value or set()
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def references_field(self, model_name: str, name: str, app_label: str) -> bool:
        return self.references_model(model_name, app_label) and (
            not self.option_value or any(name in fields for fields in self.option_value)
        )

    def describe(self) -> str:
        return (
            f"Alter {self.option_name} for {self.name} "
            f"({len(self.option_value or '')} constraint(s))"
        )

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.name_lower}_{self.option_name}"

    def can_reduce_through(self, operation: Operation, app_label: str) -> bool:
        return super().reduce(operation, app_label) is True or (
            isinstance(operation, AlterTogetherOptionOperation)
            and type(operation) is not type(self)
        )


class AlterUniqueTogether(AlterTogetherOptionOperation):
    """Change Meta.unique_together: the unique constraints over those columns."""

    category = OperationCategory.ALTERATION
    option_name = "unique_together"

    def __init__(self, name: str, unique_together: Any) -> None:
        super().__init__(name, unique_together)


class AlterIndexTogether(AlterTogetherOptionOperation):
    """Change index_together (gone from Django 5.1's models, kept for old migrations)."""

    category = OperationCategory.ALTERATION
    option_name = "index_together"

    def __init__(self, name: str, index_together: Any) -> None:
        super().__init__(name, index_together)


class AlterOrderWithRespectTo(ModelOptionOperation):
    """Set Meta.order_with_respect_to: adds or drops the `_order` column."""

    category = OperationCategory.ALTERATION
    option_name = "order_with_respect_to"

    def __init__(self, name: str, order_with_respect_to: str | None) -> None:
        self.order_with_respect_to = order_with_respect_to
        super().__init__(name)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {"name": self.name, "order_with_respect_to": self.order_with_respect_to}
        return type(self).__name__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.alter_model_options(
            app_label, self.name_lower, {self.option_name: self.order_with_respect_to}
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        old_model, new_model = self._models(app_label, from_state, to_state)
        if not self.allow_migrate_model(schema_editor.connection.alias, new_model):
            return
        had = from_state.models[(app_label, self.name_lower)].options.get(self.option_name)
        has = to_state.models[(app_label, self.name_lower)].options.get(self.option_name)
        if had and not has:
            schema_editor.remove_field(old_model, _order_field(old_model))
        elif has and not had:
            schema_editor.add_field(new_model, _order_field(new_model))

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def references_field(self, model_name: str, name: str, app_label: str) -> bool:
        return self.references_model(model_name, app_label) and (
            self.order_with_respect_to is None or name == self.order_with_respect_to
        )

    def describe(self) -> str:
        return f"Set order_with_respect_to on {self.name} to {self.order_with_respect_to}"

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.name_lower}_order_with_respect_to"


def _order_field(model: Any) -> Any:
    """The `_order` column Django adds for order_with_respect_to."""
    from tether.models import IntegerField

    field = IntegerField(editable=False, default=0)
    field.set_attributes_from_name("_order")
    field.model = model
    return field


class StateOnlyOptionOperation(ModelOptionOperation):
    """A model option that lives in Python only (Meta options, managers): no SQL either way."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        pass

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        pass


class AlterModelOptions(StateOnlyOptionOperation):
    """Change Meta options that do not touch the database (ordering, verbose_name, ...)."""

    category = OperationCategory.ALTERATION
    ALTER_OPTION_KEYS = [
        "base_manager_name",
        "default_manager_name",
        "default_related_name",
        "get_latest_by",
        "managed",
        "ordering",
        "permissions",
        "default_permissions",
        "select_on_save",
        "verbose_name",
        "verbose_name_plural",
    ]

    def __init__(self, name: str, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__(name)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return type(self).__name__, (), {"name": self.name, "options": self.options}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.alter_model_options(app_label, self.name_lower, self.options, self.ALTER_OPTION_KEYS)

    def describe(self) -> str:
        return f"Change Meta options on {self.name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.name_lower}_options"


class AlterModelManagers(StateOnlyOptionOperation):
    category = OperationCategory.ALTERATION
    serialization_expand_args = ["managers"]

    def __init__(self, name: str, managers: list[tuple[str, Any]]) -> None:
        self.managers = managers
        super().__init__(name)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return type(self).__name__, (self.name, self.managers), {}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.models[(app_label, self.name_lower)].managers = list(self.managers)
        state.reload()

    def describe(self) -> str:
        return f"Change managers on {self.name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.name_lower}_managers"


class IndexOperation(Operation):
    option_name = "indexes"

    @property
    def model_name_lower(self) -> str:
        return self.model_name.lower()  # type: ignore[attr-defined,no-any-return]

    def references_model(self, name: str, app_label: str) -> bool:
        return name.lower() == self.model_name_lower


class AddIndex(IndexOperation):
    """Create an index declared in Meta.indexes."""

    category = OperationCategory.ADDITION

    def __init__(self, model_name: str, index: Any) -> None:
        self.model_name = model_name
        if not index.name:
            raise ValueError(
                "Indexes passed to AddIndex operations require a name argument. "
                f"{index!r} doesn't have one."
            )
        self.index = index

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return type(self).__name__, (), {"model_name": self.model_name, "index": self.index}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.add_option_item(app_label, self.model_name_lower, "indexes", self.index.clone())

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index)

    def describe(self) -> str:
        return (
            f"Create index {self.index.name} on field(s) {', '.join(self.index.fields)} of "
            f"model {self.model_name}"
        )

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name_lower}_{self.index.name.lower()}"

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if isinstance(operation, RemoveIndex) and self.index.name == operation.name:
            return []
        if isinstance(operation, RenameIndex) and self.index.name == operation.old_name:
            index = self.index.clone()
            index.name = operation.new_name
            return [AddIndex(self.model_name, index)]
        return super().reduce(operation, app_label)


class RemoveIndex(IndexOperation):
    category = OperationCategory.REMOVAL

    def __init__(self, model_name: str, name: str) -> None:
        self.model_name = model_name
        self.name = name

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return type(self).__name__, (), {"model_name": self.model_name, "name": self.name}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.remove_option_item(app_label, self.model_name_lower, "indexes", self.name)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            index = from_state.models[(app_label, self.model_name_lower)].get_index_by_name(
                self.name
            )
            schema_editor.remove_index(model, index)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            index = to_state.models[(app_label, self.model_name_lower)].get_index_by_name(self.name)
            schema_editor.add_index(model, index)

    def describe(self) -> str:
        return f"Remove index {self.name} from {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"remove_{self.model_name_lower}_{self.name.lower()}"


class RenameIndex(IndexOperation):
    """Rename an index (named, or unnamed from old_fields)."""

    category = OperationCategory.ALTERATION

    def __init__(
        self,
        model_name: str,
        new_name: str,
        old_name: str | None = None,
        old_fields: Any = None,
    ) -> None:
        if not old_name and not old_fields:
            raise ValueError(
                "RenameIndex requires one of old_name and old_fields arguments to be set."
            )
        if old_name and old_fields:
            raise ValueError("RenameIndex.old_name and old_fields are mutually exclusive.")
        self.model_name = model_name
        self.new_name = new_name
        self.old_name = old_name
        self.old_fields = old_fields

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs: dict[str, Any] = {"model_name": self.model_name, "new_name": self.new_name}
        if self.old_name:
            kwargs["old_name"] = self.old_name
        if self.old_fields:
            kwargs["old_fields"] = self.old_fields
        return type(self).__name__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        from tether.models import Index

        model_state = state.models[(app_label, self.model_name_lower)]
        if self.old_fields:
            model_state.options["indexes"] = [
                *model_state.options["indexes"],
                Index(fields=list(self.old_fields), name=self.new_name),
            ]
            together = model_state.options.get("index_together") or set()
            model_state.options["index_together"] = {
                fields for fields in together if tuple(fields) != tuple(self.old_fields)
            }
        else:
            # A renamed copy: the index object may be the one a CreateModel of the migration
            # file holds, which later states are built from again.
            renamed = []
            for index in model_state.options["indexes"]:
                if index.name == self.old_name:
                    index = index.clone()
                    index.name = self.new_name
                renamed.append(index)
            model_state.options["indexes"] = renamed
        state.reload()

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        new_index = to_state.models[(app_label, self.model_name_lower)].get_index_by_name(
            self.new_name
        )
        if self.old_fields:
            old_index = _unnamed_index(schema_editor, from_state, app_label, self)
        else:
            old_index = from_state.models[(app_label, self.model_name_lower)].get_index_by_name(
                self.old_name
            )
        schema_editor.rename_index(model, old_index, new_index)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if self.old_fields:
            return  # an unnamed index cannot get its name back; Django does nothing either
        self.new_name, self.old_name = self.old_name, self.new_name  # type: ignore[assignment]
        try:
            self.database_forwards(app_label, schema_editor, from_state, to_state)
        finally:
            self.new_name, self.old_name = self.old_name, self.new_name  # type: ignore[assignment]

    def describe(self) -> str:
        if self.old_name:
            return f"Rename index {self.old_name} on {self.model_name} to {self.new_name}"
        return f"Rename unnamed index for {self.old_fields} on {self.model_name} to {self.new_name}"

    @property
    def migration_name_fragment(self) -> str:
        if self.old_name:
            return f"rename_{self.old_name.lower()}_{self.new_name.lower()}"
        return "rename_{}_{}_{}".format(
            self.model_name_lower, "_".join(self.old_fields), self.new_name.lower()
        )

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if (
            isinstance(operation, RenameIndex)
            and self.model_name_lower == operation.model_name_lower
            and operation.old_name
            and self.new_name.lower() == operation.old_name.lower()
        ):
            return [
                RenameIndex(
                    self.model_name,
                    new_name=operation.new_name,
                    old_name=self.old_name,
                    old_fields=self.old_fields,
                )
            ]
        return super().reduce(operation, app_label)


def _unnamed_index(schema_editor: Any, from_state: Any, app_label: str, op: RenameIndex) -> Any:
    """The index the database has on `op.old_fields`, found by introspection (Django's way)."""
    from tether.models import Index

    from_model = from_state.apps.get_model(app_label, op.model_name)
    columns = [from_model._meta.get_field(name).column for name in op.old_fields]
    names = schema_editor._constraint_names(from_model, column_names=columns, index=True)
    if len(names) != 1:
        raise ValueError(
            f"Found wrong number ({len(names)}) of indexes for "
            f"{from_model._meta.db_table}({', '.join(columns)})."
        )
    return Index(fields=list(op.old_fields), name=names[0])


class AddConstraint(IndexOperation):
    category = OperationCategory.ADDITION
    option_name = "constraints"

    def __init__(self, model_name: str, constraint: Any) -> None:
        self.model_name = model_name
        self.constraint = constraint

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {"model_name": self.model_name, "constraint": self.constraint}
        return type(self).__name__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.add_option_item(app_label, self.model_name_lower, "constraints", self.constraint)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_constraint(model, self.constraint)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_constraint(model, self.constraint)

    def describe(self) -> str:
        return f"Create constraint {self.constraint.name} on model {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name_lower}_{self.constraint.name.lower()}"

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if (
            isinstance(operation, RemoveConstraint)
            and self.model_name_lower == operation.model_name_lower
            and self.constraint.name == operation.name
        ):
            return []
        return super().reduce(operation, app_label)


class RemoveConstraint(IndexOperation):
    category = OperationCategory.REMOVAL
    option_name = "constraints"

    def __init__(self, model_name: str, name: str) -> None:
        self.model_name = model_name
        self.name = name

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return type(self).__name__, (), {"model_name": self.model_name, "name": self.name}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.remove_option_item(app_label, self.model_name_lower, "constraints", self.name)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            constraint = from_state.models[
                (app_label, self.model_name_lower)
            ].get_constraint_by_name(self.name)
            schema_editor.remove_constraint(model, constraint)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            constraint = to_state.models[(app_label, self.model_name_lower)].get_constraint_by_name(
                self.name
            )
            schema_editor.add_constraint(model, constraint)

    def describe(self) -> str:
        return f"Remove constraint {self.name} from model {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"remove_{self.model_name_lower}_{self.name.lower()}"
