"""Field operations: AddField, RemoveField, AlterField, RenameField, as Django's.

The database side calls the schema editor's add_field, remove_field and alter_field with the
historical models of the states before and after the operation (a rename is an alter_field whose
two fields differ by name and column).
"""

from __future__ import annotations

from typing import Any

from tether.db.migrations.operations.base import Operation, OperationCategory
from tether.db.migrations.state import resolve_relation


class FieldOperation(Operation):
    def __init__(self, model_name: str, name: str, field: Any = None) -> None:
        self.model_name = model_name
        self.name = name
        self.field = field

    @property
    def model_name_lower(self) -> str:
        return self.model_name.lower()

    @property
    def name_lower(self) -> str:
        return self.name.lower()

    def is_same_model_operation(self, operation: Any) -> bool:
        return self.model_name_lower == getattr(operation, "model_name_lower", None)

    def is_same_field_operation(self, operation: Any) -> bool:
        return self.is_same_model_operation(operation) and self.name_lower == getattr(
            operation, "name_lower", None
        )

    def references_model(self, name: str, app_label: str) -> bool:
        name_lower = name.lower()
        if name_lower == self.model_name_lower:
            return True
        if self.field is not None and getattr(self.field, "remote_field", None) is not None:
            kwargs = self.field.deconstruct()[3]
            for reference in (kwargs.get("to"), kwargs.get("through")):
                if reference is not None and resolve_relation(reference, app_label) == (
                    app_label,
                    name_lower,
                ):
                    return True
        return False

    def references_field(self, model_name: str, name: str, app_label: str) -> bool:
        model_name_lower = model_name.lower()
        if model_name_lower == self.model_name_lower:
            if name.lower() == self.name_lower:
                return True
            if self.field is not None and getattr(self.field, "remote_field", None) is not None:
                kwargs = self.field.deconstruct()[3]
                return name == kwargs.get("to_field")
            return False
        if self.field is not None and getattr(self.field, "remote_field", None) is not None:
            kwargs = self.field.deconstruct()[3]
            to = kwargs.get("to")
            if to is not None and resolve_relation(to, app_label) == (app_label, model_name_lower):
                to_field = kwargs.get("to_field")
                return to_field is None or to_field == name
        return False

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        return super().reduce(operation, app_label) or not operation.references_field(
            self.model_name, self.name, app_label
        )


class _TemporaryDefault:
    """A rendered field given the operation's one-off default for the time of one schema
    editor call (preserve_default=False), as Django's AddField/AlterField do."""

    def __init__(self, field: Any, default: Any, active: bool) -> None:
        self.field, self.default, self.active = field, default, active

    def __enter__(self) -> Any:
        if self.active:
            self.saved, self.field.default = self.field.default, self.default
        return self.field

    def __exit__(self, *exc: Any) -> None:
        if self.active:
            self.field.default = self.saved


class _FieldWithDefault(FieldOperation):
    """AddField and AlterField: a field, and preserve_default=False for a one-off default
    used to fill existing rows and then left out of the state."""

    def __init__(self, model_name: str, name: str, field: Any, preserve_default: bool = True):
        self.preserve_default = preserve_default
        super().__init__(model_name, name, field)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "model_name": self.model_name,
            "name": self.name,
            "field": self.field,
        }
        if self.preserve_default is not True:
            kwargs["preserve_default"] = self.preserve_default
        return type(self).__name__, (), kwargs

    def state_field(self) -> Any:
        """The field as the state keeps it (without a default that was not to be kept)."""
        if self.preserve_default:
            return self.field
        from tether.db.migrations.state import _field_with
        from tether.models.fields import NOT_PROVIDED

        return _field_with(self.field, default=NOT_PROVIDED)


class AddField(_FieldWithDefault):
    """Add a column (or, for a many-to-many field, its join table)."""

    category = OperationCategory.ADDITION

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.add_field(app_label, self.model_name_lower, self.name, self.state_field())

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, to_model):
            return
        from_model = from_state.apps.get_model(app_label, self.model_name)
        field = to_model._meta.get_field(self.name)
        with _TemporaryDefault(field, self.field.default, not self.preserve_default):
            schema_editor.add_field(from_model, field)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        from_model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, from_model):
            schema_editor.remove_field(from_model, from_model._meta.get_field(self.name))

    def describe(self) -> str:
        return f"Add field {self.name} to {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name_lower}_{self.name_lower}"

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if isinstance(operation, FieldOperation) and self.is_same_field_operation(operation):
            if isinstance(operation, AlterField):
                return [AddField(self.model_name, operation.name, operation.field)]
            if isinstance(operation, RemoveField):
                return []
            if isinstance(operation, RenameField):
                return [AddField(self.model_name, operation.new_name, self.field)]
        return super().reduce(operation, app_label)


