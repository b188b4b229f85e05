"""JSONField, its key transforms (`data__a__0__b`) and its lookups (contains, contained_by,
has_key, has_keys, has_any_keys).

Values are JSON-encoded by the backend (`ops.adapt_json_value`: jsonb on PostgreSQL, text
elsewhere) and decoded by the field. Each node renders per vendor through `as_<vendor>`:
PostgreSQL uses the jsonb operators, SQLite the JSON1 functions, MariaDB/MySQL the JSON_*
functions. Key names and paths are always bound parameters.
"""

from __future__ import annotations

import json
from typing import Any

from tether.db.errors import NotSupportedError
from tether.exceptions import ValidationError
from tether.models import lookups
from tether.models.fields import Field, TextField


class JSONField(Field[Any]):
    internal_type = "JSONField"
    empty_strings_allowed = False
    default_error_messages = {"invalid": "Value must be valid JSON."}

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        encoder: Any = None,
        decoder: Any = None,
        **kwargs: Any,
    ) -> None:
        if encoder and not callable(encoder):
            raise ValueError("The encoder parameter must be a callable object.")
        if decoder and not callable(decoder):
            raise ValueError("The decoder parameter must be a callable object.")
        self.encoder = encoder
        self.decoder = decoder
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.encoder is not None:
            kwargs["encoder"] = self.encoder
        if self.decoder is not None:
            kwargs["decoder"] = self.decoder
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or not isinstance(value, str | bytes):
            return value
        try:
            return json.loads(value, cls=self.decoder)
        except json.JSONDecodeError:
            return value

    def get_prep_value(self, value: Any) -> Any:
        return value

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if hasattr(value, "as_sql"):
            return value
        if value is None and self.null:
            return None
        return connection.ops.adapt_json_value(value, self.encoder)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if value is None and self.null:
            return None
        return self.get_db_prep_value(value, connection)

    def get_transform(self, lookup_name: str) -> Any:
        transform = super().get_transform(lookup_name)
        if transform is not None:
            return transform
        return KeyTransformFactory(lookup_name)

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        try:
            json.dumps(value, cls=self.encoder)
        except TypeError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def value_to_string(self, obj: Any) -> Any:
        return self.value_from_object(obj)


# ---- paths -------------------------------------------------------------------------------


def json_path(keys: list[str]) -> str:
    """The SQL/JSON path of `keys`: `$."a"[0]."b"` (integer-looking keys index arrays)."""
    parts = ["$"]
    for key in keys:
        if key.isdigit():
            parts.append(f"[{key}]")
        else:
            parts.append("." + json.dumps(key))
    return "".join(parts)


def _pg_key(key: str) -> Any:
    return int(key) if key.isdigit() else key


def key_chain(node: Any) -> tuple[Any, list[str]]:
    """(the node under a chain of KeyTransforms, the keys from the outermost inward reversed)."""
    keys: list[str] = []
    while isinstance(node, KeyTransform):
        keys.insert(0, node.key_name)
        node = node.lhs
    return node, keys


# ---- key transforms ----------------------------------------------------------------------


class KeyTransform(lookups.Transform):
    """`data__key`: the JSON value under `key` (still JSON: compared as JSON)."""

    postgres_operator = "->"

    has_params = True

    def __init__(self, key_name: str, lhs: Any) -> None:
        super().__init__(lhs)
        self.key_name = str(key_name)

    def shape_extra(self) -> Any:
        # The key is a bound parameter; only whether it is an index changes the SQL.
        return self.key_name.isdigit()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        base, keys = key_chain(self)
        sql, params = compiler.compile(base)
        return f"JSON_EXTRACT({sql}, %s)", [*params, json_path(keys)]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        base, keys = key_chain(self)
        sql, params = compiler.compile(base)
        if len(keys) > 1:
            inner = " -> ".join(["%s"] * (len(keys) - 1))
            sql = f"({sql} -> {inner})"
            params = [*params, *map(_pg_key, keys[:-1])]
        return f"({sql} {self.postgres_operator} %s)", [*params, _pg_key(keys[-1])]

    def get_lookup(self, lookup_name: str) -> Any:
        found = KEY_LOOKUPS.get(lookup_name)
        if found is not None:
            return found
        if lookup_name in TEXT_LOOKUPS:
            return _text_lookup(lookup_name)
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        transform = lookups.RegisterLookupMixin.get_transform(self, lookup_name)
        if transform is not None:
            return transform
        return KeyTransformFactory(lookup_name)


