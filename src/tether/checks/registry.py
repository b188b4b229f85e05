"""The check registry: `register` a check function, `run_checks()` runs them, and the report
formatting shared by `tether check`, `tether migrate` and the test runner.

Checks run only when asked (a command, the test runner, a test): nothing here runs at import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tether.checks.messages import CRITICAL, DEBUG, ERROR, INFO, WARNING, CheckMessage


class Tags:
    """Built-in tags, as django.core.checks.Tags (those tether uses)."""

    database = "database"
    models = "models"


class SystemCheckError(Exception):
    """Raised by `check_or_raise` when serious problems were found."""


class CheckRegistry:
    def __init__(self) -> None:
        self.registered_checks: set[Callable[..., Any]] = set()
        self.deployment_checks: set[Callable[..., Any]] = set()

    def register(self, check: Any = None, *tags: str, **kwargs: Any) -> Any:
        """`@register`, `@register(Tags.models)` or `register(func, "tag")`."""

        def inner(func: Callable[..., Any]) -> Callable[..., Any]:
            func.tags = tags  # type: ignore[attr-defined]
            target = self.deployment_checks if kwargs.get("deploy") else self.registered_checks
            target.add(func)
            return func

        if callable(check):
            return inner(check)
        if check:
            tags += (check,)
        return inner

    def run_checks(
        self,
        app_configs: Iterable[Any] | None = None,
        tags: Iterable[str] | None = None,
        include_deployment_checks: bool = False,
        databases: Iterable[str] | None = None,
    ) -> list[CheckMessage]:
        """Run every registered check (those with one of `tags` when given)."""
        _load_builtin_checks()
        checks = set(self.registered_checks)
        if include_deployment_checks:
            checks |= self.deployment_checks
        if tags is not None:
            wanted = set(tags)
            checks = {c for c in checks if wanted & set(getattr(c, "tags", ()))}
        errors: list[CheckMessage] = []
        for check in sorted(checks, key=lambda c: getattr(c, "__qualname__", repr(c))):
            new = check(app_configs=app_configs, databases=databases)
            if not isinstance(new, Iterable):
                raise TypeError(
                    f"The function {check!r} did not return a list. All functions "
                    "registered with the checks registry must return a list."
                )
            errors.extend(new)
        return errors

    def tag_exists(self, tag: str) -> bool:
        return tag in {t for c in self.registered_checks for t in getattr(c, "tags", ())}


registry = CheckRegistry()
register = registry.register
run_checks = registry.run_checks


def _load_builtin_checks() -> None:
    import tether.checks.database_checks  # noqa: F401  (registers the database checks)
    import tether.checks.model_checks  # noqa: F401  (registers the model checks)


_GROUPS = (
    ("CRITICALS", CRITICAL, 10**9),
    ("ERRORS", ERROR, CRITICAL),
    ("WARNINGS", WARNING, ERROR),
    ("INFOS", INFO, WARNING),
    ("DEBUGS", DEBUG, INFO),
)


def format_report(messages: list[CheckMessage]) -> tuple[str, bool]:
    """The text Django's check command prints for `messages`, and whether any is serious."""
    serious = any(m.is_serious() for m in messages)
    header = body = ""
    if messages:
        header = "System check identified some issues:\n"
        parts = []
        for name, low, high in _GROUPS:
            group = sorted(str(m) for m in messages if low <= m.level < high)
            if group:
                parts.append(f"\n{name}:\n" + "\n".join(group) + "\n")
        body = "".join(parts) + "\n"
    count = len(messages)
    found = "no issues" if not count else "1 issue" if count == 1 else f"{count} issues"
    return f"{header}{body}System check identified {found} (0 silenced).", serious


def check_or_raise(tags: Iterable[str] | None = None, out: Any = None) -> list[CheckMessage]:
    """Run the checks; print any finding to `out` and raise SystemCheckError on errors.

    This is what `tether migrate` and the test runner do first, as Django's commands do.
    """
    import sys

    messages = run_checks(tags=tags)
    if not messages:
        return messages
    text, serious = format_report(messages)
    if serious:
        raise SystemCheckError(text)
    print(text, file=out or sys.stderr)
    return messages
