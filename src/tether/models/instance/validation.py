"""Model validation, as Django's: full_clean() = clean_fields() + clean() + validate_unique()
+ validate_constraints(), raising one ValidationError whose message_dict maps field names (or
NON_FIELD_ERRORS) to messages.

Uniqueness is checked with queries; a constraint's condition (a Q) is evaluated on the
instance's values in Python (`q_matches`) for the lookups listed in `_PY_LOOKUPS`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection
from typing import Any

from tether.exceptions import NON_FIELD_ERRORS, ValidationError
from tether.models.query_utils import Q


def _capfirst(text: Any) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _like(a: Any, b: Any, how: str, fold: bool) -> bool:
    if a is None or b is None:
        return False
    a, b = str(a), str(b)
    if fold:
        a, b = a.casefold(), b.casefold()
    return {"contains": b in a, "startswith": a.startswith(b), "endswith": a.endswith(b)}[how]


_PY_LOOKUPS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": lambda a, b: a == b if b is not None else a is None,
    "iexact": lambda a, b: a is not None and str(a).casefold() == str(b).casefold(),
    "gt": lambda a, b: a is not None and operator.gt(a, b),
    "gte": lambda a, b: a is not None and operator.ge(a, b),
    "lt": lambda a, b: a is not None and operator.lt(a, b),
    "lte": lambda a, b: a is not None and operator.le(a, b),
    "in": lambda a, b: a in b,
    "isnull": lambda a, b: (a is None) == bool(b),
    "contains": lambda a, b: _like(a, b, "contains", False),
    "icontains": lambda a, b: _like(a, b, "contains", True),
    "startswith": lambda a, b: _like(a, b, "startswith", False),
    "istartswith": lambda a, b: _like(a, b, "startswith", True),
    "endswith": lambda a, b: _like(a, b, "endswith", False),
    "iendswith": lambda a, b: _like(a, b, "endswith", True),
    "range": lambda a, b: a is not None and b[0] <= a <= b[1],
}


def q_fields(q: Q) -> set[str]:
    """The field names a Q refers to (the first part of each keyword)."""
    names = set()
    for child in q.children:
        if isinstance(child, Q):
            names |= q_fields(child)
        elif isinstance(child, tuple):
            names.add(child[0].split("__")[0])
    return names


def q_matches(q: Q, instance: Any) -> bool:
    """Whether `instance`'s current values satisfy `q` (SQL NULL semantics for comparisons)."""
    results = []
    for child in q.children:
        if isinstance(child, Q):
            results.append(q_matches(child, instance))
            continue
        key, wanted = child
        name, _, lookup = key.partition("__")
        lookup = lookup or "exact"
        if lookup not in _PY_LOOKUPS:
            raise NotImplementedError(f"Cannot evaluate the lookup {key!r} in Python.")
        field = (
            instance._meta.get_field("pk" if name == "pk" else name)
            if name != "pk"
            else instance._meta.pk
        )
        value = getattr(instance, field.attname)
        results.append(_PY_LOOKUPS[lookup](value, wanted))
    if q.connector == Q.OR:
        outcome = any(results)
    elif q.connector == Q.XOR:
        outcome = sum(results) % 2 == 1
    else:
        outcome = all(results)
    return not outcome if q.negated else outcome


