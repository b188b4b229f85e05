"""`Manager.raw()`: RawQuery (the SQL and its params) and RawQuerySet (model instances from it).

The statement runs through the plan runners as one DESCRIBED request, so its column names come
with the rows. Columns are matched to the model's fields by column name (after
`translations`), unknown columns become attributes (annotations), missing fields are deferred
and load on access, and a missing primary key raises FieldDoesNotExist, as in Django.
`%s` placeholders work on every backend; a literal `%` is written `%%`, as in Django.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

from tether.db.connections import connections
from tether.db.core.requests import DESCRIBED, Described, Execute
from tether.db.core.run import arun_plan, run_plan
from tether.db.routers import router
from tether.exceptions import FieldDoesNotExist
from tether.models.query.prefetch import aprefetch_related_objects, prefetch_related_objects


def _one(request: Any) -> Any:
    return (yield request)


class RawQuery:
    """A raw SQL statement with its parameters, bound to a database alias."""

    def __init__(self, sql: str, using: str, params: Any = ()) -> None:
        self.sql = sql
        self.using = using
        self.params = params if isinstance(params, Mapping) else tuple(params or ())

    def chain(self, using: str) -> RawQuery:
        return RawQuery(self.sql, using, self.params)

    def request(self, connection: Any) -> Execute:
        if isinstance(self.params, Mapping):
            from tether.db.cursor import driver_statement

            sql, params = driver_statement(connection, self.sql, self.params)
            return Execute(sql, params, DESCRIBED)
        return Execute(connection.ops.to_driver_sql(self.sql), self.params, DESCRIBED)

    def __str__(self) -> str:
        """The SQL with the parameters put in as they are, as Django's RawQuery shows it."""
        try:
            if isinstance(self.params, Mapping):
                return self.sql % dict(self.params)
            return self.sql % tuple(self.params)
        except (TypeError, ValueError, KeyError):
            return self.sql

    def __repr__(self) -> str:
        return f"<RawQuery: {self}>"


class RawQuerySet:
    """The lazy result of `Model.objects.raw(sql, params, translations)`."""

    def __init__(
        self,
        raw_query: str,
        model: Any,
        query: RawQuery | None = None,
        params: Sequence[Any] | Mapping[str, Any] = (),
        translations: Mapping[str, str] | None = None,
        using: str | None = None,
        hints: dict[str, Any] | None = None,
    ) -> None:
        self.raw_query = raw_query
        self.model = model
        self._db = using
        self._hints = hints or {}
        self.query = query or RawQuery(raw_query, self.db, params)
        self.params = self.query.params
        self.translations = dict(translations or {})
        self._result_cache: list[Any] | None = None
        self._columns: list[str] | None = None
        self._prefetch_related_lookups: tuple[Any, ...] = ()
        self._prefetch_done = False

    @property
    def db(self) -> str:
        return self._db or router.db_for_read(self.model, **self._hints)

    def using(self, alias: str | None) -> RawQuerySet:
        """The same raw query on another database."""
        clone = RawQuerySet(
            self.raw_query,
            model=self.model,
            query=self.query.chain(alias or router.db_for_read(self.model, **self._hints)),
            translations=self.translations,
            using=alias,
            hints=self._hints,
        )
        clone._prefetch_related_lookups = self._prefetch_related_lookups
        return clone

    def prefetch_related(self, *lookups: Any) -> RawQuerySet:
        """Prefetch these relations of the instances, as QuerySet.prefetch_related() does;
        prefetch_related(None) clears the list."""
        clone = self.using(self._db)
        if lookups == (None,):
            clone._prefetch_related_lookups = ()
        else:
            clone._prefetch_related_lookups = (*self._prefetch_related_lookups, *lookups)
        return clone

    # ---- columns -------------------------------------------------------------------------

    @property
    def columns(self) -> list[str]:
        """The statement's column names, after `translations`."""
        if self._columns is None:
            self._fetch_all()
        return list(self._columns or [])

    @property
    def model_fields(self) -> dict[str, Any]:
        """The model's concrete fields by column name."""
        return {field.column: field for field in self.model._meta.concrete_fields}

    # ---- evaluation ----------------------------------------------------------------------

    def _build(self, result: Described, connection: Any) -> list[Any]:
        names = [self.translations.get(col[0], col[0]) for col in result.description or ()]
        self._columns = names
        by_column = self.model_fields
        by_attname = {f.attname: f for f in self.model._meta.concrete_fields}
        positions: dict[Any, int] = {}
        extras: list[tuple[str, int]] = []
        for index, name in enumerate(names):
            field = by_column.get(name) or by_attname.get(name)
            if field is not None and field not in positions:
                positions[field] = index
            else:
                extras.append((name, index))
        pk = self.model._meta.pk
        if pk not in positions:
            raise FieldDoesNotExist("Raw query must include the primary key")
        fields = [f for f in self.model._meta.concrete_fields if f in positions]
        converters = [(f, positions[f], f.get_db_converters(connection)) for f in fields]
        attnames = [f.attname for f in fields]
        results = []
        for row in result.rows:
            values = []
            for _field, index, funcs in converters:
                value = row[index]
                if value is not None:
                    for func in funcs:
                        value = func(value)
                values.append(value)
            instance = self.model.from_db(self.db, attnames, values)
            for name, index in extras:
                setattr(instance, name, row[index])
            results.append(instance)
        return results

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            connection = connections[self.db]
            result = run_plan(_one(self.query.request(connection)), connection)
            self._result_cache = self._build(result, connection)
        if self._prefetch_related_lookups and not self._prefetch_done:
            prefetch_related_objects(self._result_cache, *self._prefetch_related_lookups)
            self._prefetch_done = True

    async def _afetch_all(self) -> None:
        if self._result_cache is None:
            connection = connections[self.db]
            result = await arun_plan(_one(self.query.request(connection)), connection)
            self._result_cache = self._build(result, connection)
        if self._prefetch_related_lookups and not self._prefetch_done:
            await aprefetch_related_objects(self._result_cache, *self._prefetch_related_lookups)
            self._prefetch_done = True

    def iterator(self) -> Iterator[Any]:
        """The instances, without caching them on the queryset."""
        connection = connections[self.db]
        result = run_plan(_one(self.query.request(connection)), connection)
        yield from self._build(result, connection)

    def __iter__(self) -> Iterator[Any]:
        self._fetch_all()
        return iter(self._result_cache or [])

    def __aiter__(self) -> AsyncIterator[Any]:
        async def generator() -> AsyncIterator[Any]:
            await self._afetch_all()
            for item in self._result_cache or []:
                yield item

        return generator()

    def __len__(self) -> int:
        self._fetch_all()
        return len(self._result_cache or [])

    def __bool__(self) -> bool:
        self._fetch_all()
        return bool(self._result_cache)

    def __getitem__(self, k: Any) -> Any:
        return list(self)[k]

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.query}>"
