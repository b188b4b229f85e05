"""The model source `tether inspectdb` writes for existing tables, in Django's inspectdb form
(the same class names, field names and notes, `managed = False`), plus one thing Django does
not do: a pure join table (its own key and two required foreign keys, unique together, to two
other inspected tables) also becomes a ManyToManyField `through` it on the first table, so
`book.tags.all()` works at once."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

HEADER = (
    "# This is an auto-generated tether model module.",
    "# You'll have to do the following manually to clean this up:",
    "#   * Rearrange models' order",
    "#   * Make sure each model has one field with primary_key=True",
    "#   * Make sure each ForeignKey and OneToOneField has `on_delete` set to the desired behavior",
    "#   * Remove `managed = False` lines if you wish to allow tether to create, modify, and "
    "delete the table",
    "# Feel free to rename the models, but don't rename db_table values or field names.",
    "from tether import models",
)


@dataclass
class Table:
    """What introspection says of one table."""

    name: str
    kind: str
    description: list[Any]
    relations: dict[str, tuple[str, str]]
    constraints: dict[str, dict[str, Any]]
    pk_columns: list[str]
    join_of: tuple[str, str] | None = field(default=None)


def model_name(table: str) -> str:
    """Django's class name for a table: title case, non-alphanumerics dropped."""
    return re.sub(r"[^a-zA-Z0-9]", "", table.title())


def column_attname(
    column: str, used: list[str], is_relation: bool
) -> tuple[str, dict[str, Any], list[str]]:
    """A valid, unused field name for `column`, the params it needs (db_column) and the notes
    saying why it differs, as Django's inspectdb words them."""
    params: dict[str, Any] = {}
    notes: list[str] = []
    name = column.lower()
    if name != column:
        notes.append("Field name made lowercase.")
    if is_relation:
        if name.endswith("_id"):
            name = name[: -len("_id")]
        else:
            params["db_column"] = column
    name, replaced = re.subn(r"\W", "_", name)
    if replaced:
        notes.append("Field renamed to remove unsuitable characters.")
    if "__" in name:
        while "__" in name:
            name = name.replace("__", "_")
        if "__" in column.lower():
            notes.append("Field renamed because it contained more than one '_' in a row.")
    if name.startswith("_"):
        name = f"field{name}"
        notes.append("Field renamed because it started with '_'.")
    if name.endswith("_"):
        name = f"{name}field"
        notes.append("Field renamed because it ended with '_'.")
    if keyword.iskeyword(name):
        name += "_field"
        notes.append("Field renamed because it was a Python reserved word.")
    if name[0].isdigit():
        name = f"number_{name}"
        notes.append("Field renamed because it wasn't a valid Python identifier.")
    if name in used:
        number = 0
        while f"{name}_{number}" in used:
            number += 1
        name = f"{name}_{number}"
        notes.append("Field renamed because of name conflict.")
    if column != name and notes:
        params["db_column"] = column
    return name, params, notes


def _unique_sets(table: Table) -> list[list[str]]:
    return [list(c["columns"]) for c in table.constraints.values() if c["unique"]]


def join_of(table: Table, inspected: set[str]) -> tuple[str, str] | None:
    """The (source column, target column) of a pure join table, else None."""
    columns = [row.name for row in table.description]
    if len(columns) != 3 or len(table.pk_columns) != 1 or len(table.relations) != 2:
        return None
    links = [c for c in columns if c in table.relations]
    targets = [table.relations[c][1] for c in links]
    if table.pk_columns[0] in links or len(set(targets)) != 2:
        return None  # a self-referencing join would need symmetry decided: left as a model
    if not set(targets) <= inspected or any(row.null_ok for row in table.description):
        return None
    if sorted(links) not in [sorted(u) for u in _unique_sets(table)]:
        return None
    return links[0], links[1]


def _field_type(connection: Any, row: Any) -> tuple[str, dict[str, Any], list[str]]:
    params: dict[str, Any] = {}
    notes: list[str] = []
    try:
        kind = connection.introspection.get_field_type(row.type_code, row)
    except KeyError:
        kind = "TextField"
        notes.append("This field type is a guess.")
    if kind == "CharField" and row.display_size and int(row.display_size) > 0:
        params["max_length"] = int(row.display_size)
    if kind in {"CharField", "TextField"} and row.collation:
        params["db_collation"] = row.collation
    if kind == "DecimalField":
        if row.precision is None or row.scale is None:
            notes.append(
                "max_digits and decimal_places have been guessed, as this database handles "
                "decimal fields as float"
            )
        params["max_digits"] = row.precision if row.precision is not None else 10
        params["decimal_places"] = row.scale if row.scale is not None else 5
    return kind, params, notes


