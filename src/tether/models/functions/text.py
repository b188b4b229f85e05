"""Text functions: Chr, Concat, ConcatPair, Left, Length, Lower, LPad, LTrim, MD5, Ord, Repeat,
Replace, Reverse, Right, RPad, RTrim, SHA1 ... SHA512, StrIndex, Substr, Trim, Upper.

Names, arguments, errors and results follow `django.db.models.functions`. The one-argument
ones are transforms (a `lookup_name`, registered on no field by default, as in Django:
`CharField.register_lookup(Lower)` makes `name__lower` work). Where SQLite has no such
function (LPAD, RPAD, REPEAT, REVERSE, MD5, SHA*), tether's SQLite driver registers a Python
one under the same name (`tether/db/backends/sqlite/text_functions.py`), as Django's does.
"""

from __future__ import annotations

from typing import Any

from tether.models.expressions import Func, Value
from tether.models.fields import CharField, IntegerField, TextField
from tether.models.functions.comparison import Cast, Coalesce
from tether.models.lookups import Transform

Compiled = tuple[str, list[Any]]


# The defaults of LPad/RPad's fill and Replace's replacement, as in Django's signatures. Each
# instance gets its own copy: a node shared by queries would carry one query's resolved state
# (its output field, which is part of a Value's shape) into the others.
_SPACE = Value(" ")
_NOTHING = Value("")


def _own(value: Any) -> Any:
    return Value(value.value) if value is _SPACE or value is _NOTHING else value


def _is_number(value: Any) -> bool:
    """A plain argument (not an expression, not None) that the constructor can check."""
    return value is not None and not hasattr(value, "resolve_expression")


