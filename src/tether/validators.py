"""`tether.validators`: the validators of `django.core.validators`, with Django's messages
and codes.

A validator is a callable that raises `tether.exceptions.ValidationError` for a bad value and
returns None otherwise. Fields list their default validators; `Model.full_clean()` runs them.
Nothing here knows about models or databases.
"""

from __future__ import annotations

import decimal
import ipaddress
import math
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from tether.exceptions import ValidationError

__all__ = [
    "BaseValidator",
    "DecimalValidator",
    "EmailValidator",
    "MaxLengthValidator",
    "MaxValueValidator",
    "MinLengthValidator",
    "MinValueValidator",
    "ProhibitNullCharactersValidator",
    "RegexValidator",
    "StepValueValidator",
    "URLValidator",
    "validate_email",
    "validate_integer",
    "validate_ipv4_address",
    "validate_ipv46_address",
    "validate_ipv6_address",
    "validate_slug",
    "validate_unicode_slug",
]

EMPTY_VALUES: tuple[Any, ...] = (None, "", [], (), {})


def _compile(regex: Any, flags: int) -> re.Pattern[str]:
    if isinstance(regex, str):
        return re.compile(regex, flags)
    if flags:
        raise TypeError("If the flags are set, regex must be a regular expression string.")
    return regex  # type: ignore[no-any-return]


class RegexValidator:
    """Valid when `regex` matches (or, with inverse_match, does not match) str(value)."""

    regex: Any = ""
    message = "Enter a valid value."
    code = "invalid"
    inverse_match = False
    flags = 0

    def __init__(
        self,
        regex: Any = None,
        message: str | None = None,
        code: str | None = None,
        inverse_match: bool | None = None,
        flags: int | None = None,
    ) -> None:
        if regex is not None:
            self.regex = regex
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if inverse_match is not None:
            self.inverse_match = inverse_match
        if flags is not None:
            self.flags = flags
        self.regex = _compile(self.regex, self.flags)

    def __call__(self, value: Any) -> None:
        matched = bool(self.regex.search(str(value)))
        if matched == self.inverse_match:
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, RegexValidator)
            and self.regex.pattern == other.regex.pattern
            and self.regex.flags == other.regex.flags
            and self.message == other.message
            and self.code == other.code
            and self.inverse_match == other.inverse_match
        )

    __hash__ = object.__hash__


_HOST = r"(?:[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?)"
_DOMAIN = r"(?:\.(?!-)[a-z0-9\u00a1-\uffff-]{1,63}(?<!-))*"
_TLD = r"\.(?!-)(?:[a-z\u00a1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\.?"


class URLValidator(RegexValidator):
    """An http(s)/ftp(s) URL with a host name, an IP address or localhost."""

    message = "Enter a valid URL."
    schemes = ["http", "https", "ftp", "ftps"]
    max_length = 2048
    regex = re.compile(
        r"^(?:[a-z0-9.+-]*)://"
        r"(?:[^\s:@/]+(?::[^\s:@/]*)?@)?"
        r"(?:(?P<ipv4>(?:\d{1,3}\.){3}\d{1,3})|\[(?P<ipv6>[0-9a-f:.]+)\]|"
        rf"(?:{_HOST}{_DOMAIN}{_TLD}|localhost))"
        r"(?::[0-9]{1,5})?"
        r"(?:[/?#][^\s]*)?\Z",
        re.IGNORECASE,
    )

    def __init__(self, schemes: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if schemes is not None:
            self.schemes = list(schemes)

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str) or len(value) > self.max_length:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        if any(c in value for c in "\r\n\t"):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        scheme = value.split("://")[0].lower()
        if scheme not in self.schemes:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        match = self.regex.search(value)
        if match is None:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        try:
            if match.group("ipv4"):
                ipaddress.IPv4Address(match.group("ipv4"))
            elif match.group("ipv6"):
                ipaddress.IPv6Address(match.group("ipv6"))
            host = urlsplit(value).hostname
        except ValueError:
            raise ValidationError(self.message, code=self.code, params={"value": value}) from None
        if host is None or len(host) > 253:
            raise ValidationError(self.message, code=self.code, params={"value": value})


integer_validator = RegexValidator(
    re.compile(r"^-?\d+\Z"), message="Enter a valid integer.", code="invalid"
)


