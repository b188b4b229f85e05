"""Field checks (fields.E0xx-E3xx): names, choices, lengths and digits, relations and their
reverse accessors, on_delete and many-to-many through models, with Django 5.2's ids, messages
and hints. Each function takes one field and returns a list of messages; `check_field` runs
those that apply. This module reads fields and _meta only; it never touches a database.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterable
from typing import Any

from tether.checks.messages import CheckMessage, Error, Warning
from tether.exceptions import FieldDoesNotExist

LOOKUP_SEP = "__"


def check_field(field: Any) -> list[CheckMessage]:
    if getattr(field, "generated", False):
        return [*_check_name(field), *_check_output_field(field)]
    errors = [*_check_name(field), *_check_choices(field), *_check_db_index(field)]
    internal = field.get_internal_type() if hasattr(field, "get_internal_type") else ""
    if internal in ("CharField", "SlugField", "EmailField", "URLField") or (
        type(field).__name__ == "CharField"
    ):
        errors += _check_max_length(field)
    if internal == "DecimalField":
        errors += _check_decimal(field)
    if getattr(field, "remote_field", None) is not None and getattr(field, "is_relation", False):
        errors += check_related(field)
    return errors


# ---- plain fields --------------------------------------------------------------------------


def _check_output_field(field: Any) -> list[CheckMessage]:
    """A GeneratedField's output_field checked as a field of its own, its messages gathered
    into one (fields.E223 / W224), as Django reports them."""
    found = check_field(field.output_field)
    messages: list[CheckMessage] = []
    for kind, word, message_id in (
        (Error, "errors", "fields.E223"),
        (Warning, "warnings", "fields.W224"),
    ):
        lines = [f"{m.msg} ({m.id})" for m in found if type(m) is kind]
        if lines:
            text = "\n    ".join(lines)
            messages.append(
                kind(
                    f"GeneratedField.output_field has {word}:\n    {text}", obj=field, id=message_id
                )
            )
    return messages


def _check_name(field: Any) -> list[CheckMessage]:
    name = field.name
    if name.endswith("_"):
        return [Error("Field names must not end with an underscore.", obj=field, id="fields.E001")]
    if LOOKUP_SEP in name:
        return [Error(f'Field names must not contain "{LOOKUP_SEP}".', obj=field, id="fields.E002")]
    if name == "pk":
        return [
            Error(
                "'pk' is a reserved word that cannot be used as a field name.",
                obj=field,
                id="fields.E003",
            )
        ]
    return []


def _check_choices(field: Any) -> list[CheckMessage]:
    given = getattr(field, "_choices_given", field.choices)
    choices = field.choices
    if isinstance(given, str) or (given is not None and not isinstance(given, Iterable)):
        if not given:
            return []  # an empty string, like empty choices, is no choice at all
        return [
            Error(
                "'choices' must be a mapping (e.g. a dictionary) or an iterable (e.g. a list "
                "or tuple).",
                obj=field,
                id="fields.E004",
            )
        ]
    if not choices:
        return []
    for entry in choices:
        if not _is_pair(entry):
            break
        value, label = entry
        if isinstance(label, list | tuple) and not isinstance(label, str):
            # A named group: (group name, [(value, label), ...]).
            if not all(_is_pair(option) and _is_value(option[0]) for option in label):
                break
        elif not _is_value(value):
            break
    else:
        return []
    return [
        Error(
            "'choices' must be a mapping of actual values to human readable names or an "
            "iterable containing (actual value, human readable name) tuples.",
            obj=field,
            id="fields.E005",
        )
    ]


def _is_pair(entry: Any) -> bool:
    return isinstance(entry, list | tuple) and not isinstance(entry, str) and len(entry) == 2


def _is_value(value: Any) -> bool:
    return isinstance(value, str) or not isinstance(value, list | tuple | set | dict)


def _check_db_index(field: Any) -> list[CheckMessage]:
    if getattr(field, "db_index", None) not in (None, True, False):
        return [Error("'db_index' must be None, True or False.", obj=field, id="fields.E006")]
    return []


def _check_max_length(field: Any) -> list[CheckMessage]:
    max_length = field.max_length
    if max_length is None:
        return [
            Error("CharFields must define a 'max_length' attribute.", obj=field, id="fields.E120")
        ]
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length <= 0:
        return [Error("'max_length' must be a positive integer.", obj=field, id="fields.E121")]
    return []


def _check_decimal(field: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    places, digits = field.decimal_places, field.max_digits
    places_ok = digits_ok = False
    if places is None:
        errors.append(
            Error(
                "DecimalFields must define a 'decimal_places' attribute.",
                obj=field,
                id="fields.E130",
            )
        )
    elif not isinstance(places, int) or isinstance(places, bool) or places < 0:
        errors.append(
            Error("'decimal_places' must be a non-negative integer.", obj=field, id="fields.E131")
        )
    else:
        places_ok = True
    if digits is None:
        errors.append(
            Error(
                "DecimalFields must define a 'max_digits' attribute.", obj=field, id="fields.E132"
            )
        )
    elif not isinstance(digits, int) or isinstance(digits, bool) or digits <= 0:
        errors.append(
            Error("'max_digits' must be a positive integer.", obj=field, id="fields.E133")
        )
    else:
        digits_ok = True
    if places_ok and digits_ok and places > digits:
        errors.append(
            Error(
                "'max_digits' must be greater or equal to 'decimal_places'.",
                obj=field,
                id="fields.E134",
            )
        )
    return errors


# ---- relations -----------------------------------------------------------------------------


def check_related(field: Any) -> list[CheckMessage]:
    errors = [*_check_related_name(field), *_check_related_query_name(field)]
    errors += _check_relation_model_exists(field)
    errors += _check_clashes(field)
    if field.many_to_many:
        from tether.checks.m2m_checks import (
            check_ignored_options,
            check_table_uniqueness,
            check_through,
        )

        errors += check_through(field)
        errors += check_ignored_options(field)
        errors += check_table_uniqueness(field)
    else:
        errors += _check_to_field(field)
        errors += _check_on_delete(field)
        if field.unique and not field.one_to_one:
            errors.append(
                Warning(
                    "Setting unique=True on a ForeignKey has the same effect as using a "
                    "OneToOneField.",
                    hint="ForeignKey(unique=True) is usually better served by a OneToOneField.",
                    obj=field,
                    id="fields.W342",
                )
            )
    return errors


def _check_to_field(field: Any) -> list[CheckMessage]:
    """fields.E312 (to_field names no field) and fields.E311 (it names a non-unique one)."""
    target, to_field = _target(field), getattr(field, "to_field", None)
    if not _is_model(target) or not to_field:
        return []
    try:
        referenced = target._meta.get_field(to_field)
    except FieldDoesNotExist:
        return [
            Error(
                f"The to_field '{to_field}' doesn't exist on the related model "
                f"'{target._meta.label}'.",
                obj=field,
                id="fields.E312",
            )
        ]
    if getattr(referenced, "unique", False) or _unique_by_meta(target, referenced.name):
        return []
    return [
        Error(
            f"'{target.__name__}.{referenced.name}' must be unique because it is referenced by "
            "a foreign key.",
            hint=(
                "Add unique=True to this field or add a UniqueConstraint (without condition) "
                "in the model Meta.constraints."
            ),
            obj=field,
            id="fields.E311",
        )
    ]


def _unique_by_meta(model: Any, name: str) -> bool:
    """Whether unique_together or an unconditional UniqueConstraint makes `name` unique alone."""
    opts = model._meta
    if any(set(group) <= {name} for group in opts.unique_together):
        return True
    return any(
        type(c).__name__ == "UniqueConstraint"
        and c.condition is None
        and not c.expressions
        and set(c.fields) <= {name}
        for c in opts.constraints
    )


def _target(field: Any) -> Any:
    return field.remote_field.model


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and hasattr(value, "_meta")


def _check_related_name(field: Any) -> list[CheckMessage]:
    name = field.remote_field.related_name
    if name is None:
        return []
    valid = name.isidentifier() and not keyword.iskeyword(name)
    if valid or name.endswith("+"):
        return []
    return [
        Error(
            f"The name '{name}' is invalid related_name for field "
            f"{field.model._meta.object_name}.{field.name}",
            hint="Related name must be a valid Python identifier or end with a '+'",
            obj=field,
            id="fields.E306",
        )
    ]


def _check_related_query_name(field: Any) -> list[CheckMessage]:
    if field.remote_field.hidden:
        return []
    name = field.related_query_name()
    hint = "Add or change a related_name or related_query_name argument for this field."
    errors: list[CheckMessage] = []
    if name.endswith("_"):
        errors.append(
            Error(
                f"Reverse query name '{name}' must not end with an underscore.",
                hint=hint,
                obj=field,
                id="fields.E308",
            )
        )
    if LOOKUP_SEP in name:
        errors.append(
            Error(
                f"Reverse query name '{name}' must not contain '{LOOKUP_SEP}'.",
                hint=hint,
                obj=field,
                id="fields.E309",
            )
        )
    return errors


def _check_relation_model_exists(field: Any) -> list[CheckMessage]:
    target = _target(field)
    installed = field.model._meta.apps.get_models(include_auto_created=True)
    if _is_model(target) and target in installed:
        return []
    name = target if isinstance(target, str) else getattr(target, "__name__", repr(target))
    if isinstance(target, tuple):  # an unresolved (app_label, model_name) key
        name = ".".join(target)
    return [
        Error(
            f"Field defines a relation with model '{name}', which is either not installed, "
            "or is abstract.",
            obj=field,
            id="fields.E300",
        )
    ]


def _check_clashes(field: Any) -> list[CheckMessage]:
    target = _target(field)
    if not _is_model(target):
        return []
    errors: list[CheckMessage] = []
    rel_opts = target._meta
    hidden = field.remote_field.hidden
    accessor = field.remote_field.get_accessor_name()
    query_name = field.related_query_name()
    field_name = f"{field.model._meta.label}.{field.name}"
    for clash in [*rel_opts.fields, *rel_opts.many_to_many]:
        clash_name = f"{rel_opts.label}.{clash.name}"
        hint = (
            f"Rename field '{clash_name}', or add/change a related_name argument to the "
            f"definition for field '{field_name}'."
        )
        if not hidden and clash.name == accessor:
            errors.append(
                Error(
                    f"Reverse accessor '{rel_opts.object_name}.{accessor}' for '{field_name}' "
                    f"clashes with field name '{clash_name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E302",
                )
            )
        if clash.name == query_name:
            errors.append(
                Error(
                    f"Reverse query name for '{field_name}' clashes with field name "
                    f"'{clash_name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E303",
                )
            )
    for rel in rel_opts.related_objects:
        if rel.field is field:
            continue
        other_accessor = rel.get_accessor_name()
        clash_name = f"{rel.related_model._meta.label}.{rel.field.name}"
        hint = (
            f"Add or change a related_name argument to the definition for '{field_name}' "
            f"or '{clash_name}'."
        )
        if not hidden and other_accessor == accessor:
            errors.append(
                Error(
                    f"Reverse accessor '{rel_opts.object_name}.{accessor}' for '{field_name}' "
                    f"clashes with reverse accessor for '{clash_name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E304",
                )
            )
        if other_accessor == query_name:
            errors.append(
                Error(
                    f"Reverse query name for '{field_name}' clashes with reverse query name for "
                    f"'{clash_name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E305",
                )
            )
    return errors


def _check_on_delete(field: Any) -> list[CheckMessage]:
    from tether.models.deletion import SET_DEFAULT, SET_NULL

    on_delete = getattr(field.remote_field, "on_delete", None)
    if on_delete is SET_NULL and not field.null:
        return [
            Error(
                "Field specifies on_delete=SET_NULL, but cannot be null.",
                hint="Set null=True argument on the field, or change the on_delete rule.",
                obj=field,
                id="fields.E320",
            )
        ]
    if on_delete is SET_DEFAULT and not field.has_default():
        return [
            Error(
                "Field specifies on_delete=SET_DEFAULT, but has no default value.",
                hint="Set a default value, or change the on_delete rule.",
                obj=field,
                id="fields.E321",
            )
        ]
    return []
