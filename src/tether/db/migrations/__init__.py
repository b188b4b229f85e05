"""`tether.db.migrations`: Django's migration framework, module for module.

Migration files import `from tether.db import migrations, models` and use `migrations.Migration`,
the operations and `migrations.swappable_dependency`, as Django's files do with `django.db`.
"""

from tether.db.migrations.migration import Migration, swappable_dependency
from tether.db.migrations.operations import *  # noqa: F403
from tether.db.migrations.operations import __all__ as _operations_all

__all__ = ["Migration", "swappable_dependency", *_operations_all]
