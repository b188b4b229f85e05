"""How CreateModel absorbs the operations that follow it on the same model (the optimizer's
main rule, Django's CreateModel.reduce): a later AddField, AlterField, RemoveField,
RenameField, option change, index or constraint becomes part of the CreateModel."""

from __future__ import annotations

from typing import Any

from tether.db.migrations.operations import fields as f
from tether.db.migrations.operations import models as m


def _replace(create: Any, **changes: Any) -> Any:
    kwargs = {
        "name": create.name,
        "fields": create.fields,
        "options": create.options,
        "bases": create.bases,
        "managers": create.managers,
        **changes,
    }
    return m.CreateModel(**kwargs)


def reduce_create_model(create: Any, operation: Any, app_label: str) -> list[Any] | None:
    """The operations `create` and a later `operation` become, or None for the general rule."""
    name = create.name_lower
    if isinstance(operation, m.DeleteModel) and operation.name_lower == name:
        if not create.options.get("proxy", False):
            return []
        return None
    if isinstance(operation, m.RenameModel) and operation.old_name_lower == name:
        return [_replace(create, name=operation.new_name)]
    if isinstance(operation, m.AlterModelOptions) and operation.name_lower == name:
        options = {**create.options, **operation.options}
        for key in operation.ALTER_OPTION_KEYS:
            if key not in operation.options:
                options.pop(key, None)
        return [_replace(create, options=options)]
    if isinstance(operation, m.AlterModelManagers) and operation.name_lower == name:
        return [_replace(create, managers=operation.managers)]
    if isinstance(operation, m.AlterModelTable) and operation.name_lower == name:
        return [_replace(create, options={**create.options, "db_table": operation.table})]
    if isinstance(operation, m.AlterModelTableComment) and operation.name_lower == name:
        options = {**create.options, "db_table_comment": operation.table_comment}
        return [_replace(create, options=options)]
    if isinstance(operation, m.AlterTogetherOptionOperation) and operation.name_lower == name:
        options = {**create.options, operation.option_name: operation.option_value}
        return [_replace(create, options=options)]
    if isinstance(operation, m.AlterOrderWithRespectTo) and operation.name_lower == name:
        options = {**create.options, "order_with_respect_to": operation.order_with_respect_to}
        return [_replace(create, options=options)]
    if isinstance(operation, m.AddIndex) and operation.model_name_lower == name:
        options = {
            **create.options,
            "indexes": [*create.options.get("indexes", []), operation.index],
        }
        return [_replace(create, options=options)]
    if isinstance(operation, m.RemoveIndex) and operation.model_name_lower == name:
        indexes = [i for i in create.options.get("indexes", []) if i.name != operation.name]
        return [_replace(create, options={**create.options, "indexes": indexes})]
    if isinstance(operation, m.AddConstraint) and operation.model_name_lower == name:
        constraints = [*create.options.get("constraints", []), operation.constraint]
        return [_replace(create, options={**create.options, "constraints": constraints})]
    if isinstance(operation, m.RemoveConstraint) and operation.model_name_lower == name:
        constraints = [c for c in create.options.get("constraints", []) if c.name != operation.name]
        return [_replace(create, options={**create.options, "constraints": constraints})]
    if isinstance(operation, f.FieldOperation) and operation.model_name_lower == name:
        return _reduce_field_operation(create, operation)
    return None


def _reduce_field_operation(create: Any, operation: Any) -> list[Any] | None:
    if isinstance(operation, f.AddField):
        return [_replace(create, fields=[*create.fields, (operation.name, operation.field)])]
    if isinstance(operation, f.AlterField):
        fields = [
            (n, operation.field if n.lower() == operation.name_lower else v)
            for n, v in create.fields
        ]
        return [_replace(create, fields=fields)]
    if isinstance(operation, f.RemoveField):
        options = dict(create.options)
        for key in ("unique_together", "index_together"):
            if options.get(key):
                kept = {
                    tuple(n for n in fields if n.lower() != operation.name_lower)
                    for fields in options[key]
                }
                kept = {fields for fields in kept if len(fields) > 1}
                if kept:
                    options[key] = kept
                else:
                    del options[key]
        if (options.get("order_with_respect_to") or "").lower() == operation.name_lower:
            del options["order_with_respect_to"]
        fields = [(n, v) for n, v in create.fields if n.lower() != operation.name_lower]
        return [_replace(create, fields=fields, options=options)]
    if isinstance(operation, f.RenameField):
        options = dict(create.options)
        for key in ("unique_together", "index_together"):
            if options.get(key):
                options[key] = {
                    tuple(operation.new_name if n == operation.old_name else n for n in fields)
                    for fields in options[key]
                }
        if options.get("order_with_respect_to") == operation.old_name:
            options["order_with_respect_to"] = operation.new_name
        fields = [
            (operation.new_name if n == operation.old_name else n, v) for n, v in create.fields
        ]
        return [_replace(create, fields=fields, options=options)]
    return None
