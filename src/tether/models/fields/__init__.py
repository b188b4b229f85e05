"""Field base class and the scalar fields.

A field knows its Python type (to_python, get_prep_value), how its values travel to a backend
(get_db_prep_value, through the backend's adapt_* hooks) and back (get_db_converters), and its
column type (db_type, from the backend's data_types). It knows nothing about SQL statements.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import functools
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, Self, overload

from tether.exceptions import ValidationError
from tether.models.query_utils import DeferredAttribute, RegisterLookupMixin
from tether.models.type_vars import V

if TYPE_CHECKING:
    from tether.models.base import Model

_DECONSTRUCT_ATTRS = {
    "verbose_name": "_verbose_name",
    "unique": "_unique",
    "validators": "_validators",
    "error_messages": "_error_messages",
}


class _NotProvided:
    def __repr__(self) -> str:
        return "NOT_PROVIDED"


NOT_PROVIDED: Any = _NotProvided()
BLANK_CHOICE_DASH = [("", "---------")]


_DECONSTRUCT_DEFAULTS: dict[str, Any] = {
    "verbose_name": None,
    "primary_key": False,
    "max_length": None,
    "unique": False,
    "blank": False,
    "null": False,
    "db_index": False,
    "default": NOT_PROVIDED,
    "db_default": NOT_PROVIDED,
    "editable": True,
    "serialize": True,
    "choices": None,
    "help_text": "",
    "db_column": None,
    "db_comment": None,
    "db_tablespace": None,
    "auto_created": False,
    "validators": [],
    "error_messages": None,
}


class DatabaseDefault:
    """The value of a field left to its db_default: the INSERT omits the column."""

    __slots__ = ("field",)

    def __init__(self, field: Any) -> None:
        self.field = field

    def __repr__(self) -> str:
        return f"DatabaseDefault({self.field.db_default!r})"


class Field(RegisterLookupMixin, Generic[V]):
    """The base of every model field; `V` is the Python type of its value (`CharField` is a
    `Field[str]`), what a type checker gives for `post.title`."""

    empty_strings_allowed = True
    empty_values: Sequence[Any] = (None, "", [], (), {})
    # None until set_attributes_from_name() (contribute_to_class) runs; a str from then on.
    name: str
    creation_counter = 0
    auto_creation_counter = -1
    # Relation flags; relation fields override them.
    is_relation = False
    many_to_many: bool | None = None
    many_to_one: bool | None = None
    one_to_many: bool | None = None
    one_to_one: bool | None = None
    related_model: Any = None
    remote_field: Any = None
    db_returning = False
    # A column the database computes (GeneratedField): never written by INSERT or UPDATE.
    generated = False
    # The backends' name for this field's type (data_types, converters). Every built-in field
    # names its own, so a project's subclass (`class CreatedField(DateTimeField)`) keeps its
    # parent's column as in Django; a field made straight from Field is known by its class
    # name and says its column type through db_type().
    internal_type: str | None = None
    # The class attribute under attname: loads a deferred value on first read.
    attname_descriptor_class: Any = DeferredAttribute
    default_error_messages = {
        "invalid_choice": "Value %(value)r is not a valid choice.",
        "null": "This field cannot be null.",
        "blank": "This field cannot be blank.",
        "unique": "%(model_name)s with this %(field_label)s already exists.",
    }

    if TYPE_CHECKING:
        # At run time the model class holds a descriptor under the field's name (a
        # DeferredAttribute, or a relation's), and an instance its value: a type checker sees
        # the same through these. A null=True field stays `V` (not `V | None`), as Django's
        # stubs have it without their plugin; the value set is not checked. A field held by
        # a class that is no model (an expression's output_field) is no descriptor there.
        @overload
        def __get__(self, instance: None, owner: Any) -> DeferredAttribute: ...
        @overload
        def __get__(self, instance: Model, owner: Any) -> V: ...
        @overload
        def __get__(self, instance: object, owner: Any) -> Self: ...
        def __get__(self, instance: object, owner: Any) -> Any: ...
        def __set__(self, instance: Model, value: Any) -> None: ...

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        primary_key: bool = False,
        max_length: int | None = None,
        unique: bool = False,
        blank: bool = False,
        null: bool = False,
        db_index: bool = False,
        default: Any = NOT_PROVIDED,
        editable: bool = True,
        serialize: bool = True,
        choices: Any = None,
        help_text: str = "",
        db_column: str | None = None,
        db_tablespace: str | None = None,
        auto_created: bool = False,
        validators: Any = (),
        error_messages: dict[str, str] | None = None,
        db_comment: str | None = None,
        db_default: Any = NOT_PROVIDED,
    ) -> None:
        self.name = name  # type: ignore[assignment]
        self.verbose_name = verbose_name
        self._verbose_name = verbose_name  # as given, for deconstruct()
        self.primary_key = primary_key
        self.max_length = max_length
        self._unique = unique
        self.blank = blank
        self.null = null
        self.db_index = db_index
        self.default = default
        self.editable = editable
        self.serialize = serialize
        # What was given, for the fields.E004 check: a string or a non-iterable is kept there
        # and leaves `choices` None, so the field still works until the check reports it.
        self._choices_given = choices
        if isinstance(choices, dict):
            choices = list(choices.items())
        elif isinstance(choices, str) or not isinstance(choices, Iterable):
            choices = None
        elif not isinstance(choices, list | tuple):
            choices = list(choices)
        self.choices = choices
        self.help_text = help_text
        self.db_column = db_column
        self.db_tablespace = db_tablespace
        self.auto_created = auto_created
        self._validators = list(validators)
        self._error_messages = error_messages
        self.db_comment = db_comment
        self.db_default = db_default
        self.is_relation = self.remote_field is not None
        if auto_created:
            self.creation_counter = Field.auto_creation_counter
            Field.auto_creation_counter -= 1
        else:
            self.creation_counter = Field.creation_counter
            Field.creation_counter += 1
        self.model: Any = None
        self.attname: str = ""
        self.column: str = ""
        self.concrete = False

    # ---- identity ------------------------------------------------------------------------

    def __str__(self) -> str:
        if self.model is None:
            return super().__str__()
        return f"{self.model._meta.label}.{self.name}"

    def __repr__(self) -> str:
        path = f"{type(self).__module__}.{type(self).__qualname__}"
        name = getattr(self, "name", None)
        return f"<{path}: {name}>" if name else f"<{path}>"

    def __lt__(self, other: Any) -> bool:
        if isinstance(other, Field):
            return self.creation_counter < other.creation_counter
        return NotImplemented

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        obj = type(self).__new__(type(self))
        obj.__dict__ = dict(self.__dict__)
        memo[id(self)] = obj
        return obj

    def __reduce__(self) -> Any:
        """A field of a registered model pickles as a reference to it, so that unpickling
        gives the model's own field back (its state holds the model's join caches, which name
        the model's Meta class, which pickle cannot find). Unbound fields pickle by value."""
        model = self.__dict__.get("model")
        if model is None or model._meta.abstract or not self.name:
            return _unbound_field, (type(self),), self.__dict__
        return _load_field, (model._meta.app_label, model._meta.object_name, self.name)

    def __copy__(self) -> Field:
        # copy.copy() would go through __reduce__ and give this very field back.
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        return clone

    def clone(self) -> Field:
        """A fresh unbound copy (abstract base fields are cloned into every subclass)."""
        obj = type(self).__new__(type(self))
        obj.__dict__ = dict(self.__dict__)
        obj.model = None
        rel = self.__dict__.get("remote_field")
        if rel is not None:
            # Each child gets its own reverse side (related_name templates, m2m through).
            obj.remote_field = copy.copy(rel)
            obj.remote_field.field = obj
            for cached in ("path_infos", "target_field", "foreign_related_fields"):
                obj.__dict__.pop(cached, None)
        return obj

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        """(name, import path, args, kwargs) that rebuild this field, defaults left out, as
        Django's deconstruct(): migrations write and compare fields through it."""
        kwargs: dict[str, Any] = {}
        for keyword, default in _DECONSTRUCT_DEFAULTS.items():
            value = getattr(self, _DECONSTRUCT_ATTRS.get(keyword, keyword))
            if keyword == "choices" and value is not None:
                value = list(value)
            if keyword == "validators":
                value = list(value)
            if value is default or value == default and type(value) is type(default):
                continue
            kwargs[keyword] = value
        module = type(self).__module__
        if module.startswith("tether.models.fields"):
            module = "tether.models"
        return self.name, f"{module}.{type(self).__qualname__}", [], kwargs

    # ---- attributes ----------------------------------------------------------------------

    @property
    def unique(self) -> bool:
        return self._unique or self.primary_key

    @property
    def validators(self) -> list[Any]:
        return [*self.default_validators(), *self._validators]

    def default_validators(self) -> list[Any]:
        return []

    @property
    def error_messages(self) -> dict[str, str]:
        messages: dict[str, str] = {}
        for cls in reversed(type(self).__mro__):
            messages.update(getattr(cls, "default_error_messages", {}))
        messages.update(self._error_messages or {})
        return messages

    def get_attname(self) -> str:
        return self.name

    def get_attname_column(self) -> tuple[str, str]:
        attname = self.get_attname()
        return attname, self.db_column or attname

    def set_attributes_from_name(self, name: str) -> None:
        self.name = self.name or name
        self.attname, self.column = self.get_attname_column()
        self.concrete = self.column is not None
        if self.verbose_name is None and self.name:
            self.verbose_name = self.name.replace("_", " ")

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        self.set_attributes_from_name(name)
        self.model = cls
        cls._meta.add_field(self, private=private_only)
        if self.column and not hasattr(cls, self.attname):
            setattr(cls, self.attname, self.attname_descriptor_class(self))
        if self.choices is not None and f"get_{self.name}_display" not in cls.__dict__:
            setattr(cls, f"get_{self.name}_display", _display_method(self))

    # ---- defaults ------------------------------------------------------------------------

    def has_default(self) -> bool:
        return self.default is not NOT_PROVIDED

    def get_default(self) -> Any:
        return self._get_default()

    def _get_default(self) -> Any:
        if self.has_default():
            if callable(self.default):
                return self.default()
            return self.default
        if self.db_default is not NOT_PROVIDED:
            return DatabaseDefault(self)
        if not self.empty_strings_allowed or self.null:
            return None
        return ""

    @property
    def flatchoices(self) -> list[tuple[Any, Any]]:
        flat: list[tuple[Any, Any]] = []
        for value, label in self.choices or ():
            if isinstance(label, list | tuple):
                flat.extend(label)
            else:
                flat.append((value, label))
        return flat

    def get_choices(
        self,
        include_blank: bool = True,
        blank_choice: list[tuple[Any, Any]] = BLANK_CHOICE_DASH,
        limit_choices_to: Any = None,
        ordering: Sequence[str] = (),
    ) -> list[tuple[Any, Any]]:
        """(value, label) pairs for a select box: the field's choices, or the rows a relation
        can point at, keyed by the column the relation stores."""
        blank = list(blank_choice) if include_blank else []
        if self.choices is not None:
            choices = list(self.choices)
            if any(value in ("", None) for value, _label in choices):
                blank = []
            return [*blank, *choices]
        related = self.remote_field.model
        condition = limit_choices_to or self.get_limit_choices_to()  # type: ignore[attr-defined]
        key = self.foreign_related_fields[0].attname  # type: ignore[attr-defined]
        rows = related._default_manager.complex_filter(condition)
        if ordering:
            rows = rows.order_by(*ordering)
        return [*blank, *((getattr(obj, key), str(obj)) for obj in rows)]

    # ---- values --------------------------------------------------------------------------

    def get_internal_type(self) -> str:
        """The type name the backends know this field by (column type, converters)."""
        return self.internal_type or type(self).__name__

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        """Python-level preparation of a value for a query (type checks and conversion)."""
        if hasattr(value, "resolve_expression"):
            return value
        return value

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        """The value the driver receives (the backend may adapt dates, decimals, ...)."""
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        return self.get_db_prep_value(value, connection, prepared=False)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        return getattr(model_instance, self.attname)

    def value_from_object(self, obj: Any) -> Any:
        return getattr(obj, self.attname)

    def value_to_string(self, obj: Any) -> Any:
        """The field's value of `obj` as text, for a serializer (fixtures)."""
        return str(self.value_from_object(obj))

    def get_db_converters(self, connection: Any) -> list[Callable[[Any], Any]]:
        converters = connection.ops.get_db_converters(self.get_internal_type(), self)
        if hasattr(self, "from_db_value"):
            from_db = self.from_db_value
            converters = [*converters, lambda value: from_db(value, None, connection)]
        return converters

    # ---- schema --------------------------------------------------------------------------

    def db_type_parameters(self, connection: Any) -> dict[str, Any]:
        return {**self.__dict__, "column": self.column}

    def db_type(self, connection: Any) -> str | None:
        template = connection.data_types.get(self.get_internal_type())
        if template is None:
            return None
        return template % self.db_type_parameters(connection)

    def rel_db_type(self, connection: Any) -> str | None:
        """The column type of a foreign key pointing at this field."""
        return self.db_type(connection)

    def db_check(self, connection: Any) -> str | None:
        template = connection.data_type_check_constraints.get(self.get_internal_type())
        if template is None:
            return None
        return template % self.db_type_parameters(connection)

    def cast_db_type(self, connection: Any) -> str | None:
        """The type Cast() converts to: the backend's cast type for this field, else its
        column type."""
        template = connection.ops.cast_data_types.get(self.get_internal_type())
        if template is not None:
            return template % self.db_type_parameters(connection)  # type: ignore[no-any-return]
        return self.db_type(connection)

    # ---- validation (full_clean builds on these) -----------------------------------------

    def run_validators(self, value: Any) -> None:
        if value in self.empty_values:
            return
        errors = []
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)

    def validate(self, value: Any, model_instance: Any) -> None:
        if not self.editable:
            return
        if self.choices is not None and value not in self.empty_values:
            if value not in {v for v, _ in self.flatchoices}:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": value},
                )
        if value is None and not self.null:
            raise ValidationError(self.error_messages["null"], code="null")
        if not self.blank and value in self.empty_values:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def clean(self, value: Any, model_instance: Any) -> Any:
        value = self.to_python(value)
        self.validate(value, model_instance)
        self.run_validators(value)
        return value


