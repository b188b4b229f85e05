"""Tests of tether.test: the test cases, the test database life cycle and the pytest plugin."""
