"""The PEP 249 exception hierarchy that tether raises, and the mapping from driver errors.

Every driver error reaches the user as one of these classes with the driver's exception chained
as `__cause__`, so `except tether.db.IntegrityError` works the same on every backend.
"""

from __future__ import annotations


class Error(Exception):
    pass


class InterfaceError(Error):
    pass


class DatabaseError(Error):
    pass


class DataError(DatabaseError):
    pass


class OperationalError(DatabaseError):
    pass


class IntegrityError(DatabaseError):
    pass


class InternalError(DatabaseError):
    pass


class ProgrammingError(DatabaseError):
    pass


class NotSupportedError(DatabaseError):
    pass


class TransactionManagementError(ProgrammingError):
    """Transaction management was used in a way the current state does not allow."""


_ORDER = (
    DataError,
    OperationalError,
    IntegrityError,
    InternalError,
    ProgrammingError,
    NotSupportedError,
    DatabaseError,
    InterfaceError,
    Error,
)


def wrap_driver_error(exc: BaseException, driver_module: object) -> Error:
    """Return the tether exception matching `exc`, a PEP 249 error of `driver_module`."""
    for tether_class in _ORDER:
        driver_class = getattr(driver_module, tether_class.__name__, None)
        if driver_class is not None and isinstance(exc, driver_class):
            wrapped = tether_class(*exc.args)
            wrapped.__cause__ = exc
            return wrapped
    wrapped = Error(*exc.args)
    wrapped.__cause__ = exc
    return wrapped
