"""Operations that run code: SeparateDatabaseAndState, RunSQL, RunPython, as Django's.

RunPython calls `code(apps, schema_editor)` with the historical models of the state before it;
RunSQL runs its statements (a string is split into statements outside quotes and comments, as
Django does with sqlparse) or a list of statements or (sql, params) pairs.
"""

from __future__ import annotations

from typing import Any

from tether.db.migrations.operations.base import Operation, OperationCategory
from tether.db.routers import router


class SeparateDatabaseAndState(Operation):
    """Database operations and state operations given separately: the state follows one list,
    the database the other (how a table is taken over by a model without copying it)."""

    category = OperationCategory.MIXED
    serialization_expand_args = ["database_operations", "state_operations"]

    def __init__(
        self,
        database_operations: list[Operation] | None = None,
        state_operations: list[Operation] | None = None,
    ) -> None:
        self.database_operations = list(database_operations or [])
        self.state_operations = list(state_operations or [])

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs: dict[str, Any] = {}
        if self.database_operations:
            kwargs["database_operations"] = self.database_operations
        if self.state_operations:
            kwargs["state_operations"] = self.state_operations
        return type(self).__name__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        for operation in self.state_operations:
            operation.state_forwards(app_label, state)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for operation in self.database_operations:
            to_state = from_state.clone()
            operation.state_forwards(app_label, to_state)
            operation.database_forwards(app_label, schema_editor, from_state, to_state)
            from_state = to_state

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        befores = []
        state = to_state
        for operation in self.database_operations:
            befores.append(state)
            state = state.clone()
            operation.state_forwards(app_label, state)
        for operation, before in zip(
            reversed(self.database_operations), reversed(befores), strict=True
        ):
            after = before.clone()
            operation.state_forwards(app_label, after)
            operation.database_backwards(app_label, schema_editor, after, before)

    @property
    def reversible(self) -> bool:  # type: ignore[override]
        return all(op.reversible for op in self.database_operations)

    def describe(self) -> str:
        return "Custom state/database change combination"


def split_statements(sql: str) -> list[str]:
    """`sql` cut into statements at semicolons outside quotes and comments."""
    statements: list[str] = []
    current: list[str] = []
    quote = ""
    i = 0
    while i < len(sql):
        char = sql[i]
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
        elif char in "'\"`":
            quote = char
            current.append(char)
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = len(sql) if end == -1 else end
            current.append(sql[i:end])
            i = end
            continue
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = len(sql) if end == -1 else end + 2
            current.append(sql[i:end])
            i = end
            continue
        elif char == ";":
            current.append(char)
            statements.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    statements.append("".join(current))
    return [s.strip().rstrip(";").rstrip() for s in statements if _has_code(s)]


def _has_code(statement: str) -> bool:
    lines = [line for line in statement.strip().splitlines() if not line.strip().startswith("--")]
    return bool("".join(lines).strip().strip(";").strip())


class RunSQL(Operation):
    """Run SQL statements forwards, and reverse_sql backwards."""

    category = OperationCategory.SQL
    noop = ""

    def __init__(
        self,
        sql: Any,
        reverse_sql: Any = None,
        state_operations: list[Operation] | None = None,
        hints: dict[str, Any] | None = None,
        elidable: bool = False,
    ) -> None:
        self.sql = sql
        self.reverse_sql = reverse_sql
        self.state_operations = list(state_operations or [])
        self.hints = hints or {}
        self.elidable = elidable

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs: dict[str, Any] = {"sql": self.sql}
        if self.reverse_sql is not None:
            kwargs["reverse_sql"] = self.reverse_sql
        if self.state_operations:
            kwargs["state_operations"] = self.state_operations
        if self.hints:
            kwargs["hints"] = self.hints
        return type(self).__name__, (), kwargs

    @property
    def reversible(self) -> bool:  # type: ignore[override]
        return self.reverse_sql is not None

    def state_forwards(self, app_label: str, state: Any) -> None:
        for operation in self.state_operations:
            operation.state_forwards(app_label, state)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if _allowed(schema_editor, app_label, self.hints):
            self._run_sql(schema_editor, self.sql)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if self.reverse_sql is None:
            raise NotImplementedError("You cannot reverse this operation")
        if _allowed(schema_editor, app_label, self.hints):
            self._run_sql(schema_editor, self.reverse_sql)

    def describe(self) -> str:
        return "Raw SQL operation"

    def _run_sql(self, schema_editor: Any, sqls: Any) -> None:
        if isinstance(sqls, list | tuple):
            for sql in sqls:
                params = None
                if isinstance(sql, list | tuple):
                    elements = len(sql)
                    if elements == 2:
                        sql, params = sql
                    else:
                        raise ValueError(f"Expected a 2-tuple but got {elements}")
                schema_editor.execute(sql, params=params if params is not None else ())
        elif sqls != RunSQL.noop:
            for statement in split_statements(sqls):
                schema_editor.execute(statement, params=())


class RunPython(Operation):
    """Run Python code: `code(apps, schema_editor)` with the historical models."""

    category = OperationCategory.PYTHON
    reduces_to_sql = False

    def __init__(
        self,
        code: Any,
        reverse_code: Any = None,
        atomic: bool | None = None,
        hints: dict[str, Any] | None = None,
        elidable: bool = False,
    ) -> None:
        self.atomic = atomic  # type: ignore[assignment]
        if not callable(code):
            raise ValueError("RunPython must be supplied with a callable")
        self.code = code
        if reverse_code is not None and not callable(reverse_code):
            raise ValueError("RunPython must be supplied with callable arguments")
        self.reverse_code = reverse_code
        self.hints = hints or {}
        self.elidable = elidable

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs: dict[str, Any] = {"code": self.code}
        if self.reverse_code is not None:
            kwargs["reverse_code"] = self.reverse_code
        if self.atomic is not None:
            kwargs["atomic"] = self.atomic
        if self.hints:
            kwargs["hints"] = self.hints
        return type(self).__name__, (), kwargs

    @property
    def reversible(self) -> bool:  # type: ignore[override]
        return self.reverse_code is not None

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if _allowed(schema_editor, app_label, self.hints):
            self._run(self.code, from_state, schema_editor)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if self.reverse_code is None:
            raise NotImplementedError("You cannot reverse this operation")
        if _allowed(schema_editor, app_label, self.hints):
            self._run(self.reverse_code, from_state, schema_editor)

    def _run(self, code: Any, state: Any, schema_editor: Any) -> None:
        if self.atomic and not schema_editor.atomic_migration:
            from tether.db import transaction

            with transaction.atomic(schema_editor.connection.alias):
                code(state.apps, schema_editor)
        else:
            code(state.apps, schema_editor)

    def describe(self) -> str:
        return "Raw Python operation"

    @staticmethod
    def noop(apps: Any, schema_editor: Any) -> None:
        return None


def _allowed(schema_editor: Any, app_label: str, hints: dict[str, Any]) -> bool:
    """Whether the routers let RunSQL/RunPython run on this database (their `hints` go to
    allow_migrate, as Django's)."""
    return router.allow_migrate(schema_editor.connection.alias, app_label, **hints)