def _display_method(field: Field) -> Callable[[Any], Any]:
    def display(self: Any) -> Any:
        value = getattr(self, field.attname)
        for choice, label in field.flatchoices:
            if choice == value:
                return str(label)
        return value

    display.__name__ = f"get_{field.name}_display"
    return display


def _invalid(field: Field, message: str, value: Any, exc: Exception) -> Exception:
    return exc.__class__(f"Field '{field.name}' expected {message} but got {value!r}.")


# ---- numbers ---------------------------------------------------------------------------


class IntegerField(Field[int]):
    internal_type = "IntegerField"
    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be an integer."}

    def get_prep_value(self, value: Any) -> Any:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise _invalid(self, "a number", value, exc) from exc

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None


class BigIntegerField(IntegerField):
    internal_type = "BigIntegerField"


class SmallIntegerField(IntegerField):
    internal_type = "SmallIntegerField"


class PositiveIntegerField(IntegerField):
    internal_type = "PositiveIntegerField"

    def rel_db_type(self, connection: Any) -> str | None:
        return IntegerField().db_type(connection)


class PositiveBigIntegerField(IntegerField):
    internal_type = "PositiveBigIntegerField"

    def rel_db_type(self, connection: Any) -> str | None:
        return BigIntegerField().db_type(connection)


