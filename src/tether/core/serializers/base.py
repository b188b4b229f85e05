"""What every serializer format shares: the errors, the object a deserializer yields, and the
conversion of a fixture's relation values (keys or natural keys) back to keys.

A fixture holds one object per row: {"model": "app_label.modelname", "pk": ..., "fields":
{...}}. Foreign keys are the target's key, or its natural key (a list) when the target model
defines `natural_key()` and its manager `get_by_natural_key()`; many-to-many fields are lists
of those.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tether.exceptions import ObjectDoesNotExist

# A relation value naming an object the fixture has not created yet (a forward reference).
DEFER_FIELD = object()


class SerializerDoesNotExist(KeyError):
    """The requested serializer format is not registered."""


class SerializationError(Exception):
    """Something went wrong while serializing."""


class DeserializationError(Exception):
    """Something went wrong while deserializing."""

    @classmethod
    def WithData(  # noqa: N802 - Django's name
        cls, original_exc: BaseException, model: Any, fk: Any, field_value: Any
    ) -> DeserializationError:
        """An error that names the object and the value being read."""
        return cls(f"{original_exc}: ({model}:pk={fk}) field_value was '{field_value}'")


class M2MDeserializationError(Exception):
    """A key of a many-to-many list that could not be read; `pk` is the culprit."""

    def __init__(self, original_exc: BaseException, pk: Any) -> None:
        super().__init__(original_exc, pk)
        self.original_exc = original_exc
        self.pk = pk


class DeserializedObject:
    """A model instance read from a fixture, with its many-to-many keys and the relation
    values that name objects not created yet. `save()` writes it raw, as Django's: the
    model's own save() is bypassed and the signals receive raw=True."""

    def __init__(
        self,
        obj: Any,
        m2m_data: dict[str, list[Any]] | None = None,
        deferred_fields: dict[Any, Any] | None = None,
    ) -> None:
        self.object = obj
        self.m2m_data = m2m_data
        self.deferred_fields = deferred_fields

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.object._meta.label}(pk={self.object.pk})>"

    def save(self, save_m2m: bool = True, using: str | None = None, **kwargs: Any) -> None:
        from tether.models import Model

        Model.save_base(self.object, using=using, raw=True, **kwargs)
        if self.m2m_data and save_m2m:
            for name, keys in self.m2m_data.items():
                getattr(self.object, name).set(keys)
        self.m2m_data = None  # a second save() must not set the links again

    def save_deferred_fields(self, using: str | None = None) -> None:
        """Resolve the forward references now that every object exists, and save again."""
        label = self.object._meta.label_lower
        self.m2m_data = {}
        for field, value in (self.deferred_fields or {}).items():
            if field.many_to_many:
                try:
                    keys = m2m_keys(field, value, using, defer=False)
                except M2MDeserializationError as exc:
                    raise DeserializationError.WithData(
                        exc.original_exc, label, self.object.pk, exc.pk
                    ) from exc
                self.m2m_data[field.name] = keys
            else:
                try:
                    key = fk_key(field, value, using, defer=False)
                except Exception as exc:
                    raise DeserializationError.WithData(exc, label, self.object.pk, value) from exc
                setattr(self.object, field.attname, key)
        self.save(using=using)


def _is_natural_key(value: Any) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, str | bytes)


def _by_natural_key(model: Any, using: str | None, natural_key: Any) -> Any:
    return model._default_manager.db_manager(using).get_by_natural_key(*natural_key)


def _reads_natural_keys(model: Any) -> bool:
    return hasattr(model._default_manager, "get_by_natural_key")


def build_instance(model: Any, data: dict[str, Any], using: str | None) -> Any:
    """An instance of `model` from `data`; without a key, a model with natural keys finds its
    existing row by natural key (the fixture then updates that row)."""
    pk_name = model._meta.pk.attname
    if data.get(pk_name) is None and _reads_natural_keys(model) and hasattr(model, "natural_key"):
        probe = model(**data)
        probe._state.db = using
        try:
            existing = _by_natural_key(model, using, probe.natural_key())
        except model.DoesNotExist:
            pass
        else:
            data[pk_name] = model._meta.pk.to_python(existing.pk)
    return model(**data)


def fk_key(field: Any, value: Any, using: str | None, defer: bool) -> Any:
    """The column value of foreign key `field` for a fixture's `value` (a key or a natural
    key); DEFER_FIELD when `defer` and the natural key names an object not created yet."""
    if value is None:
        return None
    target = field.remote_field.model
    target_field = field.target_field
    if _reads_natural_keys(target) and _is_natural_key(value):
        try:
            obj = _by_natural_key(target, using, value)
        except ObjectDoesNotExist:
            if defer:
                return DEFER_FIELD
            raise
        key = getattr(obj, target_field.attname)
        if target._meta.pk.remote_field is not None:
            key = key.pk  # the target's key is itself a relation: its value is the key
        return key
    return target_field.to_python(value)


def m2m_keys(field: Any, values: Any, using: str | None, defer: bool) -> Any:
    """The target keys of many-to-many `field` for a fixture's list (keys or natural keys);
    DEFER_FIELD when `defer` and one names an object not created yet."""
    target = field.remote_field.model
    natural = _reads_natural_keys(target)
    try:
        items = iter(values)
    except TypeError as exc:
        raise M2MDeserializationError(exc, values) from exc
    keys = []
    item = None
    try:
        for item in items:
            if natural and _is_natural_key(item):
                keys.append(_by_natural_key(target, using, item).pk)
            else:
                keys.append(target._meta.pk.to_python(item))
    except Exception as exc:
        if defer and isinstance(exc, ObjectDoesNotExist):
            return DEFER_FIELD
        raise M2MDeserializationError(exc, item) from exc
    return keys
