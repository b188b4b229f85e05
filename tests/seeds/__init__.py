"""The seed walkthroughs (../shared/seeds/000-004) as executable tests, one module per seed."""