def validate_integer(value: Any) -> None:
    integer_validator(value)


class EmailValidator:
    """user@domain, with Django's rules for the user part and the domain (or a [literal])."""

    message = "Enter a valid email address."
    code = "invalid"
    user_regex = re.compile(
        r"(^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*\Z"
        r'|^"([\001-\010\013\014\016-\037!#-\[\]-\177]|\\[\001-\011\013\014\016-\177])*"\Z)',
        re.IGNORECASE,
    )
    domain_regex = re.compile(
        r"((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+)(?:[A-Z0-9-]{2,63}(?<!-))\Z", re.IGNORECASE
    )
    literal_regex = re.compile(r"\[([A-F0-9:.]+)\]\Z", re.IGNORECASE)
    domain_allowlist = ["localhost"]

    def __init__(
        self,
        message: str | None = None,
        code: str | None = None,
        allowlist: Sequence[str] | None = None,
    ) -> None:
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if allowlist is not None:
            self.domain_allowlist = list(allowlist)

    def __call__(self, value: Any) -> None:
        if not value or "@" not in value or len(value) > 320:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        user, domain = value.rsplit("@", 1)
        if not self.user_regex.match(user):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        if domain not in self.domain_allowlist and not self._valid_domain(domain):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def _valid_domain(self, domain: str) -> bool:
        if self.domain_regex.match(domain):
            return True
        literal = self.literal_regex.match(domain)
        if literal:
            try:
                ipaddress.ip_address(literal.group(1))
                return True
            except ValueError:
                return False
        try:
            ascii_domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return False
        return ascii_domain != domain and bool(self.domain_regex.match(ascii_domain))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, EmailValidator)
            and self.message == other.message
            and self.code == other.code
            and self.domain_allowlist == other.domain_allowlist
        )

    __hash__ = object.__hash__


validate_email = EmailValidator()

validate_slug = RegexValidator(
    re.compile(r"^[-a-zA-Z0-9_]+\Z"),
    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
    "invalid",
)
validate_unicode_slug = RegexValidator(
    re.compile(r"^[-\w]+\Z"),
    "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.",
    "invalid",
)


def validate_ipv4_address(value: Any) -> None:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        raise ValidationError(
            "Enter a valid %(protocol)s address.",
            code="invalid",
            params={"protocol": "IPv4", "value": value},
        ) from None


def validate_ipv6_address(value: Any) -> None:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        raise ValidationError(
            "Enter a valid %(protocol)s address.",
            code="invalid",
            params={"protocol": "IPv6", "value": value},
        ) from None


def validate_ipv46_address(value: Any) -> None:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValidationError(
            "Enter a valid %(protocol)s address.",
            code="invalid",
            params={"protocol": "IPv4 or IPv6", "value": value},
        ) from None


def ip_address_validators(protocol: str, unpack_ipv4: bool) -> list[Callable[[Any], None]]:
    """The validators of a GenericIPAddressField for `protocol` ('both', 'ipv4', 'ipv6')."""
    if protocol != "both" and unpack_ipv4:
        raise ValueError("You can only use `unpack_ipv4` if `protocol` is set to 'both'")
    table = {
        "both": validate_ipv46_address,
        "ipv4": validate_ipv4_address,
        "ipv6": validate_ipv6_address,
    }
    try:
        return [table[protocol.lower()]]
    except KeyError:
        raise ValueError(
            f"The protocol '{protocol}' is unknown. Supported: {list(table)}"
        ) from None


class BaseValidator:
    """Compare a cleaned value with a limit (a value or a callable returning one)."""

    message = "Ensure this value is %(limit_value)s (it is %(show_value)s)."
    code = "limit_value"

    def __init__(self, limit_value: Any, message: str | None = None) -> None:
        self.limit_value = limit_value
        if message is not None:
            self.message = message

    def __call__(self, value: Any) -> None:
        cleaned = self.clean(value)
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        params = {"limit_value": limit, "show_value": cleaned, "value": value}
        if self.compare(cleaned, limit):
            raise ValidationError(self.message, code=self.code, params=params)

    def compare(self, a: Any, b: Any) -> bool:
        return a is not b

    def clean(self, x: Any) -> Any:
        return x

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and self.limit_value == other.limit_value  # type: ignore[attr-defined]
            and self.message == other.message  # type: ignore[attr-defined]
            and self.code == other.code  # type: ignore[attr-defined]
        )

    __hash__ = object.__hash__


