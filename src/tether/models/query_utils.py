"""Q objects, the deferred-attribute descriptor, and the lookup registry mixin.

Nothing here knows about SQL: Q is a tree of (name, value) conditions that the query layer
turns into a WHERE clause; RegisterLookupMixin lets fields and transforms own their lookups.
"""

from __future__ import annotations

import asyncio
import copy
import functools
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from tether.exceptions import SynchronousOnlyOperation
from tether.models.fetch_modes import blocked_message, mode_of
from tether.utils.tree import Node

# Q()'s own keyword arguments: never a field lookup. A filter() caller who expands a dict of
# untrusted names must not be able to set them (CVE-2025-64459).
PROHIBITED_FILTER_KWARGS = frozenset(["_connector", "_negated"])


def check_filter_kwargs(kwargs: dict[str, Any]) -> None:
    """Refuse Q()'s private arguments among filter keywords, with Django's TypeError."""
    if invalid := PROHIBITED_FILTER_KWARGS.intersection(kwargs):
        listed = ", ".join(f"'{name}'" for name in sorted(invalid))
        raise TypeError(f"The following kwargs are invalid: {listed}")


class Q(Node):
    """Encapsulate filters as objects that can be combined with &, | and ~."""

    AND = "AND"
    OR = "OR"
    XOR = "XOR"
    default = AND
    conditional = True
    connectors = (None, AND, OR, XOR)

    def __init__(
        self, *args: Any, _connector: str | None = None, _negated: bool = False, **kwargs: Any
    ):
        # The connector is written into the WHERE clause: only the three known words may pass.
        if _connector not in self.connectors:
            raise ValueError("_connector must be one of 'AND', 'OR', 'XOR', or None.")
        super().__init__(
            children=[*args, *sorted(kwargs.items())], connector=_connector, negated=_negated
        )

    def _combine(self, other: Any, conn: str) -> Q:
        if getattr(other, "conditional", False) is False:
            raise TypeError(other)
        if not self:
            return other.copy() if hasattr(other, "copy") else Q(other)
        if not other and isinstance(other, Q):
            return self.copy()
        obj = Q(_connector=conn)
        obj.add(self, conn)
        obj.add(other, conn)
        return obj

    def __or__(self, other: Any) -> Q:
        return self._combine(other, self.OR)

    def __and__(self, other: Any) -> Q:
        return self._combine(other, self.AND)

    def __xor__(self, other: Any) -> Q:
        return self._combine(other, self.XOR)

    def __invert__(self) -> Q:
        obj = self.copy()
        obj.negate()
        return obj

    def copy(self) -> Q:
        obj = Q()
        obj.connector = self.connector
        obj.negated = self.negated
        obj.children = list(self.children)
        return obj

    def flatten(self) -> Iterator[Any]:
        """This Q, then every child (a keyword's value) and what they contain, as Django's."""
        yield self
        for child in self.children:
            if isinstance(child, tuple):
                child = child[1]
            if hasattr(child, "flatten"):
                yield from child.flatten()
            else:
                yield child

    @classmethod
    def create(
        cls, children: list[Any] | None = None, connector: str | None = None, negated: bool = False
    ) -> Q:
        """A Q with these children as they are (no sorting of keyword pairs), as Django's."""
        obj = cls.__new__(cls)
        Node.__init__(obj, children, connector or cls.default, negated)
        return obj

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        """The WHERE node of this condition inside an expression (an aggregate's filter, a
        When): its new joins are LEFT OUTER, so that it drops no row of the query."""
        from tether.models.sql.constants import LOUTER

        existing = set(query.alias_map)
        outer = {a for a, j in query.alias_map.items() if j.join_type == LOUTER}
        used = set(existing)
        clause, _ = query._add_q(self, used, False, False, split_subq=False)
        demoted = {a for a in outer if query.alias_map[a].join_type != LOUTER}
        # (An alias of a join trimmed away again, `authors__in=[]`, is no longer in the query.)
        query.promote_joins(sorted(a for a in (used - existing) | demoted if a in query.alias_map))
        clause.resolved = True
        return clause

    @property
    def referenced_base_fields(self) -> set[str]:
        """The names of the model's own fields this condition reads: each keyword's first
        part and each F's, in expressions and nested Qs too (a join's targets left out)."""
        return {name.split("__", 1)[0] for name in _referenced_names(self)}

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        path = f"{type(self).__module__}.{type(self).__name__}"
        if path.startswith("tether.models.query_utils"):
            path = path.replace("tether.models.query_utils", "tether.models")
        kwargs: dict[str, Any] = {}
        if self.connector != self.default:
            kwargs["_connector"] = self.connector
        if self.negated:
            kwargs["_negated"] = True
        return path, tuple(self.children), kwargs

    @property
    def identity(self) -> tuple[Any, ...]:
        path, args, kwargs = self.deconstruct()
        identity: list[Any] = [path, *kwargs.items()]
        for child in args:
            if isinstance(child, tuple):
                identity.append((child[0], _hashable(child[1])))
            else:
                identity.append(child)
        return tuple(identity)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Q):
            return NotImplemented
        return other.identity == self.identity

    def __hash__(self) -> int:
        return hash(self.identity)


