"""`tether.models`: the public surface, named as `django.db.models`.

Port code by replacing `from django.db import models` with `from tether import models`.
"""

from tether.exceptions import ObjectDoesNotExist
from tether.models import (
    relations,  # noqa: F401  (registers the relation managers)
    signals,
)
from tether.models.aggregates import Aggregate, Avg, Count, Max, Min, StdDev, Sum, Variance
from tether.models.base import DEFERRED, Model
from tether.models.constraints import CheckConstraint, UniqueConstraint
from tether.models.deletion import (
    CASCADE,
    DO_NOTHING,
    PROTECT,
    RESTRICT,
    SET,
    SET_DEFAULT,
    SET_NULL,
    ProtectedError,
    RestrictedError,
)
from tether.models.expressions import (
    Expression,
    ExpressionList,
    ExpressionWrapper,
    F,
    Func,
    OrderBy,
    Value,
)
from tether.models.expressions.conditional import Case, When
from tether.models.expressions.subqueries import Exists, OuterRef, Subquery
from tether.models.expressions.window import (
    RowRange,
    ValueRange,
    Window,
    WindowFrame,
    WindowFrameExclusion,
)
from tether.models.fetch_modes import FETCH_ONE, FETCH_PEERS, RAISE
from tether.models.fields import (
    NOT_PROVIDED,
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    Field,
    FloatField,
    IntegerField,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SmallAutoField,
    SmallIntegerField,
    TextField,
)
from tether.models.fields.foreign_object import ForeignObject
from tether.models.fields.m2m import ManyToManyField
from tether.models.fields.related import ForeignKey, OneToOneField
from tether.models.indexes import Index
from tether.models.lookups import Lookup, Transform, install_builtin_lookups
from tether.models.manager import BaseManager, Manager, _install_queryset_methods
from tether.models.public_names import *  # noqa: E402,F403  (fields, choices, RawSQL)
from tether.models.public_names import __all__ as _more_names  # noqa: E402
from tether.models.query import QuerySet
from tether.models.query.prefetch import (
    Prefetch,
    aprefetch_related_objects,
    prefetch_related_objects,
)
from tether.models.query.separate import MultipliedAggregateWarning
from tether.models.query_utils import FilteredRelation, Q

install_builtin_lookups()
_install_queryset_methods()

__all__ = [
    "FETCH_ONE",
    "FETCH_PEERS",
    "RAISE",
    "Case",
    "When",
    "Exists",
    "OuterRef",
    "Subquery",
    "RowRange",
    "ValueRange",
    "Window",
    "WindowFrame",
    "WindowFrameExclusion",
    "Expression",
    "ExpressionList",
    "ExpressionWrapper",
    "Func",
    "F",
    "OrderBy",
    "Value",
    "Aggregate",
    "Avg",
    "Count",
    "Max",
    "Min",
    "StdDev",
    "Sum",
    "Variance",
    "MultipliedAggregateWarning",
    "CASCADE",
    "DO_NOTHING",
    "PROTECT",
    "RESTRICT",
    "SET",
    "SET_DEFAULT",
    "SET_NULL",
    "ForeignKey",
    "ForeignObject",
    "ManyToManyField",
    "OneToOneField",
    "ProtectedError",
    "RestrictedError",
    "DEFERRED",
    "NOT_PROVIDED",
    "AutoField",
    "BaseManager",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "CheckConstraint",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "Field",
    "FloatField",
    "Index",
    "IntegerField",
    "Lookup",
    "Manager",
    "Model",
    "ObjectDoesNotExist",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "FilteredRelation",
    "Q",
    "QuerySet",
    "SmallAutoField",
    "SmallIntegerField",
    "TextField",
    "Transform",
    "UniqueConstraint",
    "signals",
    "Prefetch",
    "aprefetch_related_objects",
    "prefetch_related_objects",
]
__all__ += _more_names
