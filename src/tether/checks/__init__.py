"""`tether.checks`: Django's system check framework (django.core.checks) for tether's models.

`run_checks()` returns the messages of every registered check; the model checks (fields.E...,
models.E...) are registered when the checks first run. Nothing runs checks at import time.
"""

from tether.checks.messages import (
    CRITICAL,
    DEBUG,
    ERROR,
    INFO,
    WARNING,
    CheckMessage,
    Critical,
    Debug,
    Error,
    Info,
    Warning,
)
from tether.checks.registry import (
    CheckRegistry,
    SystemCheckError,
    Tags,
    check_or_raise,
    format_report,
    register,
    registry,
    run_checks,
)

__all__ = [
    "CRITICAL",
    "DEBUG",
    "ERROR",
    "INFO",
    "WARNING",
    "CheckMessage",
    "CheckRegistry",
    "Critical",
    "Debug",
    "Error",
    "Info",
    "SystemCheckError",
    "Tags",
    "Warning",
    "check_or_raise",
    "format_report",
    "register",
    "registry",
    "run_checks",
]
