"""`django.db.utils`'s connection names at their Django path: the connection handler and
router classes and the default alias (they live in `connections` and `routers`; the database
exceptions are `tether.db`'s)."""

from tether.db.connections import DEFAULT_DB_ALIAS, ConnectionDoesNotExist, ConnectionHandler
from tether.db.routers import ConnectionRouter

__all__ = ["DEFAULT_DB_ALIAS", "ConnectionDoesNotExist", "ConnectionHandler", "ConnectionRouter"]
