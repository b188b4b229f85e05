"""ModelBase (the metaclass) and Model: class construction, instances, save and delete.

Class construction reads `class Meta` into `_meta`, inherits abstract bases' fields, adds the
automatic primary key and the default manager, and registers the model. Instance methods that
talk to the database are one-line shells over plans run by the sync or async runner.
"""

from __future__ import annotations

import copy
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, ClassVar, Self

from tether import apps as apps_module
from tether.conf import settings
from tether.db.connections import connections
from tether.db.core.run import run_plan
from tether.db.core.twins import Job, finished, twins
from tether.db.routers import router
from tether.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
)
from tether.models import signals
from tether.models.fields import NOT_PROVIDED, Field
from tether.models.instance import inheritance
from tether.models.instance.persistence import delete_plan, save_plan
from tether.models.options import Options
from tether.models.query_utils import Q

if TYPE_CHECKING:
    from tether.models.manager import Manager


class ModelState:
    """Per-instance state: the database it came from and whether it is not saved yet."""

    __slots__ = ("db", "adding", "_fields_cache")

    # Read by fetch modes; an instance from a QuerySet that named a mode has a FetchState.
    fetch_mode: Any = None
    peers: Any = ()

    def __init__(self, db: str | None = None, adding: bool = True) -> None:
        self.db = db
        self.adding = adding
        # Made on first use: most loaded rows never cache a related object, and one dict
        # fewer per instance is felt when tens of thousands are built (prefetch, iteration).
        self._fields_cache: dict[str, Any] | None = None

    @property
    def fields_cache(self) -> dict[str, Any]:
        cache = self._fields_cache
        if cache is None:
            cache = self._fields_cache = {}
        return cache

    @fields_cache.setter
    def fields_cache(self, value: dict[str, Any]) -> None:
        self._fields_cache = value

    def __getstate__(self) -> dict[str, Any]:
        return {"db": self.db, "adding": self.adding, "fields_cache": dict(self.fields_cache)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.db = state["db"]
        self.adding = state["adding"]
        self.fields_cache = state["fields_cache"]


class FetchState(ModelState):
    """The state of an instance whose QuerySet named a fetch mode (or ran under a configured
    one): the mode, and the weak references to its peers, one list shared by all of them."""

    __slots__ = ("fetch_mode", "peers")

    def __init__(self, db: str | None, adding: bool, fetch_mode: Any, peers: Any = ()) -> None:
        super().__init__(db, adding)
        self.fetch_mode = fetch_mode
        self.peers = peers

    def __getstate__(self) -> dict[str, Any]:
        return {**super().__getstate__(), "fetch_mode": self.fetch_mode}

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self.fetch_mode = state["fetch_mode"]
        self.peers = ()


def _subclass_exception(name: str, bases: tuple[type, ...], module: str, attached_to: type) -> type:
    return type(
        name, bases, {"__module__": module, "__qualname__": f"{attached_to.__qualname__}.{name}"}
    )


def _default_auto_field() -> Any:
    from tether.models import fields

    value = settings.default_auto_field
    if isinstance(value, str):
        name = value.rsplit(".", 1)[-1]
        cls = getattr(fields, name, None)
        if cls is None:
            raise ImproperlyConfigured(f"default_auto_field refers to unknown field {value!r}.")
        return cls
    return value


class ModelBase(type):
    """Builds `_meta`, fields and managers for every Model subclass."""

    # What __new__ sets on every model class (Model's body declares them for type checkers too).
    _meta: Options
    DoesNotExist: type[ObjectDoesNotExist]
    MultipleObjectsReturned: type[MultipleObjectsReturned]

    def __new__(
        mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any], **kwargs: Any
    ) -> Any:
        parents = [b for b in bases if isinstance(b, ModelBase)]
        if not parents:
            return super().__new__(mcs, name, bases, attrs, **kwargs)

        module = attrs.pop("__module__")
        new_attrs: dict[str, Any] = {"__module__": module}
        if "__qualname__" in attrs:
            new_attrs["__qualname__"] = attrs.pop("__qualname__")
        attr_meta = attrs.pop("Meta", None)
        contributable = {}
        for attr_name, value in attrs.items():
            if hasattr(value, "contribute_to_class") and not isinstance(value, type):
                contributable[attr_name] = value
            else:
                new_attrs[attr_name] = value
        new_class = super().__new__(mcs, name, bases, new_attrs, **kwargs)

        abstract = getattr(attr_meta, "abstract", False)
        meta = attr_meta or getattr(new_class, "Meta", None)
        base_meta = getattr(new_class, "_meta", None)
        app_label = getattr(meta, "app_label", None) or apps_module.app_label_for_module(module)
        if meta is not None and attr_meta is None and base_meta is not None and base_meta.abstract:
            # Meta inherited from an abstract parent: a copy that says `abstract = False`, as
            # Django's child reads it (migrations record that option).
            attrs = {k: v for k, v in meta.__dict__.items() if not k.startswith("__")}
            meta = type("Meta", (), {**attrs, "abstract": False})
        opts = Options(meta, app_label)
        opts.apps = apps_module.apps
        opts.contribute_to_class(new_class, "_meta")
        if not abstract:
            bases_dne = tuple(
                p.DoesNotExist
                if hasattr(p, "_meta") and not p._meta.abstract
                else ObjectDoesNotExist
                for p in parents
            ) or (ObjectDoesNotExist,)
            new_class.DoesNotExist = _subclass_exception(
                "DoesNotExist", _dedupe(bases_dne, ObjectDoesNotExist), module, new_class
            )
            bases_mor = tuple(
                p.MultipleObjectsReturned
                if hasattr(p, "_meta") and not p._meta.abstract
                else MultipleObjectsReturned
                for p in parents
            )
            new_class.MultipleObjectsReturned = _subclass_exception(
                "MultipleObjectsReturned",
                _dedupe(bases_mor, MultipleObjectsReturned),
                module,
                new_class,
            )
            if base_meta and not base_meta.abstract:
                if not hasattr(meta, "ordering"):
                    new_class._meta.ordering = base_meta.ordering
                if not hasattr(meta, "get_latest_by"):
                    new_class._meta.get_latest_by = base_meta.get_latest_by

        explicit_links = inheritance.explicit_parent_links(contributable, parents)
        for attr_name, value in sorted(
            contributable.items(), key=lambda item: getattr(item[1], "creation_counter", 0)
        ):
            new_class.add_to_class(attr_name, value)

        new_class._inherit_from_bases(parents)
        new_class._meta.concrete_model = new_class
        if not abstract and new_class._meta.proxy:
            inheritance.setup_proxy(new_class, parents)
        elif not abstract:
            inheritance.setup_parents(new_class, parents, explicit_links)
        if abstract:
            new_class._meta.abstract = True
            # As Django: `class Meta(Base.Meta)` in a child must not make the child abstract.
            attr_meta.abstract = False
            new_class.Meta = attr_meta  # type: ignore[attr-defined]
            return new_class
        new_class._prepare()
        new_class._meta.apps.register_model(new_class._meta.app_label, new_class)
        return new_class

    def add_to_class(cls, name: str, value: Any) -> None:
        if hasattr(value, "contribute_to_class") and not isinstance(value, type):
            value.contribute_to_class(cls, name)
        else:
            setattr(cls, name, value)

    def _inherit_from_bases(cls, parents: list[Any]) -> None:
        """Copy abstract parents' fields and managers (concrete parents: instance/inheritance)."""
        opts = cls._meta
        local_names = {f.name for f in opts.local_fields + opts.local_many_to_many}
        concrete = inheritance.concrete_parents(parents)
        for parent in concrete:
            _inherit_private_fields(cls, parent._meta, mti=True)
        for base in cls.__mro__[1:]:
            base_meta = base.__dict__.get("_meta")
            if base_meta is None or not base_meta.abstract:
                continue
            if any(issubclass(parent, base) for parent in concrete):
                continue  # already in the concrete parent's table
            for field in base_meta.local_fields + base_meta.local_many_to_many:
                if field.name in local_names:
                    if field.name in cls.__dict__ or any(
                        f.name == field.name for f in opts.local_fields
                    ):
                        continue
                new_field = field.clone()
                new_field.name = field.name
                cls.add_to_class(field.name, new_field)
                local_names.add(field.name)
            _inherit_private_fields(cls, base_meta, mti=False)
            for manager in base_meta.local_managers:
                if manager.name not in {m.name for m in opts.local_managers}:
                    new_manager = copy.copy(manager)
                    new_manager.model = cls
                    opts.local_managers.append(new_manager)
                    opts._expire_cache()

    def _prepare(cls) -> None:
        opts = cls._meta
        if opts.pk is None:
            auto = _default_auto_field()(verbose_name="ID", primary_key=True, auto_created=True)
            cls.add_to_class("id", auto)
        if not opts.managers:
            if any(f.name == "objects" for f in opts.fields):
                raise ValueError(
                    f"Model {cls.__name__} must specify a custom Manager, because it has a "
                    "field named 'objects'."
                )
            from tether.models.manager import Manager

            manager: Manager[Any] = Manager()
            manager.auto_created = True
            cls.add_to_class("objects", manager)
        signals.class_prepared.send(sender=cls)

    @property
    def _base_manager(cls) -> Any:
        return cls._meta.base_manager

    @property
    def _default_manager(cls) -> Any:
        return cls._meta.default_manager


