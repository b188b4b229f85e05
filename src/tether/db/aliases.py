"""Import names Django's migration files use, mapped to tether's modules (the same objects).

Django writes `from django.db import migrations, models` and `import django.db.models.deletion`;
a ported file says `tether.db...`. `tether.db.models` (and every `tether.db.models.<sub>`) is
`tether.models` (and its submodule), so `tether.db.models.deletion.CASCADE is
tether.models.deletion.CASCADE`; `tether.core.validators` is `tether.validators` and
`tether.core.exceptions` is `tether.exceptions` (`tether.core` itself is a real package, the
home of `tether.core.serializers`).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType
from typing import Any

ALIASES = {
    "tether.db.models": "tether.models",
    "tether.core.validators": "tether.validators",
    "tether.core.exceptions": "tether.exceptions",
}


def _real_name(name: str) -> str | None:
    for alias, real in ALIASES.items():
        if name == alias or name.startswith(alias + "."):
            return real + name[len(alias) :]
    return None


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, real: str) -> None:
        self.real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.real)

    def exec_module(self, module: ModuleType) -> None:
        pass


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        real = _real_name(fullname)
        if real is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(real))


def install() -> None:
    if not any(isinstance(finder, _AliasFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())
