"""Model checks (models.E0xx) and the registered entry points that run every model's field
and model checks, plus lazy references that never resolved (fields.E307). Django 5.2's ids,
messages and hints; importing this module registers the checks and runs nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import chain
from typing import Any

import tether.apps
from tether.checks.field_checks import LOOKUP_SEP, check_field
from tether.checks.messages import CheckMessage, Error
from tether.checks.registry import Tags, register
from tether.checks.schema_checks import (
    check_field_name_clashes,
    check_generated_columns,
    check_long_column_names,
    check_unique_names,
)
from tether.exceptions import FieldDoesNotExist

INDEX_NAME_MAX_LENGTH = 30  # Django's Index.max_name_length


def _models(app_configs: Any = None) -> list[Any]:
    models = tether.apps.apps.get_models()
    if app_configs is not None:
        labels = {getattr(c, "label", c) for c in app_configs}
        models = [m for m in models if m._meta.app_label in labels]
    return models


@register(Tags.models)
def check_all_models(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every model's field and model checks, then the checks across models (models.E028)."""
    errors: list[CheckMessage] = []
    tables: dict[str, list[str]] = defaultdict(list)
    for model in _models(app_configs):
        opts = model._meta
        if opts.managed and not opts.proxy:
            tables[opts.db_table].append(opts.label)
        check = getattr(model, "check", None)
        if callable(check) and getattr(check, "__self__", None) is model:
            errors.extend(check(**kwargs))  # a model's own check() classmethod
        else:
            errors.extend(check_model(model, kwargs.get("databases")))
    errors += check_unique_names(_models(app_configs))
    for table, labels in tables.items():
        if len(labels) > 1:
            joined = ", ".join(labels)
            errors.append(
                Error(
                    f"db_table '{table}' is used by multiple models: {joined}.",
                    obj=table,
                    id="models.E028",
                )
            )
    return errors


def check_model(model: Any, databases: Iterable[str] | None = None) -> list[CheckMessage]:
    """The checks Django's Model.check() runs, for what tether supports; the ones that depend
    on a database (models.E018/E019) run only for the `databases` given, as in Django."""
    opts = model._meta
    errors: list[CheckMessage] = []
    for field in [*opts.local_fields, *opts.local_many_to_many]:
        errors.extend(check_field(field))
    for field in opts.private_fields:  # generic relations check themselves
        if hasattr(field, "check"):
            errors.extend(field.check())
    errors += check_long_column_names(model, databases)
    errors += check_generated_columns(model, databases)
    clashes = [
        *_check_id_field(model),
        *check_field_name_clashes(model),
        *_check_single_primary_key(model),
    ]
    errors += clashes
    if not clashes:
        errors += _check_column_clashes(model)
    errors += _check_local_fields(
        model, [n for group in opts.unique_together for n in group], "unique_together"
    )
    errors += _check_indexes(model)
    errors += _check_ordering(model)
    return errors


def _check_id_field(model: Any) -> list[CheckMessage]:
    opts = model._meta
    fields = [f for f in opts.local_fields if f.name == "id" and f is not opts.pk]
    if fields and not fields[0].primary_key and opts.pk.name == "id":
        return [
            Error(
                "'id' can only be used as a field name if the field also sets 'primary_key=True'.",
                obj=model,
                id="models.E004",
            )
        ]
    return []


def _check_column_clashes(model: Any) -> list[CheckMessage]:
    used: list[str] = []
    errors: list[CheckMessage] = []
    for field in model._meta.local_fields:
        column = field.get_attname_column()[1]
        if column and column in used:
            errors.append(
                Error(
                    f"Field '{field.name}' has column name '{column}' that is used by another "
                    "field.",
                    hint="Specify a 'db_column' for the field.",
                    obj=model,
                    id="models.E007",
                )
            )
        else:
            used.append(column)
    return errors


def _check_single_primary_key(model: Any) -> list[CheckMessage]:
    if sum(1 for f in model._meta.local_fields if f.primary_key) > 1:
        return [
            Error(
                "The model cannot have more than one field with 'primary_key=True'.",
                obj=model,
                id="models.E026",
            )
        ]
    return []


