"""Regressions: abstract bases, inheritance, self references, errors and edge cases."""