class KeyTextTransform(lookups.Transform):
    """The value under a key as text (`->>`, JSON_UNQUOTE): what the text lookups compare."""

    has_params = True

    @property
    def output_field(self) -> Any:
        return _TEXT

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        # SQLite's JSON_EXTRACT already returns strings unquoted.
        return compiler.compile(self.lhs)

    lower = False

    def as_mysql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.lhs)
        if self.lower:
            return f"LOWER(JSON_UNQUOTE({sql}))", params
        return f"JSON_UNQUOTE({sql})", params

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.lhs)
        # Replace the outermost -> by ->>.
        head, sep, tail = sql.rpartition(" -> %s)")
        if sep:
            return f"{head} ->> %s){tail}", params
        return f"({sql} #>> '{{}}')", params


_TEXT = TextField()


class KeyTransformFactory:
    def __init__(self, key_name: str) -> None:
        self.key_name = key_name

    def __call__(self, lhs: Any) -> KeyTransform:
        return KeyTransform(self.key_name, lhs)


# ---- lookups on keys ---------------------------------------------------------------------


class _JSONRhsMixin:
    """The right-hand side of a key comparison, as JSON (jsonb on PostgreSQL)."""

    lhs: Any

    def db_value(self, value: Any, connection: Any) -> Any:
        return connection.ops.adapt_json_value(
            value, getattr(self.lhs.output_field, "encoder", None)
        )

    def rhs_sql(self, compiler: Any, connection: Any) -> str:
        return connection.ops.json_value_placeholder  # type: ignore[no-any-return]


class KeyTransformExact(_JSONRhsMixin, lookups.Exact):
    prepare_rhs = False
    can_use_none_as_rhs = True

    def get_prep_lookup(self, rhs: Any) -> Any:
        return rhs

    def rhs_shape(self) -> Any:
        return "null" if self.rhs is None else None

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs = self.process_lhs(compiler, connection)
        return f"{lhs} = {self.rhs_sql(compiler, connection)}", self.get_params(
            compiler, connection
        )

    def as_mysql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if getattr(connection, "mysql_is_mariadb", False):
            # MariaDB compares extracted JSON strings unequal to themselves; compact text is exact.
            lhs = self.process_lhs(compiler, connection)
            return f"JSON_COMPACT({lhs}) = JSON_COMPACT(%s)", self.get_params(compiler, connection)
        return self.as_sql(compiler, connection)

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        if self.rhs is None and connection.features.json_null_key_by_type:
            return self.lhs_params(compiler, connection)  # JSON_TYPE(...) = 'null' binds no value
        return lookups.Lookup.get_params(self, compiler, connection)

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.rhs is None:
            # JSON null under the key: JSON_EXTRACT gives SQL NULL, JSON_TYPE tells them apart.
            sql, _ = compiler.compile(self.lhs)
            return f"JSON_TYPE{sql[len('JSON_EXTRACT') :]} = 'null'", self.lhs_params(
                compiler, connection
            )
        return self.as_sql(compiler, connection)


class _NumericRhsMixin(_JSONRhsMixin):
    """gt/gte/lt/lte on a key: MariaDB's JSON is text, so compare with the plain value."""

    def db_value(self, value: Any, connection: Any) -> Any:
        if getattr(connection, "mysql_is_mariadb", False):
            return value
        return super().db_value(value, connection)

    def rhs_sql(self, compiler: Any, connection: Any) -> str:
        if getattr(connection, "mysql_is_mariadb", False):
            return "%s"
        return super().rhs_sql(compiler, connection)


def _key_comparison(name: str, base: type) -> type:
    return type(f"KeyTransform{base.__name__}", (_NumericRhsMixin, base), {"prepare_rhs": False})


