"""tether: Django's model and query API as a standalone ORM.

This module holds only `configure()` and the version; it imports nothing heavy so that
`import tether` stays cheap. Models live in `tether.models`, connections in `tether.db`.
"""

from tether.conf import configure

__version__ = "0.1.0"
__all__ = ["configure", "__version__"]
