"""Lookups compare and hash by class and sides, as Django's (Lookup(Value(1), Value(2)))."""

from unittest import mock

from tether.models import Value
from tether.models.lookups import Exact, Lookup


class CustomLookup(Lookup):
    pass


def test_equality_and_hash():
    lookup = Lookup(Value(1), Value(2))
    same = Lookup(lookup.lhs, lookup.rhs)
    assert lookup == same and hash(lookup) == hash(same)
    assert lookup == mock.ANY
    for other in (
        Lookup(lookup.lhs, Value(3)),
        Lookup(Value(3), lookup.rhs),
        CustomLookup(lookup.lhs, lookup.rhs),
        Exact(lookup.lhs, lookup.rhs),
    ):
        assert lookup != other
        assert hash(lookup) != hash(other)


def test_repr():
    assert repr(Lookup(Value(1), Value("a"))) == "Lookup(Value(1), Value('a'))"
