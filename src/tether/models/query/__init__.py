"""QuerySet: Django's lazy, chainable query API; terminal methods are shells over plans.

Every method that reads or writes runs a `_*_plan` generator: the sync method with run_plan,
its `a`-prefixed twin with arun_plan. Chaining methods clone the QuerySet and its Query.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Generator, Iterator
from typing import TYPE_CHECKING, Any, Self, overload

from tether.db.core.requests import ONE, ROWS, Execute
from tether.db.core.run import arun_plan, run_plan
from tether.db.core.twins import Job, finished, twins
from tether.db.errors import IntegrityError
from tether.db.transaction import atomic_plan, owns_transaction, retrying_atomic_plan
from tether.exceptions import EmptyResultSet, FieldDoesNotExist, FieldError
from tether.models.fetch_modes import FetchModeMixin
from tether.models.manager_methods import ManagerMethods
from tether.models.query.aggregate import AggregateMixin
from tether.models.query.bulk import BulkMixin
from tether.models.query.combine import CombineMixin
from tether.models.query.dates import DatesMixin
from tether.models.query.explain import ExplainMixin
from tether.models.query.extra import ExtraMixin
from tether.models.query.iterables import ModelIterable, apply_fetch_mode, read_back
from tether.models.query.membership import MembershipMixin
from tether.models.query.prefetch import (
    get_prefetcher,  # noqa: F401 - Django's name here
    lazy_set_plan,
)
from tether.models.query.routing import RoutingMixin
from tether.models.query.values import ValuesMixin
from tether.models.query.write import WriteMixin
from tether.models.query_utils import Q, check_filter_kwargs
from tether.models.sql.constants import LOOKUP_SEP, MAX_GET_RESULTS, REPR_OUTPUT_SIZE
from tether.models.sql.query import Query
from tether.models.type_vars import M

Plan = Generator[Any, Any, Any]


def queryset_only(func: Any) -> Any:
    func.queryset_only = True
    return func


def _refuse_filtered_relations(query: Any, names: Any, method: str) -> None:
    """only() and prefetch_related() of a FilteredRelation's alias: Django's ValueError."""
    for name in names:
        name = getattr(name, "prefetch_to", name)  # a Prefetch()
        if isinstance(name, str) and name.split(LOOKUP_SEP, 1)[0] in query.filtered_relations:
            raise ValueError(f"{method}() is not supported with FilteredRelation.")


class QuerySet(
    AggregateMixin,
    WriteMixin,
    BulkMixin,
    ValuesMixin,
    MembershipMixin,
    DatesMixin,
    FetchModeMixin,
    CombineMixin,
    ExplainMixin,
    ExtraMixin,
    RoutingMixin,
    ManagerMethods[M],
):
    """A lazy database lookup for a set of objects (`QuerySet[Post]` to a type checker: its
    rows are `Post`s; chaining keeps the class, values() and values_list() rows are `Any`)."""

    def __init__(
        self,
        model: Any = None,
        query: Query | None = None,
        using: str | None = None,
        hints: Any = None,
    ) -> None:
        self.model = model
        self._db = using
        self._hints = hints or {}
        self._query = query if query is not None else Query(model)
        self._result_cache: list[Any] | None = None
        self._iterable_class: Any = ModelIterable
        self._fields: tuple[str, ...] | None = None
        self._for_write = False
        self._sticky_filter = False
        # {fk field: {key value: instance}}: set on results instead of querying for them again.
        self._known_related_objects: dict[Any, dict[Any, Any]] = {}
        # prefetch_related(): lookups to run after the fetch (prefetch.py), and whether done.
        self._prefetch_related_lookups: tuple[Any, ...] = ()
        self._prefetch_done = False

    # ---- plumbing ------------------------------------------------------------------------

    @property
    def query(self) -> Query:
        return self._query

    @query.setter
    def query(self, value: Query) -> None:
        self._query = value

    def _clone(self) -> Self:
        clone = QuerySet.__new__(type(self))
        clone.__dict__ = self.__dict__.copy()
        clone._query = self._query.chain()
        clone._result_cache = None
        clone._prefetch_done = False
        clone._lazy_fetch = None
        if self._sticky_filter:
            clone._query.filter_is_sticky = True
            clone._sticky_filter = False
        return clone

    _chain = _clone

    @classmethod
    def as_manager(cls) -> Any:
        """A Manager whose QuerySets are of this class."""
        from tether.models.manager import Manager

        return Manager.from_queryset(cls)()

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        obj = self.__class__.__new__(self.__class__)
        for key, value in self.__dict__.items():
            obj.__dict__[key] = value if key == "_result_cache" else copy.deepcopy(value, memo)
        return obj

    def __getstate__(self) -> dict[str, Any]:
        self._fetch_all()
        return self.__dict__.copy()

    # ---- evaluation ----------------------------------------------------------------------

    def _fetch_plan(self, conn: Any) -> Plan:
        if self._lazy_fetch is not None:
            lazy = yield from lazy_set_plan(conn, self)
            if lazy is not None:  # fetched with the peers' sets (a fetch mode)
                return lazy
        compiler = self._query.get_compiler(
            connection=conn, kind="values" if self._fields is not None else "select"
        )
        try:
            entry, params = compiler.compiled()
        except EmptyResultSet:
            return []
        rows = yield Execute(entry.sql, params, ROWS)
        results = self._iterable_class.build(read_back(rows, entry), entry, conn.alias, self.model)
        apply_fetch_mode(self, results)
        if self._known_related_objects and self._iterable_class is ModelIterable:
            for field, known in self._known_related_objects.items():
                for obj in results:
                    related = known.get(obj.__dict__.get(field.attname))
                    if related is not None:
                        obj._state.fields_cache[field.name] = related
        if self._prefetch_related_lookups and results:
            from tether.models.query.prefetch import prefetch_plan

            yield from prefetch_plan(results, self._prefetch_related_lookups, conn)
            self._prefetch_done = True
        return results

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            conn = self._conn()
            self._result_cache = run_plan(self._fetch_plan(conn), conn)

    async def _afetch_all(self) -> None:
        if self._result_cache is None:
            conn = self._conn()
            self._result_cache = await arun_plan(self._fetch_plan(conn), conn)

    def __iter__(self) -> Iterator[M]:
        self._fetch_all()
        return iter(self._result_cache)  # type: ignore[arg-type]

    def __aiter__(self) -> AsyncIterator[M]:
        async def generator() -> AsyncIterator[M]:
            await self._afetch_all()
            for item in self._result_cache:  # type: ignore[union-attr]
                yield item

        return generator()

    def __len__(self) -> int:
        self._fetch_all()
        return len(self._result_cache)  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        self._fetch_all()
        return bool(self._result_cache)

    def __repr__(self) -> str:
        data: list[Any] = list(self[: REPR_OUTPUT_SIZE + 1])
        if len(data) > REPR_OUTPUT_SIZE:
            data[-1] = "...(remaining elements truncated)..."
        return f"<{type(self).__name__} {data!r}>"

    @overload
    def __getitem__(self, k: int) -> M: ...
    @overload
    def __getitem__(self, k: slice) -> Self: ...
    def __getitem__(self, k: Any) -> Any:
        if not isinstance(k, int | slice):
            raise TypeError(f"QuerySet indices must be integers or slices, not {type(k).__name__}.")
        if (isinstance(k, int) and k < 0) or (
            isinstance(k, slice)
            and ((k.start is not None and k.start < 0) or (k.stop is not None and k.stop < 0))
        ):
            raise ValueError("Negative indexing is not supported.")
        if self._result_cache is not None:
            return self._result_cache[k]
        if isinstance(k, slice):
            qs = self._clone()
            start = int(k.start) if k.start is not None else None
            stop = int(k.stop) if k.stop is not None else None
            qs._query.set_limits(start, stop)
            if k.step:
                return list(qs)[:: k.step]
            return qs
        qs = self._clone()
        qs._query.set_limits(k, k + 1)
        qs._fetch_all()
        return qs._result_cache[0]  # type: ignore[index]

    def __class_getitem__(cls, *args: Any) -> type:
        return cls

    # ---- chaining ------------------------------------------------------------------------

    def all(self) -> Self:
        return self._clone()

    def filter(self, *args: Any, **kwargs: Any) -> Self:
        """A new QuerySet with the conditions ANDed in."""
        self._not_support_combined_queries("filter")
        return self._filter_or_exclude(False, args, kwargs)

    def exclude(self, *args: Any, **kwargs: Any) -> Self:
        """A new QuerySet without the rows that match the conditions."""
        self._not_support_combined_queries("exclude")
        return self._filter_or_exclude(True, args, kwargs)

    def _filter_or_exclude(
        self, negate: bool, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Self:
        if (args or kwargs) and self._query.is_sliced:
            raise TypeError("Cannot filter a query once a slice has been taken.")
        check_filter_kwargs(kwargs)
        clone = self._clone()
        if args or kwargs:
            q = Q(*args, **kwargs)
            clone._query.add_q(~q if negate else q)
        return clone

    def complex_filter(self, filter_obj: Any) -> Self:
        if isinstance(filter_obj, Q):
            clone = self._clone()
            clone._query.add_q(filter_obj)
            return clone
        return self.filter(**filter_obj)

    def order_by(self, *field_names: Any) -> Self:
        if self._query.is_sliced:
            raise TypeError("Cannot reorder a query once a slice has been taken.")
        clone = self._clone()
        clone._query.clear_ordering(force=True, clear_default=False)
        clone._query.add_ordering(*field_names)
        return clone

    def reverse(self) -> Self:
        if self._query.is_sliced:
            raise TypeError("Cannot reverse a query once a slice has been taken.")
        clone = self._clone()
        clone._query.standard_ordering = not clone._query.standard_ordering
        return clone

    def distinct(self, *field_names: str) -> Self:
        if self._query.is_sliced:
            raise TypeError("Cannot create distinct fields once a slice has been taken.")
        self._not_support_combined_queries("distinct")
        clone = self._clone()
        clone._query.distinct = True
        clone._query.distinct_fields = field_names
        return clone

    def raw(
        self,
        raw_query: str,
        params: Any = (),
        translations: dict[str, str] | None = None,
        using: str | None = None,
    ) -> Any:
        """A RawQuerySet: model instances built from the rows of `raw_query`, prefetching
        what this queryset prefetches."""
        from tether.models.query.raw import RawQuerySet

        raw = RawQuerySet(
            raw_query,
            model=self.model,
            params=params,
            translations=translations,
            using=using or self._db,
            hints=self._hints,
        )
        raw._prefetch_related_lookups = self._prefetch_related_lookups
        return raw

    def none(self) -> Self:
        clone = self._clone()
        clone._query.set_empty()
        return clone

    def using(self, alias: str | None) -> Self:
        clone = self._clone()
        clone._db = alias
        return clone

    def select_for_update(
        self, nowait: bool = False, skip_locked: bool = False, of: Any = (), no_key: bool = False
    ) -> Self:
        """Lock the rows read (SELECT ... FOR UPDATE) until the transaction ends."""
        if nowait and skip_locked:
            raise ValueError("The nowait option cannot be used with skip_locked.")
        clone = self._clone()
        clone._for_write = True
        query = clone._query
        query.select_for_update = True
        query.select_for_update_nowait = nowait
        query.select_for_update_skip_locked = skip_locked
        query.select_for_update_of = tuple(of)
        query.select_for_no_key_update = no_key
        return clone

    def prefetch_related(self, *lookups: Any) -> Self:
        """Load these relations of the results in one query per level; (None) clears them."""
        self._not_support_combined_queries("prefetch_related")
        _refuse_filtered_relations(self._query, lookups, "prefetch_related")
        clone = self._clone()
        kept = () if lookups == (None,) else (*clone._prefetch_related_lookups, *lookups)
        clone._prefetch_related_lookups = kept
        return clone

    def select_related(self, *fields: Any) -> Self:
        """Read the named single-valued relations (or every non-null FK) in the same query."""
        if self._fields is not None:
            raise TypeError("Cannot call select_related() after .values() or .values_list()")
        self._not_support_combined_queries("select_related")
        clone = self._clone()
        query = clone._query
        if fields == (None,):
            query.select_related = False
        elif fields:
            query.add_select_related(fields)
        else:
            query.select_related = True
        return clone

    def defer(self, *fields: Any) -> Self:
        """Leave these fields out of the SELECT; each loads on first access. (None) clears."""
        from tether.models.sql.select_mask import add_deferred

        self._not_support_combined_queries("defer")
        if self._fields is not None:
            raise TypeError("Cannot call defer() after .values() or .values_list()")
        clone = self._clone()
        query = clone._query
        if fields == (None,):
            query.deferred_loading = (frozenset(), True)
        else:
            query.deferred_loading = add_deferred(query.deferred_loading, fields)
        return clone

    def only(self, *fields: Any) -> Self:
        """Load only these fields (and the pk); the others load on first access."""
        from tether.models.sql.select_mask import add_immediate

        self._not_support_combined_queries("only")
        if self._fields is not None:
            raise TypeError("Cannot call only() after .values() or .values_list()")
        if fields == (None,):
            raise TypeError("Cannot pass None as an argument to only().")
        _refuse_filtered_relations(self._query, fields, "only")
        clone = self._clone()
        query = clone._query
        pk_name = self.model._meta.pk.name
        query.deferred_loading = add_immediate(query.deferred_loading, fields, pk_name)
        return clone

    def _only_attnames(self, attnames: Any) -> Self:
        clone = self._clone()
        clone._query.only_attnames = frozenset(attnames)
        return clone

    # ---- properties ----------------------------------------------------------------------

    @property
    def ordered(self) -> bool:
        """True if the results come in a defined order (order_by(), extra(order_by=...) or
        Meta.ordering), or there are none (none())."""
        query = self._query
        if query.order_by or query.extra_order_by or query.is_empty():
            return True
        return bool(query.default_ordering and self.model._meta.ordering and not query.group_by)

    # ---- single objects ------------------------------------------------------------------

    def _get_plan(self, conn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Plan:
        clone = self.filter(*args, **kwargs) if (args or kwargs) else self._clone()
        if clone._query.can_filter() and not clone._query.distinct_fields:
            clone._query.clear_ordering(force=True)
        if not clone._query.is_sliced:
            clone._query.set_limits(high=MAX_GET_RESULTS)
        results = yield from clone._fetch_plan(conn)
        num = len(results)
        if num == 1:
            return results[0]
        opts = self.model._meta
        if not num:
            raise self.model.DoesNotExist(f"{opts.object_name} matching query does not exist.")
        more = num if num < MAX_GET_RESULTS else f"more than {MAX_GET_RESULTS - 1}"
        raise self.model.MultipleObjectsReturned(
            f"get() returned more than one {opts.object_name} -- it returned {more}!"
        )

    def _get_job(self, *args: Any, **kwargs: Any) -> Job:
        self._check_get_filters(args, kwargs)
        conn = self._conn()
        return Job(conn, self._get_plan(conn, args, kwargs))

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        get, aget = twins(
            _get_job,
            "get",
            "The one object matching the conditions; DoesNotExist or MultipleObjectsReturned.",
        )

    def _create_plan(self, conn: Any, kwargs: dict[str, Any]) -> Plan:
        from tether.models.instance.persistence import call_save

        reverse_one_to_one = [
            name
            for name in kwargs
            if name in self.model._meta.fields_map and self.model._meta.fields_map[name].one_to_one
        ]
        if reverse_one_to_one:
            raise ValueError(
                f"The following fields do not exist in this model: {', '.join(reverse_one_to_one)}"
            )
        obj = self.model(**kwargs)
        yield from call_save(obj, conn, force_insert=True, using=conn.alias)
        return obj

    def _create_job(self, **kwargs: Any) -> Job:
        self._for_write = True
        conn = self._conn()
        return Job(conn, self._create_plan(conn, kwargs))

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        create, acreate = twins(_create_job, "create", "Create, save and return an object.")

    def _extract_model_params(self, defaults: Any, **kwargs: Any) -> dict[str, Any]:
        defaults = defaults or {}
        params = {k: v for k, v in kwargs.items() if LOOKUP_SEP not in k}
        params.update(defaults)
        opts = self.model._meta
        invalid = []
        for name in params:
            try:
                opts.get_field(name)
            except FieldDoesNotExist:
                # A property is accepted only if it can be set.
                if name not in opts._property_names or not getattr(self.model, name).fset:
                    invalid.append(name)
        if invalid:
            names = "', '".join(sorted(invalid))
            raise FieldError(f"Invalid field name(s) for model {opts.object_name}: '{names}'.")
        return params

    def _get_or_create_plan(self, conn: Any, defaults: Any, kwargs: dict[str, Any]) -> Plan:
        try:
            obj = yield from self._get_plan(conn, (), kwargs)
            return obj, False
        except self.model.DoesNotExist:
            pass
        params = self._extract_model_params(defaults, **kwargs)
        params = {k: (v() if callable(v) else v) for k, v in params.items()}
        try:
            obj = yield from atomic_plan(conn, self._create_plan(conn, params))
            return obj, True
        except IntegrityError:
            try:
                obj = yield from self._get_plan(conn, (), kwargs)
                return obj, False
            except self.model.DoesNotExist:
                pass
            raise

    def _get_or_create_job(self, defaults: Any = None, **kwargs: Any) -> Job:
        self._for_write = True  # the lookup reads the database the row would be written to
        conn = self._conn()
        return Job(conn, self._get_or_create_plan(conn, defaults, kwargs))

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        get_or_create, aget_or_create = twins(
            _get_or_create_job,
            "get_or_create",
            "(object, created): look the object up, creating it if it does not exist.",
        )

    def _update_or_create_plan(
        self, conn: Any, defaults: Any, create_defaults: Any, kwargs: dict[str, Any]
    ) -> Plan:
        from tether.models.fields import Field
        from tether.models.instance.persistence import call_save

        update_defaults = defaults or {}
        if create_defaults is None:
            create_defaults = update_defaults
        locked = self.select_for_update()
        obj, created = yield from locked._get_or_create_plan(conn, create_defaults, kwargs)
        if created:
            return obj, created
        for key, value in update_defaults.items():
            setattr(obj, key, value() if callable(value) else value)
        update_fields = set(update_defaults)
        opts = self.model._meta
        if opts._non_pk_concrete_field_names.issuperset(update_fields):
            for field in opts.local_concrete_fields:
                if not (field.primary_key or type(field).pre_save is Field.pre_save):
                    update_fields.add(field.name)
                    if field.name != field.attname:
                        update_fields.add(field.attname)
            yield from call_save(obj, conn, using=conn.alias, update_fields=update_fields)
        else:
            yield from call_save(obj, conn, using=conn.alias)
        return obj, False

    def _update_or_create_job(
        self, defaults: Any = None, create_defaults: Any = None, **kwargs: Any
    ) -> Job:
        self._for_write = True
        conn = self._conn()
        return Job(
            conn, self._locked_update_or_create_plan(conn, defaults, create_defaults, kwargs)
        )

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        update_or_create, aupdate_or_create = twins(
            _update_or_create_job,
            "update_or_create",
            "(object, created): update the object matching kwargs with defaults, or create it.",
        )

    def _locked_update_or_create_plan(
        self, conn: Any, defaults: Any, create_defaults: Any, kwargs: dict[str, Any]
    ) -> Plan:
        """update_or_create in its own transaction, as Django's; when that transaction is
        tether's own, a deadlock victim (two creators racing on the same missing row) is run
        again rather than raised."""

        def attempt() -> Plan:
            return self._update_or_create_plan(conn, defaults, create_defaults, kwargs)

        if owns_transaction(conn):
            return retrying_atomic_plan(conn, attempt, attempts=5)
        return atomic_plan(conn, attempt())

    def _one_or_none_plan(self, conn: Any) -> Plan:
        if self._result_cache is not None:  # a prefetched set: its rows are already here
            return self._result_cache[0] if self._result_cache else None
        results = yield from self[:1]._fetch_plan(conn)
        return results[0] if results else None

    def _first_job(self) -> Job:
        queryset = self if self.ordered else self.order_by("pk")
        conn = queryset._conn()
        return Job(conn, queryset._one_or_none_plan(conn))

    def _last_job(self) -> Job:
        queryset = self.reverse() if self.ordered else self.order_by("-pk")
        conn = queryset._conn()
        return Job(conn, queryset._one_or_none_plan(conn))

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        first, afirst = twins(
            _first_job, "first", "The first object (by pk when unordered), or None."
        )
    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        last, alast = twins(_last_job, "last", "The last object (by pk when unordered), or None.")

    # ---- aggregates of the whole set -----------------------------------------------------

    def _scalar_plan(self, conn: Any, kind: str) -> Plan:
        compiler = self._query.get_compiler(connection=conn, kind=kind)
        try:
            entry, params = compiler.compiled()
        except EmptyResultSet:
            return 0 if kind == "count" else False
        row = yield Execute(entry.sql, params, ONE)
        if kind == "count":
            return row[0] if row else 0
        return row is not None

    def _count_job(self) -> Job:
        if self._result_cache is not None:
            return finished(len(self._result_cache))
        conn = self._conn()
        return Job(conn, self._scalar_plan(conn, "count"))

    def _exists_job(self) -> Job:
        if self._result_cache is not None:
            return finished(bool(self._result_cache))
        conn = self._conn()
        return Job(conn, self._scalar_plan(conn, "exists"))

    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        count, acount = twins(
            _count_job,
            "count",
            "The number of rows (len() of the cache when it is already loaded).",
        )
    if not TYPE_CHECKING:  # typed by ManagerMethods (a base of QuerySet)
        exists, aexists = twins(_exists_job, "exists", "Whether any row matches.")


__all__ = ["EmptyQuerySet", "QuerySet", "Q"]


class _EmptyQuerySetMeta(type):
    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, QuerySet) and instance._query.is_empty()


class EmptyQuerySet(metaclass=_EmptyQuerySetMeta):
    """`isinstance(qs, EmptyQuerySet)` is True for a QuerySet made by none()."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("EmptyQuerySet can't be instantiated")
