"""DatabaseWrapper: one connection's life cycle, transaction state and query log.

It owns no I/O loop of its own: plans are driven by the runners in `tether.db.core.run`, which
call `connect()`/`aconnect()` when the driver is not open yet and use `driver` afterwards.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections import deque
from collections.abc import Callable
from time import monotonic
from typing import Any, ClassVar

from tether.conf import DatabaseSettings, settings
from tether.db.backends.base.caches import ConnectionCaches
from tether.db.backends.base.constraint_checks import ConstraintChecksMixin
from tether.db.errors import DatabaseError, Error, wrap_driver_error
from tether.exceptions import ImproperlyConfigured


@functools.cache
def _import_class(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


class BaseDatabaseWrapper(ConstraintChecksMixin):
    vendor = "unknown"
    display_name = "unknown"
    # Helper classes, wired by class attribute as each backend folder defines them.
    features_class: Any = None
    ops_class: Any = None
    schema_editor_class: Any = None
    creation_class: Any = None
    introspection_class: Any = None
    client_class: Any = None  # the command-line client `tether dbshell` runs
    # The drivers a URL can name (`postgresql+psycopg://`), the default first: name ->
    # (sync adapter, async adapter) as "module:Class", imported when a wrapper picks one. A
    # second driver is a module of adapters and an entry here; the dialect (operations,
    # features, schema, introspection, creation) stays as it is.
    drivers: dict[str, tuple[str, str]] = {}
    # Column types by a field's internal type; %(name)s is filled from the field's attributes.
    data_types: dict[str, str] = {}
    data_types_suffix: dict[str, str] = {}
    data_type_check_constraints: dict[str, str] = {}
    queries_limit = 9000
    # Called before any connection opens while set: the pytest plugin's database blocker
    # raises there for a test that did not ask for the database.
    connect_gate: Any = None
    # {alias: called before each statement on that alias}: a test case refuses the aliases
    # it did not declare in `databases` (tether.test.guards).
    alias_gates: ClassVar[dict[str, Callable[[], None]]] = {}

    def __init__(
        self, settings_dict: DatabaseSettings, alias: str = "default", is_async: bool = False
    ):
        self.settings_dict = settings_dict
        self.alias = alias
        self.is_async = is_async
        self.driver: Any = None
        self.driver_class, self.async_driver_class = self._driver_classes(settings_dict.driver)
        self.features = self.features_class(self)
        self.ops = self.ops_class(self)
        self.creation = self.creation_class(self)
        self.introspection = self.introspection_class(self)
        self.client = self.client_class(self) if self.client_class is not None else None
        self.queries_log: deque[dict[str, str]] = deque(maxlen=self.queries_limit)
        self.force_debug_cursor = False
        self.caches = ConnectionCaches()
        self._thread_ident = threading.get_ident()
        self._savepoint_counter = 0
        # When close_old_connections() closes the connection (None: never), and whether the
        # next statement must first check that the server still answers (conn_health_checks).
        self.close_at: float | None = None
        self.health_check_pending = False
        self._reset_transaction_state()

    @classmethod
    def _driver_classes(cls, name: str) -> tuple[Any, Any]:
        """The adapter classes of the driver `name` ("" for the default)."""
        name = name or next(iter(cls.drivers))
        paths = cls.drivers.get(name)
        if paths is None:
            raise ImproperlyConfigured(
                f"Unknown driver {name!r} for {cls.display_name}; "
                f"this backend offers {', '.join(map(repr, cls.drivers))}."
            )
        try:
            return _import_class(paths[0]), _import_class(paths[1])
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"The {cls.display_name} driver {name!r} is not installed ({exc})"
            ) from exc

    def _reset_transaction_state(self) -> None:
        self.autocommit = True
        self.in_atomic_block = False
        self.savepoint_ids: list[str | None] = []
        self.atomic_blocks: list[Any] = []
        self.commit_on_exit = True
        self.needs_rollback = False
        self.closed_in_transaction = False
        self.run_on_commit: list[Any] = []

    # ---- the connection ------------------------------------------------------------------

    def connect(self) -> Any:
        """Open the synchronous driver connection and return the adapter."""
        self.validate_thread_sharing()
        if BaseDatabaseWrapper.connect_gate is not None:
            BaseDatabaseWrapper.connect_gate()
        module = self.driver_class.module
        try:
            self.driver = self.driver_class(self.settings_dict, self)
        except module.Error as exc:
            raise self.wrap_driver_error(exc, module) from exc
        self._reset_transaction_state()
        self._start_life()
        return self.driver

    async def aconnect(self) -> Any:
        """Open the asynchronous driver connection and return the adapter."""
        if BaseDatabaseWrapper.connect_gate is not None:
            BaseDatabaseWrapper.connect_gate()
        module = self.async_driver_class.module
        try:
            driver = self.async_driver_class(self.settings_dict, self)
            await driver.open()
        except module.Error as exc:
            raise self.wrap_driver_error(exc, module) from exc
        self.driver = driver
        self._reset_transaction_state()
        self._start_life()
        return driver

    def _start_life(self) -> None:
        max_age = self.settings_dict.conn_max_age
        self.close_at = None if max_age is None else monotonic() + max_age
        self.health_check_pending = False  # a new connection is known to answer

    def close_if_unusable_or_obsolete(self) -> None:
        """Close the connection if the server dropped it or it is older than conn_max_age,
        as Django does at the start and end of each request (close_old_connections()). A
        connection inside an atomic block is left alone: closing it would lose the block.
        With conn_health_checks, the next statement first checks that the server answers."""
        if self.driver is None or self.in_atomic_block or not self.can_close_when_obsolete:
            return
        if not self.is_usable or (self.close_at is not None and monotonic() >= self.close_at):
            self.close()
            return
        self.health_check_pending = self.settings_dict.conn_health_checks

    @property
    def can_close_when_obsolete(self) -> bool:
        """False where closing loses the database (SQLite in memory)."""
        return True

    def close_if_health_check_failed(self) -> None:
        """Let go of a connection that does not answer a ping (before the first statement
        after close_old_connections(), where conn_health_checks is on); the statement then
        opens a new one instead of failing on the dead one."""
        self.health_check_pending = False
        if self.driver is not None and not self.driver.ping():
            self.discard_broken_driver()

    def wrap_driver_error(self, exc: BaseException, module: Any) -> Error:
        """The tether.db exception for driver error `exc` (chained by the caller's `from`)."""
        return self.ops.wrap_error(wrap_driver_error(exc, module))  # type: ignore[no-any-return]

    def validate_thread_sharing(self) -> None:
        """Refuse a thread that did not create this wrapper, as Django does: a driver
        connection is not safe to use from two threads (PyMySQL read a socket that another
        thread had closed and failed with a raw AttributeError or IndexError)."""
        if self._thread_ident != threading.get_ident():
            raise DatabaseError(
                "DatabaseWrapper objects created in a thread can only be used in that same "
                f"thread. The object with alias '{self.alias}' was created in thread id "
                f"{self._thread_ident} and this is thread id {threading.get_ident()}."
            )

    def ensure_connection(self) -> Any:
        return self.driver or self.connect()

    def close(self) -> None:
        self.validate_thread_sharing()
        driver, self.driver = self.driver, None
        if driver is not None:
            if self.in_atomic_block:
                self.closed_in_transaction = True
            try:
                driver.close()
            except driver.module.Error as exc:
                raise self.wrap_driver_error(exc, driver.module) from exc

    def refresh_time_zone(self) -> None:
        """Set the open connection's session time zone again after use_tz/time_zone changed."""
        refresh = getattr(self.driver, "refresh_time_zone", None)
        if refresh is not None:
            self.validate_thread_sharing()
            try:
                refresh()
            except self.driver.module.Error as exc:
                raise self.wrap_driver_error(exc, self.driver.module) from exc

    def close_from_callback(self) -> None:
        """Close from a task's done callback, where nothing may be awaited."""
        driver, self.driver = self.driver, None
        if driver is not None:
            driver.close_soon()

    async def aclose(self) -> None:
        driver, self.driver = self.driver, None
        if driver is not None:
            await driver.aclose()

    @property
    def is_usable(self) -> bool:
        return self.driver is not None and not self.driver_is_broken(self.driver)

    @staticmethod
    def driver_is_broken(driver: Any) -> bool:
        """Whether the driver's connection is gone (the server dropped it, a network failure):
        psycopg's `closed`/`broken`, PyMySQL's `open`, aiomysql's `closed`."""
        raw = getattr(driver, "raw", None)
        if raw is None:
            return False
        if getattr(raw, "broken", False) is True or getattr(raw, "closed", False) is True:
            return True
        return getattr(raw, "open", True) is False

    def discard_broken_driver(self) -> None:
        """Let go of a connection the server dropped, never replacing it mid-transaction.

        Outside an atomic block the next statement opens a new connection. Inside one, the
        block is marked for rollback (its statements are refused) and the connection is
        replaced once the outermost block exits.
        """
        if self.in_atomic_block:
            self.needs_rollback = True
        try:
            self.close()
        except Exception:  # the socket is gone already; a pool discards a closed connection
            self.driver = None

    # ---- query log -----------------------------------------------------------------------

    @property
    def queries_logged(self) -> bool:
        return self.force_debug_cursor or settings.debug

    @property
    def queries(self) -> list[dict[str, str]]:
        return list(self.queries_log)

    # ---- transactions --------------------------------------------------------------------

    def new_savepoint_id(self) -> str:
        self._savepoint_counter += 1
        return f"s{self._thread_ident}_x{self._savepoint_counter}"

    def get_autocommit(self) -> bool:
        return bool(self.autocommit)

    # ---- helpers -------------------------------------------------------------------------

    def cursor(self) -> Any:
        """A Django-style cursor whose statements run through the plan runners (logged)."""
        from tether.db.cursor import CursorWrapper

        return CursorWrapper(self)

    def schema_editor(self, collect_sql: bool = False, atomic: bool = True) -> Any:
        return self.schema_editor_class(self, collect_sql=collect_sql, atomic=atomic)

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} vendor={self.vendor!r} alias={self.alias!r}>"