class Chr(Transform):
    """The character with the given code point."""

    function = "CHR"
    lookup_name = "chr"
    output_field = CharField()

    def as_mysql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        return self.as_sql(
            compiler,
            connection,
            function="CHAR",
            template="%(function)s(%(expressions)s USING utf16)",
            **extra,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        return self.as_sql(compiler, connection, function="CHAR", **extra)


class _EmptyText(Value):
    """'' written in the SQL: made while rendering, so it must bind no parameter (the cached
    statement binds those of the query's own nodes only)."""

    is_leaf = False

    def __init__(self) -> None:
        super().__init__("")

    def as_sql(self, compiler: Any, connection: Any) -> Compiled:
        return "''", []

    def get_params(self, compiler: Any, connection: Any) -> list[Any]:
        return []


class ConcatPair(Func):
    """Two arguments concatenated, a NULL one counting as empty text (Concat's building block:
    not every backend's CONCAT takes more than two arguments, nor skips NULLs)."""

    function = "CONCAT"

    def coalesce(self) -> ConcatPair:
        """A copy whose arguments are each COALESCE(argument, '')."""
        c = self.copy()
        c.set_source_expressions(
            [Coalesce(expression, _EmptyText()) for expression in c.get_source_expressions()]
        )
        return c  # type: ignore[no-any-return]

    def pipes_concat_sql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        return Func.as_sql(
            self.coalesce(),
            compiler,
            connection,
            template="(%(expressions)s)",
            arg_joiner=" || ",
            **extra,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        return self.pipes_concat_sql(compiler, connection, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        # || needs text on both sides: anything else is cast to text first (NULL, which has
        # no type, needs no cast).
        c = self.copy()
        c.set_source_expressions(
            [
                expression
                if isinstance(expression._output_field_or_none, CharField | None)
                else Cast(expression, TextField())
                for expression in c.get_source_expressions()
            ]
        )
        return c.pipes_concat_sql(compiler, connection, **extra)  # type: ignore[no-any-return]

    def as_mysql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        # CONCAT_WS with an empty separator skips NULLs.
        return self.as_sql(
            compiler,
            connection,
            function="CONCAT_WS",
            template="%(function)s('', %(expressions)s)",
            **extra,
        )


class Concat(Func):
    """Its arguments concatenated; a NULL argument counts as empty text."""

    function = None
    template = "%(expressions)s"

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        if len(expressions) < 2:
            raise ValueError("Concat must take at least two expressions")
        super().__init__(self._paired(expressions, extra.get("output_field")), **extra)

    def _paired(self, expressions: tuple[Any, ...], output_field: Any) -> ConcatPair:
        # a, b, c, d -> ConcatPair(a, ConcatPair(b, ConcatPair(c, d)))
        if len(expressions) == 2:
            return ConcatPair(*expressions, output_field=output_field)
        rest = self._paired(expressions[1:], output_field)
        return ConcatPair(expressions[0], rest, output_field=output_field)


class Substr(Func):
    """`length` characters (or the rest) of the text from position `pos` (1 is the first)."""

    function = "SUBSTRING"
    output_field = CharField()

    def __init__(self, expression: Any, pos: Any, length: Any = None, **extra: Any) -> None:
        if _is_number(pos) and pos < 1:
            raise ValueError("'pos' must be greater than 0")
        expressions = [expression, pos] if length is None else [expression, pos, length]
        super().__init__(*expressions, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        return self.as_sql(compiler, connection, function="SUBSTR", **extra)


class Left(Func):
    """The first `length` characters."""

    function = "LEFT"
    arity = 2
    output_field = CharField()

    def __init__(self, expression: Any, length: Any, **extra: Any) -> None:
        if _is_number(length) and length < 1:
            raise ValueError("'length' must be greater than 0.")
        super().__init__(expression, length, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        # SQLite has no LEFT/RIGHT: SUBSTR does both.
        text_sql, params = compiler.compile(self.source_expressions[0])
        length_sql, length_params = compiler.compile(self.source_expressions[1])
        return f"SUBSTR({text_sql}, 1, {length_sql})", [*params, *length_params]


class Right(Left):
    """The last `length` characters."""

    function = "RIGHT"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        text_sql, params = compiler.compile(self.source_expressions[0])
        # The length appears twice, so it is compiled (and its leaves recorded) twice.
        start_sql, start_params = compiler.compile(self.source_expressions[1])
        length_sql, length_params = compiler.compile(self.source_expressions[1])
        sql = f"SUBSTR({text_sql}, -({start_sql}), {length_sql})"
        return sql, [*params, *start_params, *length_params]


class Length(Transform):
    """The number of characters."""

    function = "LENGTH"
    lookup_name = "length"
    output_field = IntegerField()

    def as_mysql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        # LENGTH counts bytes on MySQL.
        return self.as_sql(compiler, connection, function="CHAR_LENGTH", **extra)


class Lower(Transform):
    function = "LOWER"
    lookup_name = "lower"


class Upper(Transform):
    function = "UPPER"
    lookup_name = "upper"


class LTrim(Transform):
    function = "LTRIM"
    lookup_name = "ltrim"


class RTrim(Transform):
    function = "RTRIM"
    lookup_name = "rtrim"


class Trim(Transform):
    function = "TRIM"
    lookup_name = "trim"


class Reverse(Transform):
    function = "REVERSE"
    lookup_name = "reverse"


class LPad(Func):
    """The text padded on the left with `fill_text` to `length` characters (or cut to it)."""

    function = "LPAD"
    output_field = CharField()

    def __init__(self, expression: Any, length: Any, fill_text: Any = _SPACE, **extra: Any) -> None:
        if _is_number(length) and length < 0:
            raise ValueError("'length' must be greater or equal to 0.")
        super().__init__(expression, length, _own(fill_text), **extra)


class RPad(LPad):
    """The text padded on the right with `fill_text` to `length` characters (or cut to it)."""

    function = "RPAD"


class Ord(Transform):
    """The code point of the first character."""

    function = "ASCII"
    lookup_name = "ord"
    output_field = IntegerField()

    def as_mysql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        return self.as_sql(compiler, connection, function="ORD", **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        return self.as_sql(compiler, connection, function="UNICODE", **extra)


class Repeat(Func):
    """The text repeated `number` times."""

    function = "REPEAT"
    output_field = CharField()

    def __init__(self, expression: Any, number: Any, **extra: Any) -> None:
        if _is_number(number) and number < 0:
            raise ValueError("'number' must be greater or equal to 0.")
        super().__init__(expression, number, **extra)


class Replace(Func):
    """The text with every `text` replaced by `replacement` (by default removed)."""

    function = "REPLACE"

    def __init__(
        self, expression: Any, text: Any, replacement: Any = _NOTHING, **extra: Any
    ) -> None:
        super().__init__(expression, text, _own(replacement), **extra)


class StrIndex(Func):
    """The 1-based position of the first `substring` in the text, 0 when it is not there."""

    function = "INSTR"
    arity = 2
    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        return self.as_sql(compiler, connection, function="STRPOS", **extra)


class MD5(Transform):
    """The MD5 digest of the text, as 32 hexadecimal digits."""

    function = "MD5"
    lookup_name = "md5"


class _SHA(Transform):
    """A SHA digest of the text (UTF-8), in lower-case hexadecimal digits.

    PostgreSQL: the built-in sha224() ... sha512() over the text's UTF-8 bytes; SHA1 has no
    built-in and uses pgcrypto's DIGEST(), as Django's (the extension must be installed).
    MySQL/MariaDB: SHA1() and SHA2(text, bits).
    """

    bits = 0

    def as_mysql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        template = f"SHA2(%(expressions)s, {self.bits})"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        name = type(self).__name__.lower()
        template = f"ENCODE({name}(CONVERT_TO(%(expressions)s, 'UTF8')), 'hex')"
        return self.as_sql(compiler, connection, template=template, **extra)


class SHA1(_SHA):
    function = "SHA1"
    lookup_name = "sha1"

    def as_mysql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        return self.as_sql(compiler, connection, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Compiled:
        template = "ENCODE(DIGEST(%(expressions)s, 'sha1'), 'hex')"
        return self.as_sql(compiler, connection, template=template, **extra)


class SHA224(_SHA):
    function = "SHA224"
    lookup_name = "sha224"
    bits = 224


class SHA256(_SHA):
    function = "SHA256"
    lookup_name = "sha256"
    bits = 256


class SHA384(_SHA):
    function = "SHA384"
    lookup_name = "sha384"
    bits = 384


class SHA512(_SHA):
    function = "SHA512"
    lookup_name = "sha512"
    bits = 512


__all__ = [
    "MD5",
    "SHA1",
    "SHA224",
    "SHA256",
    "SHA384",
    "SHA512",
    "Chr",
    "Concat",
    "ConcatPair",
    "LPad",
    "LTrim",
    "Left",
    "Length",
    "Lower",
    "Ord",
    "RPad",
    "RTrim",
    "Repeat",
    "Replace",
    "Reverse",
    "Right",
    "StrIndex",
    "Substr",
    "Trim",
    "Upper",
]
