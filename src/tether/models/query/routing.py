"""Which database a QuerySet runs on: the alias `using()` named, else the router's choice
(`tether.db.routers`), for a read or, once a write method has marked the queryset
(`_for_write`: create, get_or_create, update, delete, bulk writes, select_for_update), for a
write. The router gets the queryset's hints (`instance=`, set by related managers and
prefetches). Nothing here knows about SQL."""

from __future__ import annotations

from typing import Any

from tether.db.connections import connections
from tether.db.routers import router


class RoutingMixin:
    model: Any
    _db: str | None
    _for_write: bool
    _hints: dict[str, Any]

    @property
    def db(self) -> str:
        if self._db:
            return self._db
        if self._for_write:
            return router.db_for_write(self.model, **self._hints)
        return router.db_for_read(self.model, **self._hints)

    def _add_hints(self, **hints: Any) -> None:
        """Django's name: add router hints (`instance=`) to this queryset."""
        self._hints.update(hints)

    def _conn(self) -> Any:
        return connections[self.db]
