"""Migration: the class every migration file defines, as django.db.migrations.Migration.

Its class attributes (operations, dependencies, run_before, replaces, initial, atomic) are
copied per instance; apply() and unapply() run the operations against a schema editor and
advance the project state, or, with collect_sql, only write their SQL (sqlmigrate).
"""

from __future__ import annotations

from typing import Any

from tether.db.migrations.exceptions import IrreversibleError


class Migration:
    operations: list[Any] = []
    dependencies: list[tuple[str, str]] = []
    run_before: list[tuple[str, str]] = []
    replaces: list[tuple[str, str]] = []
    initial: bool | None = None
    atomic = True

    def __init__(self, name: str, app_label: str) -> None:
        self.name = name
        self.app_label = app_label
        self.operations = list(type(self).operations)
        self.dependencies = list(type(self).dependencies)
        self.run_before = list(type(self).run_before)
        self.replaces = list(type(self).replaces)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Migration)
            and self.name == other.name
            and self.app_label == other.app_label
        )

    def __hash__(self) -> int:
        return hash(f"{self.app_label}.{self.name}")

    def __repr__(self) -> str:
        return f"<Migration {self.app_label}.{self.name}>"

    def __str__(self) -> str:
        return f"{self.app_label}.{self.name}"

    def mutate_state(self, project_state: Any, preserve: bool = True) -> Any:
        """The state after this migration (a copy of `project_state` unless preserve=False)."""
        new_state = project_state.clone() if preserve else project_state
        for operation in self.operations:
            operation.state_forwards(self.app_label, new_state)
        return new_state

    def apply(
        self,
        project_state: Any,
        schema_editor: Any,
        collect_sql: bool = False,
        progress: Any = None,
    ) -> Any:
        """Run the operations forwards; return the state after them. `progress(
        "operation_start", operation)` is called before each (the command's progress lines)."""
        for operation in self.operations:
            if progress is not None:
                progress("operation_start", operation)
            before = _describe(schema_editor, operation, collect_sql)
            if before is None:
                continue
            old_state = project_state.clone()
            operation.state_forwards(self.app_label, project_state)
            self._run(operation, schema_editor, "database_forwards", old_state, project_state)
            _no_op(schema_editor, before, collect_sql)
        return project_state

    def unapply(
        self,
        project_state: Any,
        schema_editor: Any,
        collect_sql: bool = False,
        progress: Any = None,
    ) -> Any:
        """Run the operations backwards, last first; return the state before the migration."""
        to_run: list[tuple[Any, Any, Any]] = []
        new_state = project_state
        for operation in self.operations:
            if not operation.reversible:
                raise IrreversibleError(f"Operation {operation} in {self} is not reversible")
            new_state = new_state.clone()
            old_state = new_state.clone()
            operation.state_forwards(self.app_label, new_state)
            to_run.insert(0, (operation, old_state, new_state))
        for operation, to_state, from_state in to_run:
            if progress is not None:
                progress("operation_start", operation)
            before = _describe(schema_editor, operation, collect_sql)
            if before is None:
                continue
            self._run(operation, schema_editor, "database_backwards", from_state, to_state)
            _no_op(schema_editor, before, collect_sql)
        return project_state

    def _run(
        self, operation: Any, schema_editor: Any, method: str, from_state: Any, to_state: Any
    ) -> None:
        run = getattr(operation, method)
        atomic_operation = operation.atomic or (self.atomic and operation.atomic is not False)
        if (
            not schema_editor.atomic_migration
            and atomic_operation
            and not schema_editor.collect_sql
        ):
            from tether.db import transaction

            with transaction.atomic(schema_editor.connection.alias):
                run(self.app_label, schema_editor, from_state, to_state)
        else:
            run(self.app_label, schema_editor, from_state, to_state)

    def suggest_name(self) -> str:
        """A name from the operations ('initial', 'author_age', ...), as Django's."""
        if self.initial:
            return "initial"
        fragments = [operation.migration_name_fragment for operation in self.operations]
        if not fragments or not all(fragments):
            return f"auto_{get_migration_name_timestamp()}"
        name = fragments[0]
        for fragment in fragments[1:]:
            new_name = f"{name}_{fragment}"
            if len(new_name) > 52:
                return f"{name}_and_more"
            name = new_name
        return name


def _describe(schema_editor: Any, operation: Any, collect_sql: bool) -> int | None:
    """Write sqlmigrate's comment for `operation`; None when it cannot be written as SQL."""
    if not collect_sql:
        return 0
    collected = schema_editor.collected_sql
    collected.extend(["--", f"-- {operation.describe()}", "--"])
    if not operation.reduces_to_sql:
        collected.append("-- THIS OPERATION CANNOT BE WRITTEN AS SQL")
        return None
    return len(collected)


def _no_op(schema_editor: Any, before: int, collect_sql: bool) -> None:
    if collect_sql and before == len(schema_editor.collected_sql):
        schema_editor.collected_sql.append("-- (no-op)")


def get_migration_name_timestamp() -> str:
    from tether.utils.timezone import now

    return now().strftime("%Y%m%d_%H%M")


class SwappableTuple(tuple):  # type: ignore[type-arg]
    """A dependency tuple that remembers the setting it came from."""

    setting: str

    def __new__(cls, value: tuple[str, str], setting: str) -> SwappableTuple:
        self = tuple.__new__(cls, value)
        self.setting = setting
        return self


def swappable_dependency(value: str) -> SwappableTuple:
    """A dependency on the app of a swappable model setting (Django's AUTH_USER_MODEL)."""
    return SwappableTuple((value.split(".", 1)[0], "__first__"), value)
