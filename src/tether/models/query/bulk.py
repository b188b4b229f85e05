"""QuerySet methods for many rows at once: bulk_create, bulk_update, iterator, earliest/latest.

A mixin of QuerySet (query.py holds the chainable API). Writes are plans run inside
`atomic(savepoint=False)`, as Django runs them; bulk_update sends one
`UPDATE ... SET col = CASE WHEN pk = %s THEN %s ... END WHERE pk IN (...)` per batch.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from tether.db.core.requests import (
    ROWCOUNT,
    ROWS,
    CloseCursor,
    Emit,
    Execute,
    FetchMany,
    OpenCursor,
)
from tether.db.core.twins import Job, finished, stream_twins, twins
from tether.db.errors import NotSupportedError
from tether.db.transaction import atomic_plan
from tether.exceptions import EmptyResultSet
from tether.models.expressions import Col, node_params
from tether.models.fields.prepare import row_preparer
from tether.models.query.iterables import apply_fetch_mode, read_back
from tether.models.sql.dml import IGNORE, UPDATE, columns_of, insert_sql, unnest_types

Plan = Generator[Any, Any, Any]

# iterator()'s default number of rows turned into instances at a time (Django's).
DEFAULT_CHUNK_SIZE = 2000


class CaseUpdate:
    """`CASE WHEN "t"."pk" = %s THEN <value> ... END` for one field of a bulk_update batch.

    A leaf of the SET clause: its shape holds the number of rows and which values are
    expressions, and its parameters are (pk, value) pairs in SQL order.
    """

    is_leaf = True
    contains_aggregate = False

    def __init__(self, field: Any, pairs: list[tuple[Any, Any]], pk_col: Any = None) -> None:
        self.field = field
        self.pairs = pairs
        self.pk_col = pk_col

    @property
    def shape(self) -> Any:
        values = tuple(getattr(v, "shape", None) for _, v in self.pairs)
        pk_shape = self.pk_col.shape if self.pk_col else None
        return ("case_update", self.field.column, pk_shape, values)

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> CaseUpdate:
        pk = query.model._meta.pk
        pairs = [
            (
                key,
                value.resolve_expression(query, allow_joins, reuse, summarize, for_save)
                if hasattr(value, "resolve_expression")
                else value,
            )
            for key, value in self.pairs
        ]
        return CaseUpdate(self.field, pairs, Col(query.base_table_alias(), pk))

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        pk = self.field.model._meta.pk
        params: list[Any] = []
        for key, value in self.pairs:
            params.append(pk.get_db_prep_value(key, connection))
            if hasattr(value, "as_sql"):
                params.extend(node_params(value, compiler, connection))
            else:
                params.append(self.field.get_db_prep_save(value, connection))
        return params

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        pk_sql, _ = compiler.compile(self.pk_col)
        whens = []
        for _, value in self.pairs:
            value_sql = compiler.compile(value)[0] if hasattr(value, "as_sql") else "%s"
            whens.append(f"WHEN {pk_sql} = %s THEN {value_sql}")
        sql = f"CASE {' '.join(whens)} END"
        if getattr(connection.features, "requires_casted_case_in_updates", False):
            sql = f"CAST({sql} AS {self.field.cast_db_type(connection)})"
        return sql, self.get_params(compiler, connection)

    def relabeled_clone(self, change_map: dict[str, str]) -> CaseUpdate:
        return self


class BulkMixin:
    """bulk_create / bulk_update / iterator / earliest / latest for QuerySet."""

    model: Any
    _query: Any
    _iterable_class: Any
    _fields: Any

    # ---- bulk_create ---------------------------------------------------------------------

    def _bulk_create_plan(
        self,
        conn: Any,
        objs: list[Any],
        batch_size: int | None,
        on_conflict: str | None,
        update_fields: Any,
        unique_fields: Any,
    ) -> Plan:
        opts = self.model._meta
        pk = opts.pk
        features = conn.features
        for obj in objs:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
        with_pk = [o for o in objs if o.__dict__.get(pk.attname) is not None]
        without_pk = [o for o in objs if o.__dict__.get(pk.attname) is None]
        for obj in without_pk:
            if pk.has_default():
                obj.__dict__[pk.attname] = pk.get_default()
        for group in (with_pk, without_pk):
            if not group:
                continue
            has_pk = group[0].__dict__.get(pk.attname) is not None
            fields = [
                f
                for f in opts.local_concrete_fields
                if not f.generated and (has_pk or f is not pk or not f.db_returning)
            ]
            returning = []
            # Django reads the new keys (and every other column the database computes) back
            # on plain inserts and on upserts, never when conflicting rows are skipped (their
            # rows would not line up with the objects).
            if features.can_return_rows_from_bulk_insert and on_conflict != IGNORE:
                returning = [
                    f
                    for f in opts.local_concrete_fields
                    if f.db_returning and (f is not pk or not has_pk)
                ]
            limit = conn.ops.bulk_batch_size(len(fields), len(group))
            size = max(min(batch_size or len(group), limit), 1)
            prepare = row_preparer(fields, conn, True)
            columnar = unnest_types(conn, fields) is not None
            for start in range(0, len(group), size):
                batch = group[start : start + size]
                params: list[Any] | None = None
                if columnar and len(batch) > 1:
                    # One array per column (INSERT ... SELECT * FROM UNNEST): a handful of
                    # parameters instead of rows x columns, and one SQL text for every size.
                    params = columns_of(list(map(prepare, batch)))
                as_arrays = params is not None
                if params is None:
                    params = []
                    for obj in batch:
                        params.extend(prepare(obj))
                sql = insert_sql(
                    conn,
                    self.model,
                    fields,
                    len(batch),
                    returning,
                    on_conflict,
                    update_fields,
                    unique_fields,
                    columnar=as_arrays,
                )
                if returning:
                    rows = yield Execute(sql, params, ROWS)
                    readers = [(f.attname, f.get_db_converters(conn)) for f in returning]
                    for obj, row in zip(batch, rows, strict=True):
                        for (attname, converters), value in zip(readers, row, strict=True):
                            obj.__dict__[attname] = _convert(converters, value)
                else:
                    yield Execute(sql, params, ROWCOUNT)
        for obj in objs:
            obj._state.adding = False
            obj._state.db = conn.alias
        return objs

    def _prepare_bulk_create(
        self,
        conn: Any,
        objs: Any,
        batch_size: Any,
        ignore_conflicts: bool,
        update_conflicts: bool,
        update_fields: Any,
        unique_fields: Any,
    ) -> tuple[list[Any], Any, list[Any], list[Any]]:
        if batch_size is not None and batch_size <= 0:
            raise ValueError("Batch size must be a positive integer.")
        objs = list(objs)
        if any(o._meta.concrete_model is not self.model._meta.concrete_model for o in objs):
            raise TypeError(
                "bulk_create() can only be used with instances of the queryset's model."
            )
        if self.model._meta.parents:
            raise ValueError("Can't bulk create a multi-table inherited model")
        opts = self.model._meta
        features = conn.features
        updates: list[Any] = []
        uniques: list[Any] = []
        if ignore_conflicts and update_conflicts:
            raise ValueError("ignore_conflicts and update_conflicts are mutually exclusive.")
        if ignore_conflicts:
            if not features.supports_ignore_conflicts:
                raise NotSupportedError(
                    "This database backend does not support ignoring conflicts."
                )
            return objs, IGNORE, updates, uniques
        if not update_conflicts:
            return objs, None, updates, uniques
        if not features.supports_update_conflicts:
            raise NotSupportedError("This database backend does not support updating conflicts.")
        if not update_fields:
            raise ValueError(
                "Fields that will be updated when a row insertion fails on conflicts must be "
                "provided."
            )
        if unique_fields and not features.supports_update_conflicts_with_target:
            raise NotSupportedError(
                "This database backend does not support updating conflicts with specifying unique "
                "fields that can trigger the upsert."
            )
        if not unique_fields and features.supports_update_conflicts_with_target:
            raise ValueError("Unique fields that can trigger the upsert must be provided.")
        updates = [opts.get_field(name) for name in update_fields]
        if any(not f.concrete or f.many_to_many for f in updates):
            raise ValueError(
                "bulk_create() can only be used with concrete fields in update_fields."
            )
        if any(f.primary_key for f in updates):
            raise ValueError("bulk_create() cannot be used with primary keys in update_fields.")
        uniques = [opts.pk if n == "pk" else opts.get_field(n) for n in unique_fields or ()]
        if any(not f.concrete or f.many_to_many for f in uniques):
            raise ValueError(
                "bulk_create() can only be used with concrete fields in unique_fields."
            )
        return objs, UPDATE, updates, uniques

    def _bulk_create_job(
        self,
        objs: Any,
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Any = None,
        unique_fields: Any = None,
    ) -> Job:
        self._for_write = True
        conn = self._conn()  # type: ignore[attr-defined]
        objs, on_conflict, updates, uniques = self._prepare_bulk_create(
            conn, objs, batch_size, ignore_conflicts, update_conflicts, update_fields, unique_fields
        )
        if not objs:
            return finished(objs)
        plan = self._bulk_create_plan(conn, objs, batch_size, on_conflict, updates, uniques)
        return Job(conn, atomic_plan(conn, plan, savepoint=False))

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        bulk_create, abulk_create = twins(
            _bulk_create_job,
            "bulk_create",
            "Insert many objects in as few statements as the backend allows.",
        )

    # ---- bulk_update ---------------------------------------------------------------------

    def _prepare_bulk_update(
        self, objs: Any, fields: Any, batch_size: Any
    ) -> tuple[tuple[Any, ...], list[Any]]:
        if batch_size is not None and batch_size <= 0:
            raise ValueError("Batch size must be a positive integer.")
        if not fields:
            raise ValueError("Field names must be given to bulk_update().")
        objs = tuple(objs)
        if any(obj.pk is None for obj in objs):
            raise ValueError("All bulk_update() objects must have a primary key set.")
        opts = self.model._meta
        fields = [opts.get_field(name) for name in fields]
        if any(not f.concrete or f.many_to_many for f in fields):
            raise ValueError("bulk_update() can only be used with concrete fields.")
        if any(f.primary_key for f in fields):
            raise ValueError("bulk_update() cannot be used with primary key fields.")
        for obj in objs:
            obj._prepare_related_fields_for_save(operation_name="bulk_update", fields=fields)
        return objs, fields

    def _bulk_update_plan(
        self, conn: Any, objs: tuple[Any, ...], fields: list[Any], batch_size: int | None
    ) -> Plan:
        limit = conn.ops.bulk_batch_size(2 + len(fields), len(objs))
        size = max(min(batch_size, limit) if batch_size else limit, 1)
        queryset = self.using(conn.alias)  # type: ignore[attr-defined]
        rows = 0
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            kwargs = {
                field.name: CaseUpdate(field, [(o.pk, getattr(o, field.attname)) for o in batch])
                for field in fields
            }
            matching = queryset.filter(pk__in=[obj.pk for obj in batch])
            rows += yield from matching._update_plan(conn, kwargs)
        return rows

    def _bulk_update_job(self, objs: Any, fields: Any, batch_size: int | None = None) -> Job:
        objs, fields = self._prepare_bulk_update(objs, fields, batch_size)
        if not objs:
            return finished(0)
        self._for_write = True
        conn = self._conn()  # type: ignore[attr-defined]
        plan = self._bulk_update_plan(conn, objs, fields, batch_size)
        return Job(conn, atomic_plan(conn, plan, savepoint=False))

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        bulk_update, abulk_update = twins(
            _bulk_update_job,
            "bulk_update",
            "Save `fields` of every object with one UPDATE per batch; returns rows matched.",
        )

    # ---- iterator ------------------------------------------------------------------------

    def _check_chunk_size(self, chunk_size: int | None) -> int:
        if chunk_size is None:
            if getattr(self, "_prefetch_related_lookups", ()):
                raise ValueError(
                    "chunk_size must be provided when using QuerySet.iterator() after "
                    "prefetch_related()."
                )
            return DEFAULT_CHUNK_SIZE
        if chunk_size <= 0:
            raise ValueError("Chunk size must be strictly positive.")
        return chunk_size

    def _stream_plan(self, conn: Any, chunk_size: int) -> Plan:
        """Emit the results a chunk at a time from a cursor it always closes; each chunk's
        relations are prefetched before it is handed out (Django 5.x)."""
        from tether.models.query.prefetch import prefetch_plan

        lookups = getattr(self, "_prefetch_related_lookups", ())
        kind = "values" if self._fields is not None else "select"
        compiler = self._query.get_compiler(connection=conn, kind=kind)
        try:
            entry, params = compiler.compiled()
        except EmptyResultSet:
            return
        handle = yield OpenCursor(entry.sql, params)
        try:
            while True:
                rows = yield FetchMany(handle, chunk_size)
                if rows:
                    chunk = self._build_chunk(entry, rows, conn.alias)
                    if lookups:
                        yield from prefetch_plan(chunk, lookups, conn)
                    yield Emit(chunk)
                if len(rows) < chunk_size:
                    return
        finally:
            yield CloseCursor(handle)

    def _build_chunk(self, entry: Any, rows: list[Any], alias: str) -> list[Any]:
        results = self._iterable_class.build(read_back(rows, entry), entry, alias, self.model)  # type: ignore[attr-defined]
        apply_fetch_mode(self, results)
        return results  # type: ignore[no-any-return]

    def _iterator_job(self, chunk_size: int | None = None) -> Job:
        size = self._check_chunk_size(chunk_size)
        conn = self._conn()  # type: ignore[attr-defined]
        return Job(conn, self._stream_plan(conn, size))

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        iterator, aiterator = stream_twins(
            _iterator_job,
            "iterator",
            "Results without filling the QuerySet's cache, read `chunk_size` rows at a time.\n\n"
            "PostgreSQL streams them from a server-side cursor, SQLite steps its statement, MySQL "
            "buffers them in the driver (see the drivers); each chunk is prefetched, then handed "
            "out. `aiterator()` is the same for `async for`.",
            async_defaults={"chunk_size": DEFAULT_CHUNK_SIZE},
        )

    # ---- earliest / latest ---------------------------------------------------------------

    def _earliest_queryset(self, fields: tuple[Any, ...], latest: bool) -> Any:
        if self._query.is_sliced:
            raise TypeError("Cannot change a query once a slice has been taken.")
        order_by: Any = fields
        if not fields:
            order_by = self.model._meta.get_latest_by
            if order_by and not isinstance(order_by, tuple | list):
                order_by = (order_by,)
        if not order_by:
            raise ValueError(
                "earliest() and latest() require either fields as positional arguments or "
                "'get_latest_by' in the model's Meta."
            )
        queryset = self.reverse() if latest else self._chain()  # type: ignore[attr-defined]
        queryset._query.set_limits(high=1)
        queryset._query.clear_ordering(force=True)
        queryset._query.add_ordering(*order_by)
        return queryset

    def _earliest_job(self, *fields: Any) -> Job:
        return self._earliest_queryset(fields, False)._get_job()  # type: ignore[no-any-return]

    def _latest_job(self, *fields: Any) -> Job:
        return self._earliest_queryset(fields, True)._get_job()  # type: ignore[no-any-return]

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        earliest, aearliest = twins(
            _earliest_job,
            "earliest",
            "The first object by `fields` (or Meta.get_latest_by); DoesNotExist if none.",
        )
    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        latest, alatest = twins(
            _latest_job,
            "latest",
            "The last object by `fields` (or Meta.get_latest_by); DoesNotExist if none.",
        )


def _convert(converters: Any, value: Any) -> Any:
    if value is not None:
        for converter in converters:
            value = converter(value)
    return value