class PositiveSmallIntegerField(IntegerField):
    internal_type = "PositiveSmallIntegerField"

    def rel_db_type(self, connection: Any) -> str | None:
        return SmallIntegerField().db_type(connection)


class AutoFieldMixin:
    db_returning = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        kwargs.pop("blank", None)
        kwargs["primary_key"] = True
        return name, path, args, kwargs

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        if cls._meta.auto_field:
            raise ValueError(
                f"Model {cls._meta.label} can't have more than one auto-generated field."
            )
        super().contribute_to_class(cls, name, private_only=private_only)  # type: ignore[misc]
        cls._meta.auto_field = self

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)  # type: ignore[attr-defined]
        return value

    def validate(self, value: Any, model_instance: Any) -> None:
        pass


class AutoField(AutoFieldMixin, IntegerField):
    internal_type = "AutoField"

    def rel_db_type(self, connection: Any) -> str | None:
        return IntegerField().db_type(connection)


class BigAutoField(AutoFieldMixin, BigIntegerField):
    internal_type = "BigAutoField"

    def rel_db_type(self, connection: Any) -> str | None:
        return BigIntegerField().db_type(connection)


class SmallAutoField(AutoFieldMixin, SmallIntegerField):
    internal_type = "SmallAutoField"

    def rel_db_type(self, connection: Any) -> str | None:
        return SmallIntegerField().db_type(connection)