def _referenced_names(q: Q) -> Iterator[str]:
    """Every field path `q` names: its keywords, and the F()s of its values and
    expressions."""
    for child in q.children:
        if isinstance(child, Q):
            yield from _referenced_names(child)
        elif isinstance(child, tuple):
            yield child[0]
            yield from _expression_names(child[1])
        else:
            yield from _expression_names(child)


def _expression_names(value: Any) -> Iterator[str]:
    from tether.models.expressions import F

    if isinstance(value, F):  # (an F is no expression node: it has no flatten())
        yield value.name
    for node in value.flatten() if hasattr(value, "flatten") else ():
        if isinstance(node, F):
            yield node.name
        elif isinstance(node, Q):
            yield from _referenced_names(node)


class FilteredRelation:
    """A relation joined with extra conditions in its ON clause: `annotate(alias=
    FilteredRelation("books", condition=Q(books__pages__gt=100)))`, then `alias__...` names
    the related rows that meet them (rows of the model without any keep their NULLs)."""

    def __init__(self, relation_name: str, *, condition: Any = None) -> None:
        if not relation_name:
            raise ValueError("relation_name cannot be empty.")
        if condition is None:
            condition = Q()
        if not isinstance(condition, Q):
            raise ValueError("condition argument must be a Q() instance.")
        self.relation_name = relation_name
        self.alias: str | None = None
        self.condition = condition

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FilteredRelation):
            return NotImplemented
        return (self.relation_name, self.alias, self.condition) == (
            other.relation_name,
            other.alias,
            other.condition,
        )

    def __hash__(self) -> int:
        return hash((self.relation_name, self.alias))

    def __repr__(self) -> str:
        return f"FilteredRelation({self.relation_name!r}, condition={self.condition!r})"

    def clone(self) -> FilteredRelation:
        clone = FilteredRelation(self.relation_name, condition=self.condition)
        clone.alias = self.alias
        return clone

    def resolve_expression(self, query: Any, reuse: Any = None, *args: Any, **kwargs: Any) -> Any:
        """The condition as a WHERE node of `query`, for the ON clause of the join (whose
        alias `reuse` holds, with the joins before it)."""
        from tether.models.sql.constants import INNER, LOUTER
        from tether.models.sql.joins import FilteredReuse

        used = FilteredReuse(reuse or ())
        joins = dict(query.alias_map)
        clause, _ = query._add_q(self.condition, used, False, False, split_subq=False)
        # The ON clause decides no join type: the joins already there keep theirs, and those
        # it adds are LEFT OUTER below a LEFT OUTER join, as when they were made.
        query.alias_map.update(joins)
        for alias, join in list(query.alias_map.items()):
            if alias in joins or join.join_type != INNER:
                continue
            parent = query.alias_map[join.parent_alias]
            if join.nullable or parent.join_type == LOUTER:
                query.alias_map[alias] = join.promoted()
        return clause


def _hashable(value: Any) -> Any:
    """As Django's make_hashable: dicts and other iterables become tuples; the rest raise."""
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(v)) for key, v in value.items()))
    try:
        hash(value)
    except TypeError:
        if hasattr(value, "__iter__"):
            return tuple(_hashable(v) for v in value)
        raise
    if isinstance(value, tuple):
        return tuple(_hashable(v) for v in value)
    return value


class DeferredAttribute:
    """A non-data descriptor on the class for each concrete field.

    Loaded values live in the instance __dict__ and shadow it, so reading a loaded field costs
    nothing extra; only a deferred (not loaded) field reaches __get__, which loads it.
    """

    def __init__(self, field: Any) -> None:
        self.field = field

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        attname = self.field.attname
        data = instance.__dict__
        if attname not in data:
            if self.field.generated and instance.pk is None:
                raise AttributeError("Cannot read a generated field from an unsaved model.")
            mode_of(instance).fetch(self, instance)
            if attname not in data:  # FETCH_PEERS found no row: fetch_one says so
                self.fetch_one(instance)
        return data[attname]

    # ---- the fetch mode protocol: how to load the field for one instance or its peers ----

    def blocked_message(self, instance: Any) -> str:
        return blocked_message(instance, self.field.name)

    def _refuse_in_async(self, instance: Any) -> None:
        if asyncio._get_running_loop() is not None:
            attname = self.field.attname
            raise SynchronousOnlyOperation(
                f"{type(instance).__name__}.{attname} is deferred and reading it would query "
                "the database inside an event loop. Leave it out of defer() (or name it in "
                "only()) on the query that loaded the instance, or load it first with "
                f"`await instance.arefresh_from_db(fields=['{attname}'])`."
            )

    def fetch_one(self, instance: Any) -> None:
        self._refuse_in_async(instance)
        instance.refresh_from_db(fields=[self.field.attname])

    def fetch_many(self, instances: list[Any]) -> None:
        """One query for the peers that lack the field (chunked under the parameter limit)."""
        from tether.db.connections import connections

        self._refuse_in_async(instances[0])
        attname = self.field.attname
        missing = {obj.pk: obj for obj in instances if attname not in obj.__dict__}
        missing.pop(None, None)
        manager = type(instances[0])._base_manager.db_manager(hints={"instance": instances[0]})
        keys = list(missing)
        step = connections[manager.db].features.max_query_params or len(keys) or 1
        for start in range(0, len(keys), step):
            chunk = manager.filter(pk__in=keys[start : start + step])
            for pk, value in chunk.values_list("pk", attname):
                missing[pk].__dict__[attname] = value