class ModelWriter:
    """Writes the classes of the tables, in name order, each knowing the ones before it."""

    def __init__(self, connection: Any, tables: dict[str, Table]) -> None:
        self.connection = connection
        self.tables = tables
        self.known: list[str] = []

    def lines(self) -> Iterator[str]:
        yield from HEADER
        for table in self.tables.values():
            yield ""
            yield ""
            yield from self.model(table)

    def _reference(self, table: str, own: str) -> str:
        target = "self" if table == own else model_name(table)
        return target if target in self.known else repr(target)

    def model(self, table: Table) -> Iterator[str]:
        name = model_name(table.name)
        yield f"class {name}(models.Model):"
        self.known.append(name)
        if len(table.pk_columns) > 1:
            columns = ", ".join(f"'{c}'" for c in table.pk_columns)
            yield f"    pk = models.CompositePrimaryKey({columns})"
        pk = table.pk_columns[0] if len(table.pk_columns) == 1 else None
        unique = [cols[0] for cols in _unique_sets(table) if len(cols) == 1]
        used: list[str] = []
        attnames: dict[str, str] = {}
        related: set[str] = set()
        for row in table.description:
            line = self.field(table, name, row, pk, unique, used, related)
            attnames[row.name] = used[-1]
            if line is not None:
                yield f"    {line}"
        yield from self.many_to_many(table, used)
        yield from self.meta(table, attnames)

    def field(
        self,
        table: Table,
        name: str,
        row: Any,
        pk: str | None,
        unique: list[str],
        used: list[str],
        related: set[str],
    ) -> str | None:
        is_relation = row.name in table.relations
        attname, params, notes = column_attname(row.name, used, is_relation)
        used.append(attname)
        if row.name == pk:
            params["primary_key"] = True
        elif row.name in unique:
            params["unique"] = True
        if is_relation:
            ref_column, ref_table = table.relations[row.name]
            if params.pop("unique", False) or params.get("primary_key"):
                kind = "OneToOneField"
            else:
                kind = "ForeignKey"
                with self.connection.cursor() as cursor:
                    ref_pk = self.connection.introspection.get_primary_key_column(cursor, ref_table)
                if ref_pk and ref_pk != ref_column:
                    params["to_field"] = ref_column
            target = self._reference(ref_table, table.name)
            call = f"{kind}({target}"
            bare = target.strip("'")
            if bare in related:
                params["related_name"] = f"{name.lower()}_{attname}_set"
            related.add(bare)
        else:
            kind, extra, more = _field_type(self.connection, row)
            params.update(extra)
            notes.extend(more)
            call = f"{kind}("
        if attname == "id" and params == {"primary_key": True}:
            if call == "AutoField(":
                return None
            auto = self.connection.features.introspected_field_types["AutoField"]
            if call == f"{auto}(":
                notes.append("AutoField?")
        if row.null_ok:
            params["blank"] = True
            params["null"] = True
        text = f"{attname} = models.{call}"
        if kind in ("ForeignKey", "OneToOneField"):
            text += ", models.DO_NOTHING"
        if self.connection.features.supports_comments and row.comment:
            params["db_comment"] = row.comment
        if params:
            text += ("" if text.endswith("(") else ", ") + ", ".join(
                f"{key}={value!r}" for key, value in params.items()
            )
        text += ")"
        return text + ("  # " + " ".join(notes) if notes else "")

    def many_to_many(self, table: Table, used: list[str]) -> Iterator[str]:
        """A ManyToManyField for each pure join table whose first link points here."""
        for join in self.tables.values():
            if join.join_of is None or join.relations[join.join_of[0]][1] != table.name:
                continue
            source, target = join.join_of
            name = join.name.removeprefix(f"{table.name}_")
            if name == join.name or not name.isidentifier() or keyword.iskeyword(name):
                name = f"{model_name(join.name).lower()}_set"
            if name in used:
                continue  # a column has the name: the join model alone serves
            used.append(name)
            other = self._reference(join.relations[target][1], table.name)
            yield (
                f"    {name} = models.ManyToManyField({other}, through={model_name(join.name)!r}"
                f", through_fields=({column_attname(source, [], True)[0]!r}, "
                f"{column_attname(target, [], True)[0]!r}), related_name='+')"
            )

    def meta(self, table: Table, attnames: dict[str, str]) -> Iterator[str]:
        unique_together = []
        unsupported = False
        for constraint in table.constraints.values():
            if not constraint["unique"]:
                continue
            if None in constraint["columns"]:
                unsupported = True
            columns = [c for c in constraint["columns"] if c is not None and c in attnames]
            if len(columns) > 1 and not constraint["primary_key"]:
                unique_together.append(str(tuple(attnames[c] for c in columns)))
        note = {
            "v": "  # Created from a view. Don't remove.",
            "p": "  # Created from a partition. Don't remove.",
        }.get(table.kind, "")
        yield ""
        if unsupported:
            yield "    # A unique constraint could not be introspected."
        yield "    class Meta:"
        yield f"        managed = False{note}"
        yield f"        db_table = {table.name!r}"
        if unique_together:
            yield f"        unique_together = ({', '.join(unique_together)},)"
