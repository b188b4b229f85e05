"""Managers: the `objects` attribute, a factory of QuerySets with the QuerySet's methods.

`Manager` is `BaseManager.from_queryset(QuerySet)`: the public QuerySet methods are copied
onto the manager class as methods that build a fresh QuerySet and call through. To a type
checker a manager is `Manager[Post]`, its copied methods declared by `ManagerMethods`.
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any, Generic, Self

from tether.models.manager_methods import ManagerMethods
from tether.models.type_vars import M_co

if TYPE_CHECKING:
    from tether.models.query import QuerySet

from tether.db.routers import router


class BaseManager(Generic[M_co]):
    creation_counter = 0
    auto_created = False
    use_in_migrations = False
    _queryset_class: Any = None
    # The arguments it was built with (set by __new__), for deconstruct() and __eq__.
    _constructor_args: tuple[tuple[Any, ...], dict[str, Any]]

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        obj = super().__new__(cls)
        obj._constructor_args = (args, kwargs)
        return obj

    def __init__(self) -> None:
        self.model: Any = None
        self.name: str | None = None
        self._db: str | None = None
        self._hints: dict[str, Any] = {}
        self.creation_counter = BaseManager.creation_counter
        BaseManager.creation_counter += 1

    def __str__(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def __class_getitem__(cls, *args: Any) -> type:
        return cls

    def deconstruct(self) -> tuple[bool, str, None, tuple[Any, ...], dict[str, Any]]:
        path = f"{type(self).__module__}.{type(self).__name__}"
        return False, path, None, *self._constructor_args

    @classmethod
    def _get_queryset_methods(cls, queryset_class: type) -> dict[str, Any]:
        def make(name: str) -> Any:
            def manager_method(self: Any, *args: Any, **kwargs: Any) -> Any:
                return getattr(self.get_queryset(), name)(*args, **kwargs)

            method = getattr(queryset_class, name)
            # As Django's @wraps: the QuerySet method's name, doc and signature.
            functools.update_wrapper(manager_method, method, updated=())
            manager_method.__name__ = name
            return manager_method

        new_methods = {}
        for name, method in inspect.getmembers(queryset_class, predicate=inspect.isfunction):
            if hasattr(cls, name):
                continue
            queryset_only = getattr(method, "queryset_only", None)
            if queryset_only or (queryset_only is None and name.startswith("_")):
                continue
            new_methods[name] = make(name)
        return new_methods

    @classmethod
    def from_queryset(cls, queryset_class: type, class_name: str | None = None) -> type:
        if class_name is None:
            class_name = f"{cls.__name__}From{queryset_class.__name__}"
        return type(
            class_name,
            (cls,),
            {"_queryset_class": queryset_class, **cls._get_queryset_methods(queryset_class)},
        )

    def contribute_to_class(self, cls: Any, name: str) -> None:
        self.name = self.name or name
        self.model = cls
        setattr(cls, name, ManagerDescriptor(self))
        cls._meta.local_managers.append(self)
        cls._meta._expire_cache()

    def db_manager(self, using: str | None = None, hints: Any = None) -> Any:
        obj = type(self).__new__(type(self))
        obj.__dict__ = dict(self.__dict__)
        obj._db = using
        obj._hints = hints or {}
        return obj

    @property
    def db(self) -> str:
        return self._db or router.db_for_read(self.model, **self._hints)

    def get_queryset(self) -> QuerySet[M_co]:
        return self._queryset_class(model=self.model, using=self._db, hints=self._hints)  # type: ignore[no-any-return]

    def all(self) -> QuerySet[M_co]:
        return self.get_queryset()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and self._constructor_args == other._constructor_args

    def __hash__(self) -> int:
        return id(self)


class ManagerDescriptor:
    def __init__(self, manager: BaseManager) -> None:
        self.manager = manager

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is not None:
            raise AttributeError(f"Manager isn't accessible via {cls.__name__} instances")
        if cls._meta.abstract:
            raise AttributeError(f"Manager isn't available; {cls._meta.object_name} is abstract")
        return cls._meta.managers_map[self.manager.name]


class Manager(BaseManager[M_co], ManagerMethods[M_co]):
    """The default manager: every public QuerySet method, on the model class."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)


def _install_queryset_methods() -> None:
    from tether.models.query import QuerySet

    Manager._queryset_class = QuerySet
    for name, method in BaseManager._get_queryset_methods(QuerySet).items():
        if name not in Manager.__dict__:
            setattr(Manager, name, method)


class EmptyManager(Manager[M_co]):
    def __init__(self, model: Any) -> None:
        super().__init__()
        self.model = model

    def get_queryset(self) -> QuerySet[M_co]:
        return super().get_queryset().none()