class RemoveField(FieldOperation):
    """Drop a column (or a many-to-many field's join table)."""

    category = OperationCategory.REMOVAL

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return type(self).__name__, (), {"model_name": self.model_name, "name": self.name}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.remove_field(app_label, self.model_name_lower, self.name)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        from_model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, from_model):
            schema_editor.remove_field(from_model, from_model._meta.get_field(self.name))

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, to_model):
            from_model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.add_field(from_model, to_model._meta.get_field(self.name))

    def describe(self) -> str:
        return f"Remove field {self.name} from {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"remove_{self.model_name_lower}_{self.name_lower}"

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        from tether.db.migrations.operations.models import DeleteModel

        if isinstance(operation, DeleteModel) and operation.name_lower == self.model_name_lower:
            return [operation]
        return super().reduce(operation, app_label)


class AlterField(_FieldWithDefault):
    """Change a column's type, nullability, default, uniqueness, index or relation."""

    category = OperationCategory.ALTERATION

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.alter_field(app_label, self.model_name_lower, self.name, self.state_field())

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, to_model):
            return
        from_model = from_state.apps.get_model(app_label, self.model_name)
        from_field = from_model._meta.get_field(self.name)
        to_field = to_model._meta.get_field(self.name)
        with _TemporaryDefault(to_field, self.field.default, not self.preserve_default):
            schema_editor.alter_field(from_model, from_field, to_field)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Alter field {self.name} on {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.model_name_lower}_{self.name_lower}"

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if isinstance(operation, (AlterField, RemoveField)) and self.is_same_field_operation(
            operation
        ):
            return [operation]
        if (
            isinstance(operation, RenameField)
            and self.is_same_field_operation(operation)
            and self.field.db_column is None
        ):
            return [operation, AlterField(self.model_name, operation.new_name, self.field)]
        return super().reduce(operation, app_label)


class RenameField(FieldOperation):
    """Rename a field: its column, and the references to it."""

    category = OperationCategory.ALTERATION

    def __init__(self, model_name: str, old_name: str, new_name: str) -> None:
        self.old_name = old_name
        self.new_name = new_name
        super().__init__(model_name, old_name)

    @property
    def old_name_lower(self) -> str:
        return self.old_name.lower()

    @property
    def new_name_lower(self) -> str:
        return self.new_name.lower()

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {
            "model_name": self.model_name,
            "old_name": self.old_name,
            "new_name": self.new_name,
        }
        return type(self).__name__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.rename_field(app_label, self.model_name_lower, self.old_name, self.new_name)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, to_model):
            from_model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.alter_field(
                from_model,
                from_model._meta.get_field(self.old_name),
                to_model._meta.get_field(self.new_name),
            )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        to_model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, to_model):
            from_model = from_state.apps.get_model(app_label, self.model_name)
            schema_editor.alter_field(
                from_model,
                from_model._meta.get_field(self.new_name),
                to_model._meta.get_field(self.old_name),
            )

    def describe(self) -> str:
        return f"Rename field {self.old_name} on {self.model_name} to {self.new_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"rename_{self.old_name_lower}_{self.model_name_lower}_{self.new_name_lower}"

    def references_field(self, model_name: str, name: str, app_label: str) -> bool:
        return self.references_model(model_name, app_label) and name.lower() in (
            self.old_name_lower,
            self.new_name_lower,
        )

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if (
            isinstance(operation, RenameField)
            and self.is_same_model_operation(operation)
            and self.new_name_lower == operation.old_name_lower
        ):
            return [RenameField(self.model_name, self.old_name, operation.new_name)]
        # Not FieldOperation.reduce: a rename is optimized across operations that reference
        # neither its old nor its new name.
        return Operation.reduce(self, operation, app_label) or not (
            operation.references_field(self.model_name, self.old_name, app_label)
            or operation.references_field(self.model_name, self.new_name, app_label)
        )
