"""The shop project fixture (see shop.py)."""

from .shop import shop  # noqa: F401 - the fixture, made visible to the tests here
