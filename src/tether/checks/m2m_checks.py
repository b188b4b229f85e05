"""Many-to-many checks (fields.E331-E340): the through model is installed, has the foreign
keys the relation needs, `through_fields` names them, and the automatic table does not clash.
Django 5.2's ids, messages and hints; reads _meta only.
"""

from __future__ import annotations

from typing import Any

from tether.checks.messages import CheckMessage, Error, Warning


def _fk_models(through: Any) -> list[Any]:
    return [
        getattr(f.remote_field, "model", None)
        for f in through._meta.fields
        if getattr(f, "remote_field", None) is not None
    ]


def check_through(field: Any) -> list[CheckMessage]:
    through = field.remote_field.through
    from_model = field.model
    if hasattr(through, "_meta"):
        qualified = f"{through._meta.app_label}.{through.__name__}"
    else:
        qualified = ".".join(through) if isinstance(through, tuple) else str(through)
    installed = from_model._meta.apps.get_models(include_auto_created=True)
    if not hasattr(through, "_meta") or through not in installed:
        return [
            Error(
                f"Field specifies a many-to-many relation through model '{qualified}', which has "
                "not been installed.",
                obj=field,
                id="fields.E331",
            )
        ]
    errors: list[CheckMessage] = []
    to_model = field.remote_field.model
    through_fields = field.remote_field.through_fields
    if not hasattr(to_model, "_meta"):
        return errors
    from_name, to_name = from_model._meta.object_name, to_model._meta.object_name
    through_name = through._meta.object_name
    if not through._meta.auto_created and not through_fields:
        errors += _count_keys(
            field, through, from_model, to_model, from_name, to_name, through_name
        )
    if through_fields is not None:
        errors += _check_through_fields(field, through, qualified, from_model, to_model)
    return errors


def _count_keys(
    field: Any,
    through: Any,
    from_model: Any,
    to_model: Any,
    from_name: str,
    to_name: str,
    through_name: str,
) -> list[CheckMessage]:
    models = _fk_models(through)
    hint = (
        "If you want to create a recursive relationship, use "
        f'ManyToManyField("self", through="{through_name}").'
    )
    if from_model is to_model:
        if models.count(from_model) > 2:
            return [
                Error(
                    f"The model is used as an intermediate model by '{field}', but it has more "
                    f"than two foreign keys to '{from_name}', which is ambiguous. You must specify "
                    "which two foreign keys Django should use via the through_fields keyword "
                    "argument.",
                    hint="Use through_fields to specify which two foreign keys Django should use.",
                    obj=through,
                    id="fields.E333",
                )
            ]
        return []
    errors: list[CheckMessage] = []
    seen_from, seen_to = models.count(from_model), models.count(to_model)
    if seen_from > 1:
        errors.append(
            Error(
                f"The model is used as an intermediate model by '{field}', but it has more than "
                f"one foreign key from '{from_name}', which is ambiguous. You must specify which "
                "foreign key Django should use via the through_fields keyword argument.",
                hint=hint,
                obj=field,
                id="fields.E334",
            )
        )
    if seen_to > 1:
        errors.append(
            Error(
                f"The model is used as an intermediate model by '{field}', but it has more than "
                f"one foreign key to '{to_name}', which is ambiguous. You must specify which "
                "foreign key Django should use via the through_fields keyword argument.",
                hint=hint,
                obj=field,
                id="fields.E335",
            )
        )
    if seen_from == 0 or seen_to == 0:
        errors.append(
            Error(
                f"The model is used as an intermediate model by '{field}', but it does not have "
                f"a foreign key to '{from_name}' or '{to_name}'.",
                obj=through,
                id="fields.E336",
            )
        )
    return errors


def _check_through_fields(
    field: Any, through: Any, qualified: str, source: Any, target: Any
) -> list[CheckMessage]:
    names = field.remote_field.through_fields
    if not (len(names) >= 2 and names[0] and names[1]):
        return [
            Error(
                "Field specifies 'through_fields' but does not provide the names of the two link "
                f"fields that should be used for the relation through model '{qualified}'.",
                hint=(
                    "Make sure you specify 'through_fields' as through_fields=('field1', 'field2')"
                ),
                obj=field,
                id="fields.E337",
            )
        ]
    errors: list[CheckMessage] = []
    by_name = {f.name: f for f in through._meta.fields}
    for name, model in ((names[0], source), (names[1], target)):
        possible = [
            f.name
            for f in through._meta.fields
            if getattr(getattr(f, "remote_field", None), "model", None) == model
        ]
        hint = (
            f"Did you mean one of the following foreign keys to '{model._meta.object_name}': "
            f"{', '.join(possible)}?"
            if possible
            else None
        )
        found = by_name.get(name)
        if found is None:
            errors.append(
                Error(
                    f"The intermediary model '{qualified}' has no field '{name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E338",
                )
            )
        elif getattr(getattr(found, "remote_field", None), "model", None) != model:
            errors.append(
                Error(
                    f"'{through._meta.object_name}.{name}' is not a foreign key to "
                    f"'{model._meta.object_name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E339",
                )
            )
    return errors


def check_table_uniqueness(field: Any) -> list[CheckMessage]:
    through = field.remote_field.through
    if not hasattr(through, "_meta") or not through._meta.managed:
        return []
    apps = field.model._meta.apps
    tables = {
        model._meta.db_table: model
        for model in apps.get_models(include_auto_created=True)
        if model is not through and model._meta.managed
    }
    table = through._meta.db_table
    clash = tables.get(table)
    if clash is None or clash._meta.concrete_model is through._meta.concrete_model:
        return []
    if clash._meta.auto_created:
        owner = clash._meta.auto_created
        name = next(
            (f.name for f in owner._meta.many_to_many if f.remote_field.through is clash), "?"
        )
        clashing = f"{owner._meta.label}.{name}"
    else:
        clashing = clash._meta.label
    return [
        Error(
            f"The field's intermediary table '{table}' clashes with the table name of "
            f"'{clashing}'.",
            obj=field,
            id="fields.E340",
        )
    ]


def check_ignored_options(field: Any) -> list[CheckMessage]:
    """Options a ManyToManyField accepts and ignores (fields.W340, W341, W345, W346)."""
    warnings: list[CheckMessage] = []
    if getattr(field, "has_null_arg", False):
        warnings.append(
            Warning("null has no effect on ManyToManyField.", obj=field, id="fields.W340")
        )
    if getattr(field, "_validators", None):
        warnings.append(
            Warning("ManyToManyField does not support validators.", obj=field, id="fields.W341")
        )
    if field.remote_field.symmetrical and getattr(field, "_related_name", None):
        warnings.append(
            Warning(
                "related_name has no effect on ManyToManyField with a symmetrical "
                'relationship, e.g. to "self".',
                obj=field,
                id="fields.W345",
            )
        )
    if getattr(field, "db_comment", None):
        warnings.append(
            Warning("db_comment has no effect on ManyToManyField.", obj=field, id="fields.W346")
        )
    return warnings