class FloatField(Field[float]):
    internal_type = "FloatField"
    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be a float."}

    def get_prep_value(self, value: Any) -> Any:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise _invalid(self, "a number", value, exc) from exc

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None


class DecimalField(Field[decimal.Decimal]):
    internal_type = "DecimalField"
    empty_strings_allowed = False
    default_error_messages = {"invalid": "“%(value)s” value must be a decimal number."}

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.max_digits is not None:
            kwargs["max_digits"] = self.max_digits
        if self.decimal_places is not None:
            kwargs["decimal_places"] = self.decimal_places
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        try:
            if isinstance(value, float):
                context = decimal.Context(prec=self.max_digits or 28)
                return context.create_decimal_from_float(value)
            result = decimal.Decimal(str(value))
        except (decimal.InvalidOperation, TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None
        if not result.is_finite():
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return result

    def get_prep_value(self, value: Any) -> Any:
        if hasattr(value, "resolve_expression"):
            return value
        return self.to_python(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_decimalfield_value(value, self.max_digits, self.decimal_places)

    def default_validators(self) -> list[Any]:
        from tether.validators import DecimalValidator

        return [DecimalValidator(self.max_digits, self.decimal_places)]


class BooleanField(Field[bool]):
    internal_type = "BooleanField"
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "“%(value)s” value must be either True or False.",
        "invalid_nullable": "“%(value)s” value must be either True, False, or None.",
    }

    def to_python(self, value: Any) -> Any:
        if self.null and value in self.empty_values:
            return None
        if value in (True, False):
            return bool(value)
        if value in ("t", "True", "1"):
            return True
        if value in ("f", "False", "0"):
            return False
        raise ValidationError(
            self.error_messages["invalid_nullable" if self.null else "invalid"],
            code="invalid",
            params={"value": value},
        )

    def get_prep_value(self, value: Any) -> Any:
        if value is None or hasattr(value, "resolve_expression"):
            return value
        return self.to_python(value)


# ---- text ------------------------------------------------------------------------------


class CharField(Field[str]):
    internal_type = "CharField"

    def __init__(self, *args: Any, db_collation: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.db_collation = db_collation

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.db_collation:
            kwargs["db_collation"] = self.db_collation
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, str) or hasattr(value, "resolve_expression"):
            return value
        return str(value)

    def db_type(self, connection: Any) -> str | None:
        if self.max_length is None:
            return connection.data_types.get("TextField")  # type: ignore[no-any-return]
        return super().db_type(connection)

    def cast_db_type(self, connection: Any) -> str | None:
        if self.max_length is None:
            return connection.ops.cast_char_field_without_max_length  # type: ignore[no-any-return]
        return super().cast_db_type(connection)

    def default_validators(self) -> list[Any]:
        from tether.validators import MaxLengthValidator

        return [MaxLengthValidator(self.max_length)] if self.max_length is not None else []


class TextField(CharField):
    internal_type = "TextField"

    def cast_db_type(self, connection: Any) -> str | None:
        # Its own type ("text"), not the one of a CharField without max_length ("varchar").
        return Field.cast_db_type(self, connection)


# ---- dates and times -------------------------------------------------------------------


class AutoNowField(Field[V]):
    """A date or time field that can take its value from the clock on save (auto_now,
    auto_now_add); such a field is not editable and may be blank."""

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        auto_now: bool = False,
        auto_now_add: bool = False,
        **kwargs: Any,
    ) -> None:
        self.auto_now, self.auto_now_add = auto_now, auto_now_add
        if auto_now or auto_now_add:
            kwargs["editable"] = False
            kwargs["blank"] = True
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.auto_now:
            kwargs["auto_now"] = True
        if self.auto_now_add:
            kwargs["auto_now_add"] = True
        if self.auto_now or self.auto_now_add:
            kwargs.pop("editable", None)
            kwargs.pop("blank", None)
        return name, path, args, kwargs

    def clock_value(self) -> Any:
        """The value auto_now and auto_now_add store: today, now, or the time of day."""
        raise NotImplementedError

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        if self.auto_now or (self.auto_now_add and add):
            value = self.clock_value()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def get_prep_value(self, value: Any) -> Any:
        if hasattr(value, "resolve_expression"):
            return value
        return self.to_python(value)


