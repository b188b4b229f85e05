"""Questions makemigrations asks: initial migration, renames, one-off defaults, merges.

MigrationQuestioner answers from `defaults` without asking (the API's and --noinput's base);
InteractiveMigrationQuestioner asks on the terminal with Django's words;
NonInteractiveMigrationQuestioner decides from flags (`--rename`, `--default model.field=expr`)
and otherwise stops with exit status 3, as Django's --noinput does for a NOT NULL field.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import sys
from typing import Any, TextIO

from tether.db.migrations.loader import migrations_module


class MigrationQuestioner:
    def __init__(
        self,
        defaults: dict[str, Any] | None = None,
        specified_apps: Any = None,
        dry_run: bool | None = None,
    ) -> None:
        self.defaults = defaults or {}
        self.specified_apps = set(specified_apps or ())
        self.dry_run = dry_run

    def ask_initial(self, app_label: str) -> bool:
        """Should `app_label`, which has no migrations yet, get an initial one? Yes when it
        was named, or when it has an empty migrations package."""
        if app_label in self.specified_apps:
            return True
        name = migrations_module(app_label)
        if name is None:
            return self.defaults.get("ask_initial", False)  # type: ignore[no-any-return]
        try:
            module = importlib.import_module(name)
        except ImportError:
            return self.defaults.get("ask_initial", False)  # type: ignore[no-any-return]
        if not hasattr(module, "__path__"):
            return False
        return not any(
            not is_pkg and n[0] not in "_~"
            for _, n, is_pkg in pkgutil.iter_modules(module.__path__)
        )

    def ask_not_null_addition(self, field_name: str, model_name: str) -> Any:
        return None

    def ask_not_null_alteration(self, field_name: str, model_name: str) -> Any:
        return None

    def ask_rename(self, model_name: str, old_name: str, new_name: str, field: Any) -> bool:
        return self.defaults.get("ask_rename", False)  # type: ignore[no-any-return]

    def ask_rename_model(self, old_model_state: Any, new_model_state: Any) -> bool:
        return self.defaults.get("ask_rename_model", False)  # type: ignore[no-any-return]

    def ask_merge(self, app_label: str) -> bool:
        return self.defaults.get("ask_merge", False)  # type: ignore[no-any-return]

    def ask_auto_now_add_addition(self, field_name: str, model_name: str) -> Any:
        return None

    def ask_unique_callable_default_addition(self, field_name: str, model_name: str) -> Any:
        return None


def evaluate_default(code: str) -> Any:
    """A one-off default typed as Python, with datetime and tether.utils.timezone at hand."""
    from tether.utils import timezone

    return eval(code, {}, {"datetime": datetime, "timezone": timezone})  # noqa: S307


class InteractiveMigrationQuestioner(MigrationQuestioner):
    def __init__(
        self,
        defaults: dict[str, Any] | None = None,
        specified_apps: Any = None,
        dry_run: bool | None = None,
        prompt_output: TextIO | None = None,
        prompt_input: TextIO | None = None,
    ) -> None:
        super().__init__(defaults, specified_apps, dry_run)
        self.out = prompt_output or sys.stdout
        self.input = prompt_input or sys.stdin

    def _read(self, prompt: str) -> str:
        self.out.write(prompt)
        self.out.flush()
        line = self.input.readline()
        if not line:
            raise KeyboardInterrupt
        return line.rstrip("\n")

    def _boolean_input(self, question: str, default: bool = False) -> bool:
        answer = self._read(f"{question} ")
        while not answer or answer[0].lower() not in "yn":
            if not answer and default is not None:
                return default
            answer = self._read("Please answer yes or no: ")
        return answer[0].lower() == "y"

    def _choice_input(self, question: str, choices: list[str]) -> int:
        self.out.write(f"{question}\n")
        for number, choice in enumerate(choices, 1):
            self.out.write(f" {number}) {choice}\n")
        result = self._read("Select an option: ")
        while True:
            if result.isdigit() and 0 < int(result) <= len(choices):
                return int(result)
            result = self._read("Please select a valid option: ")

    def _ask_default(self, default: str = "") -> Any:
        self.out.write(
            "Please enter the default value as valid Python.\n"
            + (
                f"Accept the default '{default}' by pressing 'Enter' or provide another value.\n"
                if default
                else ""
            )
            + "The datetime and tether.utils.timezone modules are available, so it is possible "
            "to provide e.g. timezone.now as a value.\nType 'exit' to exit this prompt\n"
        )
        while True:
            code = self._read(">>> ")
            if not code and default:
                code = default
            if not code:
                self.out.write("Please enter some code, or 'exit' (without quotes) to exit.\n")
            elif code == "exit":
                sys.exit(1)
            else:
                try:
                    return evaluate_default(code)
                except (SyntaxError, NameError) as exc:
                    self.out.write(f"Invalid input: {exc}\n")

    def ask_not_null_addition(self, field_name: str, model_name: str) -> Any:
        if self.dry_run:
            return None
        choice = self._choice_input(
            f"It is impossible to add a non-nullable field '{field_name}' to {model_name} "
            "without specifying a default. This is because the database needs something to "
            "populate existing rows.\nPlease select a fix:",
            [
                "Provide a one-off default now (will be set on all existing rows with a null "
                "value for this column)",
                "Quit and manually define a default value in models.py.",
            ],
        )
        if choice == 2:
            sys.exit(3)
        return self._ask_default()

    def ask_not_null_alteration(self, field_name: str, model_name: str) -> Any:
        if self.dry_run:
            return None
        choice = self._choice_input(
            f"It is impossible to change a nullable field '{field_name}' on {model_name} to "
            "non-nullable without providing a default. This is because the database needs "
            "something to populate existing rows.\nPlease select a fix:",
            [
                "Provide a one-off default now (will be set on all existing rows with a null "
                "value for this column)",
                "Ignore for now. Existing rows that contain NULL values will have to be handled "
                "manually, for example with a RunPython or RunSQL operation.",
                "Quit and manually define a default value in models.py.",
            ],
        )
        if choice == 2:
            return None
        if choice == 3:
            sys.exit(3)
        return self._ask_default()

    def ask_rename(self, model_name: str, old_name: str, new_name: str, field: Any) -> bool:
        return self._boolean_input(
            f"Was {model_name}.{old_name} renamed to {model_name}.{new_name} "
            f"(a {type(field).__name__})? [y/N]",
            False,
        )

    def ask_rename_model(self, old_model_state: Any, new_model_state: Any) -> bool:
        return self._boolean_input(
            f"Was the model {old_model_state.app_label}.{old_model_state.name} renamed to "
            f"{new_model_state.name}? [y/N]",
            False,
        )

    def ask_merge(self, app_label: str) -> bool:
        return self._boolean_input(
            "\nMerging will only work if the operations printed above do not conflict\n"
            "with each other (working on different fields or models)\n"
            "Should these migration branches be merged? [y/N]",
            False,
        )

    def ask_auto_now_add_addition(self, field_name: str, model_name: str) -> Any:
        if self.dry_run:
            return None
        choice = self._choice_input(
            f"It is impossible to add the field '{field_name}' with 'auto_now_add=True' to "
            f"{model_name} without providing a default. This is because the database needs "
            "something to populate existing rows.\n",
            [
                "Provide a one-off default now which will be set on all existing rows",
                "Quit and manually define a default value in models.py.",
            ],
        )
        if choice == 2:
            sys.exit(3)
        return self._ask_default(default="timezone.now")


class NonInteractiveMigrationQuestioner(MigrationQuestioner):
    """--noinput: renames and one-off defaults come from flags, or makemigrations stops."""

    def __init__(
        self,
        defaults: dict[str, Any] | None = None,
        specified_apps: Any = None,
        dry_run: bool | None = None,
        verbosity: int = 1,
        log: Any = None,
        one_off_defaults: dict[str, str] | None = None,
    ) -> None:
        super().__init__(defaults, specified_apps, dry_run)
        self.log = log or (lambda message: print(message, file=sys.stderr))
        self.one_off_defaults = {k.lower(): v for k, v in (one_off_defaults or {}).items()}

    def _one_off(self, field_name: str, model_name: str) -> tuple[bool, Any]:
        code = self.one_off_defaults.get(f"{model_name}.{field_name}".lower())
        if code is None:
            return False, None
        return True, evaluate_default(code)

    def ask_not_null_addition(self, field_name: str, model_name: str) -> Any:
        found, value = self._one_off(field_name, model_name)
        if found:
            return value
        self.log(
            f"It is impossible to add a non-nullable field '{field_name}' to {model_name} "
            "without specifying a default. Give one with --default "
            f"{model_name}.{field_name}=<python expression>."
        )
        sys.exit(3)

    def ask_not_null_alteration(self, field_name: str, model_name: str) -> Any:
        found, value = self._one_off(field_name, model_name)
        if found:
            return value
        self.log(
            f"Field '{field_name}' on model '{model_name}' not migrated: it is impossible to "
            "change a nullable field to non-nullable without providing a default."
        )
        return None

    def ask_auto_now_add_addition(self, field_name: str, model_name: str) -> Any:
        found, value = self._one_off(field_name, model_name)
        if found:
            return value
        self.log(
            f"It is impossible to add the field '{field_name}' with 'auto_now_add=True' to "
            f"{model_name} without providing a default. Give one with --default "
            f"{model_name}.{field_name}=timezone.now."
        )
        sys.exit(3)

    def ask_unique_callable_default_addition(self, field_name: str, model_name: str) -> Any:
        return None
