"""The seed walkthroughs (000-004: Django's many-to-many documentation and its translations)
as executable tests, one module per seed."""