def _dedupe(bases: tuple[type, ...], fallback: type) -> tuple[type, ...]:
    unique: list[type] = []
    for base in bases:
        if base not in unique:
            unique.append(base)
    return tuple(unique) or (fallback,)


from tether.models.instance.validation import ValidationMixin  # noqa: E402


class _Deferred:
    def __repr__(self) -> str:
        return "<Deferred field>"


DEFERRED: Any = _Deferred()
_MISSING = object()


def _inherit_private_fields(cls: Any, base_meta: Any, mti: bool) -> None:
    """Give `cls` a copy of a parent's private fields (generic relations), as Django does for
    abstract and multi-table parents; a multi-table copy of a GenericRelation keeps no reverse
    query name (the parent's field has it)."""
    names = {f.name for f in cls._meta.private_fields} | set(cls.__dict__)
    for field in base_meta.private_fields:
        if field.name in names:
            continue
        new_field = field.clone()
        new_field.name = field.name
        new_field.mti_inherited = mti
        cls.add_to_class(field.name, new_field)


class Model(ValidationMixin, metaclass=ModelBase):
    """The base class of every model."""

    _meta: Options
    DoesNotExist: type[ObjectDoesNotExist]
    MultipleObjectsReturned: type[MultipleObjectsReturned]
    if TYPE_CHECKING:
        # The manager ModelBase adds, so that `Post.objects` is a `Manager[Post]` to a type
        # checker. Declared only for it: at run time a model that defines a manager of its own
        # has no `objects` (nor has an abstract model), which a type checker cannot see.
        objects: ClassVar[Manager[Self]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        opts = cls._meta
        send_init = signals.pre_init.has_listeners(cls)
        if not args and not send_init and kwargs.keys() <= opts._attnames:
            # Keywords only, each a column's attribute name: the loop below without its
            # positional and relation-name cases.
            self._state = ModelState()
            data = self.__dict__
            for field in opts.concrete_fields:
                attname = field.attname
                value = kwargs[attname] if attname in kwargs else field.get_default()
                if value is not DEFERRED:
                    data[attname] = value
            if signals.post_init.has_listeners(cls):
                signals.post_init.send(sender=cls, instance=self)
            return
        if send_init:
            signals.pre_init.send(sender=cls, args=args, kwargs=kwargs)
        self._state = ModelState()
        data = self.__dict__
        fields = opts.concrete_fields
        if len(args) > len(fields):
            raise IndexError("Number of args exceeds number of fields")
        fields_iter = iter(fields)
        for value, field in zip(args, fields_iter, strict=False):
            if value is not DEFERRED:
                data[field.attname] = value
            if field.name in kwargs or field.attname in kwargs:
                raise TypeError(
                    f"{cls.__qualname__}() got both positional and keyword arguments for field "
                    f"'{field.name}'."
                )
        for field in fields_iter:
            if field.attname in kwargs:
                value = kwargs.pop(field.attname)
            elif field.name in kwargs and field.is_relation:
                field.set_from_init(self, kwargs.pop(field.name))
                continue
            elif field.name in kwargs:
                value = kwargs.pop(field.name)
            else:
                value = field.get_default()
            if value is not DEFERRED:
                data[field.attname] = value
        if kwargs:
            self._apply_extra_kwargs(cls, kwargs)
        if signals.post_init.has_listeners(cls):
            signals.post_init.send(sender=cls, instance=self)

    def _apply_extra_kwargs(self, cls: Any, kwargs: dict[str, Any]) -> None:
        opts = cls._meta
        unexpected = []
        for name, value in kwargs.items():
            if name in opts._property_names:
                if value is not DEFERRED:
                    setattr(self, name, value)
                continue
            try:
                opts.get_field(name)
            except FieldDoesNotExist:
                unexpected.append(name)
            else:
                if value is not DEFERRED:
                    setattr(self, name, value)
        if unexpected:
            names = ", ".join(repr(n) for n in unexpected)
            raise TypeError(f"{cls.__name__}() got unexpected keyword arguments: {names}")

    @classmethod
    def from_db(cls, db: str, field_names: list[str], values: list[Any]) -> Any:
        """Build an instance from a database row (used by the iterables)."""
        if len(values) != len(cls._meta.concrete_fields):
            values_iter = iter(values)
            values = [
                next(values_iter) if f.attname in field_names else DEFERRED
                for f in cls._meta.concrete_fields
            ]
        instance = cls(*values)
        instance._state.adding = False
        instance._state.db = db
        return instance

    # ---- identity ------------------------------------------------------------------------

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>"

    def __str__(self) -> str:
        return f"{type(self).__name__} object ({self.pk})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        if self._meta.concrete_model != other._meta.concrete_model:
            return False
        my_pk = self.pk
        if my_pk is None:
            return self is other
        return bool(my_pk == other.pk)

    def __hash__(self) -> int:
        if self.pk is None:
            raise TypeError("Model instances without primary key value are unhashable")
        return hash(self.pk)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_state"] = copy.copy(state["_state"])
        state["_state"].fields_cache = dict(state["_state"].fields_cache)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __reduce__(self) -> Any:
        return (_model_unpickle, (self._meta.label,), self.__getstate__())

    def _get_pk_val(self, meta: Options | None = None) -> Any:
        meta = meta or self._meta
        return self.__dict__.get(meta.pk.attname)

    def _set_pk_val(self, value: Any) -> None:
        setattr(self, self._meta.pk.attname, value)

    pk = property(_get_pk_val, _set_pk_val)

    def get_deferred_fields(self) -> set[str]:
        return {f.attname for f in self._meta.concrete_fields if f.attname not in self.__dict__}

    def serializable_value(self, field_name: str) -> Any:
        try:
            field = self._meta.get_field(field_name)
        except FieldDoesNotExist:
            return getattr(self, field_name)
        return getattr(self, field.attname)

    # ---- persistence: one-line shells over plans -----------------------------------------

    def _save_job(
        self,
        *,
        force_insert: bool = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Any = None,
    ) -> Job:
        conn = connections[using or router.db_for_write(type(self), instance=self)]
        return Job(conn, save_plan(self, conn, force_insert, force_update, update_fields))

    save, asave = twins(_save_job, "save", "Insert or update this row (Django's save() semantics).")
    save.alters_data = True  # type: ignore[attr-defined]

    def save_base(
        self,
        raw: bool = False,
        force_insert: Any = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Any = None,
    ) -> None:
        """Django's save_base(): the save without the model's own save() method; `raw=True`
        writes the attributes as they are, to this model's table only (loading a fixture)."""
        conn = connections[using or router.db_for_write(type(self), instance=self)]
        plan = save_plan(self, conn, force_insert, force_update, update_fields, raw=raw)
        run_plan(plan, conn)

    save_base.alters_data = True  # type: ignore[attr-defined]

    def _delete_job(self, using: str | None = None, keep_parents: bool = False) -> Job:
        conn = connections[using or router.db_for_write(type(self), instance=self)]
        return Job(conn, delete_plan(self, conn, keep_parents))

    delete, adelete = twins(
        _delete_job,
        "delete",
        "Delete this row (and what cascades from it); returns Django's counts.",
    )
    delete.alters_data = True  # type: ignore[attr-defined]

    def _refresh_from_db_job(
        self, using: str | None = None, fields: Any = None, from_queryset: Any = None
    ) -> Job:
        queryset, fields = self._refresh_queryset(using, fields, from_queryset)
        if queryset is None:
            return finished(None)
        conn = queryset._conn()
        return Job(conn, self._refresh_plan(conn, queryset, fields))

    def _refresh_plan(self, conn: Any, queryset: Any, fields: Any) -> Generator[Any, Any, None]:
        self._apply_refresh((yield from queryset._get_plan(conn, (), {})), fields)

    refresh_from_db, arefresh_from_db = twins(
        _refresh_from_db_job,
        "refresh_from_db",
        "Reload field values from the database (the loaded ones when `fields` is None).",
    )

    def _refresh_queryset(self, using: str | None, fields: Any, from_queryset: Any) -> Any:
        """The queryset reading this row again (None: nothing to read) and the fields asked."""
        if fields is None:
            self.__dict__.pop("_prefetched_objects_cache", None)
        else:
            fields = set(fields)
            prefetched = self.__dict__.get("_prefetched_objects_cache", {})
            for name in list(fields):
                if name in prefetched:
                    del prefetched[name]
                    fields.discard(name)
            if not fields:
                return None, fields
            if any("__" in f for f in fields):
                raise ValueError(
                    'Found "__" in fields argument. Relations and transforms are not allowed in '
                    "fields."
                )
        if from_queryset is None:
            from_queryset = self._meta.base_manager.db_manager(using, hints={"instance": self})
        elif using is not None:
            from_queryset = from_queryset.using(using)
        queryset = from_queryset.filter(pk=self.pk)
        deferred = self.get_deferred_fields()
        if fields is not None:
            queryset = queryset.only(*fields)
        elif deferred:
            loaded = {f.attname for f in self._meta.concrete_fields if f.attname not in deferred}
            queryset = queryset.only(*loaded)
        return queryset, fields

    def _apply_refresh(self, fresh: Any, fields: Any) -> None:
        opts = self._meta
        for field in opts.concrete_fields:
            if field.attname not in fresh.__dict__:
                continue  # not refreshed (deferred in the reading queryset)
            self.__dict__[field.attname] = fresh.__dict__[field.attname]
            if field.is_relation:
                cached = fresh._state.fields_cache.get(field.name, _MISSING)
                if cached is not _MISSING:
                    self._state.fields_cache[field.name] = cached
                else:
                    self._state.fields_cache.pop(field.name, None)
        for rel in opts.related_objects:
            if fields is None or rel.name in fields:
                self._state.fields_cache.pop(rel.get_accessor_name(), None)
        for field in opts.private_fields:  # a GenericForeignKey's cached object
            if field.is_relation and (fields is None or field.name in fields):
                self._state.fields_cache.pop(field.name, None)
        self._state.db = fresh._state.db
        self._state.adding = False

    def _prepare_related_fields_for_save(self, operation_name: str, fields: Any = None) -> None:
        """Refuse to save a row that points at an unsaved object; pick up the key of an object
        saved since it was assigned; forget a cached object whose key is no longer this row's
        (Django's rules)."""
        cache = self._state._fields_cache
        if not cache:
            return
        data = self.__dict__
        for field in self._meta.concrete_fields:
            if not field.is_relation or (fields is not None and field not in fields):
                continue
            obj = cache.get(field.name)
            if obj is None:
                continue
            if obj.pk is None:
                remote = field.remote_field
                if not remote.multiple:
                    obj._state.fields_cache.pop(remote.get_accessor_name(), None)
                raise ValueError(
                    f"{operation_name}() prohibited to prevent data loss due to unsaved related "
                    f"object '{field.name}'."
                )
            target_value = getattr(obj, field.target_field.attname)
            if data.get(field.attname) in field.empty_values:
                data[field.attname] = target_value  # saved after it was assigned
            elif data[field.attname] != target_value:
                del cache[field.name]  # the key was changed without the descriptor seeing it
        for field in self._meta.private_fields:
            # A GenericForeignKey assigned an unsaved object.
            if fields is not None and field not in fields or not hasattr(field, "fk_field"):
                continue
            obj = cache.get(field.name)
            if obj is not None and obj.pk is None:
                raise ValueError(
                    f"{operation_name}() prohibited to prevent data loss due to unsaved related "
                    f"object '{field.name}'."
                )

    def _get_next_or_previous_by_FIELD(  # noqa: N802 - Django's name
        self, field: Any, is_next: bool, **kwargs: Any
    ) -> Any:
        """get_next_by_FOO()/get_previous_by_FOO(): the neighbour by that date, ties broken by
        primary key, among the default manager's rows matching `kwargs`."""
        if not self.pk:
            raise ValueError("get_next/get_previous cannot be used on unsaved objects.")
        op, sign = ("gt", "") if is_next else ("lt", "-")
        value = getattr(self, field.attname)
        neighbours = Q(**{field.name: value, f"pk__{op}": self.pk}) | Q(
            **{f"{field.name}__{op}": value}
        )
        queryset = (
            type(self)
            ._default_manager.using(self._state.db)
            .filter(**kwargs)
            .filter(neighbours)
            .order_by(f"{sign}{field.name}", f"{sign}pk")
        )
        try:
            return queryset[0]
        except IndexError:
            raise self.DoesNotExist(
                f"{self._meta.object_name} matching query does not exist."
            ) from None

    def _is_pk_set(self, meta: Options | None = None) -> bool:
        """Whether the primary key has a value (Django's own tests read this)."""
        return getattr(self, (meta or self._meta).pk.attname) is not None

    @classmethod
    def check(cls, **kwargs: Any) -> list[Any]:
        """The system checks of this model (Django's Model.check())."""
        from tether.checks.model_checks import check_model

        return check_model(cls, kwargs.get("databases"))

    # ---- validation ----------------------------------------------------------------------

    def clean(self) -> None:
        """Hook for model-wide validation; full_clean() calls it."""

    def _get_field_value_map(self, meta: Options) -> dict[str, Any]:
        return {f.name: getattr(self, f.attname) for f in meta.concrete_fields}


def _model_unpickle(label: str) -> Any:
    model = apps_module.apps.get_model(label)
    return model.__new__(model)


_model_unpickle.__safe_for_unpickle__ = True  # type: ignore[attr-defined]

__all__ = ["DEFERRED", "Model", "ModelBase", "ModelState", "NOT_PROVIDED", "Field"]
