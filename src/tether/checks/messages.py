"""Check messages: levels and the CheckMessage classes printed as Django prints them.

`str(Error("msg", hint="h", obj=field, id="fields.E304"))` is
`app.Model.field: (fields.E304) msg\n\tHINT: h`. This module knows nothing about models
beyond recognising a model class (its `_meta.label` is printed).
"""

from __future__ import annotations

from typing import Any

DEBUG = 10
INFO = 20
WARNING = 30
ERROR = 40
CRITICAL = 50


class CheckMessage:
    """One finding of a check: a level, a message, an optional hint, object and id."""

    def __init__(
        self, level: int, msg: str, hint: str | None = None, obj: Any = None, id: str | None = None
    ) -> None:
        if not isinstance(level, int):
            raise TypeError("The first argument should be level.")
        self.level = level
        self.msg = msg
        self.hint = hint
        self.obj = obj
        self.id = id

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and all(
            getattr(self, name) == getattr(other, name)
            for name in ("level", "msg", "hint", "obj", "id")
        )

    def __hash__(self) -> int:
        return hash((self.level, self.msg, self.hint, self.id))

    def _obj_label(self) -> str:
        if self.obj is None:
            return "?"
        meta = getattr(self.obj, "_meta", None)
        if isinstance(self.obj, type) and meta is not None:
            return str(meta.label)
        return str(self.obj)

    def __str__(self) -> str:
        ident = f"({self.id}) " if self.id else ""
        hint = f"\n\tHINT: {self.hint}" if self.hint else ""
        return f"{self._obj_label()}: {ident}{self.msg}{hint}"

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: level={self.level!r}, msg={self.msg!r}, "
            f"hint={self.hint!r}, obj={self.obj!r}, id={self.id!r}>"
        )

    def is_serious(self, level: int = ERROR) -> bool:
        return self.level >= level

    def is_silenced(self) -> bool:
        return False  # tether has no SILENCED_SYSTEM_CHECKS setting


class Debug(CheckMessage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(DEBUG, *args, **kwargs)


class Info(CheckMessage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(INFO, *args, **kwargs)


class Warning(CheckMessage):  # noqa: A001 - Django's name
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(WARNING, *args, **kwargs)


class Error(CheckMessage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(ERROR, *args, **kwargs)


class Critical(CheckMessage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(CRITICAL, *args, **kwargs)