class DateField(AutoNowField[datetime.date]):
    internal_type = "DateField"
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": (
            "“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format."
        ),
        "invalid_date": (
            "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date."
        ),
    }

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return _parse_date(str(value))
        except ValueError:
            code = "invalid_date" if _looks_like_date(str(value)) else "invalid"
            raise ValidationError(
                self.error_messages[code], code=code, params={"value": value}
            ) from None

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_datefield_value(value)

    def clock_value(self) -> Any:
        return datetime.date.today()

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not self.null:  # Django adds get_next_by_FOO()/get_previous_by_FOO() then
            for is_next, prefix in ((True, "get_next_by_"), (False, "get_previous_by_")):
                setattr(
                    cls,
                    f"{prefix}{self.name}",
                    functools.partialmethod(
                        cls._get_next_or_previous_by_FIELD, field=self, is_next=is_next
                    ),
                )


def _parse_date(text: str) -> datetime.date:
    """ISO 8601, or Django's looser YYYY-M-D (one-digit months and days: "2009-7-8")."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        parts = text.split("-")
        if len(parts) == 3 and len(parts[0]) == 4 and all(1 <= len(p) <= 2 for p in parts[1:]):
            if all(p.isdigit() for p in parts):
                return datetime.date(*map(int, parts))
        raise


def _looks_like_date(text: str) -> bool:
    parts = text.split("-")
    return len(parts) == 3 and all(p.isdigit() for p in parts)


class DateTimeField(DateField):
    internal_type = "DateTimeField"

    if TYPE_CHECKING:  # a DateField whose values are date-times

        @overload  # type: ignore[override]
        def __get__(self, instance: None, owner: Any) -> DeferredAttribute: ...
        @overload
        def __get__(self, instance: Model, owner: Any) -> datetime.datetime: ...
        @overload
        def __get__(self, instance: object, owner: Any) -> Self: ...
        def __get__(self, instance: object, owner: Any) -> Any: ...

    default_error_messages = {
        "invalid": (
            "“%(value)s” value has an invalid format. It must be in "
            "YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format."
        ),
        "invalid_date": (
            "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date."
        ),
    }

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            value = datetime.datetime(value.year, value.month, value.day)
            return _make_aware_if_needed(self, value)
        try:
            return datetime.datetime.fromisoformat(str(value))
        except ValueError:
            code = "invalid_date" if _looks_like_date(str(value)[:10]) else "invalid"
            raise ValidationError(
                self.error_messages[code], code=code, params={"value": value}
            ) from None

    def get_prep_value(self, value: Any) -> Any:
        if hasattr(value, "resolve_expression"):
            return value
        value = self.to_python(value)
        if value is not None:
            value = _make_aware_if_needed(self, value)
        return value

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return connection.ops.adapt_datetimefield_value(value)

    def clock_value(self) -> Any:
        from tether.utils.timezone import now

        return now()


def _make_aware_if_needed(field: Field, value: datetime.datetime) -> datetime.datetime:
    from tether.conf import settings
    from tether.utils.timezone import default_timezone

    if settings.use_tz and value.tzinfo is None:
        name = f"{field.model.__name__}.{field.name}" if field.model is not None else field.name
        warnings.warn(
            f"DateTimeField {name} received a naive datetime ({value}) while time zone support "
            "is active.",
            RuntimeWarning,
            stacklevel=4,
        )
        return value.replace(tzinfo=default_timezone())
    return value


def _load_field(app_label: str, model_name: str, field_name: str) -> Field:
    from tether.apps import apps

    return apps.get_model(app_label, model_name)._meta.get_field(field_name)  # type: ignore[no-any-return]


def _unbound_field(cls: type[Field]) -> Field:
    return cls.__new__(cls)