class KeyTransformIn(lookups.In):
    def get_prep_lookup(self, rhs: Any) -> Any:
        if isinstance(rhs, str) or not hasattr(rhs, "__iter__"):
            raise TypeError(f"The 'in' lookup expects an iterable of values, got {rhs!r}.")
        return list(rhs)

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        encoder = getattr(self.lhs.output_field, "encoder", None)
        values = [connection.ops.adapt_json_value(v, encoder) for v in self.rhs]
        return self.lhs_params(compiler, connection) + values

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        from tether.exceptions import EmptyResultSet

        if not self.rhs:
            raise EmptyResultSet
        lhs, _ = compiler.compile(self.lhs)
        one = connection.ops.json_value_placeholder
        if getattr(connection, "mysql_is_mariadb", False):
            lhs, one = f"JSON_COMPACT({lhs})", "JSON_COMPACT(%s)"
        return f"{lhs} IN ({', '.join([one] * len(self.rhs))})", self.get_params(
            compiler, connection
        )


class KeyTransformIsNull(lookups.IsNull):
    """`data__a__isnull=True`: the key is absent (Django: not has_key)."""

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        base, keys = key_chain(self.lhs)
        sql, params = HasKey(base, keys[-1], prefix=keys[:-1]).as_sql_for(compiler, connection)
        return (f"NOT {sql}" if self.rhs else sql), params

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        return self.as_sql(compiler, connection)[1]


TEXT_LOOKUPS = (
    "iexact",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "regex",
    "iregex",
)


def _text_lookup(name: str) -> type:
    """A text lookup applied to the key's value as text."""
    cls = _TEXT_LOOKUP_CACHE.get(name)
    if cls is None:
        base = Field._class_lookups()[name]

        def __init__(self: Any, lhs: Any, rhs: Any) -> None:
            text = KeyTextTransform(lhs)
            text.lower = name.startswith("i")
            base.__init__(self, text, rhs)

        def db_value(self: Any, value: Any, connection: Any) -> Any:
            if self.lhs.lower and connection.features.json_key_text_is_case_sensitive:
                value = str(value).lower()  # JSON_UNQUOTE() is case-sensitive: LOWER() both
            return base.db_value(self, value, connection)

        cls = type(
            f"KeyTransform{base.__name__}", (base,), {"__init__": __init__, "db_value": db_value}
        )
        _TEXT_LOOKUP_CACHE[name] = cls
    return cls


_TEXT_LOOKUP_CACHE: dict[str, type] = {}

KEY_LOOKUPS: dict[str, Any] = {
    "exact": KeyTransformExact,
    "in": KeyTransformIn,
    "isnull": KeyTransformIsNull,
    "gt": _key_comparison("gt", lookups.GreaterThan),
    "gte": _key_comparison("gte", lookups.GreaterThanOrEqual),
    "lt": _key_comparison("lt", lookups.LessThan),
    "lte": _key_comparison("lte", lookups.LessThanOrEqual),
}


# ---- lookups on the whole document -------------------------------------------------------


@JSONField.register_lookup
class JSONExact(lookups.Exact):
    prepare_rhs = False

    def get_prep_lookup(self, rhs: Any) -> Any:
        return rhs

    def rhs_shape(self) -> Any:
        return "null" if self.rhs is None else None

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.rhs is None:
            return super().as_sql(compiler, connection)
        lhs, _ = compiler.compile(self.lhs)
        return f"JSON({lhs}) = JSON(%s)", self.get_params(compiler, connection)

    def as_mysql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.rhs is None:
            return super().as_sql(compiler, connection)
        lhs, _ = compiler.compile(self.lhs)
        return f"JSON_EXTRACT({lhs}, '$') = JSON_EXTRACT(%s, '$')", self.get_params(
            compiler, connection
        )


class _DocumentLookup(lookups.Lookup):
    prepare_rhs = False
    postgres_operator = ""

    def get_prep_lookup(self, rhs: Any) -> Any:
        return rhs

    def rhs_shape(self) -> Any:
        return None

    def db_value(self, value: Any, connection: Any) -> Any:
        return connection.ops.adapt_json_value(
            value, getattr(self.lhs.output_field, "encoder", None)
        )

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, _ = compiler.compile(self.lhs)
        return f"{lhs} {self.postgres_operator} %s", self.get_params(compiler, connection)

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        raise NotSupportedError(
            f"{self.lookup_name} lookup is not supported on this database backend."
        )