class MaxValueValidator(BaseValidator):
    message = "Ensure this value is less than or equal to %(limit_value)s."
    code = "max_value"

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a > b)


class MinValueValidator(BaseValidator):
    message = "Ensure this value is greater than or equal to %(limit_value)s."
    code = "min_value"

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a < b)


class StepValueValidator(BaseValidator):
    message = "Ensure this value is a multiple of step size %(limit_value)s."
    code = "step_size"

    def compare(self, a: Any, b: Any) -> bool:
        return not math.isclose(math.remainder(a, b), 0, abs_tol=1e-9)


class MinLengthValidator(BaseValidator):
    message = "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d)."
    code = "min_length"

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a < b)

    def clean(self, x: Any) -> Any:
        return len(x)

    def __call__(self, value: Any) -> None:
        cleaned = len(value)
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        if cleaned < limit:
            message = self.message
            if limit == 1 and message is MinLengthValidator.message:
                message = (
                    "Ensure this value has at least %(limit_value)d character (it has "
                    "%(show_value)d)."
                )
            raise ValidationError(
                message,
                code=self.code,
                params={"limit_value": limit, "show_value": cleaned, "value": value},
            )


class MaxLengthValidator(BaseValidator):
    message = "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d)."
    code = "max_length"

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a > b)

    def clean(self, x: Any) -> Any:
        return len(x)

    def __call__(self, value: Any) -> None:
        cleaned = len(value)
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        if cleaned > limit:
            message = self.message
            if limit == 1 and message is MaxLengthValidator.message:
                message = (
                    "Ensure this value has at most %(limit_value)d character (it has "
                    "%(show_value)d)."
                )
            raise ValidationError(
                message,
                code=self.code,
                params={"limit_value": limit, "show_value": cleaned, "value": value},
            )


class DecimalValidator:
    """At most `max_digits` digits in all and `decimal_places` after the point."""

    messages = {
        "invalid": "Enter a number.",
        "max_digits": "Ensure that there are no more than %(max)s digits in total.",
        "max_decimal_places": "Ensure that there are no more than %(max)s decimal places.",
        "max_whole_digits": (
            "Ensure that there are no more than %(max)s digits before the decimal point."
        ),
    }

    def __init__(self, max_digits: int | None, decimal_places: int | None) -> None:
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def __call__(self, value: decimal.Decimal) -> None:
        sign, digit_tuple, exponent = value.as_tuple()
        if exponent in ("F", "n", "N"):
            raise ValidationError(self.messages["invalid"], code="invalid", params={"value": value})
        assert isinstance(exponent, int)
        if exponent >= 0:
            digits = len(digit_tuple) + exponent if digit_tuple != (0,) else 1
            decimals = 0
        else:
            decimals = -exponent
            digits = max(len(digit_tuple), decimals)
        whole_digits = digits - decimals
        if self.max_digits is not None and digits > self.max_digits:
            self._fail("max_digits", self.max_digits, value)
        if self.decimal_places is not None and decimals > self.decimal_places:
            self._fail("max_decimal_places", self.decimal_places, value)
        if (
            self.max_digits is not None
            and self.decimal_places is not None
            and whole_digits > (self.max_digits - self.decimal_places)
        ):
            self._fail("max_whole_digits", self.max_digits - self.decimal_places, value)

    def _fail(self, code: str, limit: int, value: Any) -> None:
        message = self.messages[code]
        if limit == 1:
            message = message.replace("digits", "digit").replace("places", "place")
        raise ValidationError(message, code=code, params={"max": limit, "value": value})

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, DecimalValidator)
            and self.max_digits == other.max_digits
            and self.decimal_places == other.decimal_places
        )

    __hash__ = object.__hash__


class ProhibitNullCharactersValidator:
    """Refuse strings containing NUL (\\x00)."""

    message = "Null characters are not allowed."
    code = "null_characters_not_allowed"

    def __init__(self, message: str | None = None, code: str | None = None) -> None:
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value: Any) -> None:
        if "\x00" in str(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ProhibitNullCharactersValidator)
            and self.message == other.message
            and self.code == other.code
        )

    __hash__ = object.__hash__