def _check_indexes(model: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    names: list[str] = []
    for index in model._meta.indexes:
        name = index.name
        if not name:
            continue
        if name[0] == "_" or name[0].isdigit():
            errors.append(
                Error(
                    f"The index name '{name}' cannot start with an underscore or a number.",
                    obj=model,
                    id="models.E033",
                )
            )
        if len(name) > INDEX_NAME_MAX_LENGTH:
            errors.append(
                Error(
                    f"The index name '{name}' cannot be longer than "
                    f"{INDEX_NAME_MAX_LENGTH} characters.",
                    obj=model,
                    id="models.E034",
                )
            )
        names.extend(f.lstrip("-") for f in index.fields)
    return errors + _check_local_fields(model, names, "indexes")


def _check_local_fields(model: Any, names: list[str], option: str) -> list[CheckMessage]:
    opts = model._meta
    forward: dict[str, Any] = {}
    for field in [*opts.fields, *opts.many_to_many]:
        forward[field.name] = field
        if getattr(field, "attname", None):
            forward[field.attname] = field
    errors: list[CheckMessage] = []
    for name in names:
        field = forward.get(name)
        if field is None:
            errors.append(
                Error(
                    f"'{option}' refers to the nonexistent field '{name}'.",
                    obj=model,
                    id="models.E012",
                )
            )
        elif field.many_to_many:
            errors.append(
                Error(
                    f"'{option}' refers to a ManyToManyField '{name}', but ManyToManyFields are "
                    f"not permitted in '{option}'.",
                    obj=model,
                    id="models.E013",
                )
            )
        elif field not in opts.local_fields:
            errors.append(
                Error(
                    f"'{option}' refers to field '{name}' which is not local to model "
                    f"'{opts.object_name}'.",
                    hint="This issue may be caused by multi-table inheritance.",
                    obj=model,
                    id="models.E016",
                )
            )
    return errors


def _ordering_error(model: Any, name: str) -> Error:
    return Error(
        f"'ordering' refers to the nonexistent field, related field, or lookup '{name}'.",
        obj=model,
        id="models.E015",
    )


def _check_ordering(model: Any) -> list[CheckMessage]:
    opts = model._meta
    if opts.ordering and getattr(opts, "order_with_respect_to", None):
        return [
            Error(
                "'ordering' and 'order_with_respect_to' cannot be used together.",
                obj=model,
                id="models.E021",
            )
        ]
    if getattr(opts, "order_with_respect_to", None) or not opts.ordering:
        return []
    if not isinstance(opts.ordering, list | tuple):
        return [
            Error(
                "'ordering' must be a tuple or list (even if you want to order by only one field).",
                obj=model,
                id="models.E014",
            )
        ]
    names = [f.removeprefix("-") for f in opts.ordering if isinstance(f, str) and f != "?"]
    errors: list[CheckMessage] = []
    for name in (n for n in names if LOOKUP_SEP in n):
        if not _related_ordering_ok(model, name):
            errors.append(_ordering_error(model, name))
    valid = set(chain.from_iterable((f.name, f.attname) for f in opts.fields)) | {
        rel.field.related_query_name() for rel in opts.related_objects
    }
    for name in names:
        if LOOKUP_SEP not in name and name != "pk" and name not in valid:
            errors.append(_ordering_error(model, name))
    return errors


def _related_ordering_ok(model: Any, path: str) -> bool:
    current, field = model, None
    for part in path.split(LOOKUP_SEP):
        try:
            if current is None:
                raise FieldDoesNotExist(part)
            field = current._meta.pk if part == "pk" else current._meta.get_field(part)
            current = field.related_model if getattr(field, "is_relation", False) else None
        except (FieldDoesNotExist, AttributeError):
            if field is None or (
                field.get_transform(part) is None and field.get_lookup(part) is None
            ):
                return False
    return True


@register(Tags.models)
def check_lazy_references(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Relations to models that never got registered (fields.E307)."""
    registry = tether.apps.apps
    errors: list[CheckMessage] = []
    for key, callbacks in sorted(registry._pending.items()):
        app_label, model_name = key
        if registry.all_models.get(app_label):
            problem = f"app '{app_label}' doesn't provide model '{model_name}'"
        else:
            problem = f"app '{app_label}' isn't installed"
        for callback in callbacks:
            owner = getattr(callback, "__self__", None)
            if owner is not None and hasattr(owner, "remote_field"):
                label = f"{owner.model._meta.label}.{owner.name}"
                errors.append(
                    Error(
                        f"The field {label} was declared with a lazy reference to "
                        f"'{app_label}.{model_name}', but {problem}.",
                        obj=owner,
                        id="fields.E307",
                    )
                )
            else:
                errors.append(
                    Error(
                        f"{callback!r} contains a lazy reference to {app_label}.{model_name}, "
                        f"but {problem}.",
                        obj=None,
                        id="models.E022",
                    )
                )
    return errors
