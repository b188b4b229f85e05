"""The public names of `tether.models` beyond its core list: the file-less text, binary,
UUID, temporal and JSON fields, the choices enums and RawSQL.

Kept apart so that `tether.models.__init__` stays a short list; importing this module also
registers the date/time transforms on the date and time fields.
"""

from tether.models.enums import Choices, IntegerChoices, TextChoices
from tether.models.expressions.raw import RawSQL
from tether.models.fields.generated import GeneratedField
from tether.models.fields.json import JSONField
from tether.models.fields.temporal import DurationField, TimeField
from tether.models.fields.text import (
    BinaryField,
    EmailField,
    GenericIPAddressField,
    SlugField,
    URLField,
    UUIDField,
)
from tether.models.functions import datetime as _datetime_transforms

_datetime_transforms.install()

__all__ = [
    "BinaryField",
    "Choices",
    "DurationField",
    "EmailField",
    "GeneratedField",
    "GenericIPAddressField",
    "IntegerChoices",
    "JSONField",
    "RawSQL",
    "SlugField",
    "TextChoices",
    "TimeField",
    "URLField",
    "UUIDField",
]
