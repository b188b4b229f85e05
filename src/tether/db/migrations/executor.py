"""MigrationExecutor: plans and runs migrations forwards or backwards, as Django's.

Each migration runs in its own schema editor: one transaction where DDL is transactional
(SQLite, PostgreSQL), recorded in django_migrations inside that transaction; on MariaDB, whose
DDL commits by itself, a failing migration raises MigrationFailed saying which operation failed
and which ones were applied before it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tether.db.migrations.exceptions import InvalidMigrationPlan
from tether.db.migrations.loader import MigrationLoader
from tether.db.migrations.recorder import MigrationRecorder

Plan = list[tuple[Any, bool]]


class MigrationFailed(Exception):
    """A migration failed on a database whose DDL is not transactional: what is applied."""


class MigrationExecutor:
    def __init__(
        self, connection: Any, progress_callback: Callable[..., None] | None = None
    ) -> None:
        self.connection = connection
        self.loader = MigrationLoader(connection)
        self.recorder = MigrationRecorder(connection)
        self.progress_callback = progress_callback

    def migration_plan(
        self, targets: Sequence[tuple[str, str | None]], clean_start: bool = False
    ) -> Plan:
        """[(migration, backwards)] that bring the database to `targets` ((app, None): zero)."""
        plan: Plan = []
        applied = {} if clean_start else dict(self.loader.applied_migrations)
        graph = self.loader.graph
        for target in targets:
            if target[1] is None:
                for root in graph.root_nodes():
                    if root[0] == target[0]:
                        for key in graph.backwards_plan(root):
                            if key in applied:
                                plan.append((graph.nodes[key], True))
                                applied.pop(key)
            elif target in applied:
                # Roll back only this app's migrations after the target, not the other apps'
                # migrations the target itself depends on.
                node_key = (target[0], target[1])
                children = sorted(n for n in graph.node_map[node_key].children if n[0] == target[0])
                for node in children:
                    for key in graph.backwards_plan(node.key):
                        if key in applied:
                            plan.append((graph.nodes[key], True))
                            applied.pop(key)
            else:
                for key in graph.forwards_plan(target):  # type: ignore[arg-type]
                    if key not in applied:
                        plan.append((graph.nodes[key], False))
                        applied[key] = graph.nodes[key]
        return plan

    def _create_project_state(self, with_applied_migrations: bool = False) -> Any:
        from tether.db.migrations.loader import add_unmigrated_models
        from tether.db.migrations.state import ProjectState

        state = ProjectState()
        add_unmigrated_models(state, self.loader.unmigrated_apps)
        if with_applied_migrations:
            full_plan = self.migration_plan(self.loader.graph.leaf_nodes(), clean_start=True)
            applied = set(self.loader.applied_migrations)
            for migration, _ in full_plan:
                if (migration.app_label, migration.name) in applied:
                    migration.mutate_state(state, preserve=False)
        return state

    def migrate(
        self,
        targets: Sequence[tuple[str, str | None]],
        plan: Plan | None = None,
        state: Any = None,
        fake: bool = False,
        fake_initial: bool = False,
    ) -> Any:
        """Run `plan` (default: the plan to `targets`); return the state after it."""
        self.recorder.ensure_schema()
        if plan is None:
            plan = self.migration_plan(targets)
        full_plan = self.migration_plan(self.loader.graph.leaf_nodes(), clean_start=True)
        all_forwards = all(not backwards for _, backwards in plan)
        all_backwards = all(backwards for _, backwards in plan)
        if not plan:
            if state is None:
                state = self._create_project_state(with_applied_migrations=True)
        elif all_forwards == all_backwards:
            raise InvalidMigrationPlan(
                "Migration plans with both forwards and backwards migrations are not "
                "supported. Please split your migration process into separate plans of only "
                "forwards OR backwards migrations.",
                plan,
            )
        elif all_forwards:
            if state is None:
                state = self._create_project_state(with_applied_migrations=True)
            state = self._migrate_all_forwards(state, plan, full_plan, fake, fake_initial)
        else:
            state = self._migrate_all_backwards(plan, full_plan, fake)
        self.check_replacements()
        return state

    def _migrate_all_forwards(
        self, state: Any, plan: Plan, full_plan: Plan, fake: bool, fake_initial: bool
    ) -> Any:
        migrations_to_run = {m for m, _ in plan}
        applied = set(self.loader.applied_migrations)
        for migration, _ in full_plan:
            if not migrations_to_run:
                break
            if migration in migrations_to_run:
                state = self.apply_migration(state, migration, fake, fake_initial)
                migrations_to_run.remove(migration)
            elif (migration.app_label, migration.name) not in applied:
                continue
        return state

    def _migrate_all_backwards(self, plan: Plan, full_plan: Plan, fake: bool) -> Any:
        migrations_to_run = {m for m, _ in plan}
        states: dict[Any, Any] = {}
        state = self._create_project_state()
        applied = set(self.loader.applied_migrations)
        for migration, _ in full_plan:
            if not migrations_to_run:
                break
            if migration in migrations_to_run:
                states[migration] = state
                state = migration.mutate_state(state, preserve=True)
                migrations_to_run.remove(migration)
            elif (migration.app_label, migration.name) in applied:
                migration.mutate_state(state, preserve=False)
        for migration, _ in plan:
            self.unapply_migration(states[migration], migration, fake=fake)
            applied.discard((migration.app_label, migration.name))
        # The state after the plan: the last unapplied migration's state, plus the
        # migrations after it that stay applied (other apps').
        last = plan[-1][0]
        state = states[last]
        for index, (migration, _) in enumerate(full_plan):
            if migration == last:
                for later, _ in full_plan[index:]:
                    if (later.app_label, later.name) in applied:
                        later.mutate_state(state, preserve=False)
                break
        return state

    def _callback(self, action: str, *args: Any) -> None:
        if self.progress_callback:
            self.progress_callback(action, *args)

    def apply_migration(
        self, state: Any, migration: Any, fake: bool = False, fake_initial: bool = False
    ) -> Any:
        """Run one migration forwards and record it."""
        recorded = False
        self._callback("apply_start", migration, fake)
        if not fake and fake_initial:
            applied, state = self.detect_soft_applied(state, migration)
            fake = applied
        if not fake:
            with self.connection.schema_editor(atomic=migration.atomic) as schema_editor:
                state = self._apply(migration, state, schema_editor)
                if not schema_editor.deferred_sql:
                    self.record_migration(migration)
                    recorded = True
        if not recorded:
            self.record_migration(migration)
        self._callback("apply_success", migration, fake)
        return state

    def _apply(self, migration: Any, state: Any, schema_editor: Any) -> Any:
        if schema_editor.atomic_migration or not migration.atomic:
            return migration.apply(state, schema_editor, progress=self.progress_callback)
        done: list[str] = []
        for operation in migration.operations:
            single = type(migration)(migration.name, migration.app_label)
            single.operations = [operation]
            try:
                state = single.apply(state, schema_editor, progress=self.progress_callback)
            except Exception as exc:
                applied = "; ".join(done) or "none"
                raise MigrationFailed(
                    f"Migration {migration} failed at operation '{operation.describe()}' "
                    f"({type(exc).__name__}: {exc}). The database does not roll back DDL: the "
                    f"operations before it were applied ({applied}) and the migration is not "
                    "recorded. Fix the cause, undo or finish those operations by hand, then "
                    "migrate again (or --fake it once the schema matches)."
                ) from exc
            done.append(operation.describe())
        return state

    def record_migration(self, migration: Any) -> None:
        if migration.replaces:
            for app_label, name in migration.replaces:
                self.recorder.record_applied(app_label, name)
        else:
            self.recorder.record_applied(migration.app_label, migration.name)

    def unapply_migration(self, state: Any, migration: Any, fake: bool = False) -> Any:
        """Run one migration backwards and remove its record."""
        self._callback("unapply_start", migration, fake)
        if not fake:
            with self.connection.schema_editor(atomic=migration.atomic) as schema_editor:
                state = migration.unapply(state, schema_editor, progress=self.progress_callback)
                self._unrecord(migration)
        else:
            self._unrecord(migration)
        self._callback("unapply_success", migration, fake)
        return state

    def _unrecord(self, migration: Any) -> None:
        if migration.replaces:
            for app_label, name in migration.replaces:
                self.recorder.record_unapplied(app_label, name)
        self.recorder.record_unapplied(migration.app_label, migration.name)

    def check_replacements(self) -> None:
        """Record a squashed migration as applied once all it replaces are."""
        applied = self.recorder.applied_migrations()
        for key, migration in self.loader.replacements.items():
            all_applied = all(tuple(m) in applied for m in migration.replaces)
            if all_applied and key not in applied:
                self.recorder.record_applied(*key)

    def detect_soft_applied(self, project_state: Any, migration: Any) -> tuple[bool, Any]:
        """Is this initial migration's schema already there (--fake-initial)? Every table it
        creates and every column it adds must exist."""
        from tether.db.migrations.operations import AddField, CreateModel

        if migration.initial is None:
            if any(m.app_label == migration.app_label for m in self._parents(migration)):
                return False, project_state
        elif migration.initial is False:
            return False, project_state
        if project_state is None:
            after = self.loader.project_state((migration.app_label, migration.name), at_end=True)
        else:
            after = migration.mutate_state(project_state)
        apps = after.apps
        tables = {name.lower() for name in self.connection.introspection.table_names()}
        found_create = found_add = False
        for operation in migration.operations:
            if isinstance(operation, CreateModel):
                model = apps.get_model(migration.app_label, operation.name)
                if not model._meta.managed or model._meta.proxy:
                    continue
                if model._meta.db_table.lower() not in tables:
                    return False, project_state
                found_create = True
            elif isinstance(operation, AddField):
                model = apps.get_model(migration.app_label, operation.model_name)
                if not model._meta.managed or model._meta.proxy:
                    continue
                table = model._meta.db_table
                field = model._meta.get_field(operation.name)
                if field.many_to_many:
                    through = field.remote_field.through._meta.db_table
                    if through.lower() not in tables:
                        return False, project_state
                    found_add = True
                    continue
                if table.lower() not in tables:
                    return False, project_state
                if field.column.lower() not in self._columns(table):
                    return False, project_state
                found_add = True
        return (found_create or found_add), after

    def _parents(self, migration: Any) -> list[Any]:
        node = self.loader.graph.node_map.get((migration.app_label, migration.name))
        if node is None:
            return []
        return [self.loader.graph.nodes[p.key] for p in node.parents]

    def _columns(self, table: str) -> set[str]:
        introspection = self.connection.introspection
        with self.connection.cursor() as cursor:
            description = introspection.get_table_description(cursor, table)
        return {column.name.lower() for column in description}
