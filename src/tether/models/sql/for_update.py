"""SELECT ... FOR UPDATE: the clause, its options and Django 5.2's errors about them.

`for_update_sql(compiler, cols, main_width, klass_info)` gives the clause the compiler appends
(after LIMIT) for a `select_for_update()` query on a backend that has it: `FOR [NO KEY] UPDATE
[OF ...] [NOWAIT | SKIP LOCKED]`. `of` names are resolved as Django resolves them: 'self' (the
queried model), the select_related() relations followed by the query ('author',
'author__country'), and multi-table parents by their link's name ('place_ptr'); each locks the
table alias of that model's first selected column. `check_in_transaction()` runs at evaluation,
outside the SQL cache: the transaction state is not part of a query's shape.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from tether.db.errors import NotSupportedError, TransactionManagementError
from tether.exceptions import FieldError


def check_in_transaction(connection: Any, query: Any) -> None:
    """TransactionManagementError when a locking read would run in autocommit."""
    features = connection.features
    if (
        query.select_for_update
        and features.has_select_for_update
        and features.supports_transactions
        and connection.get_autocommit()
        and not connection.in_atomic_block
    ):
        raise TransactionManagementError(
            "select_for_update cannot be used outside of a transaction."
        )


def for_update_sql(compiler: Any, cols: list[Any], main_width: int, klass_info: Any) -> str:
    """The FOR UPDATE clause with a leading space, or "" when there is none to add."""
    query, connection = compiler.query, compiler.connection
    features = connection.features
    if not (query.select_for_update and features.has_select_for_update):
        return ""
    if query.is_sliced and not features.supports_select_for_update_with_limit:
        raise NotSupportedError(
            "LIMIT/OFFSET is not supported with select_for_update on this database backend."
        )
    nowait = query.select_for_update_nowait
    skip_locked = query.select_for_update_skip_locked
    of = query.select_for_update_of
    no_key = query.select_for_no_key_update
    # Unsupported options raise rather than being dropped: a plain FOR UPDATE could deadlock
    # where the caller asked not to wait.
    if nowait and not features.has_select_for_update_nowait:
        raise NotSupportedError("NOWAIT is not supported on this database backend.")
    if skip_locked and not features.has_select_for_update_skip_locked:
        raise NotSupportedError("SKIP LOCKED is not supported on this database backend.")
    if of and not features.has_select_for_update_of:
        raise NotSupportedError("FOR UPDATE OF is not supported on this database backend.")
    if no_key and not features.has_select_for_no_key_update:
        raise NotSupportedError("FOR NO KEY UPDATE is not supported on this database backend.")
    targets = _of_arguments(compiler, cols, main_width, klass_info) if of else []
    sql = connection.ops.for_update_sql(
        nowait=nowait, skip_locked=skip_locked, of=targets, no_key=no_key
    )
    return " " + sql


class _Node:
    """One model of the row: its selected columns, and the relations/parents below it."""

    def __init__(self, model: Any, cols: list[Any], related: Any, all_cols: list[Any]) -> None:
        self.model = model
        self.cols = cols
        self.related = related
        self.all_cols = all_cols

    def children(self) -> Iterator[tuple[str, _Node]]:
        """Multi-table parents (by their link's name), then select_related() relations."""
        concrete = self.model._meta.concrete_model
        for parent, link in concrete._meta.parents.items():
            family = {parent, *parent._meta.get_parent_list()}
            cols = [c for c in self.cols if _model_of(c) in family]
            yield link.name, _Node(parent, cols, (), self.all_cols)
        for klass in self.related:
            cols = self.all_cols[klass.start : klass.stop]
            yield klass.cache_name, _Node(klass.model, cols, klass.children, self.all_cols)

    def first_col(self) -> Any:
        concrete = self.model._meta.concrete_model
        return next((col for col in self.cols if _model_of(col) is concrete), None)


def _model_of(col: Any) -> Any:
    return getattr(getattr(col, "target", None), "model", None)


def _of_arguments(compiler: Any, cols: list[Any], main_width: int, klass_info: Any) -> list[str]:
    query = compiler.query
    root = _Node(query.model, cols[:main_width], klass_info or (), cols)
    result: list[str] = []
    invalid: list[str] = []
    for name in query.select_for_update_of:
        node: _Node | None = root
        if name != "self":
            for part in name.split("__"):
                node = next((n for key, n in node.children() if key == part), None)  # type: ignore[union-attr]
                if node is None:
                    break
        if node is None:
            invalid.append(name)
            continue
        col = node.first_col()
        if col is not None:
            target = compiler.quote_name(col.alias)
            if compiler.connection.features.select_for_update_of_column:
                target = compiler.compile(col)[0]
            result.append(target)
    if invalid:
        raise FieldError(
            "Invalid field name(s) given in select_for_update(of=(...)): "
            f"{', '.join(invalid)}. Only relational fields followed in the query are allowed. "
            f"Choices are: {', '.join(_choices(root))}."
        )
    return result


def _choices(root: _Node) -> Iterator[str]:
    """Every name `of` accepts, breadth first, as Django lists them."""
    queue: deque[tuple[list[str] | None, _Node]] = deque([(None, root)])
    while queue:
        path, node = queue.popleft()
        here = [] if path is None else path
        if path is None:
            yield "self"
        for key, child in node.children():
            yield "__".join([*here, key])
            queue.append(([*here, key], child))