class ValidationMixin:
    """full_clean() and its parts; mixed into Model."""

    _meta: Any
    pk: Any
    _state: Any

    def clean(self) -> None:
        """Hook for model-wide validation; full_clean() calls it."""

    def full_clean(
        self,
        exclude: Collection[str] | None = None,
        validate_unique: bool = True,
        validate_constraints: bool = True,
    ) -> None:
        """Run every check; raise one ValidationError with all the errors found."""
        errors: dict[str, list[Any]] = {}
        exclude = set(exclude or ())
        try:
            self.clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            self.clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        # Fields that already failed are not checked for uniqueness or constraints.
        exclude |= set(errors)
        if validate_unique:
            try:
                self.validate_unique(exclude=exclude)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if validate_constraints:
            try:
                self.validate_constraints(exclude=exclude)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        from tether.models.fields import DatabaseDefault

        exclude = set(exclude or ())
        errors: dict[str, list[Any]] = {}
        for field in self._meta.concrete_fields:
            if field.name in exclude or getattr(field, "auto_created", False) and field.primary_key:
                continue
            raw = getattr(self, field.attname)
            if isinstance(raw, DatabaseDefault):
                continue
            if field.blank and raw in field.empty_values:
                continue
            try:
                setattr(self, field.attname, field.clean(raw, self))
            except ValidationError as exc:
                errors[field.name] = exc.error_list
        if errors:
            raise ValidationError(errors)

    # ---- uniqueness ----------------------------------------------------------------------

    def _unique_checks(self, exclude: set[str]) -> list[tuple[Any, tuple[str, ...]]]:
        """(model, field names) pairs, as Django's: a unique field inherited from a concrete
        parent (multi-table inheritance) is checked against the parent's rows, all of them."""
        opts = self._meta
        checks: list[tuple[Any, tuple[str, ...]]] = []
        for together in opts.unique_together:
            if not any(name in exclude for name in together):
                checks.append((opts.model, tuple(together)))
        for field in opts.concrete_fields:
            if field.unique and field.name not in exclude:
                checks.append((field.model, (field.name,)))
        return checks

    def validate_unique(self, exclude: Collection[str] | None = None) -> None:
        errors: dict[str, list[Any]] = {}
        for model, names in self._unique_checks(set(exclude or ())):
            if self._duplicate_exists(names, model=model):
                key = names[0] if len(names) == 1 else NON_FIELD_ERRORS
                errors.setdefault(key, []).append(self.unique_error_message(model, names))
        if errors:
            raise ValidationError(errors)

    def _duplicate_exists(
        self, names: tuple[str, ...], condition: Q | None = None, model: Any = None
    ) -> bool:
        """Whether another row of `model` (default: this instance's) has these values."""
        opts = self._meta
        lookup = {}
        for name in names:
            field = opts.get_field(name)
            value = getattr(self, field.attname)
            if value is None or (value == "" and field.empty_strings_allowed is False):
                return False  # NULLs never collide
            lookup[name] = value
        if model is None:
            model = opts.model
        queryset = model._default_manager.filter(**lookup)
        if condition is not None:
            queryset = queryset.filter(condition)
        pk = getattr(self, model._meta.pk.attname)  # a parent's key is the child's link value
        if not self._state.adding and pk is not None:
            queryset = queryset.exclude(pk=pk)
        return bool(queryset.exists())

    def unique_error_message(self, model: Any, unique_check: tuple[str, ...]) -> ValidationError:
        opts = model._meta
        model_name = _capfirst(getattr(opts, "verbose_name", None) or opts.model_name)
        if len(unique_check) == 1:
            field = opts.get_field(unique_check[0])
            return ValidationError(
                field.error_messages["unique"],
                code="unique",
                params={
                    "model": self,
                    "model_class": model,
                    "model_name": model_name,
                    "field_label": _capfirst(field.verbose_name),
                    "unique_check": unique_check,
                },
            )
        labels = " and ".join(_capfirst(opts.get_field(n).verbose_name) for n in unique_check)
        return ValidationError(
            "%(model_name)s with this %(field_labels)s already exists.",
            code="unique_together",
            params={
                "model": self,
                "model_class": model,
                "model_name": model_name,
                "field_labels": labels,
                "unique_check": unique_check,
            },
        )

    # ---- constraints ---------------------------------------------------------------------

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        exclude = set(exclude or ())
        errors: dict[str, list[Any]] = {}
        for constraint in self._meta.constraints:
            try:
                constraint.validate(type(self), self, exclude=exclude)
            except ValidationError as exc:
                fields: tuple[str, ...] = getattr(constraint, "fields", ())
                if getattr(exc, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(exc)
                else:
                    errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
