"""An automatic many-to-many field switched to `through=` a new model, migrated without a copy.

Django refuses this change at migrate time ("you cannot alter to or from M2M fields, or add or
remove through= on M2M fields") and its users write SeparateDatabaseAndState by hand. tether
writes it: the new through model takes over the automatic table, which already has the rows.

    SeparateDatabaseAndState(state_operations=[
        CreateModel(<Through>, [id, <auto FK names>], options={"db_table": <automatic table>}),
        AlterField(<model>, <field>, ManyToManyField(through=...)),
    ])
    RenameField(<Through>, <auto FK name>, <its name>)   # only where the names differ
    AlterModelTable(<Through>, <its db_table>)           # only where the tables differ
    AlterField(<Through>, "id", ...)                     # only where the key type differs
    AddField(<Through>, <each extra field>)              # enrollment_date, ...

Every step is an ordinary operation, so Django runs the same file. The takeover applies when
the through model is new, its key is `id` and it has one foreign key to each side.
"""

from __future__ import annotations

from typing import Any

from tether.db.migrations import operations as ops
from tether.db.migrations.state import rebuild_field, resolve_relation

Step = tuple[Any, set[Any], set[Any]]


def through_takeovers(detector: Any) -> dict[tuple[str, str], tuple[str, str, str]]:
    """{new through model key: (app, model, field)} of the switches to take over."""
    found: dict[tuple[str, str], tuple[str, str, str]] = {}
    added = detector.new_keys - detector.old_keys
    for app_label, model_name, name in sorted(detector.old_fields & detector.new_fields):
        old_field = detector._old(app_label, model_name).fields[name]
        new_field = detector._new(app_label, model_name).fields[name]
        if not (old_field.many_to_many and new_field.many_to_many):
            continue
        old_kwargs, new_kwargs = old_field.deconstruct()[3], new_field.deconstruct()[3]
        if "through" in old_kwargs or "through" not in new_kwargs:
            continue
        through_key = resolve_relation(new_kwargs["through"], app_label)
        if through_key in added and _links(detector, app_label, model_name, name, through_key):
            found[through_key] = (app_label, model_name, name)
    detector.takeover_fields = {value: key for key, value in found.items()}
    return found


def _links(
    detector: Any, app_label: str, model_name: str, name: str, through_key: tuple[str, str]
) -> tuple[str, str] | None:
    """(source FK name, target FK name) on the through model, or None if not one each."""
    through = detector.to_state.models[through_key]
    pk = [n for n, f in through.fields.items() if f.deconstruct()[3].get("primary_key")]
    if pk and pk != ["id"]:
        return None
    field = detector._new(app_label, model_name).fields[name]
    target = resolve_relation(field.deconstruct()[3]["to"], app_label)
    source = (app_label, model_name)
    if source == target:
        return None  # a relation to the same model: which key is which needs through_fields
    to_source, to_target = [], []
    for fk_name, fk in through.fields.items():
        if getattr(fk, "remote_field", None) is None or fk.many_to_many:
            continue
        key = resolve_relation(fk.deconstruct()[3]["to"], through.app_label)
        if key == source:
            to_source.append(fk_name)
        elif key == target:
            to_target.append(fk_name)
    if len(to_source) != 1 or len(to_target) != 1:
        return None
    return to_source[0], to_target[0]


def switch_operations(
    detector: Any, app_label: str, model_name: str, name: str, old_field: Any, new_field: Any
) -> list[Step] | None:
    """The operations of a takeover for this field, or None when it is not one."""
    through_key = getattr(detector, "takeover_fields", {}).get((app_label, model_name, name))
    if through_key is None:
        return None
    links = _links(detector, app_label, model_name, name, through_key)
    if links is None:
        return None
    old_model = detector.from_state.apps.get_model(
        app_label, detector.renamed_models.get((app_label, model_name), model_name)
    )
    auto = old_model._meta.get_field(detector._old_field_name(app_label, model_name, name))
    auto_through = auto.remote_field.through
    auto_names = [f.name for f in auto_through._meta.local_fields if f.remote_field is not None]
    through = detector.to_state.models[through_key]
    source_fk, target_fk = links
    table = auto_through._meta.db_table
    auto_pk = rebuild_field(auto_through._meta.pk)
    state_fields = [
        ("id", auto_pk),
        (auto_names[0], through.fields[source_fk]),
        (auto_names[1], through.fields[target_fk]),
    ]
    steps: list[Step] = [
        (
            ops.SeparateDatabaseAndState(
                state_operations=[
                    ops.CreateModel(through.name, state_fields, options={"db_table": table}),
                    ops.AlterField(model_name, name, new_field),
                ]
            ),
            {("model", *through_key), ("field", app_label, model_name, name)},
            {("model", app_label, model_name), ("model", *_target(new_field, app_label))},
        )
    ]
    requires = {("model", *through_key)}
    for auto_name, real_name in zip(auto_names, (source_fk, target_fk), strict=True):
        if auto_name != real_name:
            steps.append(
                (ops.RenameField(through.name_lower, auto_name, real_name), set(), requires)
            )
    wanted_table = through.options.get("db_table")
    if wanted_table != table:
        steps.append((ops.AlterModelTable(through.name_lower, wanted_table), set(), requires))
    real_pk = through.fields.get("id")
    if real_pk is not None and _signature(real_pk) != _signature(auto_pk):
        steps.append((ops.AlterField(through.name_lower, "id", real_pk), set(), requires))
    for field_name, field in through.fields.items():
        if field_name in ("id", source_fk, target_fk):
            continue
        steps.append((detector._added_field(through, field_name, field), set(), requires))
    for index in through.options.get("indexes", []):
        steps.append((ops.AddIndex(through.name_lower, index), set(), requires))
    for constraint in through.options.get("constraints", []):
        steps.append((ops.AddConstraint(through.name_lower, constraint), set(), requires))
    if through.options.get("unique_together"):
        together = through.options["unique_together"]
        steps.append((ops.AlterUniqueTogether(through.name_lower, together), set(), requires))
    return steps


def _target(field: Any, app_label: str) -> tuple[str, str]:
    return resolve_relation(field.deconstruct()[3]["to"], app_label)


def _signature(field: Any) -> tuple[Any, ...]:
    _, path, args, kwargs = field.deconstruct()
    return (path, tuple(args), tuple(sorted(kwargs.items())))