@JSONField.register_lookup
class DataContains(_DocumentLookup):
    lookup_name = "contains"
    postgres_operator = "@>"

    def as_mysql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, _ = compiler.compile(self.lhs)
        return f"JSON_CONTAINS({lhs}, %s)", self.get_params(compiler, connection)


@JSONField.register_lookup
class ContainedBy(_DocumentLookup):
    lookup_name = "contained_by"
    postgres_operator = "<@"

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        # The document comes second in the SQL on MySQL: JSON_CONTAINS(%s, col).
        return [self.db_value(self.rhs, connection), *self.lhs_params(compiler, connection)]

    def as_mysql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, _ = compiler.compile(self.lhs)
        return f"JSON_CONTAINS(%s, {lhs})", self.get_params(compiler, connection)

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, _ = compiler.compile(self.lhs)
        params = [*self.lhs_params(compiler, connection), self.db_value(self.rhs, connection)]
        return f"{lhs} <@ %s", params


class HasKeyLookup(lookups.Lookup):
    """has_key / has_keys / has_any_keys; the left side may itself be a key transform."""

    prepare_rhs = False
    logical = "AND"
    postgres_operator = "?"
    mysql_mode = "one"

    def __init__(self, lhs: Any, rhs: Any, prefix: list[str] | None = None) -> None:
        base, keys = key_chain(lhs)
        self.prefix = (prefix or []) + keys
        super().__init__(base, rhs)
        self.shape = (
            type(self),
            base.shape,
            len(self.keys()),
            tuple(k.isdigit() for k in self.prefix),
        )

    def get_prep_lookup(self, rhs: Any) -> Any:
        return rhs

    def keys(self) -> list[str]:
        if isinstance(self.rhs, list | tuple):
            return [str(k) for k in self.rhs]
        return [str(self.rhs)]

    def as_sql_for(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        """What compiler.compile renders: the as_<vendor> method if there is one, else as_sql."""
        method = getattr(self, f"as_{connection.vendor}", None) or self.as_sql
        return method(compiler, connection)  # type: ignore[no-any-return]

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        return self.as_sql_for(compiler, connection)[1]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return self.as_sqlite(compiler, connection)

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = compiler.compile(self.lhs)
        parts = [f"JSON_TYPE({lhs}, %s) IS NOT NULL" for _ in self.keys()]
        paths = [json_path([*self.prefix, key]) for key in self.keys()]
        return "(" + f" {self.logical} ".join(parts) + ")", [*params, *paths]

    def as_mysql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = compiler.compile(self.lhs)
        paths = [json_path([*self.prefix, key]) for key in self.keys()]
        marks = ", ".join(["%s"] * len(paths))
        return f"JSON_CONTAINS_PATH({lhs}, '{self.mysql_mode}', {marks})", [*params, *paths]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = compiler.compile(self.lhs)
        params = list(params)
        if self.prefix:
            lhs = "(" + lhs + "".join(" -> %s" for _ in self.prefix) + ")"
            params.extend(_pg_key(k) for k in self.prefix)
        parts = [f"{lhs} ? %s" for _ in self.keys()]
        sql = "(" + f" {self.logical} ".join(parts) + ")"
        out: list[Any] = []
        for key in self.keys():
            out.extend(params)
            out.append(key)
        return sql, out


@JSONField.register_lookup
class HasKey(HasKeyLookup):
    lookup_name = "has_key"


@JSONField.register_lookup
class HasKeys(HasKeyLookup):
    lookup_name = "has_keys"
    mysql_mode = "all"

    def get_prep_lookup(self, rhs: Any) -> Any:
        if not isinstance(rhs, list | tuple):
            raise ValueError("has_keys expects a list or tuple of keys.")
        return list(rhs)


@JSONField.register_lookup
class HasAnyKeys(HasKeys):
    lookup_name = "has_any_keys"
    logical = "OR"
    mysql_mode = "one"


KEY_LOOKUPS.update({"has_key": HasKey, "has_keys": HasKeys, "has_any_keys": HasAnyKeys})