class _ClassOrInstanceMethod:
    """`Field.register_lookup(L)` registers on the class; `field.register_lookup(L)` on one
    field."""

    def __init__(self, class_method: Any, instance_method: Any) -> None:
        self.class_method = class_method
        self.instance_method = instance_method

    def __get__(self, instance: Any, owner: Any) -> Callable[..., Any]:
        if instance is None:
            return functools.partial(self.class_method, owner)
        return functools.partial(self.instance_method, instance)


class RegisterLookupMixin:
    """Lookups and transforms registered on a class (and inherited), or on one instance.

    `register_lookup` (usable as a class decorator) and `_unregister_lookup` work on the class
    when called on it and on the one instance when called on an instance, as in Django.
    """

    class_lookups: dict[str, Any] = {}
    # Both work on the class or on one instance; assigned below the helper functions.
    register_lookup: ClassVar[_ClassOrInstanceMethod]
    _unregister_lookup: ClassVar[_ClassOrInstanceMethod]

    @classmethod
    def _class_lookups(cls) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for parent in reversed(cls.__mro__):
            merged.update(parent.__dict__.get("class_lookups", {}))
        return merged

    def get_lookups(self) -> dict[str, Any]:
        klass: type = type(self)
        found = _merged_lookups(klass)
        instance_lookups = self.__dict__.get("instance_lookups")
        if instance_lookups:
            return {**found, **instance_lookups}
        return found

    def get_lookup(self, lookup_name: str) -> Any:
        from tether.models.lookups import Lookup

        found = self.get_lookups().get(lookup_name)
        if found is not None and not issubclass(found, Lookup):
            return None
        return found

    def get_transform(self, lookup_name: str) -> Any:
        from tether.models.lookups import Transform

        found = self.get_lookups().get(lookup_name)
        # A function registered as a transform (functions.math.Sqrt) is a Func, not a Transform.
        if found is not None and not (
            issubclass(found, Transform) or getattr(found, "is_transform", False)
        ):
            return None
        return found

    @classmethod
    def register_class_lookup(cls, lookup: Any, lookup_name: str | None = None) -> Any:
        name = lookup_name or lookup.lookup_name
        if "class_lookups" not in cls.__dict__:
            cls.class_lookups = {}
        cls.class_lookups[name] = lookup
        _merged_lookups.cache_clear()
        return lookup

    def register_instance_lookup(self, lookup: Any, lookup_name: str | None = None) -> Any:
        name = lookup_name or lookup.lookup_name
        if "instance_lookups" not in self.__dict__:
            self.instance_lookups = {}
        self.instance_lookups[name] = lookup
        return lookup

    @classmethod
    def _unregister_class_lookup(cls, lookup: Any, lookup_name: str | None = None) -> None:
        name = lookup_name or lookup.lookup_name
        del cls.class_lookups[name]
        _merged_lookups.cache_clear()


def _register_on_class(cls: Any, lookup: Any, lookup_name: str | None = None) -> Any:
    return cls.register_class_lookup(lookup, lookup_name)


def _register_on_instance(self: Any, lookup: Any, lookup_name: str | None = None) -> Any:
    return self.register_instance_lookup(lookup, lookup_name)


def _unregister_on_class(cls: Any, lookup: Any, lookup_name: str | None = None) -> None:
    cls._unregister_class_lookup(lookup, lookup_name)


def _unregister_on_instance(self: Any, lookup: Any, lookup_name: str | None = None) -> None:
    name = lookup_name or lookup.lookup_name
    del self.instance_lookups[name]


RegisterLookupMixin.register_lookup = _ClassOrInstanceMethod(
    _register_on_class, _register_on_instance
)
RegisterLookupMixin._unregister_lookup = _ClassOrInstanceMethod(
    _unregister_on_class, _unregister_on_instance
)


@functools.cache
def _merged_lookups(cls: type) -> dict[str, Any]:
    return cls._class_lookups()  # type: ignore[attr-defined,no-any-return]


def subclasses(cls: type) -> Iterator[type]:
    yield cls
    sub: type
    for sub in cls.__subclasses__():
        yield from subclasses(sub)


__all__ = ["Q", "DeferredAttribute", "RegisterLookupMixin", "copy"]
